import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { AddressedPage } from '../../app/addressed-page.js';
import { describeError } from '../../app/errors.js';
import { countryName, formatNumber } from '../../app/format.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { controlStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { discrepanciesApi, type Matrix } from './discrepancies-api.js';
import { STATUSES, statusLabel } from './labels.js';
import { statusStyles } from './status-styles.js';

/**
 * The coordinator's view of the register: indicator × country (or, for one indicator, year ×
 * country), each cell coloured by the least advanced status of its cases, with their number and
 * the largest gap. Only what the reader may see is counted. A case that changes anywhere reaches
 * the open matrix over the live channel and the matrix is fetched again.
 */
export class CnDiscrepancyMatrixPage extends AddressedPage {
  static override styles = [
    baseStyles,
    pageStyles,
    controlStyles,
    statusStyles,
    css`
      .scroll {
        overflow-x: auto;
        max-inline-size: 100%;
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }
      table {
        border-collapse: collapse;
        font-size: 0.875rem;
      }
      th,
      td {
        border: 1px solid var(--cn-color-border);
        padding: 0;
        text-align: center;
        min-inline-size: 3rem;
      }
      thead th {
        padding: var(--cn-space-1) var(--cn-space-2);
        position: sticky;
        top: 0;
        background: var(--cn-color-surface);
      }
      tbody th {
        padding: var(--cn-space-1) var(--cn-space-2);
        text-align: start;
        white-space: nowrap;
        position: sticky;
        inset-inline-start: 0;
        background: var(--cn-color-surface);
      }
      td a {
        display: block;
        padding: var(--cn-space-2);
        color: inherit;
        text-decoration: none;
        font-weight: 600;
      }
      td a:focus-visible {
        outline: 3px solid var(--cn-color-focus);
        outline-offset: -3px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
        list-style: none;
        padding: 0;
        margin: 0;
        font-size: 0.8125rem;
      }
      .legend li {
        padding: 0.1rem 0.5rem;
        border-radius: var(--cn-radius);
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-3);
        align-items: end;
      }
    `,
  ];

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`discrepancies:${this.user.groupId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') this.matrix.run();
    },
  });

  private matrix = new Task(this, {
    task: ([indicator, status], { signal }) => discrepanciesApi.matrix({ indicator: indicator || undefined, status: status || undefined }, signal),
    args: () => [this.params.get('indicator') ?? '', this.params.get('status') ?? ''] as const,
  });

  protected override render() {
    const indicator = this.params.get('indicator') ?? '';
    const canImport = this.user !== null && this.user.role !== 'admin';
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${indicator ? msg(str`Discrepancies of indicator ${indicator}`) : msg('Discrepancies')}</h1>
          <div class="row">
            <cn-button><a href="/discrepancies/cases">${msg('All cases')}</a></cn-button>
            ${canImport ? html`<cn-button variant="primary"><a href="/discrepancies/import">${msg('Import values')}</a></cn-button>` : nothing}
          </div>
        </div>
        <p class="lead">
          ${indicator
            ? msg('Each cell is one year of one country: the colour is the least advanced status of its cases.')
            : msg('Where national and international values differ beyond tolerance: each cell is an indicator in a country, coloured by the least advanced status of its cases.')}
        </p>
      </div>
      <div class="tools">
        ${indicator ? html`<cn-button variant="quiet"><a href="/discrepancies">${msg('Back to all indicators')}</a></cn-button>` : nothing}
        <form class="control" @change=${this.filter}>
          <label for="status">${msg('Status')}</label>
          <select id="status" name="status">
            <option value="">${msg('Any status')}</option>
            ${STATUSES.map((status) => html`<option value=${status} ?selected=${this.params.get('status') === status}>${statusLabel(status)}</option>`)}
          </select>
        </form>
      </div>
      <ul class="legend" aria-label=${msg('Colours')}>
        ${STATUSES.map((status) => html`<li class="status-${status}">${statusLabel(status)}</li>`)}
      </ul>
      ${this.matrix.value && this.matrix.status === TaskStatus.PENDING ? this.renderMatrix(this.matrix.value) : this.matrix.render({
        pending: () => html`<div class="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the matrix…')}</div>`,
        error: (error) => html`<div class="alert alert-error stack" role="alert">
          <p>${describeError(error)}</p>
          <div><cn-button><button type="button" @click=${() => this.matrix.run()}>${msg('Try again')}</button></cn-button></div>
        </div>`,
        complete: (matrix) => this.renderMatrix(matrix),
      })}
    `;
  }

  private filter(event: Event) {
    const select = event.target as HTMLSelectElement;
    const params = new URLSearchParams(this.params);
    if (select.value) params.set('status', select.value);
    else params.delete('status');
    const query = params.toString();
    this.services.navigate(`/discrepancies${query ? `?${query}` : ''}`, { replace: true });
  }

  private renderMatrix(matrix: Matrix) {
    if (matrix.cells.length === 0) {
      return html`<p class="empty muted">${msg('No discrepancies to show. Cases appear here once national and international values are imported and differ beyond tolerance.')}</p>`;
    }
    const countries = this.services.countries;
    const cells = new Map(matrix.cells.map((cell) => [`${cell.row}|${cell.countryId}`, cell]));
    const indicator = this.params.get('indicator');
    const rowLink = (row: string) => (matrix.by === 'indicator' ? `/discrepancies?indicator=${encodeURIComponent(row)}` : null);
    return html`
      <div class="scroll" tabindex="0" role="region" aria-label=${msg('Matrix of discrepancies')}>
        <table>
          <thead>
            <tr>
              <th scope="col">${matrix.by === 'indicator' ? msg('Indicator') : msg('Year')}</th>
              ${matrix.countries.map((id) => {
                const country = countries.find((c) => c.id === id);
                return html`<th scope="col"><abbr title=${countryName(country)}>${country?.iso3 ?? id.toUpperCase()}</abbr></th>`;
              })}
            </tr>
          </thead>
          <tbody>
            ${matrix.rows.map((row) => {
              const link = rowLink(row);
              return html`<tr>
                <th scope="row">${link ? html`<a href=${link}>${row}</a>` : row}</th>
                ${matrix.countries.map((countryId) => {
                  const cell = cells.get(`${row}|${countryId}`);
                  if (!cell) return html`<td></td>`;
                  const country = countryName(countries.find((c) => c.id === countryId));
                  const query = new URLSearchParams({ indicator: indicator ?? row, countryId });
                  if (matrix.by === 'year') query.set('year', row);
                  const gap = formatNumber(Math.round(cell.gap * 1000) / 10);
                  const label = msg(str`${country}, ${row}: ${cell.cases} case(s), ${statusLabel(cell.status)}, largest gap ${gap} %`);
                  return html`<td class="status-${cell.status}" data-row=${row} data-country=${countryId} data-status=${cell.status}>
                    <a href=${`/discrepancies/cases?${query}`} aria-label=${label} title=${label}>${cell.cases}</a>
                  </td>`;
                })}
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }
}
