/**
 * Only same-site paths are accepted as a place to return to after signing in,
 * so a crafted ?next= cannot send someone to another site.
 */
export function safeNext(raw: string | null | undefined): string | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  return raw;
}

/** Where the shell's guards send people: the home page, and the first-run setup while the forum has none. */
export const HOME_PATH = '/';
export const SETUP_PATH = '/setup';

export const currentLocation = () => window.location.pathname + window.location.search;

export function loginPath(next: string): string {
  return next && next !== '/' && !next.startsWith('/login') ? `/login?${new URLSearchParams({ next })}` : '/login';
}

/** The `page` of a paged list's address: 1 unless it names a later page. */
export function pageNumber(params: URLSearchParams): number {
  const page = Number(params.get('page'));
  return Number.isInteger(page) && page > 1 ? page : 1;
}

/** The address of another page of a paged list: the same query, with `page` set (or dropped for the first). */
export function pagePath(path: string, params: URLSearchParams, page: number): string {
  const next = new URLSearchParams(params);
  if (page > 1) next.set('page', String(page));
  else next.delete('page');
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}

/** A search form's fields as an address query: the named ones that are not blank, trimmed. */
export function formQuery(data: FormData, names: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = String(data.get(name) ?? '').trim();
    if (value) params.set(name, value);
  }
  return params;
}
