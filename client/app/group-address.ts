/**
 * Working-group addresses (issue 19): every page of a group is also at `/g/<slug>/<its path>`,
 * and an address without the prefix is the person's first group, so links written before there
 * were several groups keep working. Features write their paths without the prefix; the shell adds
 * the current one (here, through the router and the link layer: group-links.ts).
 *
 * Pure functions of paths, plus the group the page is in: no DOM, so the tests run them in Node.
 */

export const GROUP_PREFIX = '/g/';

/**
 * What the server accepts as a group's address (its NewGroupBody): 2 to 40 lower-case letters,
 * digits and hyphens, beginning and ending with a letter or digit.
 */
export const isGroupSlug = (slug: string) => slug.length >= 2 && /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(slug);

/** A pathname split into the group it names (null: none, the first group) and the page's own path. */
export function splitGroupPath(pathname: string): { slug: string | null; path: string } {
  if (!pathname.startsWith(GROUP_PREFIX)) return { slug: null, path: pathname };
  const rest = pathname.slice(GROUP_PREFIX.length);
  const end = rest.indexOf('/');
  const slug = decodeURIComponent(end === -1 ? rest : rest.slice(0, end));
  if (!slug) return { slug: null, path: pathname };
  return { slug, path: end === -1 ? '/' : rest.slice(end) };
}

/** The address of `path` (with its query and fragment) in the group `slug`; the path itself for none. */
export function inGroup(path: string, slug: string | null): string {
  if (!slug) return path;
  return `${GROUP_PREFIX}${encodeURIComponent(slug)}${path.startsWith('/') ? path : `/${path}`}`;
}

/** A group's home page: `/g/<slug>/`. */
export const groupHome = (slug: string) => inGroup('/', slug);

/**
 * The address a link or a navigation of the app should use for `path`, from a page of the group
 * `slug`: the same group's, unless the path already names a group or is a page of the instance
 * rather than a group's (sign-in, set-up, the instance's groups). A link to the API (a download,
 * an export, a calendar file) is opened by the browser without the page's header, so it names the
 * group in its `group` parameter, which the server reads for GET links. Anything not a same-site
 * path is returned as it is.
 */
export function groupAddress(path: string, slug: string | null, isInstancePath: (pathname: string) => boolean): string {
  if (!slug || !path.startsWith('/') || path.startsWith('//')) return path;
  const pathname = path.replace(/[?#].*$/, '');
  if (pathname === '/api' || pathname.startsWith('/api/')) return withGroupParameter(path, slug);
  if (pathname.startsWith(GROUP_PREFIX) || isInstancePath(pathname)) return path;
  return inGroup(path, slug);
}

/** The API path with `group=<slug>` in its query (once: a link reached twice keeps one). */
function withGroupParameter(path: string, slug: string): string {
  const hashAt = path.indexOf('#');
  const beforeHash = hashAt === -1 ? path : path.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : path.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const params = new URLSearchParams(queryAt === -1 ? '' : beforeHash.slice(queryAt + 1));
  if (params.get('group') === slug) return path;
  params.set('group', slug);
  return `${queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt)}?${params.toString()}${hash}`;
}

/**
 * The group the page's API calls and live connection are for: the slug of its address, or null
 * (no header: the person's first group). Set by the shell as each page is entered.
 */
let requestGroup: string | null = null;

export const currentRequestGroup = (): string | null => requestGroup;

export function setRequestGroup(slug: string | null): void {
  requestGroup = slug;
}
