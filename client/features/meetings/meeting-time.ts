import { zoneCityName } from '../../app/zone-names.js';
import { DateTime } from 'luxon';
import { intlLocale } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import type { User } from '../../app/models.js';
import { browserTimeZone } from '../../app/time-zones.js';
import type { InvitedCountry } from './models.js';

/**
 * Meeting times in a given IANA zone. Every conversion goes through the platform's time-zone
 * database (Intl.DateTimeFormat with `timeZone`, and luxon, which reads the same database, for
 * a wall-clock time typed in a form): never an offset added by hand, so daylight-saving
 * changes come out right in every zone.
 */

export function isKnownZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether two zone names are one zone: the tz database has aliases (a browser may report
 * "America/Buenos_Aires" for "America/Argentina/Buenos_Aires"), which Intl resolves alike.
 */
export function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  if (!isKnownZone(a) || !isKnownZone(b)) return false;
  const canonical = (zone: string) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return canonical(a) === canonical(b);
}

/** The zone times are shown in: the profile's (which may override what the browser detects), else the browser's. */
export function viewerZone(user: Pick<User, 'timeZone'> | null): string {
  return isKnownZone(user?.timeZone) ? user!.timeZone : browserTimeZone();
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires": the zone's city, in the reader's language where it has a name of its own. */
export function zoneCity(zone: string): string {
  return zoneCityName(zone);
}

/** The zone's UTC offset at that instant, as the locale writes it ("GMT-3", "UTC−3"). */
export function zoneOffset(zone: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || !isKnownZone(zone)) return '';
  const part = new Intl.DateTimeFormat(intlLocale(), { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

/** "Buenos Aires (GMT-3)": a zone as people recognise it, with its offset on that day. */
export function zoneLabel(zone: string, iso: string): string {
  const offset = zoneOffset(zone, iso);
  return offset ? `${zoneCity(zone)} (${offset})` : zoneCity(zone);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${intlLocale()}|${zone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: zone });
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * "10:00": the 24-hour clock in every language, as meeting times across the group are written
 * (and as the poll's working-hours flag states them).
 */
export function formatClock(iso: string, zone: string): string {
  return formatter(zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "Tuesday, 12 May 2026" in the reader's language. */
export function formatLongDay(iso: string, zone: string): string {
  return formatter(zone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** "Tue 12 May": for the capitals' row and compact lists. */
export function formatShortDay(iso: string, zone: string): string {
  return formatter(zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** "12 May 2026, 10:00": a deadline or a change in the history. */
export function formatDayAndClock(iso: string, zone: string): string {
  return `${formatter(zone, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso))}, ${formatClock(iso, zone)}`;
}

/** The calendar day of an instant in a zone, "2026-05-12". */
export function localDate(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate() ?? '';
}

/** The wall-clock date and time of an instant in a zone, as a form's date and time inputs hold them. */
export function wallClock(iso: string, zone: string): { date: string; time: string } {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
}

export type WallClockProblem = 'invalid' | 'nonexistent';

/**
 * The instant a wall-clock time in a zone names. A time skipped by a daylight-saving change
 * (e.g. 00:30 on the night clocks jump from 00:00 to 01:00) names no instant: 'nonexistent'.
 */
export function instantOf(date: string, time: string, zone: string): { iso: string } | { problem: WallClockProblem } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time) || !isKnownZone(zone)) return { problem: 'invalid' };
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!local.isValid) return { problem: 'invalid' };
  // luxon moves a skipped time forward; it then reads back differently.
  if (local.toFormat('yyyy-MM-dd') !== date || local.toFormat('HH:mm') !== time) return { problem: 'nonexistent' };
  return { iso: local.toUTC().toISO()! };
}

/** The same calendar day `days` later ("2026-05-12" + 1 → "2026-05-13"): calendar arithmetic, no zone involved. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() ?? date;
}

/** The instant a calendar day starts in a zone (its first existing minute). */
export function startOfDay(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
}

/** Today's calendar day in a zone. */
export function today(zone: string): string {
  return localDate(new Date().toISOString(), zone);
}

export interface CapitalTime {
  countryId: string;
  capital: string;
  time: string;
  /** The capital's day when it is not the reader's ("Wed 13 May"), else ''. */
  otherDay: string;
  timeZone: string;
}

/**
 * The row of local times for the invited countries' capitals: "10:00 Santiago · 08:00 Ciudad de
 * México · 09:00 Port of Spain", in the server's order (by the countries' Spanish names). Capital
 * names follow the reader's content language.
 */
export function capitalTimes(iso: string, countries: readonly InvitedCountry[], readerZone: string): CapitalTime[] {
  const readerDay = localDate(iso, readerZone);
  return countries
    .filter((country) => isKnownZone(country.timeZone))
    .map((country) => ({
      countryId: country.id,
      capital: pickContent(country.capitalEs, country.capitalEn) || pickContent(country.nameEs, country.nameEn),
      time: formatClock(iso, country.timeZone),
      otherDay: localDate(iso, country.timeZone) === readerDay ? '' : formatShortDay(iso, country.timeZone),
      timeZone: country.timeZone,
    }));
}
