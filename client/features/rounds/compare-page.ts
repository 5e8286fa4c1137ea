import { html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundHref, roundsApi, type Comparison } from './rounds-api.js';
import { roundsStyles } from './rounds.styles.js';

type Row = Comparison['rows'][number];

/** The commented version and the next one side by side, paragraph by paragraph, with the words that changed. */
export class CnRoundComparePage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { roundId: { type: String }, result: { state: true }, loadError: { state: true } };

  declare roundId: string;
  declare private result: { from: number; to: number; comparison: Comparison } | null;
  declare private loadError: unknown;

  constructor() {
    super();
    this.roundId = '';
    this.result = null;
    this.loadError = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('roundId') && this.roundId) void this.load();
  }

  private async load() {
    try {
      this.result = await roundsApi.comparison(this.roundId);
      this.loadError = null;
    } catch (error) {
      this.loadError = error;
    }
  }

  protected override render() {
    const result = this.result;
    return html`
      <p class="small"><a href=${roundHref(this.roundId)}>${msg('← Back to the round')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${result ? msg(str`Version ${result.from} and version ${result.to}`) : msg('Compare versions')}</h1>
        ${result
          ? html`<p class="lead">
              ${msg(str`${result.comparison.counts.changed} changed, ${result.comparison.counts.inserted} added, ${result.comparison.counts.deleted} removed, ${result.comparison.counts.moved} moved`)}
            </p>`
          : nothing}
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    if (this.loadError) {
      return html`<div class="alert alert-error stack" role="alert">
        <p>${describeError(this.loadError)}</p>
        <div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
      </div>`;
    }
    const result = this.result;
    if (!result) return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Comparing…')}</div>`;
    return html`<div class="compare" role="table" aria-label=${msg('Comparison by paragraph')}>
      <div role="row" class="visually-hidden">
        <span role="columnheader">${msg(str`Version ${result.from}`)}</span><span role="columnheader">${msg(str`Version ${result.to}`)}</span>
      </div>
      ${result.comparison.rows.map((row) => this.renderRow(row))}
    </div>`;
  }

  private renderRow(row: Row) {
    const side = (block: Row['old'], which: 'old' | 'new') => {
      if (!block) return html`<div role="cell" class="muted small">${which === 'old' ? msg('(added)') : msg('(removed)')}</div>`;
      const words = row.words;
      const text = words
        ? words.filter((word) => word.op === 'equal' || word.op === (which === 'old' ? 'delete' : 'insert')).map((word) => (word.op === 'equal' ? word.text : which === 'old' ? html`<del>${word.text}</del>` : html`<ins>${word.text}</ins>`))
        : block.text;
      return html`<div role="cell" data-kind=${row.kind}><span class="label">${block.label === 'Title' ? msg('Title') : block.label}</span> ${text}</div>`;
    };
    return html`<div role="row" class="pair">${side(row.old, 'old')} ${side(row.new, 'new')}</div>`;
  }
}
