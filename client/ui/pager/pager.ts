import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';

/**
 * Previous / "Page n of m" / next links under a paged list whose page lives in the address
 * (styled by searchFormStyles' `.pager`). Nothing when everything fits on one page.
 */
export function pager(options: { label: string; page: number; pages: number; href: (page: number) => string }) {
  const { label, page, pages, href } = options;
  if (pages <= 1) return nothing;
  return html`<nav class="pager" aria-label=${label}>
    ${page > 1 ? html`<a href=${href(page - 1)}>${msg('← Previous')}</a>` : html`<span></span>`}
    <span>${msg(str`Page ${page} of ${pages}`)}</span>
    ${page < pages ? html`<a href=${href(page + 1)}>${msg('Next →')}</a>` : html`<span></span>`}
  </nav>`;
}
