import { DateTime } from 'luxon';
import { badRequest } from '../../shared/errors.js';
import type { OverrideState, Recurrence } from './tables.js';

/**
 * A series' dates, computed in the organizer's zone with luxon (the platform's tz database):
 * each occurrence keeps the first one's wall-clock time, so 10:00 in Santiago stays 10:00 in
 * Santiago when Chile changes its clocks, and its UTC instant moves with the offset.
 */

export const SINGLE_OCCURRENCE = 'single';

export interface Occurrence {
  /** The original start as an ISO instant (the iCalendar RECURRENCE-ID), or "single". */
  id: string;
  startsAt: number;
  endsAt: number;
  originalStartsAt: number;
  state: 'scheduled' | OverrideState;
}

export interface OverrideRow {
  originalStartsAt: number;
  state: OverrideState;
  startsAt: number;
  endsAt: number;
}

const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export const occurrenceIdOf = (originalStartsAt: number) => new Date(originalStartsAt).toISOString();

/**
 * The occurrence an id names, or undefined. Ids come from requests in any RFC 3339 form of the
 * original start (without milliseconds, with an offset); the schema (OccurrenceIdSchema) lets
 * through only that shape, and a shape that names no real instant (a 13th month, a leap second)
 * is no occurrence rather than an exception.
 */
export function findOccurrence(occurrences: Occurrence[], id: string): Occurrence | undefined {
  const exact = occurrences.find((occurrence) => occurrence.id === id);
  if (exact || id === SINGLE_OCCURRENCE) return exact;
  const instant = Date.parse(id);
  if (!Number.isFinite(instant)) return undefined;
  const normal = occurrenceIdOf(instant);
  return occurrences.find((occurrence) => occurrence.id === normal);
}

/** The n-th (1–4) or last (-1) `weekday` (luxon: 1 = Monday) of the month of `month`, as a day of the month. */
function nthWeekdayOfMonth(month: DateTime, weekday: number, week: number): number {
  const first = month.startOf('month');
  if (week > 0) return 1 + ((weekday - first.weekday + 7) % 7) + (week - 1) * 7;
  const last = month.endOf('month');
  return last.day - ((last.weekday - weekday + 7) % 7);
}

/** The week of the month a local date falls in, as monthlyWeek counts it: 1–4, or -1 for a fifth (last) one. */
export function monthlyWeekOf(startsAt: number, zone: string): number {
  const local = DateTime.fromMillis(startsAt, { zone });
  const week = Math.ceil(local.day / 7);
  return week >= 5 ? -1 : week;
}

/** Start instants of every occurrence of a series, in order (cancelled ones included: they count, as in RRULE COUNT). */
export function seriesStarts(startsAt: number, zone: string, recurrence: Recurrence): number[] {
  const first = DateTime.fromMillis(startsAt, { zone });
  const starts: number[] = [];
  for (let i = 0; i < recurrence.count; i++) {
    if (recurrence.frequency === 'weekly') {
      // Calendar arithmetic in the zone: the same local time on the local date n weeks later.
      starts.push(first.plus({ weeks: i * recurrence.interval }).toMillis());
    } else {
      const month = first.startOf('month').plus({ months: i * recurrence.interval });
      const day = nthWeekdayOfMonth(month, first.weekday, recurrence.monthlyWeek ?? 1);
      const local = DateTime.fromObject(
        { year: month.year, month: month.month, day, hour: first.hour, minute: first.minute, second: first.second },
        { zone },
      );
      starts.push(local.toMillis());
    }
  }
  return starts;
}

/** Refuses a monthly rule whose first occurrence is not itself on the rule's day ("2nd Tuesday"). */
export function assertFitsRecurrence(startsAt: number, zone: string, recurrence: Recurrence): void {
  if (recurrence.frequency !== 'monthly') return;
  const first = DateTime.fromMillis(startsAt, { zone });
  const expected = nthWeekdayOfMonth(first, first.weekday, recurrence.monthlyWeek ?? 1);
  if (expected !== first.day) {
    throw badRequest('recurrence_mismatch', `The first meeting (${first.toISODate()}) is not on the day this monthly rule names.`, [
      { field: 'recurrence.monthlyWeek', message: 'does not match the start date' },
    ]);
  }
}

/**
 * Every occurrence of a meeting, with its moved and cancelled ones applied, in time order. A
 * meeting without recurrence has one, "single". None while it has no time (an open poll).
 */
export function occurrencesOf(
  meeting: { startsAt: number | null; endsAt: number | null; timeZone: string; recurrence: Recurrence | null },
  overrides: OverrideRow[],
): Occurrence[] {
  if (meeting.startsAt === null || meeting.endsAt === null) return [];
  const duration = meeting.endsAt - meeting.startsAt;
  if (!meeting.recurrence) {
    return [{ id: SINGLE_OCCURRENCE, startsAt: meeting.startsAt, endsAt: meeting.endsAt, originalStartsAt: meeting.startsAt, state: 'scheduled' }];
  }
  const byOriginal = new Map(overrides.map((override) => [override.originalStartsAt, override]));
  return seriesStarts(meeting.startsAt, meeting.timeZone, meeting.recurrence)
    .map((start): Occurrence => {
      const override = byOriginal.get(start);
      if (!override) return { id: occurrenceIdOf(start), startsAt: start, endsAt: start + duration, originalStartsAt: start, state: 'scheduled' };
      const [startsAt, endsAt] = override.state === 'moved' ? [override.startsAt, override.endsAt] : [start, start + duration];
      return { id: occurrenceIdOf(start), startsAt, endsAt, originalStartsAt: start, state: override.state };
    })
    .sort((a, b) => a.startsAt - b.startsAt);
}

/** The RRULE of a series (without "RRULE:"), as iCalendar and Google Calendar links take it. */
export function rruleOf(startsAt: number, zone: string, recurrence: Recurrence): string {
  const parts = [`FREQ=${recurrence.frequency === 'weekly' ? 'WEEKLY' : 'MONTHLY'}`];
  if (recurrence.interval > 1) parts.push(`INTERVAL=${recurrence.interval}`);
  if (recurrence.frequency === 'monthly') {
    const weekday = WEEKDAY_CODES[DateTime.fromMillis(startsAt, { zone }).weekday - 1]!;
    parts.push(`BYDAY=${recurrence.monthlyWeek ?? 1}${weekday}`);
  }
  parts.push(`COUNT=${recurrence.count}`);
  return parts.join(';');
}

export const weekdayCodeOf = (startsAt: number, zone: string) => WEEKDAY_CODES[DateTime.fromMillis(startsAt, { zone }).weekday - 1]!;

/** Working hours in every invited capital; a slot outside them is flagged in poll results. */
const DAY_STARTS = 8 * 60;
const DAY_ENDS = 19 * 60;

/** The local start and end of a time in a zone ("HH:mm"), and whether it falls outside 08:00–19:00 there. */
export function localHours(startsAt: number, endsAt: number, zone: string): { localStart: string; localEnd: string; outside: boolean } {
  const start = DateTime.fromMillis(startsAt, { zone });
  const end = DateTime.fromMillis(endsAt, { zone });
  const startMinutes = start.hour * 60 + start.minute;
  const endMinutes = end.hour * 60 + end.minute;
  const sameDay = start.toISODate() === end.toISODate();
  return { localStart: start.toFormat('HH:mm'), localEnd: end.toFormat('HH:mm'), outside: startMinutes < DAY_STARTS || !sameDay || endMinutes > DAY_ENDS };
}
