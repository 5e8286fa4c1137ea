/** What the full-text searches (debates, documents) share: query building and safe highlighting. */

// Private-use characters mark the highlights in snippet(): after the snippet is HTML-escaped they
// become <mark> tags, so a match can never be confused with markup typed by a user.
export const HIGHLIGHT_OPEN = '\ue000';
export const HIGHLIGHT_CLOSE = '\ue001';

/**
 * Turns what a person typed into an FTS5 query: every word must occur, and no FTS5
 * syntax (quotes, NEAR, column filters, operators) can be injected. Null when nothing searchable is left.
 */
export function toMatchQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  // Only the last word is a prefix (the person may still be typing it): prefix expansion is the
  // costly part of an FTS5 query on a large index.
  return words
    .slice(0, 12)
    .map((word, index, all) => (index === all.length - 1 && word.length >= 3 ? `"${word}"*` : `"${word}"`))
    .join(' ');
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A snippet() result as HTML whose only markup is <mark>. */
export const highlight = (snippet: string) => escapeHtml(snippet).replaceAll(HIGHLIGHT_OPEN, '<mark>').replaceAll(HIGHLIGHT_CLOSE, '</mark>');
