import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessChanged } from '../../server/plugins/live/hub.js';
import { addPerson, request, sessionCookie, type TestApp } from '../helper.js';
import { LiveClient, listen, sleep, within, WAIT_MS, type EventMessage, type ServerMessage } from './live-support.js';
import { login, openTestDb, tokenOf, sha256Hex } from './support.js';
import { MINUTE, meetingAt } from './meetings/room-support.js';
import { api, buildMeetingsApp, populateMeetings, TestClock, type MeetingPeople } from './meetings/support.js';
import { untyped } from './untyped-events.js';

/**
 * Rights over live subscriptions are checked again when they change, not only at subscribe time:
 * a socket is bound to the session that opened it, and a topic whose readers change is checked
 * again for every socket subscribed to it before anything published after the change reaches them.
 * Real app on 127.0.0.1, real websockets.
 */

const BASE = Date.parse('2026-05-04T13:00:00.000Z');
const clock = new TestClock(BASE);
let t: TestApp;
let url: string;
let people: MeetingPeople;

/**
 * `gated:<id>`: readable by the users in `readers`. A check reads the set at once and answers
 * once `gate` opens, like a database read whose answer arrives late: a test can hold a check open,
 * change the readers meanwhile, and see what the socket gets.
 */
const readers = new Set<string>();
let gate: Promise<void> = Promise.resolve();
let checks = 0;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  t.app.liveTopics.define('gated', async (user) => {
    checks += 1;
    const allowed = readers.has(user.id);
    await gate;
    return allowed;
  });
  url = await listen(t.app);
  people = await populateMeetings(t.app);
});

afterEach(() => {
  clock.set(BASE);
  gate = Promise.resolve();
});

afterAll(async () => {
  await LiveClient.closeAll();
  await t?.close();
});

const isEvent = (type: string) => (message: ServerMessage) => message.type === 'event' && (message as EventMessage).event === type;
const dropped = (topic: string) => (message: ServerMessage) => message.type === 'unsubscribed' && Array.isArray(message.topics) && message.topics.includes(topic);

async function subscribed(who: { cookie: string }, topics: string[]): Promise<LiveClient> {
  const client = await LiveClient.connect(url, who.cookie);
  expect(await client.subscribe(topics)).toMatchObject({ type: 'subscribed', topics });
  return client;
}

/** A second session of the person, as from another device. */
async function anotherSession(person: { email: string; password: string }): Promise<string> {
  const response = await login(t.app, person.email, person.password);
  expect(response.statusCode, response.body).toBe(200);
  return sessionCookie(response);
}

/** Publishes on the person's own topic, where private notifications go; resolves with the event's id. */
const notify = async (userId: string) => (await t.app.liveHub.publish(untyped({ topic: `user:${userId}`, type: 'notification.created', payload: { private: true } }))).id;

/** The socket stays open and gets what is published on the person's topic now. */
async function stillReceives(client: LiveClient, userId: string): Promise<void> {
  const id = await notify(userId);
  await client.next((message) => message.type === 'event' && (message as EventMessage).id === id);
}

describe('a person removed from a meeting', () => {
  it("stops receiving the meeting's events (an edit with the new passcode, chat, attendance) while those still invited go on", async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE, { invitees: { everyone: false, personIds: [people.member.id, people.otherMember.id] } });
    const topic = `meeting:${meeting.id}`;
    const removed = await subscribed(people.member, [topic, `user:${people.member.id}`]);
    const kept = await subscribed(people.otherMember, [topic]);
    removed.send({ type: 'presence', topic });
    await kept.next((message) => message.type === 'presence' && (message.users as unknown[]).length === 1);

    const changed = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, {
      invitees: { everyone: false, personIds: [people.otherMember.id] },
      accessNotes: 'Código nuevo: 9876',
      onlineUrl: 'https://meet.jit.si/concilia-nueva-sala',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await api(t.app, people.member, 'GET', `/meetings/${meeting.id}`)).statusCode).toBe(404);

    // The one still invited gets the change; the one removed is told the subscription is gone, instead of the change.
    const update = (await kept.next(isEvent('meeting.updated'))) as EventMessage & { payload: { meeting: { accessNotes: string } } };
    expect(update.payload.meeting.accessNotes).toBe('Código nuevo: 9876');
    await removed.next(dropped(topic));
    // …and their presence leaves the room with them.
    await kept.next((message) => message.type === 'presence' && (message.users as unknown[]).length === 0);

    const chat = await api(t.app, people.otherMember, 'POST', `/meetings/${meeting.id}/room/messages`, { body: '¿Alguien más tiene el código?' });
    expect(chat.statusCode, chat.body).toBe(201);
    const attendance = await api(t.app, people.otherMember, 'PUT', `/meetings/${meeting.id}/attendance`, { answer: 'going' });
    expect(attendance.statusCode, attendance.body).toBe(200);
    await kept.next(isEvent('room.message'));
    await kept.next(isEvent('attendance.updated'));

    // The socket is still open, and gets its own notifications: only the meeting is gone.
    await stillReceives(removed, people.member.id);
    expect(removed.events(topic)).toEqual([]);
    expect(JSON.stringify(removed.messages)).not.toContain('9876');

    // The topic is no longer theirs: presence is refused, and so is subscribing again.
    const from = removed.messages.length;
    removed.send({ type: 'presence', topic });
    expect(await removed.next((message) => message.type === 'error', { from })).toMatchObject({ code: 'not_subscribed', topic });
    expect(await removed.subscribe([topic])).toMatchObject({ type: 'error', code: 'forbidden_topic', topic });

    // Invited again, they may follow it again.
    const back = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { invitees: { everyone: false, personIds: [people.otherMember.id, people.member.id] } });
    expect(back.statusCode, back.body).toBe(200);
    expect(await removed.subscribe([topic])).toMatchObject({ type: 'subscribed', topics: [topic] });
    removed.ws.close();
    kept.ws.close();
  });

  it('a staff member still sees a meeting that stopped inviting them by name, and keeps the subscription', async () => {
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE, { invitees: { everyone: false, personIds: [people.secretariat.id, people.member.id] } });
    const topic = `meeting:${meeting.id}`;
    const staff = await subscribed(people.secretariat, [topic]);
    const changed = await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { invitees: { everyone: false, personIds: [people.member.id] }, title: 'Reunión sin la secretaría' });
    expect(changed.statusCode, changed.body).toBe(200);
    const update = (await staff.next(isEvent('meeting.updated'))) as EventMessage & { payload: { meeting: { title: string } } };
    expect(update.payload.meeting.title).toBe('Reunión sin la secretaría');
    expect(staff.messages.some(dropped(topic))).toBe(false);
    staff.ws.close();
  });
});

describe('a topic whose readers change', () => {
  const publishChange = (topic: string, ...types: string[]) => t.app.liveHub.publishMany([accessChanged(topic), ...types.map((type) => untyped({ topic, type, payload: { type } }))]);

  it('holds what is published after the change until the recheck answers, then sends it only to those who may still read', async () => {
    const [a, b] = [people.argentina, people.trinidad];
    readers.add(a.id).add(b.id);
    const topic = 'gated:hold';
    const losing = await subscribed(a, [topic, 'gated:marker']);
    const keeping = await subscribed(b, [topic]);

    readers.delete(a.id);
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const checksBefore = checks;
    const [signal, secret] = await publishChange(topic, 'secret.published');
    const later = await t.app.liveHub.publish(untyped({ topic, type: 'later.published', payload: {} }));
    // Both sockets have had everything fanned out (a marker published after reached the one) while the checks wait.
    const marker = await t.app.liveHub.publish(untyped({ topic: 'gated:marker', type: 'marker', payload: {} }));
    await losing.next((message) => message.type === 'event' && (message as EventMessage).id === marker.id);
    expect(checks - checksBefore).toBeGreaterThanOrEqual(1);
    expect(losing.events(topic)).toEqual([]);
    expect(keeping.events(topic)).toEqual([]);

    open();
    await losing.next(dropped(topic));
    const events = await keeping.next((message) => message.type === 'event' && (message as EventMessage).id === later.id).then(() => keeping.events(topic));
    // The signal itself never goes out; the events do, in order, to the one still allowed.
    expect(events.map((event) => event.id)).toEqual([secret!.id, later.id]);
    expect(events.some((event) => event.id === signal!.id)).toBe(false);
    await sleep(50);
    expect(losing.events(topic)).toEqual([]);
    // Nothing published later reaches the one who lost the right.
    const after = await t.app.liveHub.publish(untyped({ topic, type: 'after.published', payload: {} }));
    await keeping.next((message) => message.type === 'event' && (message as EventMessage).id === after.id);
    expect(losing.events(topic)).toEqual([]);
    losing.ws.close();
    keeping.ws.close();
  });

  it('sends neither what was published between a removal and a restoration, when both happened during one check: a resync instead', async () => {
    const who = people.cuba;
    readers.add(who.id);
    const topic = 'gated:flicker';
    const client = await subscribed(who, [topic]);
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    readers.delete(who.id);
    const [, whileRemoved] = await publishChange(topic, 'while.removed');
    readers.add(who.id);
    await publishChange(topic);
    const afterwards = await t.app.liveHub.publish(untyped({ topic, type: 'after.restored', payload: {} }));
    open();
    await client.next((message) => message.type === 'event' && (message as EventMessage).id === afterwards.id);
    expect(client.events(topic).map((event) => event.id)).toEqual([afterwards.id]);
    expect(client.messages.some((message) => message.type === 'resync' && (message.topics as string[]).includes(topic))).toBe(true);
    expect(client.events(topic).some((event) => event.id === whileRemoved!.id)).toBe(false);
    client.ws.close();
  });

  it("a change of readers during a subscribe's own check is checked again: a person it removed is refused", async () => {
    const who = people.secretariat;
    readers.add(who.id);
    const topic = 'gated:subscribing';
    const client = await LiveClient.connect(url, who.cookie);
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const checksBefore = checks;
    client.send({ type: 'subscribe', topics: [topic] });
    const deadline = Date.now() + WAIT_MS;
    while (checks === checksBefore && Date.now() < deadline) await sleep(5);
    // The check has read "allowed"; the person is removed before it answers.
    readers.delete(who.id);
    const [, secret] = await publishChange(topic, 'secret');
    open();
    expect(await client.next((message) => message.type === 'error' && message.topic === topic)).toMatchObject({ code: 'forbidden_topic' });
    expect(client.events(topic).some((event) => event.id === secret!.id)).toBe(false);
    expect(client.messages.some((message) => message.type === 'subscribed')).toBe(false);
    client.ws.close();
  });

  it('does not replay, to a reconnecting reader, what was published after a change of its readers: it asks for a resync', async () => {
    const who = people.observer;
    readers.add(who.id);
    const topic = 'gated:replay';
    const first = await subscribed(who, [topic]);
    const seen = await t.app.liveHub.publish(untyped({ topic, type: 'seen', payload: {} }));
    await first.next((message) => message.type === 'event' && (message as EventMessage).id === seen.id);
    first.ws.close();
    await within(first.closed, WAIT_MS, 'the first socket to close');

    // While away: an event they may read, then a removal, an event they may not, and a restoration.
    const missed = await t.app.liveHub.publish(untyped({ topic, type: 'missed', payload: {} }));
    readers.delete(who.id);
    const [, hidden] = await publishChange(topic, 'hidden');
    readers.add(who.id);
    await publishChange(topic);

    const again = await LiveClient.connect(url, who.cookie);
    expect(await again.subscribe([topic], seen.id)).toMatchObject({ type: 'subscribed', topics: [topic] });
    expect(again.events(topic).map((event) => event.id)).toEqual([missed.id]);
    expect(again.messages.some((message) => message.type === 'resync' && (message.topics as string[]).includes(topic))).toBe(true);
    expect(again.events(topic).some((event) => event.id === hidden!.id)).toBe(false);
    again.ws.close();
  });
});

describe("a socket belongs to the session that opened it", () => {
  it('signing out closes that session\'s sockets, and only those', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'ar' });
    const laptop = person.cookie;
    const phone = await anotherSession(person);
    const onLaptop = await subscribed({ cookie: laptop }, [`user:${person.id}`]);
    const onPhone = await subscribed({ cookie: phone }, [`user:${person.id}`]);

    const out = await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: laptop });
    expect(out.statusCode, out.body).toBe(200);
    expect(await within(onLaptop.closed, WAIT_MS, 'the signed-out socket to close')).toBe(4401);
    await stillReceives(onPhone, person.id);
    expect(onPhone.ws.readyState).toBe(onPhone.ws.OPEN);
    onPhone.ws.close();
  });

  it("a password change closes the other sessions' sockets; the session that changed it keeps its socket, now bound to its new cookie", async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'ar' });
    const here = person.cookie;
    const elsewhere = await anotherSession(person);
    const mine = await subscribed({ cookie: here }, [`user:${person.id}`]);
    const theirs = await subscribed({ cookie: elsewhere }, [`user:${person.id}`]);

    const changed = await request(t.app, { method: 'POST', url: '/api/auth/password', cookie: here, payload: { currentPassword: person.password, newPassword: 'a-new-and-longer-passphrase' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await within(theirs.closed, WAIT_MS, "the other session's socket to close")).toBe(4401);
    await stillReceives(mine, person.id);

    // The socket follows the session that changed the password: signing that one out closes it.
    const fresh = sessionCookie(changed);
    const out = await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: fresh });
    expect(out.statusCode, out.body).toBe(200);
    expect(await within(mine.closed, WAIT_MS, 'the socket of the signed-out session to close')).toBe(4401);
  });

  it('a password reset link closes every socket of the person', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'observer');
    const client = await subscribed(person, [`user:${person.id}`]);
    const link = await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/password-reset`, cookie: people.admin.cookie });
    expect(link.statusCode, link.body).toBe(201);
    const token = new URL(link.json().url).pathname.split('/').pop()!;
    const reset = await request(t.app, { method: 'POST', url: `/api/auth/password-resets/${token}`, payload: { password: 'reset-to-this-passphrase' } });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(await within(client.closed, WAIT_MS, 'the socket to close')).toBe(4401);
  });

  it("a session that expires closes its sockets when the expired sessions are cleared", async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'ar' });
    const other = await anotherSession(person);
    const expiring = await subscribed(person, [`user:${person.id}`]);
    const lasting = await subscribed({ cookie: other }, [`user:${person.id}`]);
    const db = openTestDb(t);
    try {
      await db.prepare('update sessions set expires_at = ? where id = ?').run(Date.now() - 1_000, sha256Hex(tokenOf(person.cookie)));
    } finally {
      await db.close();
    }
    expect(await t.app.sessions.deleteExpired()).toBe(1);
    expect(await within(expiring.closed, WAIT_MS, 'the expired session\'s socket to close')).toBe(4401);
    await stillReceives(lasting, person.id);
    lasting.ws.close();
  });

  it('deactivation closes every socket of the person, and nothing published afterwards reaches them', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'ar' });
    const second = await anotherSession(person);
    const one = await subscribed(person, [`user:${person.id}`]);
    const two = await subscribed({ cookie: second }, [`user:${person.id}`]);
    const response = await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate`, cookie: people.admin.cookie, payload: {} });
    expect(response.statusCode, response.body).toBe(200);
    await notify(person.id);
    expect(await within(one.closed, WAIT_MS, 'the first socket to close')).toBe(4401);
    expect(await within(two.closed, WAIT_MS, 'the second socket to close')).toBe(4401);
    expect(one.events(`user:${person.id}`)).toEqual([]);
    expect(two.events(`user:${person.id}`)).toEqual([]);
  });

  it('a role change closes the sockets with 4409; reconnected, the person keeps only the topics the new role may read', async () => {
    const person = await addPerson(t.app, people.admin.cookie, 'secretariat');
    const meeting = await meetingAt(t.app, people.coordinator, clock.ms, 10 * MINUTE, { invitees: { everyone: false, personIds: [people.member.id] } });
    const topic = `meeting:${meeting.id}`;
    const client = await subscribed(person, [topic, `user:${person.id}`]);
    const demoted = await request(t.app, { method: 'PUT', url: `/api/admin/users/${person.id}/role`, cookie: people.admin.cookie, payload: { role: 'observer', organizationId: 'unicef' } });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(await within(client.closed, WAIT_MS, 'the socket to close')).toBe(4409);
    const again = await LiveClient.connect(url, person.cookie);
    expect(await again.subscribe([topic])).toMatchObject({ type: 'error', code: 'forbidden_topic', topic });
    expect(await again.subscribe([`user:${person.id}`])).toMatchObject({ type: 'subscribed' });
    again.ws.close();
  });
});
