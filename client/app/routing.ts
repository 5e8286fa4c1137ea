import type { User } from './models.js';

/**
 * What a feature tells the shell about its pages (its `routes.ts`, listed in client/app/features.ts):
 * the shell builds its router and its menus from these, and names no feature itself.
 *
 * Who may open a route:
 *  - home: signed-in people (the others are sent to sign in)
 *  - setup: only while the forum has not been set up
 *  - guest: people not signed in (signed-in people are sent on)
 *  - public: anyone, signed in or not (invitation and reset links, a public document)
 *  - user: any signed-in person
 *  - inviter: administrators and the coordinator
 *  - publisher: administrators, the coordinator and the secretariat (the document library)
 *  - admin: administrators
 *  - instance-admin: the instance's administrators (who create working groups)
 */
export type Access = 'home' | 'setup' | 'guest' | 'public' | 'user' | 'inviter' | 'publisher' | 'admin' | 'instance-admin';

export type RouteParams = { [key: string]: string | undefined };

export interface AppRoute {
  /** A URLPattern pathname ('/meetings/:id'); within a feature, fixed paths before the patterns they would match. */
  path: string;
  access: Access;
  /** The document title, in the current locale; the person signed in, when the title depends on their role. */
  title: (user: User | null) => string;
  /** The page: a template of the feature's page element, defined by its chunk (define.ts). */
  render: (params: RouteParams) => unknown;
  /**
   * A page of the instance, not of a working group (sign-in, set-up, a link sent by mail, the
   * instance's groups): only at its own path, never under `/g/<slug>/`, and its API calls name no
   * group. Every other page is also at `/g/<slug>/<path>` (client/app/group-address.ts).
   */
  instance?: boolean;
}

/** A link in the header's main navigation or in the account menu, shown to signed-in people. */
export interface NavEntry {
  href: string;
  label: (user: User) => string;
  /** 'main' (default): the navigation bar; 'account': the account menu. */
  menu?: 'main' | 'account';
  /** Whether this person sees the link (everyone signed in when absent). */
  shows?: (user: User) => boolean;
}

/** A feature's `routes.ts`: small and eager (no page code; that stays in its chunk). */
export interface FeaturePages {
  routes: readonly AppRoute[];
  navigation?: readonly NavEntry[];
}
