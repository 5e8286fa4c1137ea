import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { contentLanguage } from '../../app/i18n.js';
import { countryName, formatNumber, organizationName } from '../../app/format.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { controlStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { discrepanciesApi, type Matrix, type MatrixQuery } from './discrepancies-api.js';
import { CAUSES, STATUSES, causeLabel, statusLabel } from './labels.js';

/** The address's filters the matrix (and its exports) take. */
const FILTERS = ['status', 'goal', 'cause', 'agencyId'] as const;
import { statusStyles } from './status-styles.js';

/** The MDG list's eight goals (the catalogue's own goals come with the indicator feature). */
const GOALS = ['1', '2', '3', '4', '5', '6', '7', '8'] as const;

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
      .downloads {
        margin: 0;
        font-size: 0.875rem;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-3);
        align-items: end;
      }
      /* A long option (an agency's full name) must not widen the page at phone width. */
      .tools form,
      .control,
      .control select {
        min-width: 0;
        max-width: 100%;
      }
    `,
  ];

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`discrepancies:${this.user.groupId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') this.matrix.run();
    },
  });

  private matrix = new Resource(this, {
    load: ([query], signal) => discrepanciesApi.matrix(JSON.parse(query) as MatrixQuery, signal),
    // One string, so an unchanged address is an unchanged argument.
    args: () => [JSON.stringify(this.query())] as const,
    isEmpty: (matrix) => matrix.cells.length === 0,
    keepWhileLoading: true,
    staleOnFailure: true,
  });

  private query(): MatrixQuery {
    const query: MatrixQuery = {};
    const indicator = this.params.get('indicator');
    if (indicator) query.indicator = indicator;
    for (const key of FILTERS) {
      const value = this.params.get(key);
      if (value) query[key] = value;
    }
    return query;
  }

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
        <form class="tools" @change=${this.filter} aria-label=${msg('Filters')}>
          <div class="control">
            <label for="status">${msg('Status')}</label>
            <select id="status" name="status">
              <option value="">${msg('Any status')}</option>
              ${STATUSES.map((status) => html`<option value=${status} ?selected=${this.params.get('status') === status}>${statusLabel(status)}</option>`)}
            </select>
          </div>
          ${indicator
            ? nothing
            : html`<div class="control">
                <label for="goal">${msg('Goal')}</label>
                <select id="goal" name="goal">
                  <option value="">${msg('Any goal')}</option>
                  ${GOALS.map((goal) => html`<option value=${goal} ?selected=${this.params.get('goal') === goal}>${msg(str`Goal ${goal}`)}</option>`)}
                </select>
              </div>`}
          <div class="control">
            <label for="cause">${msg('Cause')}</label>
            <select id="cause" name="cause">
              <option value="">${msg('Any cause')}</option>
              ${CAUSES.map((cause) => html`<option value=${cause} ?selected=${this.params.get('cause') === cause}>${causeLabel(cause)}</option>`)}
            </select>
          </div>
          <div class="control">
            <label for="agencyId">${msg('Agency')}</label>
            <select id="agencyId" name="agencyId">
              <option value="">${msg('Any agency')}</option>
              ${this.services.organizations
                .filter((organization) => organization.id !== 'eclac')
                .map((organization) => html`<option value=${organization.id} ?selected=${this.params.get('agencyId') === organization.id}>${organizationName(organization)}</option>`)}
            </select>
          </div>
        </form>
        ${this.renderExports()}
      </div>
      <ul class="legend" aria-label=${msg('Colours')}>
        ${STATUSES.map((status) => html`<li class="status-${status}">${statusLabel(status)}</li>`)}
      </ul>
      ${this.matrix.render({
        loading: msg('Loading the matrix…'),
        empty: () => msg('No discrepancies to show. Cases appear here once national and international values are imported and differ beyond tolerance.'),
        complete: (matrix, reloading) => html`<div aria-busy=${reloading ? 'true' : 'false'}>${this.renderMatrix(matrix)}</div>`,
      })}
    `;
  }

  /** The matrix as shown (the same filters), to download. */
  private renderExports() {
    const lang = contentLanguage();
    const query = this.query();
    return html`<p class="downloads">
      ${msg('Download:')}
      <a href=${discrepanciesApi.exportHref('matrix', 'xlsx', lang, query)} download>${msg('matrix (XLSX)')}</a> ·
      <a href=${discrepanciesApi.exportHref('matrix', 'csv', lang, query)} download>${msg('matrix (CSV)')}</a> ·
      <a href=${discrepanciesApi.exportHref('cases', 'xlsx', lang, query)} download>${msg('cases (XLSX)')}</a> ·
      <a href=${discrepanciesApi.exportHref('cases', 'csv', lang, query)} download>${msg('cases (CSV)')}</a>
    </p>`;
  }

  private filter(event: Event) {
    const select = event.target as HTMLSelectElement;
    const params = new URLSearchParams(this.params);
    if (select.value) params.set(select.name, select.value);
    else params.delete(select.name);
    const query = params.toString();
    this.services.navigate(`/discrepancies${query ? `?${query}` : ''}`, { replace: true });
  }

  private renderMatrix(matrix: Matrix) {
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
                // A column's heading leads to the country's cases (every indicator, as filtered here).
                const query = new URLSearchParams({ countryId: id });
                for (const key of ['indicator', 'status', 'cause', 'agencyId', 'goal'] as const) {
                  const value = this.params.get(key);
                  if (value) query.set(key, value);
                }
                return html`<th scope="col"><a href=${`/discrepancies/cases?${query}`} title=${msg(str`Cases in ${countryName(country)}`)}><abbr title=${countryName(country)}>${country?.iso3 ?? id.toUpperCase()}</abbr></a></th>`;
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
                  for (const key of ['status', 'cause', 'agencyId'] as const) {
                    const value = this.params.get(key);
                    if (value) query.set(key, value);
                  }
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
