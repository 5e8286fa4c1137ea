import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { formatNumber, searchable } from '../../app/format.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import { pickerStyles } from '../../ui/styles/picker.styles.js';
import { emit } from '../../app/events.js';

export interface ChecklistOption {
  value: string;
  label: string;
  detail?: string;
}

let counter = 0;

/**
 * A long list of checkboxes with a filter box (countries, organizations, people to invite):
 * a fieldset whose legend names it, the count of chosen ones announced, and the chosen ones
 * kept when the filter hides them.
 *
 * @event cn-checklist-change - detail `{ values }`: the chosen values, in the options' order.
 */
export class CnChecklist extends AppElement {
  static override styles = [
    baseStyles,
    pickerStyles,
    css`
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
        align-items: center;
        justify-content: space-between;
      }

      input[type='search'] {
        flex: 1 1 12rem;
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        max-block-size: 15rem;
        overflow: auto;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        gap: 0 var(--cn-space-3);
      }

      label {
        display: flex;
        gap: var(--cn-space-2);
        align-items: baseline;
        padding: 0.3rem 0.2rem;
        cursor: pointer;
        font-size: 0.9375rem;
      }

      .detail {
        color: var(--cn-color-muted);
        font-size: 0.8125rem;
      }

      .count {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      button.link {
        font: inherit;
        font-size: 0.8125rem;
        background: none;
        border: 0;
        padding: 0.2rem;
        color: var(--cn-color-link);
        text-decoration: underline;
        cursor: pointer;
      }
    `,
  ];

  static override properties = {
    label: {},
    options: { attribute: false },
    values: { attribute: false },
    filter: { state: true },
  };

  declare label: string;
  declare options: readonly ChecklistOption[];
  declare values: readonly string[];
  declare private filter: string;

  private readonly uid = `checklist-${++counter}`;

  constructor() {
    super();
    this.label = '';
    this.options = [];
    this.values = [];
    this.filter = '';
  }

  protected override render() {
    const chosen = new Set(this.values);
    const needle = searchable(this.filter.trim());
    const shown = needle ? this.options.filter((o) => searchable(`${o.label} ${o.detail ?? ''}`).includes(needle)) : this.options;
    return html`
      <fieldset>
        <legend>${this.label}</legend>
        <div class="top">
          <label class="visually-hidden" for=${`${this.uid}-filter`}>${msg(str`Filter: ${this.label}`)}</label>
          <input id=${`${this.uid}-filter`} type="search" autocomplete="off" placeholder=${msg('Filter…')} .value=${this.filter} @input=${this.onFilter} />
          <span class="count" role="status">${msg(str`${formatNumber(chosen.size)} chosen`)}</span>
          ${chosen.size > 0 ? html`<button type="button" class="link" @click=${() => this.emit([])}>${msg('Clear')}</button>` : nothing}
        </div>
        <ul>
          ${shown.map(
            (option) => html`<li>
              <label>
                <input type="checkbox" .checked=${chosen.has(option.value)} @change=${(event: Event) => this.toggle(option.value, (event.target as HTMLInputElement).checked)} />
                <span>${option.label}${option.detail ? html` <span class="detail">${option.detail}</span>` : nothing}</span>
              </label>
            </li>`,
          )}
        </ul>
        ${shown.length === 0 ? html`<p class="count">${msg('Nothing matches.')}</p>` : nothing}
      </fieldset>
    `;
  }

  private onFilter(event: InputEvent) {
    this.filter = (event.target as HTMLInputElement).value;
  }

  private toggle(value: string, checked: boolean) {
    const set = new Set(this.values);
    if (checked) set.add(value);
    else set.delete(value);
    const known = new Set(this.options.map((o) => o.value));
    // Values without an option (a person who left) stay chosen until cleared.
    this.emit([...this.options.map((o) => o.value).filter((v) => set.has(v)), ...[...set].filter((v) => !known.has(v))]);
  }

  private emit(values: string[]) {
    this.values = values;
    emit(this, 'cn-checklist-change', { values });
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The checked values changed. */
    'cn-checklist-change': CustomEvent<{ values: string[] }>;
  }
}
