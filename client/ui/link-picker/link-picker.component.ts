import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { pickContent } from '../../app/i18n.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import { pickerStyles } from './picker.styles.js';
import { debatesApi } from '../debates/debates-api.js';
import { documentsApi } from '../documents/documents-api.js';

export interface LinkedItem {
  id: string;
  title: string;
}

const MAX_LINKS = 20;
let counter = 0;

/**
 * Chooses debates or library documents to link to a meeting: a search box (recent debates
 * when it is empty), results with "Link", and the linked ones with "Remove".
 *
 * @event cn-change - detail `{ items }`: the linked items after a change.
 */
export class CnLinkPicker extends AppElement {
  static override styles = [
    baseStyles,
    pickerStyles,
    css`
      .search {
        display: flex;
        gap: var(--cn-space-2);
      }

      input {
        font: inherit;
        flex: 1;
        min-block-size: 2.4rem;
        padding: 0.3rem 0.6rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
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
    kind: {},
    label: {},
    items: { attribute: false },
    results: { state: true },
    searching: { state: true },
    error: { state: true },
  };

  declare kind: 'thread' | 'document';
  declare label: string;
  declare items: readonly LinkedItem[];
  declare private results: LinkedItem[] | null;
  declare private searching: boolean;
  declare private error: string;

  private readonly uid = `links-${++counter}`;
  private abort: AbortController | null = null;

  constructor() {
    super();
    this.kind = 'thread';
    this.label = '';
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
        <div class="search" role="search">
          <label class="visually-hidden" for=${`${this.uid}-q`}>${this.kind === 'thread' ? msg('Find a debate') : msg('Find a document')}</label>
          <input
            id=${`${this.uid}-q`}
            type="search"
            autocomplete="off"
            placeholder=${this.kind === 'thread' ? msg('Find a debate by its words') : msg('Find a document by its title or words')}
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
                    ><button type="button" aria-label=${msg(str`Link ${item.title}`)} ?disabled=${this.items.length >= MAX_LINKS} @click=${() => this.add(item)}>
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
    // Enter searches here instead of submitting the meeting form around it.
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
      let found: LinkedItem[];
      if (this.kind === 'thread') {
        if (q) {
          const page = await debatesApi.search({ q, limit: 20 }, abort.signal);
          const seen = new Map<string, LinkedItem>();
          for (const hit of page.items) if (!seen.has(hit.threadId)) seen.set(hit.threadId, { id: hit.threadId, title: hit.threadTitle });
          found = [...seen.values()];
        } else {
          const page = await debatesApi.threads({ limit: 15 }, abort.signal);
          found = page.items.map((thread) => ({ id: thread.id, title: thread.title }));
        }
      } else {
        const page = await documentsApi.list({ ...(q ? { q } : {}), limit: 15, offset: 0 }, abort.signal);
        found = page.items.map((document) => ({ id: document.id, title: pickContent(document.title.es, document.title.en) }));
      }
      if (!abort.signal.aborted) this.results = found;
    } catch (error) {
      if (!abort.signal.aborted) this.error = describeError(error);
    } finally {
      if (!abort.signal.aborted) this.searching = false;
    }
  }

  private add(item: LinkedItem) {
    if (this.items.some((i) => i.id === item.id) || this.items.length >= MAX_LINKS) return;
    this.emit([...this.items, item]);
  }

  private unlink(id: string) {
    this.emit(this.items.filter((item) => item.id !== id));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${this.uid}-q`)?.focus());
  }

  private emit(items: LinkedItem[]) {
    this.items = items;
    this.dispatchEvent(new CustomEvent('cn-change', { detail: { items } }));
  }
}
