import { intlLocale } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import type { Country, User } from '../../app/models.js';
import { browserTimeZone } from '../../app/time-zones.js';

/**
 * Dates and times on the home page, by the platform's Intl and its time-zone database (no date
 * library: the home page is the first screen after signing in and stays light).
 */

function knownZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone the reader sees times in: their profile's, else the browser's. */
export function readerZone(user: Pick<User, 'timeZone'> | null): string {
  return knownZone(user?.timeZone) ? user!.timeZone : browserTimeZone();
}

/** "Tue, 12 May, 10:00–11:30" in the zone, on the 24-hour clock meetings across the group are written in. */
export function formatSpan(startIso: string, endIso: string | null | undefined, zone: string): string {
  const start = new Date(startIso);
  if (Number.isNaN(start.getTime())) return startIso;
  const day = new Intl.DateTimeFormat(intlLocale(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone }).format(start);
  const clock = new Intl.DateTimeFormat(intlLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const end = endIso ? new Date(endIso) : null;
  return end && !Number.isNaN(end.getTime()) ? `${day}, ${clock.format(start)}–${clock.format(end)}` : `${day}, ${clock.format(start)}`;
}

/** Whether two zones show the same wall-clock time at that instant (then one is enough). */
export function sameWallClock(iso: string, a: string, b: string): boolean {
  const format = (zone: string) => new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
  return !knownZone(a) || !knownZone(b) || format(a) === format(b);
}

/** The place a zone is known by: the capital of a country in that zone, in the reader's language, else the zone's city. */
export function zonePlace(zone: string, countries: readonly Country[]): string {
  const country = countries.find((candidate) => candidate.timeZone === zone);
  if (country) return pickContent(country.capitalEs, country.capitalEn);
  return (zone.split('/').pop() ?? zone).replaceAll('_', ' ');
}

/** Picks the message for a count by the interface language's plural rules (French "0 nouveau" is singular). */
export function byCount<T>(count: number, one: () => T, other: () => T): T {
  return new Intl.PluralRules(intlLocale()).select(count) === 'one' ? one() : other();
}
