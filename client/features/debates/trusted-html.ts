import { unsafeHTML } from 'lit/directives/unsafe-html.js';

/**
 * The only doors through which server HTML enters the page.
 *
 * Post bodies, revisions and Markdown previews are rendered and sanitized on the server by
 * one allowlist sanitizer (server/plugins/markdown): only harmless tags and attributes, only
 * http(s)/mailto links, no scripts, styles or event handlers. The client never builds HTML
 * from what people type; it shows that sanitized output as it is, which is why unsafeHTML is
 * acceptable here and nowhere else. The strict CSP (no inline scripts or styles) is the
 * second line of defence, and tests/e2e/xss.test.ts checks both with hostile payloads.
 */
export const sanitizedPostHtml = (html: string) => unsafeHTML(html);

/**
 * Search snippets of posts and of library documents: the server escapes the whole text and
 * adds only <mark> around the matches, so the markup cannot carry anything else.
 */
export const searchSnippetHtml = (html: string) => unsafeHTML(html);
