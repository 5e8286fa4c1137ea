import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { countryName } from '../app/format.js';
import { currentLocale } from '../app/i18n.js';
import type { Country } from '../app/models.js';

/**
 * The only doors through which server HTML enters the page.
 *
 * Post bodies, revisions and Markdown previews are rendered and sanitized on the server by
 * one allowlist sanitizer (server/plugins/markdown): only harmless tags and attributes, only
 * http(s)/mailto links, no scripts, styles or event handlers. The client never builds HTML
 * from what people type; it shows that sanitized output as it is, which is why unsafeHTML is
 * acceptable here and nowhere else. The strict CSP (no inline scripts or styles) is the
 * second line of defence, and tests/e2e/xss.test.ts checks both with hostile payloads.
 *
 * One change is made, to text only: a country mention, which the server writes with the code
 * people typed ("@MX", data-mention="MX"), shows the country's name in the reader's language
 * ("@México"), as everything else names countries.
 */
export const sanitizedPostHtml = (html: string, countries: readonly Country[] = []) => unsafeHTML(withFocusableCode(withCountryNames(html, countries)));

/**
 * A code block scrolls sideways rather than widen the page: it takes the focus, so that a keyboard
 * can scroll it too (axe: scrollable-region-focusable). Matches the sanitizer's own tags only: a
 * "<pre" people typed reaches here escaped.
 */
const withFocusableCode = (html: string) => (html.includes('<pre') ? html.replace(/<pre(?=[\s>])/g, '<pre tabindex="0"') : html);

const named = new Map<string, string>();

function withCountryNames(html: string, countries: readonly Country[]): string {
  if (countries.length === 0 || !html.includes('mention-country')) return html;
  const key = `${currentLocale()}\n${html}`;
  const cached = named.get(key);
  if (cached !== undefined) return cached;
  // An inert template: parsing runs no script and loads nothing.
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const link of Array.from(template.content.querySelectorAll<HTMLElement>('a.mention-country[data-mention]'))) {
    const code = link.dataset.mention!.toLowerCase();
    const name = countryName(countries.find((country) => country.iso2.toLowerCase() === code || country.id === code));
    if (name) link.textContent = `@${name}`;
  }
  const result = template.innerHTML;
  if (named.size > 500) named.clear();
  named.set(key, result);
  return result;
}

/**
 * Search snippets of posts and of library documents: the server escapes the whole text and
 * adds only <mark> around the matches, so the markup cannot carry anything else.
 */
export const searchSnippetHtml = (html: string) => unsafeHTML(html);
