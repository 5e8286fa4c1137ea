import { css, html, nothing, type PropertyValues } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { DateTime } from 'luxon';
import { AppElement } from '../../app/base-element.js';
import { intlLocale } from '../../app/format.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import { addDays, formatClock, localDate } from './meeting-time.js';
import type { MeetingListItem } from './models.js';

/** A calendar day, "2026-05-12". */
export type CalendarDay = string;

/** The days of `month` ("2026-05") as full weeks, starting on the locale's first day of the week. */
export function monthWeeks(month: string, firstWeekday: number): CalendarDay[][] {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  const last = first.endOf('month');
  // luxon: Monday = 1 … Sunday = 7, as Intl.Locale's weekInfo.
  const lead = (first.weekday - firstWeekday + 7) % 7;
  const trail = (firstWeekday + 6 - last.weekday + 7) % 7;
  const start = first.minus({ days: lead });
  const total = lead + last.day + trail;
  const weeks: CalendarDay[][] = [];
  for (let i = 0; i < total; i += 7) {
    weeks.push(Array.from({ length: 7 }, (_, d) => start.plus({ days: i + d }).toISODate()!));
  }
  return weeks;
}

/** The first day of the week where the reader lives (Intl.Locale weekInfo), Monday when unknown. */
export function firstDayOfWeek(): number {
  try {
    const locale = new Intl.Locale(intlLocale()) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    return locale.getWeekInfo?.().firstDay ?? locale.weekInfo?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

export const monthOf = (day: CalendarDay) => day.slice(0, 7);

export function shiftMonth(month: string, months: number): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months }).toFormat('yyyy-MM');
}

/** Occurrences by the reader's calendar days they touch (a two-day in-person meeting on both). */
export function meetingsByDay(items: readonly MeetingListItem[], zone: string): Map<CalendarDay, MeetingListItem[]> {
  const byDay = new Map<CalendarDay, MeetingListItem[]>();
  for (const item of items) {
    const occurrence = item.occurrence;
    if (!occurrence) continue;
    const firstDay = localDate(occurrence.startsAt, zone);
    // The end instant itself belongs to the previous minute's day (a meeting ending at midnight).
    const lastDay = localDate(new Date(new Date(occurrence.endsAt).getTime() - 1).toISOString(), zone);
    for (let day = firstDay, guard = 0; day <= lastDay && guard < 8; day = addDays(day, 1), guard++) {
      const list = byDay.get(day) ?? [];
      list.push(item);
      byDay.set(day, list);
    }
  }
  for (const list of byDay.values()) list.sort((a, b) => (a.occurrence!.startsAt < b.occurrence!.startsAt ? -1 : 1));
  return byDay;
}

const SHOWN_PER_DAY = 3;

/**
 * A month as a grid of days (the ARIA date-grid pattern): one day is in the tab order; the arrow
 * keys move a day or a week, Home and End to the week's ends, Page Up and Page Down a month
 * (with Shift, a year), Enter or Space chooses the day. Each day shows its first meetings.
 *
 * @event cn-day-select - detail `{ day }`: the person chose a day (click, Enter, Space).
 * @event cn-month-change - detail `{ month, day }`: the person moved to another month.
 */
export class CnMonthCalendar extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }

      table {
        inline-size: 100%;
        border-collapse: collapse;
        table-layout: fixed;
        background: var(--cn-color-surface);
      }

      th {
        font-size: 0.8125rem;
        font-weight: 600;
        color: var(--cn-color-muted);
        padding: var(--cn-space-2) var(--cn-space-1);
        text-align: start;
      }

      th abbr {
        text-decoration: none;
      }

      td {
        vertical-align: top;
        block-size: 6.5rem;
        border: 1px solid var(--cn-color-border);
        padding: var(--cn-space-1) var(--cn-space-2);
        cursor: pointer;
        overflow: hidden;
      }

      td.outside {
        background: var(--cn-color-neutral-soft);
        color: var(--cn-color-muted);
      }

      td.today .number {
        background: var(--cn-color-primary);
        color: #fff;
        border-radius: 999px;
        padding-inline: 0.4rem;
      }

      td[aria-selected='true'] {
        box-shadow: inset 0 0 0 3px var(--cn-color-primary);
      }

      td:focus-visible {
        outline: 3px solid var(--cn-color-focus);
        outline-offset: -3px;
      }

      .number {
        display: inline-block;
        font-weight: 600;
        font-size: 0.875rem;
        line-height: 1.6;
      }

      ul {
        list-style: none;
        margin: var(--cn-space-1) 0 0;
        padding: 0;
        display: grid;
        gap: 2px;
      }

      li {
        font-size: 0.75rem;
        line-height: 1.3;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        border-radius: 3px;
        padding: 1px 4px;
        background: var(--cn-color-primary-soft);
        color: var(--cn-color-primary-strong);
      }

      li.cancelled {
        background: var(--cn-color-neutral-soft);
        color: var(--cn-color-muted);
        text-decoration: line-through;
      }

      li.more {
        background: none;
        color: var(--cn-color-muted);
      }

      @media (max-width: 640px) {
        td {
          block-size: 3.5rem;
          padding: 2px;
        }

        li:not(.more) {
          font-size: 0;
          block-size: 6px;
          padding: 0;
        }
      }
    `,
  ];

  static override properties = {
    month: {},
    timeZone: {},
    items: { attribute: false },
    selected: {},
    focusDay: { state: true },
  };

  /** "2026-05". */
  declare month: string;
  /** The reader's zone: meetings fall on its days. */
  declare timeZone: string;
  declare items: readonly MeetingListItem[];
  /** The chosen day, "2026-05-12". */
  declare selected: CalendarDay;
  /** The day in the tab order. */
  declare private focusDay: CalendarDay;

  private moveFocus = false;

  constructor() {
    super();
    this.month = '';
    this.timeZone = 'UTC';
    this.items = [];
    this.selected = '';
    this.focusDay = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('month') || changed.has('selected')) && (!this.focusDay || monthOf(this.focusDay) !== this.month)) {
      this.focusDay = this.selected && monthOf(this.selected) === this.month ? this.selected : `${this.month}-01`;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.moveFocus) {
      this.moveFocus = false;
      this.renderRoot.querySelector<HTMLElement>(`td[data-day="${this.focusDay}"]`)?.focus();
    }
  }

  /** Puts keyboard focus on the day in the tab order (after the month changed from outside). */
  focusGrid(): void {
    this.moveFocus = true;
    this.requestUpdate();
  }

  protected override render() {
    if (!/^\d{4}-\d{2}$/.test(this.month)) return nothing;
    const firstWeekday = firstDayOfWeek();
    const weeks = monthWeeks(this.month, firstWeekday);
    const byDay = meetingsByDay(this.items, this.timeZone);
    const now = localDate(new Date().toISOString(), this.timeZone);
    const weekdayLong = new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: 'UTC' });
    const weekdayShort = new Intl.DateTimeFormat(intlLocale(), { weekday: 'short', timeZone: 'UTC' });
    const dayLabel = new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    const monthLabel = new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${this.month}-01T12:00:00Z`));
    return html`
      <table role="grid" aria-label=${monthLabel} @keydown=${this.onKeydown}>
        <thead>
          <tr>
            ${weeks[0]!.map((day) => {
              const date = new Date(`${day}T12:00:00Z`);
              return html`<th scope="col"><abbr title=${weekdayLong.format(date)}>${weekdayShort.format(date)}</abbr></th>`;
            })}
          </tr>
        </thead>
        <tbody>
          ${weeks.map(
            (week) => html`<tr>
              ${week.map((day) => {
                const meetings = byDay.get(day) ?? [];
                const outside = monthOf(day) !== this.month;
                const count = meetings.length;
                const summary = count === 0 ? msg('no meetings') : plural(count, { one: msg(str`${formatNumber(count)} meeting`, { id: 'meetings-count.one' }), other: msg(str`${formatNumber(count)} meetings`, { id: 'meetings-count.other' }) });
                return html`<td
                  role="gridcell"
                  data-day=${day}
                  class=${[outside ? 'outside' : '', day === now ? 'today' : ''].filter(Boolean).join(' ')}
                  tabindex=${day === this.focusDay ? '0' : '-1'}
                  aria-selected=${day === this.selected ? 'true' : 'false'}
                  aria-current=${day === now ? 'date' : nothing}
                  @click=${() => this.choose(day)}
                >
                  <span class="visually-hidden">${dayLabel.format(new Date(`${day}T12:00:00Z`))}, ${summary}</span>
                  <span class="number" aria-hidden="true">${Number(day.slice(8))}</span>
                  ${count > 0
                    ? html`<ul aria-hidden="true">
                        ${meetings.slice(0, SHOWN_PER_DAY).map(
                          (item) => html`<li class=${item.occurrence?.state === 'cancelled' ? 'cancelled' : ''} title=${item.title}>
                            ${formatClock(item.occurrence!.startsAt, this.timeZone)} ${item.title}
                          </li>`,
                        )}
                        ${count > SHOWN_PER_DAY ? html`<li class="more">${msg(str`+${count - SHOWN_PER_DAY} more`)}</li>` : nothing}
                      </ul>`
                    : nothing}
                </td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private choose(day: CalendarDay) {
    this.focusDay = day;
    this.moveFocus = true;
    if (monthOf(day) !== this.month) this.dispatchEvent(new CustomEvent('cn-month-change', { detail: { month: monthOf(day), day } }));
    this.dispatchEvent(new CustomEvent('cn-day-select', { detail: { day } }));
  }

  private onKeydown(event: KeyboardEvent) {
    const firstWeekday = firstDayOfWeek();
    const current = DateTime.fromISO(this.focusDay, { zone: 'utc' });
    const offsetInWeek = (current.weekday - firstWeekday + 7) % 7;
    let next: DateTime | null = null;
    switch (event.key) {
      case 'ArrowLeft':
        next = current.minus({ days: 1 });
        break;
      case 'ArrowRight':
        next = current.plus({ days: 1 });
        break;
      case 'ArrowUp':
        next = current.minus({ days: 7 });
        break;
      case 'ArrowDown':
        next = current.plus({ days: 7 });
        break;
      case 'Home':
        next = current.minus({ days: offsetInWeek });
        break;
      case 'End':
        next = current.plus({ days: 6 - offsetInWeek });
        break;
      case 'PageUp':
        next = current.minus(event.shiftKey ? { years: 1 } : { months: 1 });
        break;
      case 'PageDown':
        next = current.plus(event.shiftKey ? { years: 1 } : { months: 1 });
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.choose(this.focusDay);
        return;
      default:
        return;
    }
    event.preventDefault();
    const day = next.toISODate()!;
    this.focusDay = day;
    this.moveFocus = true;
    if (monthOf(day) !== this.month) this.dispatchEvent(new CustomEvent('cn-month-change', { detail: { month: monthOf(day), day } }));
  }
}
