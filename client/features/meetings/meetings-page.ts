import { css, html } from 'lit';
import { msg, str } from '@lit/localize';
import { AddressedPage } from '../../app/addressed-page.js';
import { formatNumber } from '../../app/format.js';
import { pagePath } from '../../app/navigation.js';
import { pager } from '../../ui/pager/pager.js';
import { listPageStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { meetingListItem, meetingListStyles } from './meeting-list-item.js';
import { viewerZone } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import { kindLabel } from './meetings-format.js';
import { meetingsNav, meetingsNavStyles } from './meetings-nav.js';
import { MEETING_KINDS, type ListView, type MeetingKind } from './models.js';

const PAGE_SIZE = 20;

const PATHS: Record<ListView, string> = { upcoming: '/meetings', mine: '/meetings/mine', polls: '/meetings/polls', past: '/meetings/past' };

function heading(view: ListView): string {
  switch (view) {
    case 'upcoming':
      return msg('Upcoming meetings');
    case 'mine':
      return msg('My meetings');
    case 'polls':
      return msg('Meetings still choosing a date');
    case 'past':
      return msg('Past meetings');
  }
}

function lead(view: ListView): string {
  switch (view) {
    case 'upcoming':
      return msg('Every meeting, workshop and session you can see that has not ended yet, soonest first.');
    case 'mine':
      return msg('The meetings you organize or are invited to, unless you said you are not going.');
    case 'polls':
      return msg('Meetings whose date is chosen with an availability poll. Say which of the proposed times suit you.');
    case 'past':
      return msg('Meetings that have ended, newest first, with their minutes once published.');
  }
}

function emptyText(view: ListView, filtered: boolean): string {
  if (filtered) return msg('No meeting of this kind here.');
  switch (view) {
    case 'upcoming':
      return msg('No meeting is planned for now.');
    case 'mine':
      return msg('You have no upcoming meeting.');
    case 'polls':
      return msg('No date poll is open.');
    case 'past':
      return msg('No meeting has taken place yet.');
  }
}

/** The lists of meetings (upcoming, mine, polls, past), filtered by kind and paged in the address. */
export class CnMeetingsPage extends AddressedPage {
  static override styles = [
    ...listPageStyles,
    meetingListStyles,
    meetingsNavStyles,
    css`
      .filter {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--cn-space-3);
        margin-block-end: var(--cn-space-3);
      }

      .filter .control {
        min-inline-size: 14rem;
      }

      cn-time-zone-notice {
        margin-block-end: var(--cn-space-4);
      }

      .count {
        margin-block-end: var(--cn-space-3);
      }
    `,
  ];

  static override properties = { view: {} };

  declare view: ListView;
  /** The location's query string. */

  private results = new Resource(this, {
    load: ([view, kind, page], signal) =>
      meetingsApi.list({ view, ...(kind ? { kind } : {}), offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, signal),
    args: () => [this.view, this.kind, this.page] as const,
    isEmpty: ({ items, total }) => total === 0 || items.length === 0,
  });

  constructor() {
    super();
    this.view = 'upcoming';
  }


  private get kind(): MeetingKind | null {
    const kind = this.params.get('kind');
    return (MEETING_KINDS as readonly string[]).includes(kind ?? '') ? (kind as MeetingKind) : null;
  }

  protected override render() {
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${heading(this.view)}</h1>
        <p class="lead">${lead(this.view)}</p>
      </div>
      ${meetingsNav(this.view, this.user)}
      <cn-time-zone-notice></cn-time-zone-notice>
      <form class="filter" role="search" aria-label=${msg('Filter the meetings')} @submit=${(event: SubmitEvent) => event.preventDefault()}>
        <div class="control">
          <label for="kind">${msg('Kind of meeting')}</label>
          <select id="kind" name="kind" @change=${this.changeKind}>
            <option value="">${msg('All kinds')}</option>
            ${MEETING_KINDS.map((kind) => html`<option value=${kind} ?selected=${kind === this.kind}>${kindLabel(kind)}</option>`)}
          </select>
        </div>
      </form>
      <p class="count muted" role="status" aria-live="polite">${this.countText()}</p>
      ${this.results.render({
        loading: msg('Loading the meetings…'),
        announced: true,
        empty: () => emptyText(this.view, this.kind !== null),
        complete: ({ items, total }) => {
          const zone = viewerZone(this.user);
          return html`
            <ol class="meetings">${items.map((item) => meetingListItem(item, zone))}</ol>
            ${pager({ label: msg('Pages of meetings'), page: this.page, pages: Math.ceil(total / PAGE_SIZE), href: (n) => pagePath(PATHS[this.view], this.params, n) })}
          `;
        },
      })}
    `;
  }

  private countText(): string {
    if (this.results.loading) return msg('Loading the meetings…');
    if (this.results.failed || !this.results.value) return '';
    const { items, total } = this.results.value;
    if (total === 0) return msg('No meeting found.');
    const first = (this.page - 1) * PAGE_SIZE + 1;
    return msg(str`Meetings ${formatNumber(first)}–${formatNumber(first + items.length - 1)} of ${formatNumber(total)}`);
  }

  private changeKind(event: Event) {
    const kind = (event.target as HTMLSelectElement).value;
    const params = new URLSearchParams();
    if (kind) params.set('kind', kind);
    const query = params.toString();
    this.services.navigate(query ? `${PATHS[this.view]}?${query}` : PATHS[this.view]);
  }
}
