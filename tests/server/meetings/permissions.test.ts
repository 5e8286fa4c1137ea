import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type TestApp } from '../../helper.js';
import { personOfAnotherGroup, sha256Hex, tokenOf } from '../support.js';
import { buildMeetingsApp, meetingInput, populateMeetings, TestClock, type MeetingPeople, type Participant } from './support.js';

/**
 * The rules of docs/meetings-api.md as a table: who may do what with a meeting that invites
 * Chile (the member) and UNICEF (the observer). "notInvited" is a member of Mexico.
 */

const clock = new TestClock(Date.parse('2026-03-01T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

type Who = 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer' | 'notInvited' | 'signedOut';
type Action =
  | 'create'
  | 'create workshop'
  | 'edit'
  | 'edit workshop'
  | 'cancel'
  | 'answer poll'
  | 'answer attendance'
  | 'read'
  | 'list invitees'
  | 'join room'
  | 'chat in room'
  | 'advance agenda'
  | 'advance workshop agenda'
  | 'open quick poll'
  | 'answer quick poll'
  | 'mark attendance'
  | 'write minutes'
  | 'publish minutes'
  | 'read minutes';

const WHO: Who[] = ['admin', 'coordinator', 'secretariat', 'member', 'observer', 'notInvited', 'signedOut'];
const ACTIONS: Action[] = [
  'create', 'create workshop', 'edit', 'edit workshop', 'cancel', 'answer poll', 'answer attendance', 'read', 'list invitees',
  'join room', 'chat in room', 'advance agenda', 'advance workshop agenda', 'open quick poll', 'answer quick poll', 'mark attendance', 'write minutes', 'publish minutes', 'read minutes',
];

const MANAGERS: Who[] = ['admin', 'coordinator'];
const INVITED: Who[] = ['member', 'observer'];

/** The expected status of each attempt: a success code, or the refusal. */
function expected(who: Who, action: Action): number {
  if (who === 'signedOut') return 401;
  switch (action) {
    case 'create':
      return MANAGERS.includes(who) ? 201 : 403;
    case 'create workshop':
      return [...MANAGERS, 'secretariat'].includes(who) ? 201 : 403;
    case 'edit':
    case 'cancel':
      // The secretariat sees every meeting but runs only workshops; other roles may never edit.
      return MANAGERS.includes(who) ? 200 : 403;
    case 'edit workshop':
      return [...MANAGERS, 'secretariat'].includes(who) ? 200 : 403;
    case 'answer poll':
    case 'answer attendance':
      // The invited and the managers answer; the secretariat sees it but is not invited; others do not see it.
      if ([...MANAGERS, ...INVITED].includes(who)) return 200;
      return who === 'notInvited' ? 404 : 403;
    case 'read':
    case 'list invitees':
    case 'join room':
    case 'answer quick poll':
    case 'read minutes':
      // Everyone who sees the meeting takes part in its room and reads its minutes.
      return who === 'notInvited' ? 404 : 200;
    case 'chat in room':
      return who === 'notInvited' ? 404 : 201;
    case 'advance agenda':
    case 'mark attendance':
      // The meeting's managers run its room (the route refuses other roles before looking at the meeting).
      return MANAGERS.includes(who) ? 200 : 403;
    case 'open quick poll':
      return MANAGERS.includes(who) ? 201 : 403;
    case 'advance workshop agenda':
      return [...MANAGERS, 'secretariat'].includes(who) ? 200 : 403;
    case 'write minutes':
    case 'publish minutes':
      // The coordinator, the secretariat and admins write the minutes of every kind of meeting.
      return [...MANAGERS, 'secretariat'].includes(who) ? 200 : 403;
  }
}

/** A meeting whose room is open at the test's clock (it started five minutes ago). */
async function roomMeetingFor(kind: 'virtual_meeting' | 'virtual_workshop' = 'virtual_meeting') {
  const start = clock.ms - 5 * 60_000;
  const response = await request(t.app, {
    method: 'POST',
    url: '/api/meetings',
    cookie: people.coordinator.cookie,
    payload: meetingInput({ kind, invitees, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 60 * 60_000).toISOString() }),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().meeting as { id: string; agenda: Array<{ id: string }> };
}

const invitees = { everyone: false, countryIds: ['cl'], organizationIds: ['unicef'] };

async function meetingFor(kind: 'virtual_meeting' | 'virtual_workshop', polling = false): Promise<string> {
  const body = polling
    ? {
        title: 'Encuesta de horario',
        kind,
        timeZone: 'America/Santiago',
        invitees,
        poll: { slots: [{ startsAt: '2026-04-01T14:00:00.000Z', endsAt: '2026-04-01T15:00:00.000Z' }, { startsAt: '2026-04-02T14:00:00.000Z', endsAt: '2026-04-02T15:00:00.000Z' }] },
      }
    : meetingInput({ kind, invitees });
  const response = await request(t.app, { method: 'POST', url: '/api/meetings', cookie: people.coordinator.cookie, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().meeting.id as string;
}

function participant(who: Who): Participant | null {
  if (who === 'signedOut') return null;
  if (who === 'notInvited') return people.otherMember;
  return people[who];
}

async function attempt(who: Who, action: Action): Promise<number> {
  const actor = participant(who);
  const as = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    request(t.app, { method, url: `/api${url}`, ...(actor ? { cookie: actor.cookie } : {}), ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  switch (action) {
    case 'create':
      return (await as('POST', '/meetings', meetingInput({ invitees }))).statusCode;
    case 'create workshop':
      return (await as('POST', '/meetings', meetingInput({ kind: 'virtual_workshop', invitees }))).statusCode;
    case 'edit':
      return (await as('PATCH', `/meetings/${await meetingFor('virtual_meeting')}`, { title: 'Nuevo título' })).statusCode;
    case 'edit workshop':
      return (await as('PATCH', `/meetings/${await meetingFor('virtual_workshop')}`, { title: 'Nuevo título' })).statusCode;
    case 'cancel':
      return (await as('POST', `/meetings/${await meetingFor('virtual_meeting')}/cancel`, {})).statusCode;
    case 'answer poll': {
      const id = await meetingFor('virtual_meeting', true);
      const poll = await request(t.app, { url: `/api/meetings/${id}/poll`, cookie: people.coordinator.cookie });
      const slotId = poll.json().poll.slots[0].id as string;
      return (await as('PUT', `/meetings/${id}/poll/answers`, { answers: [{ slotId, answer: 'yes' }] })).statusCode;
    }
    case 'answer attendance':
      return (await as('PUT', `/meetings/${await meetingFor('virtual_meeting')}/attendance`, { answer: 'going' })).statusCode;
    case 'read':
      return (await as('GET', `/meetings/${await meetingFor('virtual_meeting')}`)).statusCode;
    case 'list invitees':
      return (await as('GET', `/meetings/${await meetingFor('virtual_meeting')}/invitees`)).statusCode;
    case 'join room':
      return (await as('POST', `/meetings/${(await roomMeetingFor()).id}/room/join`, {})).statusCode;
    case 'chat in room':
      return (await as('POST', `/meetings/${(await roomMeetingFor()).id}/room/messages`, { body: 'Buenos días' })).statusCode;
    case 'advance agenda':
    case 'advance workshop agenda': {
      const meeting = await roomMeetingFor(action === 'advance agenda' ? 'virtual_meeting' : 'virtual_workshop');
      return (await as('PUT', `/meetings/${meeting.id}/room/agenda`, { agendaItemId: meeting.agenda[1]!.id })).statusCode;
    }
    case 'open quick poll':
      return (await as('POST', `/meetings/${(await roomMeetingFor()).id}/room/polls`, { question: '¿Aprobamos?', kind: 'yes_no_abstain', scope: 'person' })).statusCode;
    case 'answer quick poll': {
      const { id } = await roomMeetingFor();
      const poll = await request(t.app, { method: 'POST', url: `/api/meetings/${id}/room/polls`, cookie: people.coordinator.cookie, payload: { question: '¿Aprobamos?', kind: 'yes_no_abstain', scope: 'person' } });
      return (await as('PUT', `/meetings/${id}/room/polls/${poll.json().poll.id}/answer`, { optionId: 'yes' })).statusCode;
    }
    case 'mark attendance':
      return (await as('PUT', `/meetings/${(await roomMeetingFor()).id}/room/attendance/${people.member.id}`, { occurrenceId: 'single', present: true })).statusCode;
    case 'write minutes':
      return (await as('PATCH', `/meetings/${(await roomMeetingFor()).id}/minutes`, { occurrenceId: 'single', revision: 0, introduction: 'Acta de la sesión.' })).statusCode;
    case 'publish minutes': {
      const { id } = await roomMeetingFor();
      const draft = await request(t.app, { method: 'PATCH', url: `/api/meetings/${id}/minutes`, cookie: people.coordinator.cookie, payload: { occurrenceId: 'single', revision: 0, introduction: 'Acta de la sesión.' } });
      expect(draft.statusCode, draft.body).toBe(200);
      return (await as('POST', `/meetings/${id}/minutes/publish`, { occurrenceId: 'single', revision: 1 })).statusCode;
    }
    case 'read minutes':
      return (await as('GET', `/meetings/${(await roomMeetingFor()).id}/minutes`)).statusCode;
  }
}

const cases = WHO.flatMap((who) => ACTIONS.map((action) => [who, action, expected(who, action)] as const));

describe('who may do what with a meeting', () => {
  it.each(cases)('%s: %s → %i', async (who, action, status) => {
    expect(await attempt(who, action)).toBe(status);
  });

  it('hides a meeting from lists, history, attendance, the .ics and the live topic of whoever may not see it', async () => {
    const id = await meetingFor('virtual_meeting');
    const stranger = people.otherMember;
    const listed = await request(t.app, { url: '/api/meetings?view=upcoming&limit=100', cookie: stranger.cookie });
    expect(listed.json().items.map((item: { id: string }) => item.id)).not.toContain(id);
    for (const url of [`/api/meetings/${id}/history`, `/api/meetings/${id}/attendance`, `/api/meetings/${id}/calendar.ics`]) {
      expect((await request(t.app, { url, cookie: stranger.cookie })).statusCode, url).toBe(404);
    }
    const sessionOf = async (who: Participant) => (await request(t.app, { url: '/api/me', cookie: who.cookie })).json().user;
    const user = async (who: Participant) => ({ ...(await sessionOf(who)) });
    expect(await t.app.liveTopics.mayRead(await user(stranger), `meeting:${id}`)).toBe(false);
    expect(await t.app.liveTopics.mayRead(await user(people.member), `meeting:${id}`)).toBe(true);
    expect(await t.app.liveTopics.mayRead(await user(people.secretariat), `meeting:${id}`)).toBe(true);
  });
});

describe('a meeting of another working group', () => {
  it('does not exist for that group\'s people, whatever their role, even where the invitation names their country or organization', async () => {
    const outsiders = {
      admin: await personOfAnotherGroup(t, 'admin'),
      coordinator: await personOfAnotherGroup(t, 'coordinator'),
      secretariat: await personOfAnotherGroup(t, 'secretariat'),
      chile: await personOfAnotherGroup(t, 'member', { countryId: 'cl' }),
      unicef: await personOfAnotherGroup(t, 'observer', { organizationId: 'unicef' }),
    };
    const meetings = [await meetingFor('virtual_meeting'), await meetingFor('virtual_workshop'), await meetingFor('virtual_meeting', true)];
    const everyone = await request(t.app, { method: 'POST', url: '/api/meetings', cookie: people.coordinator.cookie, payload: meetingInput({ invitees: { everyone: true } }) });
    meetings.push(everyone.json().meeting.id as string);

    const outcomes: string[] = [];
    for (const [name, outsider] of Object.entries(outsiders)) {
      const as = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, payload?: object) =>
        request(t.app, { method, url: `/api${url}`, cookie: outsider.cookie, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
      // The session's person, as the live channel checks them (GET /api/me shows the default group's people only).
      const user = (await t.app.sessions.current(sha256Hex(tokenOf(outsider.cookie))))!;
      const listed = (await as('GET', '/meetings?view=upcoming&limit=100')).json().items.map((item: { id: string }) => item.id);
      const polls = (await as('GET', '/meetings?view=polls&limit=100')).json().items.map((item: { id: string }) => item.id);
      for (const id of meetings) {
        const answers = [
          (await as('GET', `/meetings/${id}`)).statusCode,
          (await as('PATCH', `/meetings/${id}`, { title: 'Ajeno' })).statusCode,
          (await as('PUT', `/meetings/${id}/attendance`, { answer: 'going' })).statusCode,
          (await as('GET', `/meetings/${id}/invitees`)).statusCode,
          (await as('POST', `/meetings/${id}/cancel`, {})).statusCode,
        ];
        const seen = listed.includes(id) || polls.includes(id) || (await t.app.liveTopics.mayRead(user, `meeting:${id}`));
        // Changing and cancelling are refused to members and observers by their role, before any meeting is looked at.
        const manages = user.role !== 'member' && user.role !== 'observer';
        const expected = [404, manages ? 404 : 403, 404, 404, manages ? 404 : 403];
        if (answers.join(' ') !== expected.join(' ') || seen) outcomes.push(`${name} reaches ${id}: ${answers.join(' ')}${seen ? ', listed or subscribable' : ''}`);
      }
    }
    expect(outcomes).toEqual([]);
    // The meetings are all there for their own group.
    for (const id of meetings) expect((await request(t.app, { url: `/api/meetings/${id}`, cookie: people.member.cookie })).statusCode).toBe(200);
  });
});

describe('who a meeting invites', () => {
  const create = async (who: Participant, overrides: Record<string, unknown>) => {
    const response = await request(t.app, { method: 'POST', url: '/api/meetings', cookie: who.cookie, payload: meetingInput(overrides) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().meeting.id as string;
  };
  const invitees = async (id: string) =>
    ((await request(t.app, { url: `/api/meetings/${id}/invitees`, cookie: people.admin.cookie })).json().items as Array<{ id: string }>).map((person) => person.id).sort();
  const status = async (who: Participant, id: string) => (await request(t.app, { url: `/api/meetings/${id}`, cookie: who.cookie })).statusCode;

  it('by name: that person and the organizer, seen also by every coordinator, admin and the secretariat', async () => {
    const id = await create(people.admin, { invitees: { everyone: false, personIds: [people.argentina.id] } });
    expect(await invitees(id)).toEqual([people.admin.id, people.argentina.id].sort());
    expect(await status(people.argentina, id)).toBe(200);
    for (const who of [people.coordinator, people.secretariat]) expect(await status(who, id)).toBe(200);
    for (const who of [people.trinidad, people.member, people.observer]) expect(await status(who, id)).toBe(404);
    const answer = await request(t.app, { method: 'PUT', url: `/api/meetings/${id}/attendance`, cookie: people.argentina.cookie, payload: { answer: 'going' } });
    expect(answer.statusCode, answer.body).toBe(200);
  });

  it('everyone: every active participant of the group', async () => {
    const id = await create(people.coordinator, { invitees: { everyone: true } });
    // Everyone this file's group has; people of the other working group (above) are not among them.
    expect(await invitees(id)).toEqual(Object.values(people).map((person) => person.id).sort());
    for (const who of [people.trinidad, people.otherMember, people.observer]) expect(await status(who, id)).toBe(200);
  });

  it('says who runs it: the coordinator and admins, the secretariat for workshops only; an invited member never', async () => {
    const meeting = await create(people.coordinator, { invitees: { everyone: true } });
    const workshop = await create(people.secretariat, { kind: 'virtual_workshop', invitees: { everyone: true } });
    const flags: Record<string, boolean[]> = {};
    for (const who of ['admin', 'coordinator', 'secretariat', 'member', 'observer'] as const) {
      flags[who] = [];
      for (const id of [meeting, workshop]) flags[who].push((await request(t.app, { url: `/api/meetings/${id}`, cookie: people[who].cookie })).json().meeting.mayManage);
    }
    expect(flags).toEqual({ admin: [true, true], coordinator: [true, true], secretariat: [false, true], member: [false, false], observer: [false, false] });
  });

  it('rechecks who reads its live topic when the invitations change, and only then', async () => {
    const id = await create(people.coordinator, { invitees: { everyone: false, countryIds: ['cl'] } });
    const types: string[] = [];
    const unsubscribe = t.app.liveHub.subscribe(`meeting:${id}`, (event) => types.push(event.type));
    try {
      const retitled = await request(t.app, { method: 'PATCH', url: `/api/meetings/${id}`, cookie: people.coordinator.cookie, payload: { title: 'Otro título' } });
      expect(retitled.statusCode, retitled.body).toBe(200);
      expect(types).toEqual(['meeting.updated']);
      const reinvited = await request(t.app, { method: 'PATCH', url: `/api/meetings/${id}`, cookie: people.coordinator.cookie, payload: { invitees: { everyone: false, countryIds: ['ar'] } } });
      expect(reinvited.statusCode, reinvited.body).toBe(200);
      expect(types).toEqual(['meeting.updated', 'access.changed', 'meeting.updated']);
    } finally {
      unsubscribe();
    }
  });
});
