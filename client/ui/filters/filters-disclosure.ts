import { css, html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { plural } from '../../app/plural.js';

/**
 * A list's filters: shown as they are on a wide screen; on a phone folded behind a "Filters"
 * disclosure that says how many are active, so the results start on the first screen. The
 * controls stay in the form either way (a folded <details> still submits them).
 */
export function filtersDisclosure(options: { narrow: boolean; active: number; content: TemplateResult }): TemplateResult {
  if (!options.narrow) return options.content;
  const n = options.active;
  const label = n === 0 ? msg('Filters') : plural(n, { one: msg(str`Filters (${n} active)`, { id: 'filters-active.one' }), other: msg(str`Filters (${n} active)`, { id: 'filters-active.other' }) });
  return html`<details class="filters-disclosure">
    <summary>${label}</summary>
    ${options.content}
  </details>`;
}

export const filtersDisclosureStyles = css`
  .filters-disclosure > summary {
    cursor: pointer;
    font-weight: 600;
    min-block-size: 2.5rem;
    display: flex;
    align-items: center;
    gap: var(--cn-space-2);
    color: var(--cn-color-link);
  }

  .filters-disclosure[open] > summary {
    margin-block-end: var(--cn-space-3);
  }
`;
