import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../../helper.js';
import { expectError, openTestDb, randomToken } from '../support.js';
import { api, buildMeetingsApp, createMeeting, populateMeetings, TestClock, type MeetingPeople } from './support.js';

/**
 * The .ics and the personal feed read back by ical.js: what Thunderbird (which embeds it) would
 * see. The server writes with ical.js too; calendar-readers.test.ts reads the same files with
 * readers that share nothing with it (python-icalendar, khal).
 */

const clock = new TestClock(Date.parse('2026-01-10T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

/** Parses a calendar, registering its own VTIMEZONEs first, as a calendar program does. */
function parseCalendar(text: string): ICAL.Component {
  const first = new ICAL.Component(ICAL.parse(text));
  for (const zone of first.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return new ICAL.Component(ICAL.parse(text));
}

const utc = (time: ICAL.Time) => time.toJSDate().toISOString();

async function ics(who: { cookie: string }, meetingId: string) {
  const response = await request(t.app, { url: `/api/meetings/${meetingId}/calendar.ics`, cookie: who.cookie });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
  return { text: response.body, calendar: parseCalendar(response.body) };
}

/** Every occurrence of the calendar's events (series expanded, exceptions applied), as [start, end] UTC. */
function expand(calendar: ICAL.Component, uid: string): Array<[string, string]> {
  const components = calendar.getAllSubcomponents('vevent').filter((event) => event.getFirstPropertyValue('uid') === uid);
  const master = components.find((component) => !component.hasProperty('recurrence-id'))!;
  const event = new ICAL.Event(master, { exceptions: components.filter((component) => component !== master) });
  if (!event.isRecurring()) return [[utc(event.startDate), utc(event.endDate)]];
  const found: Array<[string, string]> = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    found.push([utc(details.startDate), utc(details.endDate)]);
    if (found.length > 200) throw new Error('series does not end');
  }
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('a meeting\'s .ics', () => {
  it('carries a stable UID, exact UTC times, the agenda, the page and the call, with SEQUENCE rising on every change and the cancellation marked', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, { startsAt: '2026-06-09T14:00:00.000Z', endsAt: '2026-06-09T15:30:00.000Z' });
    const first = await ics(people.member, meeting.id);
    const [event] = first.calendar.getAllSubcomponents('vevent');
    expect(first.calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    const uid = event!.getFirstPropertyValue('uid');
    expect(uid).toBe(`${meeting.id}@127.0.0.1`);
    expect(event!.getFirstPropertyValue('summary')).toBe('Reunión mensual de coordinación');
    expect(utc(event!.getFirstPropertyValue('dtstart') as ICAL.Time)).toBe('2026-06-09T14:00:00.000Z');
    expect(utc(event!.getFirstPropertyValue('dtend') as ICAL.Time)).toBe('2026-06-09T15:30:00.000Z');
    expect(event!.hasProperty('dtstamp')).toBe(true);
    expect(event!.getFirstPropertyValue('sequence')).toBe(0);
    expect(event!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event!.getFirstPropertyValue('url')).toBe(`http://127.0.0.1:3000/meetings/${meeting.id}`);
    expect(event!.getFirstPropertyValue('location')).toBe('https://meet.jit.si/concilia-coordinacion');
    const description = String(event!.getFirstPropertyValue('description'));
    expect(description).toContain('1. Apertura (Coordinación) – 10 min');
    expect(description).toContain('2. Informe de conciliación (CEPAL) – 40 min');
    expect(description).toContain(`http://127.0.0.1:3000/meetings/${meeting.id}`);
    expect(first.text).toMatch(/^DTSTART:20260609T140000Z\r$/m);

    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { title: 'Reunión de coordinación (junio)' })).statusCode).toBe(200);
    const second = (await ics(people.member, meeting.id)).calendar.getFirstSubcomponent('vevent')!;
    expect(second.getFirstPropertyValue('uid')).toBe(uid);
    expect(second.getFirstPropertyValue('sequence')).toBe(1);
    expect(second.getFirstPropertyValue('summary')).toBe('Reunión de coordinación (junio)');

    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { startsAt: '2026-06-10T14:00:00.000Z', endsAt: '2026-06-10T15:00:00.000Z' })).statusCode).toBe(200);
    const third = (await ics(people.member, meeting.id)).calendar.getFirstSubcomponent('vevent')!;
    expect(third.getFirstPropertyValue('sequence')).toBe(2);
    expect(utc(third.getFirstPropertyValue('dtstart') as ICAL.Time)).toBe('2026-06-10T14:00:00.000Z');

    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/cancel`, { reason: 'Feriado' })).statusCode).toBe(200);
    const cancelled = (await ics(people.member, meeting.id)).calendar.getFirstSubcomponent('vevent')!;
    expect(cancelled.getFirstPropertyValue('uid')).toBe(uid);
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(3);
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('expands a series across Santiago\'s April change right, with one occurrence moved and one cancelled', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Santiago',
      startsAt: '2026-03-24T13:00:00.000Z', // Tuesdays 10:00–11:00 in Santiago
      endsAt: '2026-03-24T14:00:00.000Z',
      recurrence: { frequency: 'weekly', count: 5 },
    });
    // Cancel 31 March; move 14 April (10:00 Santiago, UTC−4) to Wednesday 15 April 15:00–16:00 Santiago.
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}/occurrences/2026-03-31T13:00:00.000Z`, { state: 'cancelled' })).statusCode).toBe(200);
    const moved = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}/occurrences/2026-04-14T14:00:00.000Z`, { startsAt: '2026-04-15T19:00:00.000Z', endsAt: '2026-04-15T20:00:00.000Z' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().meeting.sequence).toBe(2);

    const { text, calendar } = await ics(people.member, meeting.id);
    expect(text).toMatch(/^RRULE:FREQ=WEEKLY;COUNT=5\r$/m);
    expect(text).toMatch(/^DTSTART;TZID=America\/Santiago:20260324T100000\r$/m);
    expect(text).toMatch(/^EXDATE;TZID=America\/Santiago:20260331T100000\r$/m);
    expect(text).toMatch(/^RECURRENCE-ID;TZID=America\/Santiago:20260414T100000\r$/m);
    expect(calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['America/Santiago']);
    expect(expand(calendar, `${meeting.id}@127.0.0.1`)).toEqual([
      ['2026-03-24T13:00:00.000Z', '2026-03-24T14:00:00.000Z'],
      ['2026-04-07T14:00:00.000Z', '2026-04-07T15:00:00.000Z'], // after the change: still 10:00 in Santiago
      ['2026-04-15T19:00:00.000Z', '2026-04-15T20:00:00.000Z'], // the moved one
      ['2026-04-21T14:00:00.000Z', '2026-04-21T15:00:00.000Z'],
    ]);
  });

  it('expands a monthly "last Friday" series in Mexico City (no daylight saving since 2022) at 09:00 local every month', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Mexico_City',
      startsAt: '2026-03-27T15:00:00.000Z',
      endsAt: '2026-03-27T16:00:00.000Z',
      recurrence: { frequency: 'monthly', count: 3, monthlyWeek: -1 },
    });
    const { calendar } = await ics(people.member, meeting.id);
    // April to October used to be UTC−5 in Mexico; a VTIMEZONE with the old rule would shift these.
    expect(expand(calendar, `${meeting.id}@127.0.0.1`).map(([start]) => start)).toEqual(['2026-03-27T15:00:00.000Z', '2026-04-24T15:00:00.000Z', '2026-05-29T15:00:00.000Z']);
  });

  it('answers 409 while the meeting is still polling, and 404 to someone not invited', async () => {
    const polling = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Sin fecha',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      invitees: { everyone: true },
      poll: { slots: [{ startsAt: '2026-07-01T14:00:00.000Z', endsAt: '2026-07-01T15:00:00.000Z' }, { startsAt: '2026-07-02T14:00:00.000Z', endsAt: '2026-07-02T15:00:00.000Z' }] },
    });
    expectError(await request(t.app, { url: `/api/meetings/${polling.json().meeting.id}/calendar.ics`, cookie: people.member.cookie }), 409, 'not_scheduled');
    const mexicoOnly = await createMeeting(t.app, people.coordinator, { invitees: { everyone: false, countryIds: ['mx'] } });
    expectError(await request(t.app, { url: `/api/meetings/${mexicoOnly.id}/calendar.ics`, cookie: people.member.cookie }), 404, 'not_found');
    expect((await request(t.app, { url: `/api/meetings/${mexicoOnly.id}/calendar.ics`, cookie: people.otherMember.cookie })).statusCode).toBe(200);
  });
});

describe('the personal calendar feed', () => {
  it('lists the person\'s meetings without a session, and stops working when rotated or revoked', async () => {
    const forChile = await createMeeting(t.app, people.coordinator, { title: 'Para Chile', invitees: { everyone: false, countryIds: ['cl'] }, startsAt: '2026-05-05T14:00:00.000Z', endsAt: '2026-05-05T15:00:00.000Z' });
    const forMexico = await createMeeting(t.app, people.coordinator, { title: 'Para México', invitees: { everyone: false, countryIds: ['mx'] } });
    const cancelled = await createMeeting(t.app, people.coordinator, { title: 'Cancelada', invitees: { everyone: true } });
    await api(t.app, people.coordinator, 'POST', `/meetings/${cancelled.id}/cancel`, {});

    expect((await api(t.app, people.member, 'GET', '/calendar/feed')).json()).toEqual({ feed: null });
    const created = await api(t.app, people.member, 'POST', '/calendar/feed', {});
    expect(created.statusCode, created.body).toBe(201);
    const { url, webcalUrl } = created.json().feed as { url: string; webcalUrl: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/api\/calendar\/[a-z2-7]{32}\/meetings\.ics$/);
    expect(webcalUrl).toBe(url.replace('http:', 'webcal:'));
    const path = new URL(url).pathname;

    // No cookie: the token alone opens it.
    const feed = await t.app.inject({ url: path });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.headers['set-cookie']).toBeUndefined();
    const calendar = parseCalendar(feed.body);
    const events = calendar.getAllSubcomponents('vevent');
    const summaries = new Set(events.map((event) => String(event.getFirstPropertyValue('summary'))));
    expect(summaries.has('Para Chile')).toBe(true);
    expect(summaries.has('Para México')).toBe(false);
    expect(summaries.has('Cancelada')).toBe(true);
    const byUid = (id: string) => events.find((event) => event.getFirstPropertyValue('uid') === `${id}@127.0.0.1`);
    expect(byUid(cancelled.id)!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(utc(byUid(forChile.id)!.getFirstPropertyValue('dtstart') as ICAL.Time)).toBe('2026-05-05T14:00:00.000Z');
    expect(byUid(forMexico.id)).toBeUndefined();
    // The series of the earlier tests are expanded the same way from the feed.
    expect((await api(t.app, people.member, 'GET', '/calendar/feed')).json().feed.lastUsedAt).not.toBeNull();

    // Without a token, or with one that was never issued: refused.
    expectError(await t.app.inject({ url: '/api/calendar/meetings.ics' }), 404, 'not_found');
    expectError(await t.app.inject({ url: `/api/calendar/${randomToken()}/meetings.ics` }), 404, 'not_found');

    // Rotated: the old address is dead, the new one works.
    const rotated = (await api(t.app, people.member, 'POST', '/calendar/feed', {})).json().feed.url as string;
    expect(rotated).not.toBe(url);
    expectError(await t.app.inject({ url: path }), 404, 'not_found');
    expect((await t.app.inject({ url: new URL(rotated).pathname })).statusCode).toBe(200);

    // Revoked: nothing works.
    expect((await api(t.app, people.member, 'DELETE', '/calendar/feed')).statusCode).toBe(204);
    expectError(await t.app.inject({ url: new URL(rotated).pathname }), 404, 'not_found');
    expect((await api(t.app, people.member, 'GET', '/calendar/feed')).json()).toEqual({ feed: null });
  });

  it('keeps only the token\'s hash', async () => {
    const url = (await api(t.app, people.otherMember, 'POST', '/calendar/feed', {})).json().feed.url as string;
    const token = new URL(url).pathname.split('/')[3]!;
    const db = openTestDb(t);
    try {
      const rows = await db.prepare('select token_hash from calendar_feeds').values<string>();
      expect(rows).not.toContain(token);
      const { createHash } = await import('node:crypto');
      expect(rows).toContain(createHash('sha256').update(token).digest('hex'));
    } finally {
      await db.close();
    }
  });
});

describe('what calendar programs check in a file', () => {
  it('names the organizer (a no-reply address of the forum), ends every line, the last too, with CRLF, and keeps the description\'s paragraphs and lists', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      description: 'Primer párrafo con **negrita** y [el informe](https://www.cepal.org/informe).\n\nSegundo párrafo:\n\n- punto uno\n- [x] punto dos',
    });
    const organizer = (meeting as unknown as { organizer: { displayName: string } }).organizer.displayName;
    const { text, calendar } = await ics(people.member, meeting.id);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const event = calendar.getFirstSubcomponent('vevent')!;
    const property = event.getFirstProperty('organizer')!;
    expect(property.getFirstValue()).toBe('mailto:no-reply@[127.0.0.1]');
    expect(property.getParameter('cn')).toBe(organizer);
    const description = String(event.getFirstPropertyValue('description'));
    expect(description).toContain('Primer párrafo con negrita y el informe (https://www.cepal.org/informe).\n\nSegundo párrafo:\n\n- punto uno\n- [x] punto dos\n\n');
    // As the file writes it: "\n" escapes, folded lines unfolded.
    expect(text.replace(/\r\n[ \t]/g, '')).toContain('informe).\\n\\nSegundo párrafo:\\n\\n- punto uno\\n- [x] punto dos');
  });

  it('a meeting\'s .ics has an ETag and a Last-Modified, answers 304 to either, and changes its ETag with the meeting', async () => {
    clock.set('2026-01-12T09:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, { title: 'Validadores' });
    const url = `/api/meetings/${meeting.id}/calendar.ics`;
    const first = await request(t.app, { url, cookie: people.member.cookie });
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{16,}"$/);
    expect(first.headers['last-modified']).toBe('Mon, 12 Jan 2026 09:00:00 GMT');
    // The same bytes on the next request (DTSTAMP is the meeting's last change, not the hour).
    clock.advance(60_000);
    const again = await request(t.app, { url, cookie: people.member.cookie });
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe(first.body);

    const byTag = await request(t.app, { url, cookie: people.member.cookie, headers: { 'if-none-match': etag } });
    expect(byTag.statusCode).toBe(304);
    expect(byTag.body).toBe('');
    expect(byTag.headers.etag).toBe(etag);
    const byDate = await request(t.app, { url, cookie: people.member.cookie, headers: { 'if-modified-since': first.headers['last-modified'] as string } });
    expect(byDate.statusCode).toBe(304);

    clock.advance(60_000);
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { title: 'Validadores (cambiada)' })).statusCode).toBe(200);
    const changed = await request(t.app, { url, cookie: people.member.cookie, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.headers['last-modified']).toBe('Mon, 12 Jan 2026 09:02:00 GMT');
    expect(changed.body).toContain('SUMMARY:Validadores (cambiada)');
    clock.set('2026-01-10T12:00:00.000Z');
  });

  it('the feed tells subscribers to refresh hourly, has an ETag and a Last-Modified, answers 304, and a change in a meeting changes its ETag', async () => {
    clock.set('2026-01-13T08:00:00.000Z');
    const meeting = await createMeeting(t.app, people.coordinator, { title: 'En el feed' });
    const path = new URL((await api(t.app, people.trinidad, 'POST', '/calendar/feed', {})).json().feed.url as string).pathname;
    const first = await t.app.inject({ url: path });
    expect(first.statusCode).toBe(200);
    expect(first.body).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:PT1H\r$/m);
    expect(first.body).toMatch(/^X-PUBLISHED-TTL:PT1H\r$/m);
    expect(first.body).toMatch(/^X-WR-CALNAME:Concilia\r$/m);
    expect(first.body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{16,}"$/);
    expect(first.headers['last-modified']).toBe('Tue, 13 Jan 2026 08:00:00 GMT');

    // An hour later, nothing changed: the same ETag and date, and 304 to a client that has it.
    clock.advance(60 * 60_000);
    const unchanged = await t.app.inject({ url: path, headers: { 'if-none-match': etag } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(etag);
    expect(unchanged.headers['last-modified']).toBe('Tue, 13 Jan 2026 08:00:00 GMT');
    expect((await t.app.inject({ url: path, headers: { 'if-modified-since': 'Tue, 13 Jan 2026 08:00:00 GMT' } })).statusCode).toBe(304);

    // The organizer moves the meeting: the feed's ETag and date change, and the client gets it all.
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { startsAt: '2026-06-16T14:00:00.000Z', endsAt: '2026-06-16T15:00:00.000Z' })).statusCode).toBe(200);
    const changed = await t.app.inject({ url: path, headers: { 'if-none-match': etag, 'if-modified-since': 'Tue, 13 Jan 2026 08:00:00 GMT' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.headers['last-modified']).toBe('Tue, 13 Jan 2026 09:00:00 GMT');
    expect(changed.body).toContain('DTSTART:20260616T140000Z');
    clock.set('2026-01-10T12:00:00.000Z');
  });
});

describe('add-to-calendar links', () => {
  it('fill in Google\'s and Outlook\'s forms with the exact times, the zone and the series rule', async () => {
    const meeting = await createMeeting(t.app, people.coordinator, {
      timeZone: 'America/Argentina/Buenos_Aires',
      startsAt: '2026-05-04T13:00:00.000Z',
      endsAt: '2026-05-04T14:30:00.000Z',
      recurrence: { frequency: 'weekly', count: 6, interval: 2 },
    });
    const google = new URL(meeting.calendarLinks!.google);
    expect(google.origin).toBe('https://calendar.google.com');
    expect(google.searchParams.get('dates')).toBe('20260504T130000Z/20260504T143000Z');
    expect(google.searchParams.get('ctz')).toBe('America/Argentina/Buenos_Aires');
    expect(google.searchParams.get('recur')).toBe('RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=6');
    expect(google.searchParams.get('location')).toBe('https://meet.jit.si/concilia-coordinacion');
    expect(google.searchParams.get('details')).toContain(meeting.pageUrl);
    const outlook = new URL(meeting.calendarLinks!.outlook);
    expect(outlook.host).toBe('outlook.office.com');
    expect(outlook.searchParams.get('startdt')).toBe('2026-05-04T13:00:00.000Z');
    expect(outlook.searchParams.get('enddt')).toBe('2026-05-04T14:30:00.000Z');
    expect(new URL(meeting.calendarLinks!.outlookLive).host).toBe('outlook.live.com');
  });
});
