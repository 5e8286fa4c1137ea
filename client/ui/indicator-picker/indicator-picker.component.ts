import { css, html, nothing } from 'lit';
import type { Static } from 'typebox';
import type { SuggestionListSchema } from '../../../server/features/indicators/schemas.js';
import { api } from '../../app/api.js';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { searchable } from '../../app/format.js';
import { flattenIndicators, loadIndicators, localized, type IndicatorGoal } from '../../app/indicators.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../styles/shared.styles.js';

type Suggestions = Static<typeof SuggestionListSchema>;

/** The text fields of the form the picker sits in (a thread's title and message, a document's titles and descriptions). */
function formText(form: HTMLFormElement | null): string {
  if (!form) return '';
  return [...new FormData(form).values()]
    .filter((value): value is string => typeof value === 'string')
    .join('\n');
}

/**
 * Chooses indicator codes from the framework (goal → target → indicator), in the interface
 * language, with a search box. Checkboxes, so it works with Tab and Space.
 *
 * "Suggest from the text" asks the catalogue (POST /api/indicators/suggest) which indicators the
 * text of the surrounding form seems to be about, and offers them to add one by one: a suggestion
 * is never a tag until the person adds it.
 *
 * @event change - When the selection changed; read `value`.
 */
export class CnIndicatorPicker extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-2);
      }

      fieldset {
        gap: var(--cn-space-2);
      }

      legend {
        font-size: 1rem;
        margin-block-end: var(--cn-space-1);
      }

      input[type='search'] {
        font: inherit;
        min-block-size: 2.5rem;
        padding: 0.35rem 0.6rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        inline-size: 100%;
      }

      .tree {
        max-block-size: 20rem;
        overflow: auto;
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-2);
        background: var(--cn-color-surface);
      }

      summary {
        cursor: pointer;
        font-weight: 600;
        padding: 0.25rem 0;
      }

      .target {
        margin-inline-start: var(--cn-space-4);
        font-size: 0.875rem;
        color: var(--cn-color-muted);
        margin-block: var(--cn-space-2) var(--cn-space-1);
      }

      label.indicator {
        display: flex;
        gap: var(--cn-space-2);
        align-items: start;
        margin-inline-start: var(--cn-space-5);
        padding: 0.2rem 0;
        font-size: 0.9rem;
      }

      label.indicator input {
        margin-block-start: 0.3rem;
        inline-size: 1rem;
        block-size: 1rem;
        flex: none;
      }

      code {
        font-family: var(--cn-font-mono);
        font-weight: 600;
      }

      .selected {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }

      .suggestions {
        display: grid;
        gap: var(--cn-space-1);
        padding: var(--cn-space-2);
        border: 1px dashed var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
      }

      .suggestions ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-1);
      }

      .suggestions li {
        display: flex;
        gap: var(--cn-space-2);
        align-items: baseline;
        justify-content: space-between;
        flex-wrap: wrap;
        font-size: 0.9rem;
      }

      .selected button {
        font: inherit;
        font-size: 0.8125rem;
        padding: 0.15rem 0.5rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: 999px;
        background: var(--cn-color-neutral-soft);
        cursor: pointer;
      }
    `,
  ];

  static override properties = {
    value: { attribute: false },
    query: { state: true },
    asked: { state: true },
  };

  declare value: string[];
  declare private query: string;
  /** Whether suggestions were asked for (they load on demand only). */
  declare private asked: boolean;
  private suggestText = '';

  private suggestions = new Resource(this, {
    load: ([text], signal) => api.post<Suggestions>('/indicators/suggest', { text, limit: 6 }, { signal }),
    args: () => [this.suggestText] as const,
    autoRun: false,
    isEmpty: (answer) => answer.items.length === 0,
  });

  private goals = new Resource(this, {
    load: (_args, signal) => loadIndicators(signal),
    args: () => [],
  });

  constructor() {
    super();
    this.value = [];
    this.query = '';
    this.asked = false;
  }

  private suggest() {
    this.suggestText = formText(this.closest('form')).slice(0, 200_000);
    this.asked = true;
    void this.suggestions.run();
  }

  private renderSuggestions() {
    if (!this.asked) return nothing;
    return html`<div class="suggestions">
      ${this.suggestions.render({
        loading: msg('Looking for indicators in the text…'),
        inline: true,
        empty: () => msg('The text names no indicator of the catalogue.'),
        complete: (answer) => html`
          <p class="muted">${msg('Suggested from the text (nothing is tagged until you add it):')}</p>
          <ul>
            ${answer.items.map((item) => {
              const code = item.ref;
              const chosen = this.value.includes(code);
              return html`<li>
                <span><code>${code}</code> ${localized(item.title)}</span>
                <cn-button size="small" variant=${chosen ? 'quiet' : 'secondary'}>
                  <button type="button" aria-pressed=${chosen ? 'true' : 'false'} aria-label=${chosen ? msg(str`Remove indicator ${code}`) : msg(str`Add indicator ${code}`)} @click=${() => this.toggle(code, !chosen)}>
                    ${chosen ? msg('Added') : msg('Add')}
                  </button>
                </cn-button>
              </li>`;
            })}
          </ul>
        `,
      })}
    </div>`;
  }

  protected override render() {
    return html`
      <fieldset>
        <legend>${msg('Indicators')} <span class="optional">${msg('(optional)')}</span></legend>
        ${this.value.length > 0
          ? html`<ul class="plain selected" aria-label=${msg('Chosen indicators')}>
              ${this.value.map(
                (code) => html`<li><button type="button" aria-label=${msg(str`Remove indicator ${code}`)} @click=${() => this.toggle(code, false)}>${code} ✕</button></li>`,
              )}
            </ul>`
          : nothing}
        <div>
          <cn-button size="small"><button type="button" @click=${this.suggest}>${msg('Suggest from the text')}</button></cn-button>
        </div>
        ${this.renderSuggestions()}
        <label class="visually-hidden" for="indicator-search">${msg('Search the indicators')}</label>
        <input
          id="indicator-search"
          type="search"
          autocomplete="off"
          placeholder=${msg('Search by code or words, e.g. 1.1 or poverty')}
          .value=${this.query}
          @input=${(event: InputEvent) => (this.query = (event.target as HTMLInputElement).value)}
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && event.preventDefault()}
        />
        ${this.goals.render({ loading: msg('Loading the indicators…'), inline: true, complete: (goals) => this.renderTree(goals) })}
      </fieldset>
    `;
  }

  private renderTree(goals: IndicatorGoal[]) {
    const query = searchable(this.query.trim());
    if (query) {
      const found = flattenIndicators(goals).filter((entry) => entry.code.startsWith(query) || searchable(entry.title).includes(query));
      return html`
        <p class="visually-hidden" role="status">${plural(found.length, { one: msg(str`${formatNumber(found.length)} indicator found.`, { id: 'indicators-found.one' }), other: msg(str`${formatNumber(found.length)} indicators found.`, { id: 'indicators-found.other' }) })}</p>
        <div class="tree">
          ${found.length === 0 ? html`<p class="muted">${msg('No indicator matches.')}</p>` : found.slice(0, 60).map((entry) => this.renderIndicator(entry.code, entry.title))}
        </div>
      `;
    }
    return html`
      <div class="tree">
        ${goals.map(
          (goal) => html`
            <details>
              <summary>${/^\D+\s\d/.test(localized(goal.title)) ? localized(goal.title) : html`${msg(str`Goal ${goal.code}`)}: ${localized(goal.title)}`}</summary>
              ${goal.targets.map(
                (target) => html`
                  <p class="target">${msg(str`Target ${target.code}`)}: ${localized(target.title)}</p>
                  ${target.indicators.map((indicator) => this.renderIndicator(indicator.code, localized(indicator.title)))}
                `,
              )}
            </details>
          `,
        )}
      </div>
    `;
  }

  private renderIndicator(code: string, title: string) {
    return html`
      <label class="indicator">
        <input type="checkbox" .checked=${this.value.includes(code)} @change=${(event: Event) => this.toggle(code, (event.target as HTMLInputElement).checked)} />
        <span><code>${code}</code> ${title}</span>
      </label>
    `;
  }

  private toggle(code: string, on: boolean) {
    this.value = on ? [...new Set([...this.value, code])] : this.value.filter((c) => c !== code);
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
}
