import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { describeError } from '../../app/errors.js';
import { baseStyles } from '../styles/shared.styles.js';
import { pickerStyles } from '../styles/picker.styles.js';
import { emit } from '../../app/events.js';

/** Something a picker links: a debate, a library document. */
export interface LinkedItem {
  id: string;
  title: string;
}

/** Finds items for a picker: `q` empty asks for a useful default (e.g. recent debates). Throw to show an error. */
export type LinkFinder = (q: string, signal: AbortSignal) => Promise<LinkedItem[]>;

let counter = 0;

/**
 * Chooses items to link (debates to a meeting or a document, documents to a meeting): a search
 * box (the finder's default list when it is empty), results with "Link", and the linked ones
 * with "Remove". With `max` 1 a new choice replaces the linked one. Not a form control: the
 * host reads `items` (or listens to cn-links-change) and sends the ids itself.
 *
 * @event cn-links-change - detail `{ items }`: the linked items after a change.
 */
export class CnLinkPicker extends LitElement {
  static override styles = [
    baseStyles,
    pickerStyles,
    css`
      fieldset {
        grid-template-columns: minmax(0, 1fr);
      }

      .search {
        display: flex;
        gap: var(--cn-space-2);
      }

      input {
        flex: 1;
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-1);
      }

      li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: var(--cn-space-2);
        font-size: 0.9375rem;
        overflow-wrap: anywhere;
      }

      .linked li {
        background: var(--cn-color-primary-soft);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-1) var(--cn-space-2);
      }

      .muted {
        color: var(--cn-color-muted);
        font-size: 0.875rem;
        margin: 0;
      }
    `,
  ];

  static override properties = {
    label: {},
    searchLabel: {},
    placeholder: {},
    max: { type: Number },
    find: { attribute: false },
    items: { attribute: false },
    results: { state: true },
    searching: { state: true },
    error: { state: true },
  };

  /** The legend, e.g. "Debates". */
  declare label: string;
  /** The search box's name, e.g. "Find a debate". */
  declare searchLabel: string;
  declare placeholder: string;
  /** How many items may be linked (20 by default; with 1, choosing replaces). */
  declare max: number;
  declare find: LinkFinder | null;
  declare items: readonly LinkedItem[];
  declare private results: LinkedItem[] | null;
  declare private searching: boolean;
  declare private error: string;

  private readonly uid = `links-${++counter}`;
  private abort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.label = '';
    this.searchLabel = '';
    this.placeholder = '';
    this.max = 20;
    this.find = null;
    this.items = [];
    this.results = null;
    this.searching = false;
    this.error = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override render() {
    const linked = new Set(this.items.map((item) => item.id));
    const results = this.results?.filter((item) => !linked.has(item.id)) ?? null;
    return html`
      <fieldset>
        <legend>${this.label}</legend>
        ${this.items.length > 0
          ? html`<ul class="linked" aria-label=${msg(str`Linked: ${this.label}`)}>
              ${this.items.map(
                (item) => html`<li>
                  <span>${item.title}</span>
                  <cn-button size="small" variant="quiet"><button type="button" aria-label=${msg(str`Remove ${item.title}`)} @click=${() => this.unlink(item.id)}>${msg('Remove')}</button></cn-button>
                </li>`,
              )}
            </ul>`
          : html`<p class="muted">${msg('None linked.')}</p>`}
        <div class="search">
          <label class="visually-hidden" for=${`${this.uid}-q`}>${this.searchLabel}</label>
          <input
            id=${`${this.uid}-q`}
            type="search"
            autocomplete="off"
            placeholder=${this.placeholder}
            @keydown=${this.onKeydown}
            @focus=${() => this.results === null && this.search('')}
          />
          <cn-button size="small"><button type="button" @click=${() => this.search(this.query())}>${msg('Search')}</button></cn-button>
        </div>
        ${this.error ? html`<p class="muted" role="alert">${this.error}</p>` : nothing}
        <div role="status" class="muted">${this.searching ? msg('Searching…') : results && results.length === 0 ? msg('Nothing found.') : ''}</div>
        ${results && results.length > 0
          ? html`<ul aria-label=${msg('Found')}>
              ${results.map(
                (item) => html`<li>
                  <span>${item.title}</span>
                  <cn-button size="small"
                    ><button type="button" aria-label=${msg(str`Link ${item.title}`)} ?disabled=${this.max > 1 && this.items.length >= this.max} @click=${() => this.add(item)}>
                      ${msg('Link')}
                    </button></cn-button
                  >
                </li>`,
              )}
            </ul>`
          : nothing}
      </fieldset>
    `;
  }

  private query(): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${this.uid}-q`)?.value.trim() ?? '';
  }

  private onKeydown(event: KeyboardEvent) {
    // Enter searches here instead of submitting the form around it.
    if (event.key === 'Enter') {
      event.preventDefault();
      void this.search(this.query());
    }
  }

  private async search(q: string) {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.searching = true;
    this.error = '';
    try {
      if (!this.find) throw new Error('cn-link-picker needs a finder');
      const found = await this.find(q, abort.signal);
      if (!abort.signal.aborted) this.results = found;
    } catch (error) {
      if (!abort.signal.aborted) this.error = describeError(error);
    } finally {
      if (!abort.signal.aborted) this.searching = false;
    }
  }

  private add(item: LinkedItem) {
    if (this.items.some((i) => i.id === item.id)) return;
    if (this.max === 1) this.emit([item]);
    else if (this.items.length < this.max) this.emit([...this.items, item]);
  }

  private unlink(id: string) {
    this.emit(this.items.filter((item) => item.id !== id));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${this.uid}-q`)?.focus());
  }

  private emit(items: LinkedItem[]) {
    this.items = items;
    emit(this, 'cn-links-change', { items });
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The linked items changed. */
    'cn-links-change': CustomEvent<{ items: LinkedItem[] }>;
  }
}
