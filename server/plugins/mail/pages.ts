import { createHash } from 'node:crypto';
import type { Locale } from '../../shared/roles.js';
import { mailTexts } from './i18n.js';

/**
 * The small pages behind a mail's unsubscribe link, for a person who opens it in a browser (and
 * for link checkers, which only look: GET never changes anything). Served by the server itself,
 * so they work signed out and before the client has a page of its own for mail settings. One
 * <style> element, admitted by its hash; no script.
 */
const STYLES =
  'body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:#1f2933;background:#f4f5f7}' +
  'main{max-width:34rem;margin:10vh auto;padding:1.5rem;background:#fff;border-radius:6px}' +
  'h1{font-size:1.4rem;margin-top:0}button{font:inherit;padding:.6rem 1.1rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}' +
  'button:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}a{color:#0b5cad}';

export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLES).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(locale: Locale, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Concilia</title><style>${STYLES}</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
}

export function confirmPage(locale: Locale, label: string, action: string, preferencesUrl: string): string {
  const t = mailTexts(locale);
  return page(
    locale,
    t.unsubscribePageTitle,
    `<p>${escapeHtml(t.unsubscribeQuestion(label))}</p>` +
      `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>` +
      `<p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t.preferences)}</a></p>`,
  );
}

export function donePage(locale: Locale, label: string, preferencesUrl: string): string {
  const t = mailTexts(locale);
  return page(locale, t.unsubscribedTitle, `<p>${escapeHtml(t.unsubscribedText(label))}</p><p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t.preferences)}</a></p>`);
}

export function unknownLinkPage(locale: Locale, preferencesUrl: string): string {
  const t = mailTexts(locale);
  return page(locale, t.unknownLinkTitle, `<p>${escapeHtml(t.unknownLinkText)}</p><p><a href="${escapeHtml(preferencesUrl)}">${escapeHtml(t.preferences)}</a></p>`);
}
