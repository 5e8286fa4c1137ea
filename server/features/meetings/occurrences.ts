import { DateTime, IANAZone } from 'luxon';
import { badRequest } from '../../shared/errors.js';
import type { OverrideState, Recurrence } from './tables.js';

/**
 * A series' dates, computed in the organizer's zone with luxon (the platform's tz database):
 * each occurrence keeps the first one's wall-clock time, so 10:00 in Santiago stays 10:00 in
 * Santiago when Chile changes its clocks, and its UTC instant moves with the offset. A local time
 * that a change of clocks repeats or skips is read as RFC 5545 (§3.3.5) reads it, see instantOf.
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

/** A local date and time in some zone, as an RRULE names an occurrence (it may not exist there). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 24 * 60 * 60_000;

const wallOf = (local: DateTime): WallClock => ({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second });
const wallAsUtc = (wall: WallClock) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/**
 * The instants at which a local time happens in a zone: one, none (skipped by a forward change of
 * clocks) or two (repeated by a backward one), earliest first. Offsets are looked up a day either
 * side, so two changes less than two days apart would be missed: no zone has had that.
 */
export function instantsOf(wall: WallClock, zone: string): number[] {
  const tz = IANAZone.create(zone);
  const asUtc = wallAsUtc(wall);
  const offsets = [...new Set([tz.offset(asUtc - DAY_MS), tz.offset(asUtc + DAY_MS)])];
  return offsets
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => tz.offset(instant) === (asUtc - instant) / 60_000)
    .sort((a, b) => a - b);
}

/**
 * The instant of a local time as RFC 5545 §3.3.5 reads it, and so every calendar program that
 * follows it: a repeated time is its first instant; a skipped one is read with the offset in force
 * before the change, so it falls as much later as the clocks jumped (00:30 on the day Chile goes
 * from 00:00 to 01:00 is 01:30 of the new time). Fixed, unlike luxon's guess from today's offset.
 */
export function instantOf(wall: WallClock, zone: string): number {
  const instants = instantsOf(wall, zone);
  if (instants.length > 0) return instants[0]!;
  const asUtc = wallAsUtc(wall);
  return asUtc - IANAZone.create(zone).offset(asUtc - DAY_MS) * 60_000;
}

/**
 * The local date and time of every occurrence of a series as its rule names them (what an RRULE
 * expands to from the first one's DTSTART), cancelled ones included: they count, as in RRULE COUNT.
 */
export function seriesWallClocks(startsAt: number, zone: string, recurrence: Recurrence): WallClock[] {
  const first = DateTime.fromMillis(startsAt, { zone });
  // Calendar arithmetic on the local date, where no change of clocks can shift the time of day.
  const floating = DateTime.fromObject(wallOf(first), { zone: 'utc' });
  const walls: WallClock[] = [];
  for (let i = 0; i < recurrence.count; i++) {
    if (recurrence.frequency === 'weekly') {
      walls.push(wallOf(floating.plus({ weeks: i * recurrence.interval })));
    } else {
      const month = floating.startOf('month').plus({ months: i * recurrence.interval });
      const day = nthWeekdayOfMonth(month, floating.weekday, recurrence.monthlyWeek ?? 1);
      walls.push({ ...wallOf(floating), year: month.year, month: month.month, day });
    }
  }
  return walls;
}

/** Start instants of every occurrence of a series, in order; the first is the meeting's own start, exactly. */
export function seriesStarts(startsAt: number, zone: string, recurrence: Recurrence): number[] {
  return seriesWallClocks(startsAt, zone, recurrence).map((wall, i) => (i === 0 ? startsAt : instantOf(wall, zone)));
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
