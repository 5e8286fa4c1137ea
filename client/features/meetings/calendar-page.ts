import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { intlLocale, upperFirst } from '../../app/format.js';
import { listStyles } from '../../ui/styles/list.styles.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { meetingListItem, meetingListStyles } from './meeting-list-item.js';
import { addDays, startOfDay, today, viewerZone } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import { meetingsNav, meetingsNavStyles } from './meetings-nav.js';
import { firstDayOfWeek, meetingsByDay, monthOf, monthWeeks, shiftMonth, type CnMonthCalendar } from './month-calendar.js';
import type { MeetingListItem } from './models.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The month calendar: the meetings of the visible weeks on the reader's days, the chosen day's
 * meetings listed under it. Month and day live in the address (replaced, not pushed, so that
 * moving through months with the keyboard does not fill the history).
 */
export class CnMeetingsCalendarPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    listStyles,
    meetingListStyles,
    meetingsNavStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--cn-space-3);
        margin-block-end: var(--cn-space-3);
      }

      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
        align-items: center;
      }

      label.check {
        display: inline-flex;
        gap: var(--cn-space-2);
        align-items: center;
      }

      cn-time-zone-notice {
        margin-block-end: var(--cn-space-4);
      }

      .hint {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        margin-block: var(--cn-space-2) var(--cn-space-5);
      }

      .day {
        display: grid;
        gap: var(--cn-space-3);
      }
    `,
  ];

  static override properties = { search: {}, month: { state: true }, day: { state: true }, onlyMine: { state: true } };

  declare search: string;
  declare private month: string;
  declare private day: string;
  declare private onlyMine: boolean;

  private focusAfterLoad = false;

  private meetings = new Resource(this, {
    load: async ([month, zone, onlyMine], signal) => {
      const weeks = monthWeeks(month, firstDayOfWeek());
      const from = startOfDay(weeks[0]![0]!, zone);
      const to = startOfDay(addDays(weeks.at(-1)!.at(-1)!, 1), zone);
      const page = await meetingsApi.list({ view: onlyMine ? 'mine' : 'upcoming', from, to, limit: 100 }, signal);
      return page.items;
    },
    args: () => [this.month, viewerZone(this.user), this.onlyMine] as const,
    // The grid keeps last month's meetings until this month's are there; the status says they are coming.
    keepWhileLoading: true,
  });

  constructor() {
    super();
    this.search = '';
    this.month = '';
    this.day = '';
    this.onlyMine = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('search')) {
      const params = new URLSearchParams(this.search);
      const zone = viewerZone(this.user);
      const day = params.get('day') ?? '';
      const month = params.get('month') ?? '';
      this.day = DAY.test(day) ? day : '';
      this.month = MONTH.test(month) ? month : this.day ? monthOf(this.day) : monthOf(today(zone));
      this.onlyMine = params.get('mine') === '1';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.focusAfterLoad) {
      this.focusAfterLoad = false;
      this.renderRoot.querySelector<CnMonthCalendar>('cn-month-calendar')?.focusGrid();
    }
  }

  protected override render() {
    const zone = viewerZone(this.user);
    const monthTitle = upperFirst(new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${this.month}-01T12:00:00Z`)));
    const items = this.meetings.value ?? [];
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Meetings calendar')}</h1>
        <p class="lead">${msg('The meetings of the month, on the days of your time zone.')}</p>
      </div>
      ${meetingsNav('calendar', this.user)}
      <cn-time-zone-notice></cn-time-zone-notice>
      <div class="toolbar">
        <h2 id="month-title" aria-live="polite">${monthTitle}</h2>
        <div class="buttons">
          <cn-button size="small"><button type="button" @click=${() => this.goMonth(shiftMonth(this.month, -1))}>${msg('← Previous month')}</button></cn-button>
          <cn-button size="small"><button type="button" @click=${() => this.goMonth(monthOf(today(zone)), today(zone))}>${msg('Today')}</button></cn-button>
          <cn-button size="small"><button type="button" @click=${() => this.goMonth(shiftMonth(this.month, 1))}>${msg('Next month →')}</button></cn-button>
          <label class="check"><input type="checkbox" .checked=${this.onlyMine} @change=${this.toggleMine} /> ${msg('Only my meetings')}</label>
        </div>
      </div>
      ${this.meetings.render({
        loading: msg('Loading the meetings…'),
        complete: (_items, reloading) => (reloading ? this.meetings.renderLoading(msg('Loading the meetings…')) : nothing),
      })}
      <cn-month-calendar
        aria-describedby="calendar-hint"
        .month=${this.month}
        .timeZone=${zone}
        .items=${items}
        .selected=${this.day}
        @cn-month-change=${(event: CustomEvent<{ month: string; day: string }>) => this.goMonth(event.detail.month, '', true)}
        @cn-day-select=${(event: CustomEvent<{ day: string }>) => this.chooseDay(event.detail.day)}
      ></cn-month-calendar>
      <p class="hint" id="calendar-hint">${msg('Arrow keys move between days, Page Up and Page Down between months; Enter shows the meetings of a day.')}</p>
      ${this.renderDay(items, zone)}
    `;
  }

  private renderDay(items: MeetingListItem[], zone: string) {
    if (!this.day) return nothing;
    const label = upperFirst(new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${this.day}T12:00:00Z`)));
    const meetings = meetingsByDay(items, zone).get(this.day) ?? [];
    return html`
      <section class="day" aria-labelledby="day-title">
        <h2 id="day-title" tabindex="-1">${msg(str`Meetings on ${label}`)}</h2>
        ${this.meetings.value === undefined
          ? nothing
          : meetings.length === 0
            ? html`<p class="empty">${msg('No meeting on this day.')}</p>`
            : html`<ol class="meetings">${meetings.map((item) => meetingListItem(item, zone))}</ol>`}
      </section>
    `;
  }

  private goMonth(month: string, day = '', keepGridFocus = false) {
    this.month = month;
    if (day) this.day = day;
    this.focusAfterLoad = keepGridFocus;
    this.syncAddress();
  }

  private chooseDay(day: string) {
    this.day = day;
    if (monthOf(day) !== this.month) this.month = monthOf(day);
    this.syncAddress();
  }

  private toggleMine(event: Event) {
    this.onlyMine = (event.target as HTMLInputElement).checked;
    this.syncAddress();
  }

  private syncAddress() {
    const params = new URLSearchParams();
    params.set('month', this.month);
    if (this.day) params.set('day', this.day);
    if (this.onlyMine) params.set('mine', '1');
    // The address's own path, so a group's calendar (/g/<slug>/meetings/calendar) stays in its group.
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params}`);
  }
}
