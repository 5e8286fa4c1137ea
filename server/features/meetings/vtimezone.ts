import { DateTime, IANAZone } from 'luxon';
import { LRUCache } from 'lru-cache';

/**
 * The VTIMEZONE of a zone over a span of time, built from the same tz database as the times
 * themselves: each offset change in the span as its own observance. The libraries that ship
 * VTIMEZONE blocks encode each zone as one yearly rule of some past year, which is wrong for Mexico
 * since 2022, for Paraguay since 2024 and for some years of Chile's rule: calendars that trust the
 * file would shift meetings.
 */

const HOUR_MS = 60 * 60_000;
/** How far past the span the neighbouring offsets are looked for, to tell daylight from standard time. */
const MARGIN_MS = 400 * 24 * HOUR_MS;

const basic = (dt: DateTime) => dt.toFormat("yyyyLLdd'T'HHmmss");
const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};

/**
 * The instants in [from, to) at which the zone's UTC offset changes, to the second. Sampled a week
 * apart (each lookup goes through Intl, some 50 µs): two changes less than a week apart would be
 * missed, which no zone has had in decades.
 */
function transitions(zone: IANAZone, from: number, to: number): number[] {
  const STEP = 7 * 24 * HOUR_MS;
  const found: number[] = [];
  let before = zone.offset(from);
  for (let t = from; t < to; t += STEP) {
    const after = zone.offset(t + STEP);
    if (after === before) continue;
    // Bisect to the second: the last instant with the old offset, and the first with the new.
    let lo = t;
    let hi = t + STEP;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (zone.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    found.push(hi);
    before = after;
  }
  return found;
}

/** A stretch of time with one offset: from `at` (the change into it) to the next change, if any. */
interface Stretch {
  at: number;
  offset: number;
}

/**
 * Daylight time is an offset the zone leaves again for a lower one, having come from a lower one:
 * a summer. The last stretch, with no change after it (Paraguay since October 2024, Mexico since
 * October 2022), is the zone's standard time whatever it was called before; so is a stretch whose
 * neighbours are not both lower (a permanent change of standard offset).
 */
function isDaylight(stretches: Stretch[], index: number): boolean {
  const previous = stretches[index - 1];
  const next = stretches[index + 1];
  const offset = stretches[index]!.offset;
  return previous !== undefined && next !== undefined && previous.offset < offset && next.offset < offset;
}

const cache = new LRUCache<string, string>({ max: 200 });

/** The VTIMEZONE text (CRLF lines) of `zone` covering the whole years of [from, to]. */
export function vtimezone(zoneName: string, from: number, to: number): string {
  const fromYear = DateTime.fromMillis(from, { zone: 'utc' }).startOf('year');
  const toYear = DateTime.fromMillis(to, { zone: 'utc' }).endOf('year');
  const key = `${zoneName} ${fromYear.year} ${toYear.year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const zone = IANAZone.create(zoneName);
  const start = fromYear.toMillis();
  const end = toYear.toMillis();
  // The stretches around the span too, so the first and last observances are typed by their neighbours.
  const stretches: Stretch[] = [{ at: start - MARGIN_MS, offset: zone.offset(start - MARGIN_MS) }];
  for (const at of transitions(zone, start - MARGIN_MS, end + MARGIN_MS)) stretches.push({ at, offset: zone.offset(at) });

  const lines = ['BEGIN:VTIMEZONE', `TZID:${zoneName}`];
  stretches.forEach((stretch, index) => {
    const next = stretches[index + 1];
    if (next !== undefined && next.at <= start) return; // over before the span
    if (stretch.at > end) return; // begins after it
    // The first observance in the span starts with the span, at the offset then in force.
    const at = Math.max(stretch.at, start);
    const offsetFrom = at === stretch.at ? stretches[index - 1]?.offset ?? stretch.offset : stretch.offset;
    const type = isDaylight(stretches, index) ? 'DAYLIGHT' : 'STANDARD';
    // An observance's DTSTART is the local time of the offset it leaves.
    const onset = DateTime.fromMillis(at, { zone: 'utc' }).plus({ minutes: offsetFrom });
    const name = DateTime.fromMillis(at, { zone }).toFormat('ZZZZ');
    lines.push(`BEGIN:${type}`, `DTSTART:${basic(onset)}`, `TZOFFSETFROM:${offsetText(offsetFrom)}`, `TZOFFSETTO:${offsetText(stretch.offset)}`, `TZNAME:${name}`, `END:${type}`);
  });
  lines.push('END:VTIMEZONE');
  const text = lines.join('\r\n');
  cache.set(key, text);
  return text;
}
