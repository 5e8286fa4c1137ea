import { Settings } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { api, buildMeetingsApp, createMeeting, getMeeting, populateMeetings, TestClock, wallClock, type MeetingPeople } from './support.js';

/**
 * Real zones of the working group. Expected UTC instants are written out by hand from the
 * countries' rules (Chile: UTC−3 in summer, UTC−4 from Sunday 5 April 2026 00:00 local, UTC−3 again
 * from Sunday 6 September 2026; Mexico: UTC−6 all year since 2022; Argentina UTC−3; Trinidad and
 * Tobago UTC−4; Cuba UTC−5, UTC−4 from 8 March to 1 November 2026) and checked against Intl.
 */

const clock = new TestClock(Date.parse('2026-01-10T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

const starts = (meeting: { occurrences: Array<{ startsAt: string }> }) => meeting.occurrences.map((occurrence) => occurrence.startsAt);

describe('a weekly series across Chile\'s change of clocks', () => {
  it('keeps 10:00 in Santiago before and after the April change, so its UTC instant moves by an hour', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-03-24T13:00:00.000Z', // Tuesday 24 March, 10:00 in Santiago (UTC−3)
      endsAt: '2026-03-24T14:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 4 },
    });
    expect(starts(meeting)).toEqual(['2026-03-24T13:00:00.000Z', '2026-03-31T13:00:00.000Z', '2026-04-07T14:00:00.000Z', '2026-04-14T14:00:00.000Z']);
    expect(meeting.occurrences.map((occurrence) => occurrence.endsAt)).toEqual(['2026-03-24T14:00:00.000Z', '2026-03-31T14:00:00.000Z', '2026-04-07T15:00:00.000Z', '2026-04-14T15:00:00.000Z']);
    for (const start of starts(meeting)) expect(wallClock(start, 'America/Santiago').slice(11)).toBe('10:00');
    // The same instants seen from the other capitals: Buenos Aires does not change, so Santiago's
    // meeting moves from 10:00 to 11:00 there.
    expect(starts(meeting).map((start) => wallClock(start, 'America/Argentina/Buenos_Aires').slice(11))).toEqual(['10:00', '10:00', '11:00', '11:00']);
    expect(starts(meeting).map((start) => wallClock(start, 'America/Mexico_City').slice(11))).toEqual(['07:00', '07:00', '08:00', '08:00']);
  });

  it('and across the September change the other way', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-08-25T14:00:00.000Z', // Tuesday 25 August, 10:00 in Santiago (UTC−4)
      endsAt: '2026-08-25T15:30:00.000Z',
      recurrence: { frequency: 'weekly', count: 3, interval: 1 },
    });
    expect(starts(meeting)).toEqual(['2026-08-25T14:00:00.000Z', '2026-09-01T14:00:00.000Z', '2026-09-08T13:00:00.000Z']);
  });

  it('a monthly series on the 2nd Tuesday, kept in Havana\'s wall clock across Cuba\'s March change', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Havana',
      startsAt: '2026-02-10T14:00:00.000Z', // Tuesday 10 February (2nd Tuesday), 09:00 in Havana (UTC−5)
      endsAt: '2026-02-10T15:00:00.000Z',
      recurrence: { frequency: 'monthly', count: 3, monthlyWeek: 2 },
    });
    // 10 March is after Cuba moved to UTC−4 (8 March): still 09:00 there, one hour earlier in UTC.
    expect(starts(meeting)).toEqual(['2026-02-10T14:00:00.000Z', '2026-03-10T13:00:00.000Z', '2026-04-14T13:00:00.000Z']);
    expect(meeting.recurrence).toEqual({ frequency: 'monthly', interval: 1, count: 3, monthlyWeek: 2 });
  });

  it('a monthly series on the last Friday in Port of Spain, which has no daylight saving', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Port_of_Spain',
      startsAt: '2026-01-30T13:00:00.000Z', // last Friday of January, 09:00 in Port of Spain (UTC−4)
      endsAt: '2026-01-30T14:00:00.000Z',
      recurrence: { frequency: 'monthly', count: 3, monthlyWeek: -1 },
    });
    expect(starts(meeting)).toEqual(['2026-01-30T13:00:00.000Z', '2026-02-27T13:00:00.000Z', '2026-03-27T13:00:00.000Z']);
  });

  it('refuses a monthly rule the first date does not fit', async () => {
    const response = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Mal planeada',
      kind: 'virtual_meeting',
      timeZone: 'America/Mexico_City',
      startsAt: '2026-02-10T16:00:00.000Z', // 2nd Tuesday, but the rule says the 3rd
      endsAt: '2026-02-10T17:00:00.000Z',
      recurrence: { frequency: 'monthly', count: 3, monthlyWeek: 3 },
      invitees: { everyone: true },
    });
    expectError(response, 400, 'recurrence_mismatch');
  });

  it('refuses a zone the tz database does not know', async () => {
    const response = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Zona inventada',
      kind: 'virtual_meeting',
      timeZone: 'America/Atlantis',
      startsAt: '2026-02-10T16:00:00.000Z',
      endsAt: '2026-02-10T17:00:00.000Z',
      invitees: { everyone: true },
    });
    expectError(response, 400, 'invalid_time_zone');
  });
});

describe('local times that a change of clocks repeats or skips', () => {
  // Chile, 2026: Saturday 4 April 24:00 → 23:00 (23:00–23:59 happens twice); Sunday 6 September
  // 00:00 → 01:00 (00:00–00:59 never happens). RFC 5545 §3.3.5, and so every calendar program
  // that follows it: a repeated local time is its first instant; a skipped one is read with the
  // offset before the change, so it falls as much later as the clocks jumped.
  const series = {
    // First Saturday of the month, 23:30 in Santiago, from 7 March (UTC−3): 4 April is repeated.
    repeated: { startsAt: '2026-03-08T02:30:00.000Z', endsAt: '2026-03-08T03:30:00.000Z', recurrence: { frequency: 'monthly', count: 3, monthlyWeek: 1 } },
    // First Sunday of the month, 00:30 in Santiago, from 2 August (UTC−4): 6 September is skipped.
    skipped: { startsAt: '2026-08-02T04:30:00.000Z', endsAt: '2026-08-02T05:30:00.000Z', recurrence: { frequency: 'monthly', count: 3, monthlyWeek: 1 } },
    // Sundays 00:30 from 4 January, in summer time (UTC−3), to 6 September.
    weekly: { startsAt: '2026-01-04T03:30:00.000Z', endsAt: '2026-01-04T04:30:00.000Z', recurrence: { frequency: 'weekly', count: 36 } },
  };
  const expected = {
    repeated: ['2026-03-08T02:30:00.000Z', '2026-04-05T02:30:00.000Z', '2026-05-03T03:30:00.000Z'],
    skipped: ['2026-08-02T04:30:00.000Z', '2026-09-06T04:30:00.000Z', '2026-10-04T03:30:00.000Z'],
  };

  it('are resolved as RFC 5545 says, the same on any day the server works them out', async () => {
    const realNow = Settings.now;
    const ids: Record<string, string> = {};
    try {
      // The server's real date decides nothing: a summer day and a winter day in Santiago.
      for (const today of ['2027-01-15T12:00:00.000Z', '2027-07-15T12:00:00.000Z']) {
        Settings.now = () => Date.parse(today);
        for (const [name, input] of Object.entries(series)) {
          ids[name] ??= (await createMeeting(t.app, people.coordinator, { timeZone: 'America/Santiago', ...input })).id;
          const meeting = await getMeeting(t.app, people.member, ids[name]!);
          if (name === 'weekly') {
            const last = meeting.occurrences.at(-1)!;
            expect({ today, last: last.startsAt }).toEqual({ today, last: '2026-09-06T04:30:00.000Z' });
            expect(wallClock(last.startsAt, 'America/Santiago')).toBe('2026-09-06 01:30');
          } else {
            expect({ today, name, starts: starts(meeting) }).toEqual({ today, name, starts: expected[name as keyof typeof expected] });
          }
        }
      }
    } finally {
      Settings.now = realNow;
    }
  });
});

describe('the capitals\' row', () => {
  it('names each invited country\'s capital (es/en) and its zone', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, { invitees: { everyone: false, countryIds: ['ar', 'mx', 'cl', 'tt', 'cu'] } });
    const byId = Object.fromEntries(meeting.invitedCountries.map((country) => [country.id, country]));
    expect(Object.keys(byId).sort()).toEqual(['ar', 'cl', 'cu', 'mx', 'tt']);
    expect(byId.mx).toMatchObject({ capitalEs: 'Ciudad de México', capitalEn: 'Mexico City', timeZone: 'America/Mexico_City' });
    expect(byId.tt).toMatchObject({ capitalEs: 'Puerto España', capitalEn: 'Port of Spain', timeZone: 'America/Port_of_Spain' });
    expect(byId.cu).toMatchObject({ capitalEs: 'La Habana', capitalEn: 'Havana', timeZone: 'America/Havana' });
    expect(byId.ar).toMatchObject({ capitalEs: 'Buenos Aires', timeZone: 'America/Argentina/Buenos_Aires' });
    expect(byId.cl).toMatchObject({ capitalEs: 'Santiago', timeZone: 'America/Santiago' });
    const countries = await request(t.app, { url: '/api/countries' });
    const chile = countries.json().items.find((country: { id: string }) => country.id === 'cl');
    expect(chile).toMatchObject({ capitalEs: 'Santiago', capitalEn: 'Santiago', timeZone: 'America/Santiago' });
  });
});

describe('the local-hours flag of poll slots', () => {
  it('flags exactly the invited countries for which a slot falls outside 08:00–19:00', async () => {
    const created = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Taller de series temporales',
      kind: 'virtual_workshop',
      timeZone: 'America/Santiago',
      invitees: { everyone: false, countryIds: ['ar', 'mx', 'cl', 'tt', 'cu'] },
      poll: {
        slots: [
          // 09:00 Santiago (UTC−4 in June) · 07:00 Mexico City · 10:00 Buenos Aires · 09:00 Port of Spain · 09:00 Havana (UTC−4)
          { startsAt: '2026-06-09T13:00:00.000Z', endsAt: '2026-06-09T14:00:00.000Z' },
          // 17:00–18:30 Santiago · 15:00 Mexico · 18:00–19:30 Buenos Aires · 17:00 Port of Spain · 17:00 Havana
          { startsAt: '2026-06-10T21:00:00.000Z', endsAt: '2026-06-10T22:30:00.000Z' },
          // 10:00 Santiago · 08:00–09:00 Mexico: inside everywhere
          { startsAt: '2026-06-11T14:00:00.000Z', endsAt: '2026-06-11T15:00:00.000Z' },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const poll = (await api(t.app, people.coordinator, 'GET', `/meetings/${created.json().meeting.id}/poll`)).json().poll;
    const bySlot = Object.fromEntries(poll.slots.map((slot: { startsAt: string; outsideLocalHours: unknown }) => [slot.startsAt, slot.outsideLocalHours]));
    expect(bySlot['2026-06-09T13:00:00.000Z']).toEqual([{ countryId: 'mx', localStart: '07:00', localEnd: '08:00' }]);
    expect(bySlot['2026-06-10T21:00:00.000Z']).toEqual([{ countryId: 'ar', localStart: '18:00', localEnd: '19:30' }]);
    expect(bySlot['2026-06-11T14:00:00.000Z']).toEqual([]);
  });
});
