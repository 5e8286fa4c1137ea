/**
 * Only same-site paths are accepted as a place to return to after signing in,
 * so a crafted ?next= cannot send someone to another site.
 */
export function safeNext(raw: string | null | undefined): string | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  return raw;
}

export const currentLocation = () => window.location.pathname + window.location.search;

export function loginPath(next: string): string {
  return next && next !== '/' && !next.startsWith('/login') ? `/login?${new URLSearchParams({ next })}` : '/login';
}

/** The `page` of a paged list's address: 1 unless it names a later page. */
export function pageNumber(params: URLSearchParams): number {
  const page = Number(params.get('page'));
  return Number.isInteger(page) && page > 1 ? page : 1;
}
