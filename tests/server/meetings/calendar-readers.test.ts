import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request, type TestApp } from '../../helper.js';
import { apiInstants, describeWithReaders, readWithIcalJs, readWithKhal, readWithPython, type Instants } from './calendar-readers.js';
import { api, buildMeetingsApp, createMeeting, getMeeting, populateMeetings, TestClock, wallClock, type MeetingDetail, type MeetingPeople } from './support.js';

/**
 * Every reader finds in the .ics exactly the instants the API lists, in the zones and at the local
 * times where readers used to disagree: Asunción (no daylight saving since October 2024: a
 * VTIMEZONE that still called −03 daylight time crashed python-icalendar), and Santiago's changes
 * of 2026 (Saturday 4 April 24:00 → 23:00, so 23:00–23:59 happens twice; Sunday 6 September
 * 00:00 → 01:00, so 00:00–00:59 never happens), where ical.js, khal and python-icalendar each
 * resolved a repeated or skipped local time their own way.
 */

const clock = new TestClock(Date.parse('2026-01-10T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

async function ics(meetingId: string): Promise<string> {
  const response = await request(t.app, { url: `/api/meetings/${meetingId}/calendar.ics`, cookie: people.member.cookie });
  expect(response.statusCode, response.body).toBe(200);
  return response.body;
}

/** Every meeting checked so far, with the API's instants: the feed must hold them all. */
const checked = new Map<string, Instants>();

const day = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

/** Asserts that ical.js, python-icalendar (both ways) and khal all read the API's instants from the meeting's .ics. */
async function expectReadersAgree(meeting: MeetingDetail): Promise<Instants> {
  const current = await getMeeting(t.app, people.member, meeting.id);
  const expected = apiInstants(current);
  checked.set(meeting.id, expected);
  const text = await ics(meeting.id);
  const first = expected[0]![0];
  const last = expected.at(-1)![1];
  expect({ reader: 'ical.js', instants: readWithIcalJs(text) }).toEqual({ reader: 'ical.js', instants: expected });
  expect({ reader: 'python-icalendar (tz names)', instants: readWithPython(text, 'names') }).toEqual({ reader: 'python-icalendar (tz names)', instants: expected });
  expect({ reader: 'python-icalendar (VTIMEZONE)', instants: readWithPython(text, 'vtimezone') }).toEqual({ reader: 'python-icalendar (VTIMEZONE)', instants: expected });
  expect({ reader: 'khal', instants: readWithKhal(text, day(first, -1), day(last, 1)) }).toEqual({ reader: 'khal', instants: expected });
  return expected;
}

describeWithReaders('every iCalendar reader agrees with the API', () => {
  it('in Asunción, where −03 has been standard time since October 2024: STANDARD only, and python-icalendar reads it', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Asuncion',
      startsAt: '2026-03-03T13:00:00.000Z', // Tuesdays 10:00 in Asunción, all year long
      endsAt: '2026-03-03T14:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 40 },
    });
    const calendar = new ICAL.Component(ICAL.parse(await ics(meeting.id)));
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('America/Asuncion');
    expect(zone.getAllSubcomponents('daylight')).toEqual([]);
    const standard = zone.getAllSubcomponents('standard');
    expect(standard.length).toBeGreaterThan(0);
    expect(String(standard.at(-1)!.getFirstPropertyValue('tzoffsetto'))).toBe('-03:00');
    const instants = await expectReadersAgree(meeting);
    expect(instants).toHaveLength(40);
    expect(instants.every(([start]) => start.endsWith('T13:00:00.000Z'))).toBe(true);
  });

  it('in Santiago across the April change, with an occurrence at the repeated 23:30 and another moved into it', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-03-22T02:30:00.000Z', // Saturdays 23:30–00:30 in Santiago, from 21 March (UTC−3)
      endsAt: '2026-03-22T03:30:00.000Z',
      recurrence: { frequency: 'weekly', count: 5 },
    });
    // 4 April 23:30 happens twice; the API takes the first (UTC−3, 02:30Z), as RFC 5545 reads it.
    expect(meeting.occurrences.map((occurrence) => occurrence.startsAt)).toEqual([
      '2026-03-22T02:30:00.000Z',
      '2026-03-29T02:30:00.000Z',
      '2026-04-05T02:30:00.000Z',
      '2026-04-12T03:30:00.000Z',
      '2026-04-19T03:30:00.000Z',
    ]);
    // The 18 April one moved to the second 23:30 of 4 April (UTC−4).
    const moved = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}/occurrences/2026-04-19T03:30:00.000Z`, { startsAt: '2026-04-05T03:30:00.000Z', endsAt: '2026-04-05T04:30:00.000Z' });
    expect(moved.statusCode, moved.body).toBe(200);
    const instants = await expectReadersAgree(meeting);
    expect(instants.map(([start]) => start)).toContain('2026-04-05T03:30:00.000Z');
  });

  it('in Santiago across the September change, with an occurrence at the skipped 00:30 and a cancelled one there', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-08-23T04:30:00.000Z', // Sundays 00:30–01:30 in Santiago, from 23 August (UTC−4)
      endsAt: '2026-08-23T05:30:00.000Z',
      recurrence: { frequency: 'weekly', count: 5 },
    });
    // 6 September 00:30 does not exist: read with the offset before the change, it is 01:30 (UTC−3).
    const skipped = meeting.occurrences[2]!;
    expect(skipped.startsAt).toBe('2026-09-06T04:30:00.000Z');
    expect(wallClock(skipped.startsAt, 'America/Santiago')).toBe('2026-09-06 01:30');
    await expectReadersAgree(meeting);

    // The same series with the skipped occurrence cancelled: no reader shows it.
    const cancelled = await createMeeting(t.app, people.coordinator, { timeZone: 'America/Santiago', startsAt: '2026-08-23T04:30:00.000Z', endsAt: '2026-08-23T05:30:00.000Z', recurrence: { frequency: 'weekly', count: 5 } });
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${cancelled.id}/occurrences/2026-09-06T04:30:00.000Z`, { state: 'cancelled' })).statusCode).toBe(200);
    const instants = await expectReadersAgree(cancelled);
    expect(instants).toHaveLength(4);
    expect(instants.map(([start]) => start)).not.toContain('2026-09-06T04:30:00.000Z');
  });

  it('for series that start at either of the two 23:30s of 4 April and last 90 minutes', async () => {
    const first = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-04-05T02:30:00.000Z', // Saturday 4 April, the first 23:30 (UTC−3)
      endsAt: '2026-04-05T04:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 3 },
    });
    expect(await expectReadersAgree(first)).toEqual([
      ['2026-04-05T02:30:00.000Z', '2026-04-05T04:00:00.000Z'],
      ['2026-04-12T03:30:00.000Z', '2026-04-12T05:00:00.000Z'],
      ['2026-04-19T03:30:00.000Z', '2026-04-19T05:00:00.000Z'],
    ]);
    const second = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-04-05T03:30:00.000Z', // the second 23:30 (UTC−4)
      endsAt: '2026-04-05T05:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 3 },
    });
    expect(await expectReadersAgree(second)).toEqual([
      ['2026-04-05T03:30:00.000Z', '2026-04-05T05:00:00.000Z'],
      ['2026-04-12T03:30:00.000Z', '2026-04-12T05:00:00.000Z'],
      ['2026-04-19T03:30:00.000Z', '2026-04-19T05:00:00.000Z'],
    ]);
  });

  it('for a monthly series and the personal feed with all of them', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-08-02T04:30:00.000Z', // first Sunday of the month, 00:30 in Santiago (UTC−4)
      endsAt: '2026-08-02T05:30:00.000Z',
      recurrence: { frequency: 'monthly', count: 3, monthlyWeek: 1 },
    });
    const instants = await expectReadersAgree(meeting);
    expect(instants.map(([start]) => start)).toEqual(['2026-08-02T04:30:00.000Z', '2026-09-06T04:30:00.000Z', '2026-10-04T03:30:00.000Z']);

    // The feed holds every meeting above, one VTIMEZONE per zone: the readers find the API's instants in it.
    const created = await api(t.app, people.member, 'POST', '/calendar/feed', {});
    const feed = await t.app.inject({ url: new URL(created.json().feed.url as string).pathname });
    expect(feed.statusCode).toBe(200);
    // As the readers list them: one line per distinct [start, end] (some series above share instants).
    const expected = [...new Map([...checked.values()].flat().map((pair) => [pair.join(' '), pair])).values()].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
    expect(expected.length).toBeGreaterThan(50);
    expect(readWithIcalJs(feed.body)).toEqual(expected);
    expect(readWithPython(feed.body, 'vtimezone')).toEqual(expected);
    expect(readWithPython(feed.body, 'names')).toEqual(expected);
  });
});
