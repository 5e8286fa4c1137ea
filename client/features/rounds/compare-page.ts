import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { roundHref, roundsApi, type Comparison } from './rounds-api.js';
import { roundsStyles } from './rounds.styles.js';

type Row = Comparison['rows'][number];
type Result = { from: number; to: number; comparison: Comparison };

/** The commented version and the next one side by side, paragraph by paragraph, with the words that changed. */
export class CnRoundComparePage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { roundId: { type: String } };

  declare roundId: string;

  private comparison = new Resource(this, {
    load: ([id], signal) => roundsApi.comparison(id, signal),
    args: () => [this.roundId] as const,
  });

  constructor() {
    super();
    this.roundId = '';
  }

  protected override render() {
    const result = this.comparison.value;
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
    return this.comparison.render({ loading: msg('Comparing…'), complete: (result) => this.renderComparison(result) });
  }

  private renderComparison(result: Result) {
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
