import { html, nothing } from 'lit';
import { formatNumber } from '../../app/format.js';
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

/**
 * "Showing 26–50 of 120" with previous / next buttons, under an admin table whose page lives in
 * the element's state. The buttons hide when everything fits on the first page.
 */
export function rangePager(options: { page: number; pageSize: number; shown: number; total: number; go: (page: number) => void }) {
  const { page, pageSize, shown, total, go } = options;
  const first = page * pageSize + 1;
  const last = page * pageSize + shown;
  return html`<div class="pager">
    <p role="status">${msg(str`Showing ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`)}</p>
    <div class="row" ?hidden=${total <= pageSize && page === 0}>
      <cn-button size="small">
        <button type="button" aria-disabled=${page === 0 ? 'true' : 'false'} @click=${() => page > 0 && go(page - 1)}>${msg('Previous page')}</button>
      </cn-button>
      <cn-button size="small">
        <button type="button" aria-disabled=${last >= total ? 'true' : 'false'} @click=${() => last < total && go(page + 1)}>${msg('Next page')}</button>
      </cn-button>
    </div>
  </div>`;
}
