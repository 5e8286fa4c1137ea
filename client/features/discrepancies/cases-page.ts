import { css, html } from 'lit';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { contentLanguage } from '../../app/i18n.js';
import { countryName } from '../../app/format.js';
import { pagePath } from '../../app/navigation.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { Resource } from '../../controllers/resource.js';
import { pager } from '../../ui/pager/pager.js';
import { controlStyles, listStyles } from '../../ui/styles/list.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { discrepanciesApi, type CaseList, type CaseQuery } from './discrepancies-api.js';
import { formatValue, percent } from './format.js';
import { statusLabel } from './labels.js';
import { statusStyles } from './status-styles.js';

const PAGE_SIZE = 50;

/** The cases the reader may see, filtered as the address says (the matrix's cells link here). */
export class CnDiscrepancyCasesPage extends AddressedPage {
  static override styles = [
    baseStyles,
    pageStyles,
    controlStyles,
    listStyles,
    statusStyles,
    css`
      .cases {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-2);
      }
      .case {
        display: grid;
        gap: var(--cn-space-1);
        padding: var(--cn-space-3);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
      }
      .case a {
        font-weight: 600;
      }
      .pill {
        display: inline-block;
        padding: 0.05rem 0.5rem;
        border-radius: 999px;
        font-size: 0.8125rem;
      }
      .values {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.user ? [`discrepancies:${this.user.groupId}`] : []),
    onMessage: (message) => {
      if (message.type === 'event') this.cases.run();
    },
  });

  private get query(): CaseQuery {
    const query: CaseQuery = this.listQuery(['indicator', 'countryId', 'status', 'goal', 'cause', 'agencyId'], PAGE_SIZE);
    const year = Number(this.params.get('year'));
    if (Number.isInteger(year) && year >= 1900 && year <= 2100) query.year = year;
    return query;
  }

  private cases = new Resource(this, {
    load: ([query], signal) => discrepanciesApi.cases(query, signal),
    args: () => [this.query] as const,
    argsEqual: ([a], [b]) => JSON.stringify(a) === JSON.stringify(b),
    isEmpty: (list) => list.items.length === 0,
    keepWhileLoading: true,
    staleOnFailure: true,
  });

  protected override render() {
    const query = this.query;
    const country = query.countryId ? countryName(this.services.countries.find((c) => c.id === query.countryId)) : '';
    const heading =
      query.indicator && country
        ? msg(str`Cases of indicator ${query.indicator} in ${country}`)
        : query.indicator
          ? msg(str`Cases of indicator ${query.indicator}`)
          : country
            ? msg(str`Cases in ${country}`)
            : msg('Discrepancy cases');
    return html`
      <div class="page-header">
        <div class="row-between">
          <h1 tabindex="-1">${heading}</h1>
          <cn-button><a href="/discrepancies">${msg('Matrix')}</a></cn-button>
        </div>
      </div>
      ${this.renderExports(query)}
      ${this.cases.render({
        loading: msg('Loading the cases…'),
        empty: () => msg('No cases match.'),
        complete: (list, reloading) => html`<div aria-busy=${reloading ? 'true' : 'false'}>${this.renderList(list)}</div>`,
      })}
    `;
  }

  /** These cases (every page of them), to download. */
  private renderExports(query: CaseQuery) {
    const lang = contentLanguage();
    return html`<p class="downloads">
      ${msg('Download these cases:')}
      <a href=${discrepanciesApi.exportHref('cases', 'xlsx', lang, query)} download>XLSX</a> ·
      <a href=${discrepanciesApi.exportHref('cases', 'csv', lang, query)} download>CSV</a>
    </p>`;
  }

  private renderList(list: CaseList) {
    const countries = this.services.countries;
    return html`
      <p class="muted" role="status">${msg(str`${list.total} case(s)`)}</p>
      <ul class="cases">
        ${list.items.map((item) => {
          const name = countryName(countries.find((c) => c.id === item.countryId));
          return html`<li class="case">
            <div class="row-between">
              <a href=${`/discrepancies/cases/${item.id}`}>${msg(str`Indicator ${item.indicator} · ${name} · ${item.year}`)}</a>
              <span class="pill status-${item.status}">${statusLabel(item.status)}</span>
            </div>
            <div class="values muted">
              ${msg(str`National ${formatValue(item.nationalValue)} · international ${formatValue(item.internationalValue)} · difference ${percent(item.difference.relative)}`)}
              · ${item.series}${item.published ? html` · <strong>${msg('Published')}</strong>` : ''}
            </div>
          </li>`;
        })}
      </ul>
      ${pager({ label: msg('Pages of cases'), page: this.page, pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)), href: (page: number) => pagePath('/discrepancies/cases', this.params, page) })}
    `;
  }
}
