import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { matrixFileHref, roundHref, roundsApi, type Matrix } from './rounds-api.js';
import { roundsStyles } from './rounds.styles.js';

const COLUMNS = ['number', 'party', 'anchor', 'type', 'comment', 'proposedChange', 'disposition', 'rationale', 'reply', 'appliedIn'] as const;

/** The comment-resolution matrix: every submitted comment with its disposition and reply, as a table, XLSX and a printable page. */
export class CnRoundMatrixPage extends AppElement {
  static override styles = [baseStyles, pageStyles, roundsStyles];
  static override properties = { roundId: { type: String } };

  declare roundId: string;
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.roundId ? [`round:${this.roundId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') void this.matrix.run();
    },
  });

  // A live reload keeps the table on screen; one that fails leaves it shown, marked out of date.
  private matrix = new Resource(this, {
    load: ([id], signal) => roundsApi.matrix(id, signal),
    args: () => [this.roundId] as const,
    isEmpty: (matrix: Matrix) => matrix.rows.length === 0,
    staleOnFailure: true,
  });

  constructor() {
    super();
    this.roundId = '';
    void this.live;
  }

  protected override render() {
    return html`
      <p class="small"><a href=${roundHref(this.roundId)}>${msg('← Back to the round')}</a></p>
      <div class="page-header">
        <h1 tabindex="-1">${msg('Comment-resolution matrix')}</h1>
        ${this.matrix.value ? html`<p class="lead">${this.matrix.value.documentTitle} · ${this.matrix.value.versionName}</p>` : nothing}
        <p class="toolbar">
          <a href=${matrixFileHref(this.roundId, 'xlsx')} download>${msg('Download as XLSX')}</a>
          <a href=${matrixFileHref(this.roundId, 'html')} target="_blank" rel="noopener">${msg('Printable page')}</a>
        </p>
      </div>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    return this.matrix.render({
      loading: msg('Loading the matrix…'),
      empty: () => msg('No comment has been submitted yet.'),
      complete: (matrix) => this.renderTable(matrix),
    });
  }

  private renderTable(matrix: Matrix) {
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
