import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, request, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { api, buildMeetingsApp, notificationsOf, populateMeetings, TestClock, type MeetingPeople, type Participant } from './support.js';

/** An availability poll from opening to the chosen slot, with its reminder and deadline. */

const HOUR = 60 * 60_000;
const clock = new TestClock(Date.parse('2026-05-01T12:00:00.000Z'));
let t: TestApp;
let people: MeetingPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateMeetings(t.app);
});
afterAll(async () => t.close());

const SLOTS = [
  { startsAt: '2026-05-12T14:00:00.000Z', endsAt: '2026-05-12T15:00:00.000Z' },
  { startsAt: '2026-05-13T14:00:00.000Z', endsAt: '2026-05-13T15:00:00.000Z' },
  { startsAt: '2026-05-14T14:00:00.000Z', endsAt: '2026-05-14T15:00:00.000Z' },
];
const DEADLINE = '2026-05-08T12:00:00.000Z';

interface Poll {
  respondents: number;
  invitedCount: number;
  slots: Array<{ id: string; startsAt: string; position: number; yes: number; ifNeedBe: number; no: number; countriesCovered: string[] }>;
  myAnswers: Record<string, string>;
  answers: Array<{ person: { id: string }; answers: Record<string, string> }>;
  closedAt: string | null;
  chosenSlotId: string | null;
}

async function openPoll(overrides: Record<string, unknown> = {}) {
  const response = await api(t.app, people.coordinator, 'POST', '/meetings', {
    title: 'Taller de conciliación de cifras',
    kind: 'virtual_workshop',
    timeZone: 'America/Santiago',
    invitees: { everyone: false, countryIds: ['cl', 'mx', 'ar'] },
    poll: { slots: SLOTS, deadline: DEADLINE },
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().meeting as { id: string; status: string; startsAt: string | null; poll: { deadline: string; closed: boolean; answeredByMe: boolean } };
}

const getPoll = async (who: Participant, id: string) => {
  const response = await api(t.app, who, 'GET', `/meetings/${id}/poll`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().poll as Poll;
};

const answer = (who: Participant, id: string, answers: Array<{ slotId: string; answer: string }>) => api(t.app, who, 'PUT', `/meetings/${id}/poll/answers`, { answers });

describe('an availability poll', () => {
  it('collects answers, ranks slots best first with the countries they cover, and schedules the meeting on the chosen slot', async () => {
    const meeting = await openPoll();
    expect(meeting).toMatchObject({ status: 'polling', startsAt: null, poll: { deadline: DEADLINE, closed: false, answeredByMe: false } });
    await t.app.notifications.settled();
    expect((await notificationsOf(t.app, people.member)).filter((n) => n.kind === 'meeting_poll' && n.subject.id === meeting.id)).toHaveLength(1);
    expect((await notificationsOf(t.app, people.trinidad)).filter((n) => n.subject.id === meeting.id)).toHaveLength(0);

    const initial = await getPoll(people.member, meeting.id);
    expect(initial.invitedCount).toBe(4); // three members and the organizer
    const [a, b, c] = [...initial.slots].sort((x, y) => x.position - y.position).map((slot) => slot.id);

    // Chile first says no to a, then changes its mind; Mexico and Argentina answer.
    expect((await answer(people.member, meeting.id, [{ slotId: a!, answer: 'no' }])).statusCode).toBe(200);
    const changed = await answer(people.member, meeting.id, [{ slotId: a!, answer: 'if_need_be' }, { slotId: b!, answer: 'yes' }, { slotId: c!, answer: 'no' }]);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().poll.myAnswers).toEqual({ [a!]: 'if_need_be', [b!]: 'yes', [c!]: 'no' });
    await answer(people.otherMember, meeting.id, [{ slotId: a!, answer: 'yes' }, { slotId: b!, answer: 'yes' }, { slotId: c!, answer: 'if_need_be' }]);
    await answer(people.argentina, meeting.id, [{ slotId: a!, answer: 'no' }, { slotId: b!, answer: 'if_need_be' }, { slotId: c!, answer: 'yes' }]);

    const poll = await getPoll(people.coordinator, meeting.id);
    expect(poll.respondents).toBe(3);
    // b: 3 people available (2 sure); a and c: 2 each (1 sure), two countries each: the earlier (a) first.
    expect(poll.slots.map((slot) => [slot.id, slot.yes, slot.ifNeedBe, slot.no, slot.countriesCovered])).toEqual([
      [b, 2, 1, 0, ['ar', 'cl', 'mx']],
      [a, 1, 1, 1, ['cl', 'mx']],
      [c, 1, 1, 1, ['ar', 'mx']],
    ]);
    expect(poll.answers.find((entry) => entry.person.id === people.member.id)!.answers).toEqual({ [a!]: 'if_need_be', [b!]: 'yes', [c!]: 'no' });
    expect((await api(t.app, people.member, 'GET', `/meetings/${meeting.id}`)).json().meeting.poll.answeredByMe).toBe(true);

    // Someone not invited does not see the poll at all; an unknown slot is refused.
    expectError(await api(t.app, people.trinidad, 'GET', `/meetings/${meeting.id}/poll`), 404, 'not_found');
    expectError(await answer(people.trinidad, meeting.id, [{ slotId: a!, answer: 'yes' }]), 404, 'not_found');
    expectError(await answer(people.member, meeting.id, [{ slotId: 'no-such-slot', answer: 'yes' }]), 400, 'unknown_slot');
    expectError(await request(t.app, { url: `/api/meetings/${meeting.id}/calendar.ics`, cookie: people.member.cookie }), 409, 'not_scheduled');

    // Only a manager closes it.
    expectError(await api(t.app, people.member, 'POST', `/meetings/${meeting.id}/poll/close`, { slotId: b }), 403, 'forbidden');
    const closed = await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/poll/close`, { slotId: b });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().meeting).toMatchObject({ status: 'scheduled', startsAt: SLOTS[1]!.startsAt, endsAt: SLOTS[1]!.endsAt, sequence: 1, poll: { closed: true } });
    await t.app.notifications.settled();
    const scheduled = (await notificationsOf(t.app, people.argentina)).filter((n) => n.kind === 'meeting_scheduled' && n.subject.id === meeting.id);
    expect(scheduled.map((n) => n.details)).toEqual([{ startsAt: SLOTS[1]!.startsAt }]);
    expect((await notificationsOf(t.app, people.coordinator)).filter((n) => n.kind === 'meeting_scheduled' && n.subject.id === meeting.id)).toHaveLength(0);

    // Now it is a meeting like any other: in the upcoming list, its .ics, its answers closed.
    const upcoming = (await api(t.app, people.member, 'GET', '/meetings?view=upcoming')).json().items as Array<{ id: string; occurrence: { startsAt: string } }>;
    expect(upcoming.find((item) => item.id === meeting.id)?.occurrence.startsAt).toBe(SLOTS[1]!.startsAt);
    expect((await request(t.app, { url: `/api/meetings/${meeting.id}/calendar.ics`, cookie: people.member.cookie })).statusCode).toBe(200);
    expectError(await answer(people.member, meeting.id, [{ slotId: a!, answer: 'yes' }]), 409, 'poll_closed');
    expectError(await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/poll/close`, { slotId: a }), 409, 'poll_closed');
    const after = await getPoll(people.member, meeting.id);
    expect(after.chosenSlotId).toBe(b);
    expect(after.closedAt).not.toBeNull();
    const history = (await api(t.app, people.member, 'GET', `/meetings/${meeting.id}/history`)).json().items as Array<{ action: string }>;
    expect(history.map((entry) => entry.action)).toEqual(['poll_closed', 'poll_opened']);
  });

  it('reminds those who have not answered once, a day before the deadline; refuses answers after it and tells the organizer', async () => {
    clock.set('2026-05-01T12:00:00.000Z');
    const meeting = await openPoll({ title: 'Encuesta con plazo' });
    const slotId = (await getPoll(people.member, meeting.id)).slots[0]!.id;
    await answer(people.member, meeting.id, [{ slotId, answer: 'yes' }]);
    const remindersOf = async (who: Participant) => {
      await t.app.notifications.settled();
      return (await notificationsOf(t.app, who)).filter((n) => n.kind === 'meeting_poll_reminder' && n.subject.id === meeting.id);
    };
    clock.set(Date.parse(DEADLINE) - 25 * HOUR);
    await t.app.scheduler.runDue();
    expect(await remindersOf(people.otherMember)).toHaveLength(0);
    clock.set(Date.parse(DEADLINE) - 24 * HOUR);
    await t.app.scheduler.runDue();
    await t.app.scheduler.runDue();
    expect(await remindersOf(people.otherMember)).toHaveLength(1);
    expect((await remindersOf(people.otherMember))[0]!.details).toEqual({ deadline: DEADLINE });
    expect(await remindersOf(people.argentina)).toHaveLength(1);
    expect(await remindersOf(people.member)).toHaveLength(0); // answered already

    clock.set(Date.parse(DEADLINE) + 1000);
    await t.app.scheduler.runDue();
    expectError(await answer(people.otherMember, meeting.id, [{ slotId, answer: 'yes' }]), 409, 'poll_deadline_passed');
    await t.app.notifications.settled();
    expect((await notificationsOf(t.app, people.coordinator)).filter((n) => n.kind === 'meeting_poll_deadline' && n.subject.id === meeting.id)).toHaveLength(1);
    // The organizer can still pick a slot after the deadline.
    expect((await api(t.app, people.coordinator, 'POST', `/meetings/${meeting.id}/poll/close`, { slotId })).statusCode).toBe(200);
  });

  it('keeps the answers of slots kept when the organizer changes the slots, and drops those of slots removed', async () => {
    clock.set('2026-05-01T12:00:00.000Z');
    const meeting = await openPoll({ title: 'Encuesta que cambia' });
    const sorted = (await getPoll(people.member, meeting.id)).slots.sort((x, y) => x.position - y.position);
    await answer(people.member, meeting.id, sorted.map((slot) => ({ slotId: slot.id, answer: 'yes' })));
    const extra = { startsAt: '2026-05-15T14:00:00.000Z', endsAt: '2026-05-15T15:00:00.000Z' };
    const changed = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}/poll`, { slots: [SLOTS[2], SLOTS[0], extra] });
    expect(changed.statusCode, changed.body).toBe(200);
    const poll = await getPoll(people.member, meeting.id);
    const byStart = Object.fromEntries(poll.slots.map((slot) => [slot.startsAt, slot]));
    expect(byStart[SLOTS[0]!.startsAt]!.id).toBe(sorted[0]!.id);
    expect(byStart[SLOTS[0]!.startsAt]!.yes).toBe(1);
    expect(byStart[SLOTS[2]!.startsAt]!.position).toBe(0);
    expect(byStart[extra.startsAt]!.yes).toBe(0);
    expect(byStart[SLOTS[1]!.startsAt]).toBeUndefined();
    expect(Object.keys(poll.myAnswers).sort()).toEqual([sorted[0]!.id, sorted[2]!.id].sort());
  });

  it('tells readers of the meeting\'s live topic of every answer, with the counts per slot', async () => {
    const meeting = await openPoll({ title: 'Encuesta en vivo' });
    const slotId = (await getPoll(people.member, meeting.id)).slots[0]!.id;
    await answer(people.otherMember, meeting.id, [{ slotId, answer: 'if_need_be' }]);
    const events = await t.app.liveHub.replay([`meeting:${meeting.id}`], 0, 100);
    const last = events.filter((event) => event.type === 'poll.updated').pop()!;
    expect(last.payload).toEqual({
      meetingId: meeting.id,
      deadline: DEADLINE,
      closedAt: null,
      chosenSlotId: null,
      respondents: 1,
      slots: expect.arrayContaining([{ id: slotId, yes: 0, ifNeedBe: 1, no: 0 }]),
    });
  });

  it('keeps the live event of an answer the same size however many people have answered', async () => {
    const meeting = await openPoll({ title: 'Encuesta concurrida' });
    const slots = (await getPoll(people.member, meeting.id)).slots;
    const answerers: Array<{ id: string; cookie: string }> = [];
    for (let i = 0; i < 20; i += 1) answerers.push(await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'cl' }, { displayName: `Persona ${i}` }));
    const lastEvent = async () => (await t.app.liveHub.replay([`meeting:${meeting.id}`], 0, 1000)).filter((event) => event.type === 'poll.updated').pop()!.payload;
    const sizes: number[] = [];
    for (const [i, person] of answerers.entries()) {
      const response = await answer(person, meeting.id, slots.map((slot, n) => ({ slotId: slot.id, answer: n === 0 ? 'yes' : 'no' })));
      expect(response.statusCode, response.body).toBe(200);
      // After 10 and after 20 answers every count has two digits: a per-person list would grow.
      if (i === 9 || i === 19) sizes.push(JSON.stringify(await lastEvent()).length);
    }
    expect(sizes[1]).toBe(sizes[0]);
    const payload = JSON.stringify(await lastEvent());
    for (const person of answerers) expect(payload).not.toContain(person.id);
  });

  it('takes a person\'s answers sent twice at once, one of them whole, never an error', async () => {
    const meeting = await openPoll();
    const [a, b, c] = [...(await getPoll(people.member, meeting.id)).slots].sort((x, y) => x.position - y.position).map((slot) => slot.id);
    const first = { [a!]: 'yes', [b!]: 'no', [c!]: 'if_need_be' };
    const second = { [a!]: 'no', [b!]: 'yes', [c!]: 'yes' };
    const asList = (answers: Record<string, string>) => Object.entries(answers).map(([slotId, value]) => ({ slotId, answer: value }));
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all([answer(people.member, meeting.id, asList(first)), answer(people.member, meeting.id, asList(second))]);
      expect(answers.map((response) => response.statusCode), answers.map((response) => response.body).join()).toEqual([200, 200]);
      expect([first, second]).toContainEqual((await getPoll(people.member, meeting.id)).myAnswers);
    }
  });

  it('needs either a time or a poll', async () => {
    const both = await api(t.app, people.coordinator, 'POST', '/meetings', {
      title: 'Las dos cosas',
      kind: 'virtual_meeting',
      timeZone: 'America/Santiago',
      invitees: { everyone: true },
      startsAt: SLOTS[0]!.startsAt,
      endsAt: SLOTS[0]!.endsAt,
      poll: { slots: SLOTS },
    });
    expectError(both, 400, 'schedule_or_poll');
    const neither = await api(t.app, people.coordinator, 'POST', '/meetings', { title: 'Ninguna', kind: 'virtual_meeting', timeZone: 'America/Santiago', invitees: { everyone: true } });
    expectError(neither, 400, 'schedule_or_poll');
  });
});
