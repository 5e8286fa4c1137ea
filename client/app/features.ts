import type { AppRoute, FeaturePages, NavEntry } from './routing.js';
import type { User } from './models.js';
import * as admin from '../features/admin/routes.js';
import * as auth from '../features/auth/routes.js';
import * as consultations from '../features/consultations/routes.js';
import * as debates from '../features/debates/routes.js';
import * as discrepancies from '../features/discrepancies/routes.js';
import * as documents from '../features/documents/routes.js';
import * as home from '../features/home/routes.js';
import * as indicators from '../features/indicators/routes.js';
import * as instance from '../features/instance/routes.js';
import * as invitations from '../features/invitations/routes.js';
import * as mail from '../features/mail/routes.js';
import * as meetings from '../features/meetings/routes.js';
import * as notifications from '../features/notifications/routes.js';
import * as people from '../features/people/routes.js';
import * as rounds from '../features/rounds/routes.js';
import * as search from '../features/search/routes.js';
import * as setup from '../features/setup/routes.js';

/**
 * The client's features, the one place a feature is plugged into the shell:
 *  - pages: its routes.ts, small and in the entry (paths, who may open them, titles, which element
 *    renders them) and its links in the menus; the shell builds its router and header from these;
 *  - code: its define.ts, a chunk of its own fetched the first time one of its routes is visited, so
 *    the sign-in page does not wait for the meetings or the library (none: its pages are in the entry);
 *  - notificationKinds: how its notification kinds read and where they lead (registerNotificationKind),
 *    small modules loaded with the signed-in shell (the bell announces them) and the notifications page.
 * The menus follow this order. The shell logs an error when a page's element is still undefined after
 * its feature's code has loaded.
 */
interface Feature {
  name: string;
  /** None for a feature that only lends elements to other features' pages (proposals, in a thread). */
  pages?: FeaturePages;
  code?: () => Promise<unknown>;
  notificationKinds?: () => Promise<unknown>;
}

const FEATURES: readonly Feature[] = [
  { name: 'home', pages: home, code: () => import('../features/home/define.js') },
  {
    name: 'debates',
    pages: debates,
    code: () => import('../features/debates/define.js'),
    notificationKinds: () => import('../features/debates/notification-kinds.js'),
  },
  {
    name: 'documents',
    pages: documents,
    code: () => import('../features/documents/define.js'),
    notificationKinds: () => import('../features/documents/notification-kinds.js'),
  },
  {
    name: 'meetings',
    pages: meetings,
    code: () => import('../features/meetings/define.js'),
    notificationKinds: () => import('../features/meetings/notification-kinds.js'),
  },
  {
    name: 'consultations',
    pages: consultations,
    code: () => import('../features/consultations/define.js'),
    notificationKinds: () => import('../features/consultations/notification-kinds.js'),
  },
  {
    name: 'discrepancies',
    pages: discrepancies,
    code: () => import('../features/discrepancies/define.js'),
    notificationKinds: () => import('../features/discrepancies/notification-kinds.js'),
  },
  { name: 'indicators', pages: indicators, code: () => import('../features/indicators/define.js') },
  {
    name: 'rounds',
    pages: rounds,
    code: () => import('../features/rounds/define.js'),
    notificationKinds: () => import('../features/rounds/notification-kinds.js'),
  },
  { name: 'proposals', notificationKinds: () => import('../features/proposals/notification-kinds.js') },
  { name: 'people', pages: people, code: () => import('../features/people/define.js') },
  { name: 'search', pages: search, code: () => import('../features/search/define.js') },
  { name: 'admin', pages: admin, code: () => import('../features/admin/define.js') },
  { name: 'mail', pages: mail, code: () => import('../features/mail/define.js') },
  { name: 'instance', pages: instance, code: () => import('../features/instance/define.js') },
  {
    name: 'notifications',
    pages: notifications,
    code: () => Promise.all([import('../features/notifications/define.js'), notificationKinds()]),
  },
  { name: 'setup', pages: setup, code: () => import('../features/setup/define.js') },
  { name: 'invitations', pages: invitations, code: () => import('../features/invitations/define.js') },
  { name: 'auth', pages: auth },
];

/** A route as the shell holds it: with the feature whose code defines its page. */
export interface ShellRoute extends AppRoute {
  feature: string;
}

/** Every feature's routes (a feature's own order kept: its fixed paths before the patterns that would match them). */
export const ROUTES: readonly ShellRoute[] = FEATURES.flatMap(({ name, pages }) => (pages?.routes ?? []).map((route) => ({ ...route, feature: name })));

/** A route's path as a regular expression: each :name one path segment (the router's URLPattern, for what the routes use). */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`);
const INSTANCE_PATHS = ROUTES.filter((route) => route.instance).map((route) => pathPattern(route.path));

/** Whether a pathname is an instance page's (AppRoute.instance): never under a group's address. */
export const isInstancePath = (pathname: string): boolean => INSTANCE_PATHS.some((pattern) => pattern.test(pathname));

/** The links of a menu this person sees, in the features' order. */
export function navigationFor(user: User, menu: 'main' | 'account'): NavEntry[] {
  return FEATURES.flatMap(({ pages }) => pages?.navigation ?? []).filter((entry) => (entry.menu ?? 'main') === menu && (entry.shows?.(user) ?? true));
}

const loading = new Map<string, Promise<unknown>>();
const loaded = new Set<string>();

/** Fetches a chunk once; after a failure the next call tries again. */
function once(key: string, load: () => Promise<unknown>): Promise<unknown> | null {
  if (loaded.has(key)) return null;
  let pending = loading.get(key);
  if (!pending) {
    pending = load().then(
      () => loaded.add(key),
      (error: unknown) => {
        loading.delete(key);
        throw error;
      },
    );
    loading.set(key, pending);
  }
  return pending;
}

const codeOf = new Map(FEATURES.map((feature) => [feature.name, feature.code]));

/** The code of the feature behind a route, or null when it has loaded already or lives in the entry. */
export function featureCodeFor(route: ShellRoute): Promise<unknown> | null {
  const code = codeOf.get(route.feature);
  return code ? once(route.feature, code) : null;
}

const notificationKinds = () =>
  once('notification kinds', () => Promise.all(FEATURES.flatMap((feature) => (feature.notificationKinds ? [feature.notificationKinds()] : [])))) ?? Promise.resolve();

/** What only a signed-in person sees in the shell (the notification bell, the live channel's status), or null once loaded. */
export function signedInShellCode(): Promise<unknown> | null {
  return once('signed-in shell', () => Promise.all([import('./define-signed-in.js'), notificationKinds()]));
}

/** Custom elements a template uses that nothing has defined (a route whose feature's code does not define its page). */
export function undefinedElements(template: unknown): string[] {
  const strings = (template as { strings?: readonly string[] } | null)?.strings ?? [];
  const tags = strings.join('').match(/<cn-[a-z0-9-]+/g) ?? [];
  return [...new Set(tags.map((tag) => tag.slice(1)))].filter((tag) => !customElements.get(tag));
}
