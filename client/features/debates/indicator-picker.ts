import { css, html, nothing } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { searchable } from '../../app/format.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { debatesApi } from './debates-api.js';
import { flattenIndicators, localized } from './debates-format.js';
import type { IndicatorGoal } from './models.js';

let goalsCache: Promise<IndicatorGoal[]> | null = null;
/** The indicator framework does not change while the page is open: loaded once. */
export function loadIndicators(signal?: AbortSignal): Promise<IndicatorGoal[]> {
  goalsCache ??= debatesApi.indicators(signal).catch((error: unknown) => {
    goalsCache = null;
    throw error;
  });
  return goalsCache;
}

/**
 * Chooses indicator codes from the framework (goal → target → indicator), in the interface
 * language, with a search box. Checkboxes, so it works with Tab and Space.
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
  };

  declare value: string[];
  declare private query: string;

  private goals = new Task(this, {
    task: (_args, { signal }) => loadIndicators(signal),
    args: () => [],
  });

  constructor() {
    super();
    this.value = [];
    this.query = '';
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
        ${this.goals.render({
          pending: () => html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the indicators…')}</p>`,
          complete: (goals) => this.renderTree(goals),
          error: (error) => html`<p class="alert alert-error" role="alert">${describeError(error)}</p>`,
        })}
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
