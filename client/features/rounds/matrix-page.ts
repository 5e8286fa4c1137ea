import { html, nothing, type PropertyValues } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { matrixFileHref, roundHref, roundsApi, type Matrix } from './rounds-api.js';
import { roundsStyles } from './rounds.styles.js';

const COLUMNS = ['number', 'party', 'anchor', 'type', 'comment', 'proposedChange', 'disposition', 'rationale', 'reply', 'appliedIn'] as const;

/** The comment-resolution matrix: every submitted comment with its disposition and reply, as a table, XLSX and a printable page. */
export class CnRoundMatrixPage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { roundId: { type: String }, matrix: { state: true }, loadError: { state: true } };

  declare roundId: string;
  declare private matrix: Matrix | null;
  declare private loadError: unknown;
  private abort: AbortController | null = null;
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.roundId ? [`round:${this.roundId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') void this.load();
    },
  });

  constructor() {
    super();
    this.roundId = '';
    this.matrix = null;
    this.loadError = null;
    void this.live;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('roundId') && this.roundId) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private async load() {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      this.matrix = await roundsApi.matrix(this.roundId, abort.signal);
      this.loadError = null;
    } catch (error) {
      if (!abort.signal.aborted) this.loadError = error;
    }
  }

  protected override render() {
    return html`
      <p class="small"><a href=${roundHref(this.roundId)}>${msg('← Back to the round')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${msg('Comment-resolution matrix')}</h1>
        ${this.matrix ? html`<p class="lead">${this.matrix.documentTitle} · ${this.matrix.versionName}</p>` : nothing}
        <p class="toolbar">
          <a href=${matrixFileHref(this.roundId, 'xlsx')} download>${msg('Download as XLSX')}</a>
          <a href=${matrixFileHref(this.roundId, 'html')} target="_blank" rel="noopener">${msg('Printable page')}</a>
        </p>
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
    const matrix = this.matrix;
    if (!matrix) return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the matrix…')}</div>`;
    if (matrix.rows.length === 0) return html`<p class="empty">${msg('No comment has been submitted yet.')}</p>`;
    return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${msg('Comment-resolution matrix')}>
      <table class="matrix">
        <thead>
          <tr>
            ${COLUMNS.map((column) => html`<th scope="col">${matrix.columns[column]}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${matrix.rows.map(
            (row) => html`<tr>
              <td>${row.number}</td>
              <td>${row.party}</td>
              <td>${row.anchor}${row.quote ? html`<br /><em>“${row.quote}”</em>` : nothing}</td>
              <td>${row.type}</td>
              <td>${row.comment}</td>
              <td>${row.proposedChange}</td>
              <td>${row.disposition}</td>
              <td>${row.rationale}</td>
              <td>${row.reply}</td>
              <td>${row.appliedIn}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
