import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, type TestApp } from '../../helper.js';
import { LiveClient, listen, type EventMessage } from '../live-support.js';
import { expectError } from '../support.js';
import { MINUTE, HOUR, counts, meetingAt, room, type QuickPoll } from './room-support.js';
import { api, buildMeetingsApp, populateMeetings, TestClock, type MeetingPeople, type Participant } from './support.js';

/**
 * The live room over real websockets on 127.0.0.1: presence, chat, the agenda moving, quick polls
 * with live results, attendance by joining and by hand, and the room's window. The app's clock is
 * the test's; the sockets' timing is real.
 */

const BASE = Date.parse('2026-05-04T13:00:00.000Z');
const clock = new TestClock(BASE);
let t: TestApp;
let url: string;
let people: MeetingPeople;
/** A second delegate of Chile, for the one-answer-per-country rule. */
let chileAlternate: Participant;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  url = await listen(t.app);
  people = await populateMeetings(t.app);
  const added = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'cl' }, { displayName: 'Camila Alterna' });
  chileAlternate = { id: added.id, cookie: added.cookie };
});

// Tests that move the clock leave it where the others expect it, pass or fail.
afterEach(() => clock.set(BASE));

afterAll(async () => {
  await LiveClient.closeAll();
  await t?.close();
});

/** A socket subscribed to the meeting's topic. */
async function inRoom(who: Participant, meetingId: string): Promise<LiveClient> {
  const client = await LiveClient.connect(url, who.cookie);
  expect(await client.subscribe([`meeting:${meetingId}`])).toMatchObject({ type: 'subscribed' });
  return client;
}

const roomEvent = (client: LiveClient, type: string, from = 0, test: (payload: any) => boolean = () => true) =>
  client.next((message) => message.type === 'event' && (message as EventMessage).event === type && test((message as EventMessage).payload), { from }) as Promise<EventMessage & { payload: any }>;

describe('presence, chat and the agenda, live', () => {
  it('shows two members present to each other, delivers a chat message and an agenda advance to the others', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE);
    const chile = await inRoom(people.member, meeting.id);
    const mexico = await inRoom(people.otherMember, meeting.id);
    const coordinator = await inRoom(people.coordinator, meeting.id);

    chile.send({ type: 'presence', topic: `meeting:${meeting.id}` });
    mexico.send({ type: 'presence', topic: `meeting:${meeting.id}` });
    const bothPresent = (message: { type: string; users?: unknown }) =>
      message.type === 'presence' && Array.isArray(message.users) && message.users.length === 2;
    for (const client of [chile, mexico, coordinator]) {
      const presence = (await client.next(bothPresent)) as unknown as { users: Array<{ id: string; countryId: string }> };
      expect(presence.users.map((user) => user.id).sort()).toEqual([people.member.id, people.otherMember.id].sort());
      expect(presence.users.map((user) => user.countryId).sort()).toEqual(['cl', 'mx']);
    }

    const from = mexico.messages.length;
    const posted = await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: 'Chile confirma la **serie 2025**. <script>alert(1)</script>' });
    expect(posted.statusCode, posted.body).toBe(201);
    const message = posted.json().message;
    expect(message.html).toContain('<strong>serie 2025</strong>');
    expect(message.html).not.toContain('<script');
    expect(message.author).toMatchObject({ id: people.member.id, countryId: 'cl' });
    const delivered = await roomEvent(mexico, 'room.message', from);
    expect(delivered.payload.message).toEqual(message);
    expect((await roomEvent(coordinator, 'room.message')).payload.message.id).toBe(message.id);

    const second = meeting.agenda[1]!.id;
    const advanced = await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: second });
    expect(advanced.statusCode, advanced.body).toBe(200);
    expect(advanced.json().room.currentAgendaItemId).toBe(second);
    for (const client of [chile, mexico]) {
      const moved = await roomEvent(client, 'room.agenda', 0, (payload) => payload.currentAgendaItemId === second);
      expect(moved.payload).toMatchObject({ occurrenceId: 'single', agendaChangedBy: { id: people.coordinator.id } });
    }
    expect((await room(t.app, people.otherMember, meeting.id)).currentAgendaItemId).toBe(second);

    // Only the meeting's managers move the agenda; an item not on it is refused.
    expectError(await api(t.app, people.member, 'PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: meeting.agenda[2]!.id }), 403, 'forbidden');
    expectError(await api(t.app, people.secretariat, 'PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: meeting.agenda[2]!.id }), 403, 'forbidden');
    expectError(await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: 'not-an-item' }), 400, 'unknown_agenda_item');
    expect((await room(t.app, people.member, meeting.id)).currentAgendaItemId).toBe(second);
  });

  it('pages the chat from the latest message back, each page in time order', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE);
    for (const n of [1, 2, 3, 4, 5]) {
      expect((await api(t.app, n % 2 ? people.member : people.argentina, 'POST', `/meetings/${meeting.id}/room/messages`, { body: `mensaje ${n}` })).statusCode).toBe(201);
    }
    const texts = (items: Array<{ html: string }>) => items.map((item) => item.html.replace(/<[^>]+>/g, '').trim());
    const first = (await api(t.app, people.otherMember, 'GET', `/meetings/${meeting.id}/room/messages?limit=2`)).json();
    expect(texts(first.items)).toEqual(['mensaje 4', 'mensaje 5']);
    const second = (await api(t.app, people.otherMember, 'GET', `/meetings/${meeting.id}/room/messages?limit=2&before=${first.nextCursor}`)).json();
    expect(texts(second.items)).toEqual(['mensaje 2', 'mensaje 3']);
    const third = (await api(t.app, people.otherMember, 'GET', `/meetings/${meeting.id}/room/messages?limit=2&before=${second.nextCursor}`)).json();
    expect(texts(third.items)).toEqual(['mensaje 1']);
    expect(third.nextCursor).toBeNull();
    expectError(await api(t.app, people.otherMember, 'GET', `/meetings/${meeting.id}/room/messages?before=abc`), 400, 'invalid_cursor');
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: '   ' }), 400, 'validation_failed');
  });
});

describe('quick polls', () => {
  it('takes one answer per country, shows results live, and stops at closing', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 0);
    const watcher = await inRoom(people.trinidad, meeting.id);
    const opened = await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls`, { question: '¿Aprobamos el calendario?', kind: 'yes_no_abstain', scope: 'country' });
    expect(opened.statusCode, opened.body).toBe(201);
    const poll = opened.json().poll as QuickPoll;
    expect(poll.options.map((option) => option.id)).toEqual(['yes', 'no', 'abstain']);
    expect(poll.open).toBe(true);
    await roomEvent(watcher, 'room.poll', 0, (payload) => payload.poll.id === poll.id);

    const answer = (who: Participant, optionId: string) => api(t.app, who, 'PUT', `/meetings/${meeting.id}/room/polls/${poll.id}/answer`, { optionId });
    const chile = await answer(people.member, 'yes');
    expect(chile.statusCode, chile.body).toBe(200);
    expect(chile.json().poll).toMatchObject({ myAnswer: 'yes', answeredBy: { id: people.member.id }, total: 1 });

    // Chile has answered: its alternate sees the country's answer and may not give a second one.
    const refused = expectError(await answer(chileAlternate, 'no'), 409, 'country_already_answered');
    expect(refused.details).toEqual({ answeredBy: { id: people.member.id, displayName: 'Mara Member' } });
    expect((await room(t.app, chileAlternate, meeting.id)).polls[0]).toMatchObject({ myAnswer: 'yes', answeredBy: { id: people.member.id } });
    // The delegate who answered may change the country's answer.
    expect((await answer(people.member, 'abstain')).statusCode).toBe(200);
    expect((await answer(people.otherMember, 'no')).statusCode).toBe(200);
    expect((await answer(people.argentina, 'no')).statusCode).toBe(200);
    // Someone who speaks for no country has no vote in a per-country poll.
    expectError(await answer(people.secretariat, 'yes'), 403, 'no_country');
    expectError(await answer(people.observer, 'yes'), 403, 'no_country');
    expectError(await answer(people.otherMember, 'maybe'), 400, 'unknown_option');

    const latest = await roomEvent(watcher, 'room.poll', 0, (payload) => payload.poll.total === 3);
    expect(counts(latest.payload.poll)).toEqual({ yes: 0, no: 2, abstain: 1 });
    expect(latest.payload.poll.countries).toEqual([
      { countryId: 'ar', optionId: 'no' },
      { countryId: 'cl', optionId: 'abstain' },
      { countryId: 'mx', optionId: 'no' },
    ]);
    // Events carry neutral results: nobody's own answer.
    expect(latest.payload.poll.myAnswer).toBeNull();

    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/polls/${poll.id}/close`, {}), 403, 'forbidden');
    const closed = await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls/${poll.id}/close`, {});
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().poll).toMatchObject({ open: false, total: 3 });
    expect(closed.json().poll.closedAt).not.toBeNull();
    await roomEvent(watcher, 'room.poll', 0, (payload) => payload.poll.closedAt !== null);
    expectError(await answer(people.trinidad, 'yes'), 409, 'poll_closed');
    expectError(await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls/${poll.id}/close`, {}), 409, 'poll_closed');
  });

  it('takes one answer per person, with the options the coordinator wrote', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 0);
    const refusedOptions = [
      { question: '¿Fecha?', kind: 'options', scope: 'person', options: ['Solo una'] },
      { question: '¿Fecha?', kind: 'options', scope: 'person', options: ['Junio', 'junio'] },
      { question: '¿Fecha?', kind: 'yes_no_abstain', scope: 'person', options: ['Sí', 'No'] },
    ];
    for (const body of refusedOptions) expectError(await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls`, body), 400, 'invalid_options');
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/polls`, { question: '¿Fecha?', kind: 'yes_no_abstain', scope: 'person' }), 403, 'forbidden');

    const opened = await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls`, { question: '¿Próximo taller?', kind: 'options', scope: 'person', options: ['Junio', 'Julio'] });
    expect(opened.statusCode, opened.body).toBe(201);
    const poll = opened.json().poll as QuickPoll;
    const [june, july] = poll.options.map((option) => option.id);
    const answer = (who: Participant, optionId: string) => api(t.app, who, 'PUT', `/meetings/${meeting.id}/room/polls/${poll.id}/answer`, { optionId: optionId! });
    // Two people of one country both count; changing an answer replaces it.
    for (const [who, option] of [[people.member, june], [chileAlternate, june], [people.observer, july], [people.member, july]] as const) {
      expect((await answer(who, option!)).statusCode).toBe(200);
    }
    const results = (await room(t.app, people.argentina, meeting.id)).polls.find((candidate) => candidate.id === poll.id)!;
    expect(counts(results)).toEqual({ Junio: 1, Julio: 2 });
    expect(results.total).toBe(3);
    expect(results.countries).toEqual([]);
    expect(results.myAnswer).toBeNull();
    expect((await room(t.app, people.member, meeting.id)).polls[0]!.myAnswer).toBe(july);
  });
});

describe('attendance', () => {
  it('is recorded by joining the room (once, however often the page joins) and by hand for people only on video', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE);
    const watcher = await inRoom(people.coordinator, meeting.id);
    const joined = await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {});
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json().attendee).toMatchObject({ person: { id: people.member.id, countryId: 'cl' }, joinedAt: new Date(clock.ms).toISOString(), markedBy: null });
    expect(joined.json().room).toMatchObject({ joinedByMe: true, attendeeCount: 1, open: true });
    const event = await roomEvent(watcher, 'room.attendance');
    expect(event.payload).toMatchObject({ occurrenceId: 'single', present: true, attendeeCount: 1, countriesPresent: ['cl'], attendee: { person: { id: people.member.id } } });

    // A reconnect joins again: the first time is kept and nobody is told twice.
    clock.advance(3 * MINUTE);
    const again = await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {});
    expect(again.json().attendee.joinedAt).toBe(joined.json().attendee.joinedAt);
    expect((await api(t.app, people.otherMember, 'POST', `/meetings/${meeting.id}/room/join`, {})).statusCode).toBe(200);
    await roomEvent(watcher, 'room.attendance', 0, (payload) => payload.attendeeCount === 2);
    expect(watcher.events(`meeting:${meeting.id}`).filter((message) => message.event === 'room.attendance')).toHaveLength(2);

    // Trinidad and Tobago only dialled into the video call: the coordinator marks them.
    expectError(await api(t.app, people.member, 'PUT', `/meetings/${meeting.id}/room/attendance/${people.trinidad.id}`, { occurrenceId: 'single', present: true }), 403, 'forbidden');
    const marked = await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/attendance/${people.trinidad.id}`, { occurrenceId: 'single', present: true });
    expect(marked.statusCode, marked.body).toBe(200);
    const attendance = marked.json().attendance;
    expect(attendance.count).toBe(3);
    expect(attendance.attendees.map((attendee: { person: { countryId: string } }) => attendee.person.countryId)).toEqual(['cl', 'mx', 'tt']);
    expect(attendance.attendees[2]).toMatchObject({ joinedAt: null, markedBy: { id: people.coordinator.id } });
    expect(attendance.countriesPresent).toEqual(['cl', 'mx', 'tt']);
    expect(attendance.countriesAbsent).toEqual(expect.arrayContaining(['ar', 'cu']));
    expect(attendance.countriesAbsent).not.toContain('cl');
    await roomEvent(watcher, 'room.attendance', 0, (payload) => payload.attendee.person.id === people.trinidad.id && payload.present);

    // A mistaken record is taken back.
    const removed = await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/attendance/${people.otherMember.id}`, { occurrenceId: 'single', present: false });
    expect(removed.json().attendance.attendees.map((attendee: { person: { id: string } }) => attendee.person.id)).toEqual([people.member.id, people.trinidad.id]);
    await roomEvent(watcher, 'room.attendance', 0, (payload) => payload.present === false && payload.attendeeCount === 2);
    const read = await api(t.app, people.cuba, 'GET', `/meetings/${meeting.id}/room/attendance`);
    expect(read.json().attendance.count).toBe(2);
  });

  it('is marked by hand only for people invited, and only once the room has opened', async () => {
    const southernCone = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, { invitees: { everyone: false, countryIds: ['cl', 'ar'] } });
    expectError(await api(t.app, people.coordinator, 'PUT', `/meetings/${southernCone.id}/room/attendance/${people.otherMember.id}`, { occurrenceId: 'single', present: true }), 400, 'not_invited');
    expectError(await api(t.app, people.otherMember, 'POST', `/meetings/${southernCone.id}/room/join`, {}), 404, 'not_found');
    const later = await meetingAt(t.app, people.coordinator, clock.ms, 3 * HOUR);
    expectError(await api(t.app, people.coordinator, 'PUT', `/meetings/${later.id}/room/attendance/${people.member.id}`, { occurrenceId: 'single', present: true }), 409, 'occurrence_not_started');
  });
});

describe('the room window', () => {
  it('opens 15 minutes before the start and closes at the end; joins and chat outside it are refused with room_closed', async () => {
    const start = clock.ms + 2 * HOUR;
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 2 * HOUR, {}, HOUR);
    const opensAt = new Date(start - 15 * MINUTE).toISOString();
    const before = await room(t.app, people.member, meeting.id);
    expect(before).toMatchObject({ open: false, opensAt, closesAt: new Date(start + HOUR).toISOString() });
    const refusal = expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {}), 409, 'room_closed');
    expect(refusal.details).toEqual({ opensAt, closesAt: new Date(start + HOUR).toISOString() });
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: 'hola' }), 409, 'room_closed');
    expectError(await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: meeting.agenda[0]!.id }), 409, 'room_closed');
    expectError(await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls`, { question: '¿?', kind: 'yes_no_abstain', scope: 'person' }), 409, 'room_closed');

    // One minute before it opens: still closed. At the opening: open.
    clock.set(start - 16 * MINUTE);
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {}), 409, 'room_closed');
    clock.set(start - 15 * MINUTE);
    expect((await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {})).statusCode).toBe(200);
    const opened = await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/room/polls`, { question: '¿Empezamos?', kind: 'yes_no_abstain', scope: 'person' });
    expect(opened.statusCode).toBe(201);

    // At the end the room closes: no more chat, joins or answers; the transcript stays readable.
    expect((await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: 'último mensaje' })).statusCode).toBe(201);
    clock.set(start + HOUR);
    const after = expectError(await api(t.app, people.argentina, 'POST', `/meetings/${meeting.id}/room/join`, {}), 409, 'room_closed');
    expect(after.details).toEqual({ opensAt: null, closesAt: null });
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: 'tarde' }), 409, 'room_closed');
    expectError(await api(t.app, people.member, 'PUT', `/meetings/${meeting.id}/room/polls/${opened.json().poll.id}/answer`, { optionId: 'yes' }), 409, 'room_closed');
    const closedRoom = await room(t.app, people.member, meeting.id);
    expect(closedRoom.open).toBe(false);
    expect(closedRoom.polls[0]!.open).toBe(false);
    const transcript = await api(t.app, people.argentina, 'GET', `/meetings/${meeting.id}/room/messages`);
    expect(transcript.json().items).toHaveLength(1);
  });

  it('refuses the room of a cancelled meeting, one still polling, and hides it from those not invited', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, { invitees: { everyone: false, countryIds: ['cl'] } });
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/cancel`, {})).statusCode).toBe(200);
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/join`, {}), 409, 'meeting_cancelled');
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/room/messages`, { body: 'hola' }), 409, 'meeting_cancelled');
    for (const path of ['room', 'room/messages', 'room/attendance', 'room/attendance.csv']) {
      expectError(await api(t.app, people.otherMember, 'GET', `/meetings/${meeting.id}/${path}`), 404, 'not_found');
    }
    const polling = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Horario por decidir',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      invitees: { everyone: true },
      poll: { slots: [{ startsAt: '2026-06-01T14:00:00.000Z', endsAt: '2026-06-01T15:00:00.000Z' }, { startsAt: '2026-06-02T14:00:00.000Z', endsAt: '2026-06-02T15:00:00.000Z' }] },
    });
    expectError(await api(t.app, people.member, 'GET', `/meetings/${polling.json().meeting.id}/room`), 409, 'not_scheduled');
    expectError(await api(t.app, people.member, 'POST', `/meetings/${polling.json().meeting.id}/room/join`, {}), 409, 'not_scheduled');
  });

  it('is a room per occurrence of a series: the open one now, each with its own attendance', async () => {
    const first = clock.ms + 5 * MINUTE;
    const series = await meetingAt(t.app, people.coordinator, clock.ms, 5 * MINUTE, { recurrence: { frequency: 'weekly', count: 3 } }, HOUR);
    const current = await room(t.app, people.member, series.id);
    expect(current.occurrenceId).toBe(new Date(first).toISOString());
    expect((await api(t.app, people.member, 'POST', `/meetings/${series.id}/room/join`, {})).statusCode).toBe(200);
    clock.set(first + 7 * 24 * HOUR);
    const next = await api(t.app, people.argentina, 'POST', `/meetings/${series.id}/room/join`, {});
    expect(next.json().room.occurrenceId).toBe(series.occurrences[1]!.id);
    const firstAttendance = (await api(t.app, people.coordinator, 'GET', `/meetings/${series.id}/room/attendance?occurrenceId=${encodeURIComponent(series.occurrences[0]!.id)}`)).json().attendance;
    const secondAttendance = (await api(t.app, people.coordinator, 'GET', `/meetings/${series.id}/room/attendance`)).json().attendance;
    expect(firstAttendance.attendees.map((attendee: { person: { id: string } }) => attendee.person.id)).toEqual([people.member.id]);
    expect(secondAttendance.attendees.map((attendee: { person: { id: string } }) => attendee.person.id)).toEqual([people.argentina.id]);
    expectError(await api(t.app, people.member, 'GET', `/meetings/${series.id}/room?occurrenceId=2020-01-01T00:00:00.000Z`), 404, 'not_found');
  });
});

describe('attendance by country as CSV', () => {
  it('quotes what needs quoting, starts with a byte order mark, lists absent invited countries, and parses back', async () => {
    const { parse } = await import('csv-parse/sync');
    const peru = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'pe' }, { displayName: 'Pérez, José "Pepe"' });
    const colombia = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'co' }, { displayName: '=HYPERLINK("https://evil.example")' });
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE, { invitees: { everyone: false, countryIds: ['cl', 'pe', 'co', 'ar'], organizationIds: ['unicef'] }, timeZone: 'America/Lima' });
    for (const who of [people.member, { id: peru.id, cookie: peru.cookie }, { id: colombia.id, cookie: colombia.cookie }, people.observer]) {
      expect((await api(t.app, who, 'POST', `/meetings/${meeting.id}/room/join`, {})).statusCode).toBe(200);
    }
    expect((await api(t.app, people.coordinator, 'PUT', `/meetings/${meeting.id}/room/attendance/${chileAlternate.id}`, { occurrenceId: 'single', present: true })).statusCode).toBe(200);

    const response = await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/room/attendance.csv?lang=en`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="attendance-${meeting.id}-2026-05-04.csv"`);
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n');
    expect(text).toContain('"Pérez, José ""Pepe"""');

    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Country code', 'Country', 'Name', 'Role', 'Organization', 'Status', 'Joined at (UTC)', 'Joined at (America/Lima)', 'Marked by']);
    const body = rows.slice(1).map((row) => [row[0], row[2], row[5]]);
    expect(body).toEqual([
      ['AR', '', 'absent'],
      ['CL', 'Camila Alterna', 'marked by hand'],
      ['CL', 'Mara Member', 'joined'],
      ['CO', `'=HYPERLINK("https://evil.example")`, 'joined'],
      ['PE', 'Pérez, José "Pepe"', 'joined'],
      ['', 'Olga Observer', 'joined'],
    ]);
    const mara = rows.find((row) => row[2] === 'Mara Member')!;
    expect(mara.slice(6)).toEqual(['2026-05-04T13:00:00Z', '2026-05-04 08:00', '']);
    expect(rows.find((row) => row[2] === 'Camila Alterna')![8]).toBe('Carla Coordinadora');
    expect(rows.find((row) => row[2] === 'Olga Observer')![4]).toBe('UNICEF');

    // Spanish headers and names, and the semicolon spreadsheets set to Spanish expect.
    const spanish = await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/room/attendance.csv?lang=es&separator=semicolon`);
    const spanishRows = parse(spanish.rawPayload, { bom: true, delimiter: ';' }) as string[][];
    expect(spanishRows[0]!.slice(0, 3)).toEqual(['Código de país', 'País', 'Nombre']);
    expect(spanishRows.find((row) => row[0] === 'PE')![1]).toBe('Perú');
    expect(spanishRows.find((row) => row[0] === 'AR')![5]).toBe('ausente');
  });
});
