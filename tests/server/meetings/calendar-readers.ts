import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { describe } from 'vitest';

/**
 * Three iCalendar readers that the server's writer knows nothing of, each asked for the instants
 * (UTC, "…Z") of every event occurrence in a file, series expanded and exceptions applied:
 * - ical.js (Thunderbird's), trusting the file's VTIMEZONE as Thunderbird does;
 * - Debian's python3-icalendar with python3-recurring-ical-events, either resolving a TZID by its
 *   name in the system tz database (what it does for a zone it knows) or, with the TZIDs renamed,
 *   from the file's VTIMEZONE alone (what it does for a zone it does not know);
 * - khal, the terminal calendar (python-icalendar and pytz underneath, its own expansion), driven
 *   through its `list` command on a throw-away vdir and configuration.
 * Debian's packages, not pip's: /usr/bin/python3 rather than whatever python3 is first on PATH.
 */

export type Instants = Array<[string, string]>;

export const PYTHON = '/usr/bin/python3';
export const KHAL = '/usr/bin/khal';

/**
 * Whether the Python readers (python3-icalendar, python3-recurring-ical-events, khal) are here. As
 * for the browser tests, a missing reader fails the run in CI and skips, with the reason, elsewhere.
 */
export function readersAvailability(): { available: true } | { available: false; reason: string } {
  const missing: string[] = [];
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import icalendar, recurring_ical_events'], { stdio: 'ignore' }).status !== 0) {
    missing.push(`python3-icalendar and python3-recurring-ical-events for ${PYTHON}`);
  }
  if (!existsSync(KHAL)) missing.push(`khal at ${KHAL}`);
  if (missing.length === 0) return { available: true };
  const reason = `missing ${missing.join(' and ')} (apt-get install python3-icalendar python3-recurring-ical-events khal)`;
  if (process.env.CI === 'true') throw new Error(`The iCalendar reader tests cannot run in CI: ${reason}.`);
  return { available: false, reason };
}

/** `describe` for tests that need the Python readers: skipped with the reason outside CI when they are missing. */
export function describeWithReaders(name: string, body: () => void): void {
  const availability = readersAvailability();
  if (availability.available) {
    describe(name, body);
    return;
  }
  console.warn(`iCalendar reader tests "${name}" skipped: ${availability.reason}`);
  describe.skip(`${name} (skipped: ${availability.reason})`, body);
}

const sorted = (instants: Instants) => [...new Map(instants.map((pair) => [pair.join(' '), pair])).values()].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));

/** ical.js: the file's VTIMEZONEs registered first, as a calendar program does. */
export function readWithIcalJs(text: string): Instants {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const parsed = new ICAL.Component(ICAL.parse(text));
  const iso = (time: ICAL.Time) => time.toJSDate().toISOString();
  const events = parsed.getAllSubcomponents('vevent');
  const found: Instants = [];
  for (const uid of new Set(events.map((event) => String(event.getFirstPropertyValue('uid'))))) {
    const components = events.filter((event) => event.getFirstPropertyValue('uid') === uid);
    const master = components.find((component) => !component.hasProperty('recurrence-id'))!;
    const event = new ICAL.Event(master, { exceptions: components.filter((component) => component !== master) });
    if (!event.isRecurring()) {
      found.push([iso(event.startDate), iso(event.endDate)]);
      continue;
    }
    const iterator = event.iterator();
    for (let next = iterator.next(), count = 0; next; next = iterator.next(), count++) {
      if (count > 1000) throw new Error('series does not end');
      const details = event.getOccurrenceDetails(next);
      found.push([iso(details.startDate), iso(details.endDate)]);
    }
  }
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.remove(String(zone.getFirstPropertyValue('tzid')));
  return sorted(found);
}

const PYTHON_READER = String.raw`
import datetime, json, re, sys
import icalendar, recurring_ical_events

text = sys.stdin.read()
if sys.argv[1] == 'vtimezone':
    # An unknown TZID makes python-icalendar build the zone from the file's VTIMEZONE (to_tz).
    text = re.sub(r'(TZID[=:])', r'\1X-Unknown-', text)
calendar = icalendar.Calendar.from_ical(text)
for zone in calendar.walk('VTIMEZONE'):
    zone.to_tz()
utc = datetime.timezone.utc
iso = lambda value: value.astimezone(utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
found = []
for event in recurring_ical_events.of(calendar).between((1990, 1, 1), (2100, 1, 1)):
    start = event['DTSTART'].dt
    end = event['DTEND'].dt if 'DTEND' in event else start + event['DURATION'].dt
    found.append([iso(start), iso(end)])
print(json.dumps(found))
`;

/** python3-icalendar + recurring-ical-events; `zones`: by TZID name (system tz database) or from the file's VTIMEZONE. */
export function readWithPython(text: string, zones: 'names' | 'vtimezone'): Instants {
  const result = spawnSync(PYTHON, ['-c', PYTHON_READER, zones], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`python-icalendar (${zones}) failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return sorted(JSON.parse(result.stdout) as Instants);
}

/** khal's `list` over [from, to] (dates), in UTC, on a fresh vdir holding only this file (one meeting). */
export function readWithKhal(text: string, from: string, to: string): Instants {
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-khal-'));
  try {
    const vdir = path.join(dir, 'calendar');
    mkdirSync(vdir);
    writeFileSync(path.join(vdir, 'meeting.ics'), text);
    const config = path.join(dir, 'config');
    writeFileSync(
      config,
      [
        '[calendars]',
        '[[meetings]]',
        `path = ${vdir}`,
        '[sqlite]',
        `path = ${path.join(dir, 'khal.db')}`,
        '[locale]',
        'local_timezone = UTC',
        'default_timezone = UTC',
        'timeformat = %H:%M:%S',
        'dateformat = %Y-%m-%d',
        'longdateformat = %Y-%m-%d',
        'datetimeformat = %Y-%m-%dT%H:%M:%S',
        'longdatetimeformat = %Y-%m-%dT%H:%M:%S',
        '',
      ].join('\n'),
    );
    const output = execFileSync(KHAL, ['-c', config, 'list', '--format', '{start-long}|{end-long}', '--day-format', '', from, to], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, TZ: 'UTC', LC_ALL: 'C.UTF-8' },
    });
    // An event across midnight is listed under both days: one occurrence all the same.
    return sorted(
      output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.includes('|'))
        .map((line) => line.split('|').map((part) => `${part.trim()}.000Z`) as [string, string]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The API's occurrences that a calendar shows (cancelled ones are excluded there), as reader instants. */
export function apiInstants(meeting: { occurrences: Array<{ startsAt: string; endsAt: string; state: string }> }): Instants {
  return sorted(meeting.occurrences.filter((occurrence) => occurrence.state !== 'cancelled').map((occurrence) => [occurrence.startsAt, occurrence.endsAt]));
}
