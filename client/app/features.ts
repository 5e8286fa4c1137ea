/**
 * Each feature's code is a chunk of its own, fetched the first time one of its routes is visited:
 * the entry holds only the shell, the router, the sign-in and password-reset pages and the shared
 * primitives, so the sign-in page does not wait for the meetings or the library. A route finds its
 * feature by the first segment of its path; a new section of the site adds its segment below (the
 * shell logs an error when a page's element is still undefined after its feature has loaded).
 */
const FEATURES = {
  admin: () => import('../features/admin/define.js'),
  consultations: () => import('../features/consultations/define.js'),
  debates: () => import('../features/debates/define.js'),
  discrepancies: () => import('../features/discrepancies/define.js'),
  documents: () => import('../features/documents/define.js'),
  home: () => import('../features/home/define.js'),
  invitations: () => import('../features/invitations/define.js'),
  mail: () => import('../features/mail/define.js'),
  meetings: () => import('../features/meetings/define.js'),
  notifications: () => Promise.all([import('../features/notifications/define.js'), notificationKinds()]),
  people: () => import('../features/people/define.js'),
  rounds: () => import('../features/rounds/define.js'),
  search: () => import('../features/search/define.js'),
  setup: () => import('../features/setup/define.js'),
} satisfies Record<string, () => Promise<unknown>>;

type Feature = keyof typeof FEATURES;

/** The first segment of a route's path, and the feature that defines its page. */
const SECTIONS: Record<string, Feature> = {
  '': 'home',
  debates: 'debates',
  discrepancies: 'discrepancies',
  documents: 'documents',
  meetings: 'meetings',
  consultations: 'consultations',
  notifications: 'notifications',
  rounds: 'rounds',
  search: 'search',
  directory: 'people',
  people: 'people',
  profile: 'people',
  admin: 'admin',
  setup: 'setup',
  invitation: 'invitations',
  mail: 'mail',
};

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

/** The code of the feature behind a route ('/meetings/:id'), or null when it has loaded already or lives in the entry. */
export function featureCodeFor(routePath: string): Promise<unknown> | null {
  const feature = SECTIONS[routePath.split('/')[1] ?? ''];
  return feature ? once(feature, FEATURES[feature]) : null;
}

/**
 * How each feature's notification kinds read and where they lead (registerNotificationKind): small
 * modules, loaded with the signed-in shell (the bell announces them) and with the notifications page.
 */
const NOTIFICATION_KINDS = [
  () => import('../features/debates/notification-kinds.js'),
  () => import('../features/discrepancies/notification-kinds.js'),
  () => import('../features/documents/notification-kinds.js'),
  () => import('../features/meetings/notification-kinds.js'),
  () => import('../features/consultations/notification-kinds.js'),
  () => import('../features/rounds/notification-kinds.js'),
  () => import('../features/proposals/notification-kinds.js'),
];
const notificationKinds = () => once('notification kinds', () => Promise.all(NOTIFICATION_KINDS.map((load) => load()))) ?? Promise.resolve();

/** What only a signed-in person sees in the shell (the notification bell, the live channel's status), or null once loaded. */
export function signedInShellCode(): Promise<unknown> | null {
  return once('signed-in shell', () => Promise.all([import('./define-signed-in.js'), notificationKinds()]));
}

/** Custom elements a template uses that nothing has defined (a route whose section is missing above). */
export function undefinedElements(template: unknown): string[] {
  const strings = (template as { strings?: readonly string[] } | null)?.strings ?? [];
  const tags = strings.join('').match(/<cn-[a-z0-9-]+/g) ?? [];
  return [...new Set(tags.map((tag) => tag.slice(1)))].filter((tag) => !customElements.get(tag));
}
