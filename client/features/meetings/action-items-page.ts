import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { describeError } from '../../app/errors.js';
import { countryFilter } from '../../app/form-options.js';
import { countryName, formatNumber } from '../../app/format.js';
import { formQuery, pagePath } from '../../app/navigation.js';
import { pager } from '../../ui/pager/pager.js';
import { listPageStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { actionItemLine, actionItemStatusLabel } from './action-item-line.js';
import { formatLongDay, viewerZone } from './meeting-time.js';
import { meetingPath, meetingsApi } from './meetings-api.js';
import { meetingsNav, meetingsNavStyles } from './meetings-nav.js';
import type { ActionItem, ActionItemQuery } from './models.js';

const PAGE_SIZE = 25;
const PARAMS = ['status', 'countryId', 'overdue'] as const;

/** The country an action item counts under: its own, or its person's. */
const itemCountry = (item: ActionItem) => item.responsibleCountryId ?? item.responsiblePerson?.countryId ?? null;

/**
 * Action items of published minutes, across meetings and series: open ones by default, grouped
 * by the responsible country, with their source meeting and where they were taken up again;
 * those responsible (and the writers) mark them done.
 */
export class CnActionItemsPage extends AddressedPage {
  static override styles = [
    ...listPageStyles,
    meetingsNavStyles,
    css`
      .group {
        display: grid;
        gap: var(--cn-space-2);
        margin-block-end: var(--cn-space-5);
      }

      ol {
        display: grid;
        gap: var(--cn-space-2);
      }

      li.item {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: var(--cn-space-2);
        padding: var(--cn-space-3);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
      }

      .text {
        overflow-wrap: anywhere;
      }

      .source {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      label.check {
        display: inline-flex;
        align-items: center;
        gap: var(--cn-space-2);
        font-size: 0.875rem;
        font-weight: 600;
      }

      .count {
        margin-block-end: var(--cn-space-3);
      }
    `,
  ];

  static override properties = { busy: { state: true } };

  declare private busy: string;

  private results = new Resource(this, {
    load: ([query], signal) => meetingsApi.actionItems(query, signal),
    args: () => [this.query] as const,
    argsEqual: ([a], [b]) => JSON.stringify(a) === JSON.stringify(b),
    isEmpty: ({ items, total }) => total === 0 || items.length === 0,
  });

  constructor() {
    super();
    this.busy = '';
  }


  private get query(): ActionItemQuery {
    const params = this.params;
    const status = params.get('status');
    return {
      status: status === 'done' || status === 'all' ? status : 'open',
      ...(params.get('countryId') ? { countryId: params.get('countryId')! } : {}),
      ...(params.get('overdue') === 'true' ? { overdue: true } : {}),
      offset: (this.page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    };
  }

  protected override render() {
    const query = this.query;
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Action items')}</h1>
        <p class="lead">${msg('What the meetings decided to do, by responsible country, until it is done.')}</p>
      </div>
      ${meetingsNav('action-items', this.user)}
      <form class="search card" role="search" aria-label=${msg('Filter the action items')} @submit=${this.submit}>
        <div class="filters">
          <div class="control">
            <label for="status">${msg('Status')}</label>
            <select id="status" name="status">
              <option value="open" ?selected=${query.status === 'open'}>${actionItemStatusLabel('open')}</option>
              <option value="done" ?selected=${query.status === 'done'}>${actionItemStatusLabel('done')}</option>
              <option value="all" ?selected=${query.status === 'all'}>${msg('All')}</option>
            </select>
          </div>
          ${countryFilter(msg('Responsible country'), this.services.countries, query.countryId)}
          <div class="control">
            <span aria-hidden="true">&nbsp;</span>
            <label class="check"><input type="checkbox" name="overdue" value="true" ?checked=${query.overdue === true} /> ${msg('Only overdue')}</label>
          </div>
        </div>
        <div><cn-button variant="primary" size="small"><button type="submit">${msg('Show')}</button></cn-button></div>
      </form>
      <p class="count muted" role="status" aria-live="polite">${this.countText()}</p>
      ${this.results.render({
        loading: msg('Loading the action items…'),
        announced: true,
        empty: () => (this.query.status === 'open' ? msg('No open action item. Everything decided has been done.') : msg('No action item here.')),
        complete: ({ items, total }) => this.renderItems(items, total),
      })}
    `;
  }

  private countText(): string {
    if (this.results.loading) return msg('Loading the action items…');
    if (this.results.failed || !this.results.value) return '';
    const { items, total } = this.results.value;
    if (total === 0) return msg('No action item found.');
    const first = (this.page - 1) * PAGE_SIZE + 1;
    return msg(str`Action items ${formatNumber(first)}–${formatNumber(first + items.length - 1)} of ${formatNumber(total)}`);
  }

  private renderItems(items: ActionItem[], total: number) {
    const countries = this.services.countries;
    const zone = viewerZone(this.user);
    const groups: Array<{ countryId: string | null; items: ActionItem[] }> = [];
    for (const item of items) {
      const countryId = itemCountry(item);
      const last = groups.at(-1);
      if (last && last.countryId === countryId) last.items.push(item);
      else groups.push({ countryId, items: [item] });
    }
    return html`
      ${groups.map((group, index) => {
        const name = group.countryId ? countryName(countries.find((c) => c.id === group.countryId)) || group.countryId.toUpperCase() : msg('Without a country');
        const headingId = `group-${index}`;
        return html`<section class="group" aria-labelledby=${headingId}>
          <h2 id=${headingId}>${name}</h2>
          <ol class="plain">
            ${group.items.map(
              (item) => html`<li class="item">
                <div class="text">
                  <p>${actionItemLine(item, countries)}</p>
                  <p class="source">
                    ${msg('From')}
                    <a href=${`${meetingPath(item.source.meetingId)}/minutes?occurrence=${encodeURIComponent(item.source.occurrenceId)}`}>${item.source.meetingTitle}</a>
                    (${item.source.startsAt ? `${formatLongDay(item.source.startsAt, zone)}, ` : ''}${item.source.sectionTitle})
                    ${item.pulledInto.length > 0
                      ? html` · ${msg('On the agenda of')}
                          ${item.pulledInto.map((p, i) => html`${i > 0 ? ', ' : ''}<a href=${meetingPath(p.meetingId)}>${p.meetingTitle}</a>`)}`
                      : nothing}
                  </p>
                </div>
                ${item.mayChangeStatus
                  ? html`<cn-button size="small" ?loading=${this.busy === item.id}>
                      <button type="button" aria-label=${item.status === 'open' ? msg(str`Mark done: ${item.text}`) : msg(str`Reopen: ${item.text}`)} @click=${() => this.toggle(item)}>
                        ${item.status === 'open' ? msg('Mark done') : msg('Reopen')}
                      </button>
                    </cn-button>`
                  : nothing}
              </li>`,
            )}
          </ol>
        </section>`;
      })}
      ${pager({ label: msg('Pages of action items'), page: this.page, pages: Math.ceil(total / PAGE_SIZE), href: (n) => pagePath('/meetings/action-items', this.params, n) })}
    `;
  }

  private async toggle(item: ActionItem) {
    if (this.busy) return;
    this.busy = item.id;
    try {
      await meetingsApi.setActionItemStatus(item.id, item.status === 'open' ? 'done' : 'open');
      this.services.toast(item.status === 'open' ? msg('Marked done.') : msg('Reopened.'), 'success');
      void this.results.run();
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    } finally {
      this.busy = '';
    }
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const params = formQuery(new FormData(event.currentTarget as HTMLFormElement), PARAMS);
    if (params.get('status') === 'open') params.delete('status');
    const query = params.toString();
    this.services.navigate(query ? `/meetings/action-items?${query}` : '/meetings/action-items');
  }
}
