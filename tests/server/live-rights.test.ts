import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, request, sessionCookie, type TestApp } from '../helper.js';
import { LiveClient, listen, sleep, within, WAIT_MS, type EventMessage, type ServerMessage } from './live-support.js';
import { login, openTestDb, tokenOf, sha256Hex } from './support.js';
import { MINUTE, meetingAt } from './meetings/room-support.js';
import { api, buildMeetingsApp, populateMeetings, TestClock, type MeetingPeople } from './meetings/support.js';

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
const notify = async (userId: string) => (await t.app.liveHub.publish({ topic: `user:${userId}`, type: 'notification.created', payload: { private: true } })).id;

/** The socket stays open and gets what is published on the person's topic now. */
async function stillReceives(client: LiveClient, userId: string): Promise<void> {
  const id = await notify(userId);
  await client.next((message) => message.type === 'event' && (message as EventMessage).id === id);
}

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
      db.prepare('update sessions set expires_at = ? where id = ?').run(Date.now() - 1_000, sha256Hex(tokenOf(person.cookie)));
    } finally {
      db.close();
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
