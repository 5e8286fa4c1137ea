import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DurableLiveHub } from '../../server/plugins/live/hub.js';
import { addPerson, buildTestApp, request, setUpGroup, TEST_ENGINE, type TestApp } from '../helper.js';
import { databaseForThisFile } from '../support/postgres.js';
import { myId } from './support.js';
import { LiveClient, buildAppOn, listen, refusedUpgrade, sleep, waitUntil, within, WAIT_MS, type EventMessage } from './live-support.js';
import { untyped } from './untyped-events.js';

/** A topic kind of the test's own: anyone reads `test:<anything>` except `test:secret`, which only administrators read. */
function defineTestTopics(app: FastifyInstance) {
  app.liveTopics.define('test', async (user, id) => id !== 'secret' || user.role === 'admin');
}

const ids = (events: EventMessage[]) => events.map((event) => event.id);

let t: TestApp;
let url: string;
let adminCookie: string;
let adminId: string;
let member: Awaited<ReturnType<typeof addPerson>>;
let coordinator: Awaited<ReturnType<typeof addPerson>>;

beforeAll(async () => {
  t = await buildTestApp();
  defineTestTopics(t.app);
  url = await listen(t.app);
  adminCookie = await setUpGroup(t.app);
  adminId = await myId(t.app, adminCookie);
  member = await addPerson(t.app, adminCookie, 'member', {}, { displayName: 'Marta Member' });
  coordinator = await addPerson(t.app, adminCookie, 'coordinator', {}, { displayName: 'Carlos Coordinator' });
});

afterAll(async () => {
  await LiveClient.closeAll();
  await t?.close();
});

const publish = (topic: string, type = 'test.happened', payload: unknown = {}, audience?: { roles?: Array<'admin' | 'coordinator'>; userIds?: string[] }) =>
  t.app.liveHub.publish(untyped({ topic, type, payload, ...(audience ? { audience } : {}) }));

describe('the upgrade', () => {
  it('is refused without a session: 401 and no upgrade', async () => {
    const answer = await refusedUpgrade(url, { origin: 'http://127.0.0.1:3000' });
    expect(answer.upgraded).toBe(false);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error.code).toBe('unauthenticated');
  });

  it('is refused with a stale session cookie', async () => {
    const answer = await refusedUpgrade(url, { origin: 'http://127.0.0.1:3000', cookie: 'concilia_session=abcdefghijklmnopqrstuvwxyz234567' });
    expect(answer).toMatchObject({ upgraded: false, status: 401 });
  });

  it('is refused from a foreign Origin, or with none: 403 before upgrading', async () => {
    const foreign = await refusedUpgrade(url, { origin: 'https://evil.example', cookie: member.cookie });
    expect(foreign).toMatchObject({ upgraded: false, status: 403 });
    expect(JSON.parse(foreign.body).error.code).toBe('cross_origin_refused');
    const none = await refusedUpgrade(url, { cookie: member.cookie });
    expect(none).toMatchObject({ upgraded: false, status: 403 });
  });

  it('is accepted from the public origin and from the host the request came to', async () => {
    const client = await LiveClient.connect(url, member.cookie);
    const ownHost = await LiveClient.connect(url, member.cookie, { origin: new URL(url.replace('ws:', 'http:')).origin });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(ownHost.ws.readyState).toBe(ownHost.ws.OPEN);
    client.ws.close();
    ownHost.ws.close();
  });

  it('answers a plain GET with 426 in the error shape', async () => {
    const response = await request(t.app, { url: '/api/live', cookie: member.cookie });
    expect(response.statusCode).toBe(426);
    expect(response.json().error.code).toBe('upgrade_required');
  });
});

describe('messages', () => {
  it('answers malformed messages with bad_message and keeps the socket open', async () => {
    const client = await LiveClient.connect(url, member.cookie);
    const bad = ['not json', '{"type":"subscribe"}', '{"type":"subscribe","topics":[]}', '{"type":"dance"}', '[1,2]', 'null', '{"type":"subscribe","topics":["test:a"],"lastEventId":-1}', '{"type":"subscribe","topics":["test:a"],"extra":1}'];
    for (const text of bad) client.send(text);
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitUntil(() => client.messages.filter((m) => m.type === 'error' && m.code === 'bad_message').length === bad.length + 1, 'every bad_message');
    expect(client.messages.every((m) => m.type === 'error' && m.code === 'bad_message')).toBe(true);
    const answer = await client.subscribe(['test:after-bad']);
    expect(answer).toMatchObject({ type: 'subscribed', topics: ['test:after-bad'] });
    client.ws.close();
  });
});

describe('subscriptions', () => {
  it('refuses a topic the user may not read with forbidden_topic, and sends nothing from it', async () => {
    const client = await LiveClient.connect(url, member.cookie);
    const answer = await client.subscribe(['test:secret', 'test:open', 'nope:1', `user:${adminId}`, `user:${member.id}`]);
    expect(answer).toMatchObject({ type: 'subscribed', topics: ['test:open', `user:${member.id}`] });
    const refused = client.messages.filter((m) => m.type === 'error').map((m) => [m.code, m.topic]);
    expect(refused).toEqual([
      ['forbidden_topic', 'test:secret'],
      ['forbidden_topic', 'nope:1'],
      ['forbidden_topic', `user:${adminId}`],
    ]);
    await publish('test:secret', 'secret.thing');
    await publish(`user:${adminId}`, 'notification.created');
    const marker = await publish('test:open', 'marker');
    await client.next((m) => m.type === 'event' && m.id === marker.id);
    expect(client.events().map((event) => event.topic)).toEqual(['test:open']);

    const admin = await LiveClient.connect(url, adminCookie);
    expect(await admin.subscribe(['test:secret'])).toMatchObject({ type: 'subscribed', topics: ['test:secret'] });
    client.ws.close();
    admin.ws.close();
  });

  it('delivers events in id order, and stops after unsubscribe', async () => {
    const client = await LiveClient.connect(url, member.cookie);
    await client.subscribe(['test:order-a', 'test:order-b']);
    const published: Array<{ id: number }> = [];
    for (let i = 0; i < 30; i += 1) published.push(await publish(i % 2 ? 'test:order-a' : 'test:order-b', 'n', { i }));
    await client.next((m) => m.type === 'event' && m.id === published.at(-1)!.id);
    expect(ids(client.events())).toEqual(published.map((event) => event.id));
    expect(client.events()[3]).toEqual({ type: 'event', id: published[3]!.id, topic: 'test:order-a', event: 'n', payload: { i: 3 } });

    client.send({ type: 'unsubscribe', topics: ['test:order-a'] });
    await client.subscribe(['test:order-c']);
    await publish('test:order-a', 'gone');
    const marker = await publish('test:order-b', 'marker');
    await client.next((m) => m.type === 'event' && m.id === marker.id);
    expect(client.events().filter((event) => event.event === 'gone')).toEqual([]);
    client.ws.close();
  });

  it('filters by audience: a member does not get a moderators-only event', async () => {
    const memberClient = await LiveClient.connect(url, member.cookie);
    const coordinatorClient = await LiveClient.connect(url, coordinator.cookie);
    await memberClient.subscribe(['test:audience']);
    await coordinatorClient.subscribe(['test:audience']);
    const everyone = await publish('test:audience', 'post.updated', { redacted: true });
    const moderators = await publish('test:audience', 'post.updated', { redacted: false }, { roles: ['admin', 'coordinator'] });
    const forMember = await publish('test:audience', 'post.updated', { author: true }, { userIds: [member.id] });
    const marker = await publish('test:audience', 'marker');
    await memberClient.next((m) => m.type === 'event' && m.id === marker.id);
    await coordinatorClient.next((m) => m.type === 'event' && m.id === marker.id);
    expect(ids(memberClient.events())).toEqual([everyone.id, forMember.id, marker.id]);
    expect(ids(coordinatorClient.events())).toEqual([everyone.id, moderators.id, marker.id]);
    memberClient.ws.close();
    coordinatorClient.ws.close();
  });
});

describe('replay', () => {
  it('sends what a reconnecting client missed, exactly once and in order, then live events', async () => {
    const first = await LiveClient.connect(url, member.cookie);
    await first.subscribe(['test:replay', 'test:replay-2']);
    await publish('test:replay', 'seen', { n: 1 });
    const seen = await publish('test:replay', 'seen', { n: 2 });
    await first.next((m) => m.type === 'event' && m.id === seen.id);
    first.ws.close();
    await within(first.closed, WAIT_MS, 'the first socket to close');

    const missed: Array<{ id: number }> = [];
    for (let n = 3; n <= 8; n += 1) missed.push(await publish(n % 3 ? 'test:replay' : 'test:replay-2', 'missed', { n }));
    await publish('test:elsewhere', 'not subscribed');
    const hidden = await publish('test:replay', 'moderators only', {}, { roles: ['admin'] });

    const second = await LiveClient.connect(url, member.cookie);
    const answer = await second.subscribe(['test:replay', 'test:replay-2'], seen.id);
    expect(ids(second.events())).toEqual(missed.map((event) => event.id));
    expect(second.events().map((event) => (event.payload as { n: number }).n)).toEqual([3, 4, 5, 6, 7, 8]);
    // The cursor a later reconnect resumes from covers everything sent, hidden events included.
    expect(answer.lastEventId).toBeGreaterThanOrEqual(hidden.id);

    const live = await publish('test:replay', 'live');
    await second.next((m) => m.type === 'event' && m.id === live.id);
    expect(ids(second.events())).toEqual([...missed.map((event) => event.id), live.id]);
    second.ws.close();
  });

  it('never duplicates nor drops events published while the replay is being sent', async () => {
    const cursor = (await publish('test:race', 'before')).id;
    for (let i = 0; i < 1200; i += 1) await publish('test:race', 'stored', { i });
    const client = await LiveClient.connect(url, member.cookie);
    client.send({ type: 'subscribe', topics: ['test:race'], lastEventId: cursor });
    const during: Array<{ id: number }> = [];
    for (let i = 0; i < 200; i += 1) {
      during.push(await publish('test:race', 'during', { i }));
      if (i % 20 === 0) await sleep(1);
    }
    const last = during.at(-1)!;
    await client.next((m) => m.type === 'event' && m.id === last.id, { ms: 15_000 });
    const received = ids(client.events());
    expect(new Set(received).size).toBe(received.length);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received).toHaveLength(1200 + 200);
    expect(received[0]).toBe(cursor + 1);
    client.ws.close();
  });
});

describe('after a server restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-live-restart-'));
  let apps: FastifyInstance[] = [];
  let cookie: string;
  let appUrl: string;
  // The database that outlives the app: the SQLite file in dataDir, or a PostgreSQL database of its own.
  let database: { url: string; close(): Promise<void> } | null = null;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    if (TEST_ENGINE !== 'postgres') return;
    database = await databaseForThisFile();
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await LiveClient.closeAll();
    for (const app of apps) await app.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays what a client missed across the restart, and ids keep increasing', async () => {
    const before = await buildAppOn(dataDir, {}, env);
    apps.push(before);
    defineTestTopics(before);
    const beforeUrl = await listen(before);
    cookie = await setUpGroup(before);
    const client = await LiveClient.connect(beforeUrl, cookie);
    await client.subscribe(['test:restart']);
    const seen = await before.liveHub.publish(untyped({ topic: 'test:restart', type: 'seen', payload: {} }));
    await client.next((m) => m.type === 'event' && m.id === seen.id);
    const missedBefore = [await before.liveHub.publish(untyped({ topic: 'test:restart', type: 'missed', payload: { n: 1 } }))];
    // The client sees the shutdown as a close it did not ask for, like a real page would.
    await before.close();
    apps = [];
    expect(await within(client.closed, WAIT_MS, 'the socket to close on shutdown')).toBe(1001);

    const after = await buildAppOn(dataDir, {}, env);
    apps.push(after);
    defineTestTopics(after);
    const afterUrl = await listen(after);
    appUrl = afterUrl;
    const missedAfter = [await after.liveHub.publish(untyped({ topic: 'test:restart', type: 'missed', payload: { n: 2 } }))];
    expect(missedAfter[0]!.id).toBeGreaterThan(missedBefore[0]!.id);

    const again = await LiveClient.connect(afterUrl, cookie);
    await again.subscribe(['test:restart'], seen.id);
    expect(ids(again.events())).toEqual([...missedBefore, ...missedAfter].map((event) => event.id));
    const live = await after.liveHub.publish(untyped({ topic: 'test:restart', type: 'live', payload: {} }));
    await again.next((m) => m.type === 'event' && m.id === live.id);
    expect(ids(again.events())).toEqual([missedBefore[0]!.id, missedAfter[0]!.id, live.id]);
  });

  it('asks the client to reload when events after its cursor were pruned', async () => {
    const app = apps[0]!;
    const hub = app.liveHub as DurableLiveHub;
    const old = await hub.publish(untyped({ topic: 'test:pruned', type: 'old', payload: {} }));
    await hub.publish(untyped({ topic: 'test:pruned', type: 'old', payload: {} }));
    await hub.prune(new Date(Date.now() + 1_000));
    const kept = await hub.publish(untyped({ topic: 'test:pruned', type: 'kept', payload: {} }));
    const client = await LiveClient.connect(appUrl, cookie);
    const from = client.messages.length;
    await client.subscribe(['test:pruned'], old.id);
    expect(client.messages.slice(from).map((m) => m.type)).toEqual(['resync', 'subscribed']);
    const live = await hub.publish(untyped({ topic: 'test:pruned', type: 'live', payload: {} }));
    await client.next((m) => m.type === 'event' && m.id === live.id);
    expect(ids(client.events())).toEqual([live.id]);
    expect(live.id).toBeGreaterThan(kept.id);

    // A cursor from the future (another database, e.g. before a restore) cannot be trusted either.
    const confused = await LiveClient.connect(appUrl, cookie);
    await confused.subscribe(['test:pruned'], live.id + 1_000);
    expect(confused.messages.map((m) => m.type)).toEqual(['resync', 'subscribed']);
    expect(confused.messages[1]!.lastEventId).toBe(live.id);
  });
});

describe('heartbeat', () => {
  let fast: TestApp;
  let fastUrl: string;
  let cookie: string;

  beforeAll(async () => {
    fast = await buildTestApp({}, { liveHeartbeatSeconds: 0.3 });
    fastUrl = await listen(fast.app);
    cookie = await setUpGroup(fast.app);
  });
  afterAll(async () => {
    await LiveClient.closeAll();
    await fast?.close();
  });

  it('drops a peer that does not answer pings, and keeps one that does', async () => {
    const deaf = await LiveClient.connect(fastUrl, cookie, { autoPong: false });
    const healthy = await LiveClient.connect(fastUrl, cookie);
    const code = await within(deaf.closed, WAIT_MS, 'the deaf peer to be dropped');
    expect(code).toBe(1006);
    await sleep(600);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    expect(fast.app.websocketServer.clients.size).toBe(1);
    healthy.ws.close();
  });
});

describe('a slow consumer', () => {
  it('is disconnected instead of growing server memory', async () => {
    const hub = t.app.liveHub as DurableLiveHub;
    await waitUntil(() => t.app.websocketServer.clients.size === 0, 'earlier sockets to close');
    const baseline = hub.subscriptionCount();
    const client = await LiveClient.connect(url, member.cookie);
    await client.subscribe(['test:big']);
    expect(hub.subscriptionCount()).toBeGreaterThan(baseline);
    const [serverSocket] = [...t.app.websocketServer.clients];
    // Stop reading: the kernel buffers fill, then the server's own send buffer grows.
    (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const big = 'x'.repeat(128 * 1024);
    let published = 0;
    let maxBuffered = 0;
    while (hub.subscriptionCount() > baseline && published < 600) {
      await publish('test:big', 'big', { big });
      published += 1;
      maxBuffered = Math.max(maxBuffered, serverSocket!.bufferedAmount);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.subscriptionCount()).toBe(baseline);
    // Bounded by the limit plus the one message that crossed it, not by what was published.
    expect(maxBuffered).toBeLessThan(512 * 1024 + 2 * big.length);
    await waitUntil(() => t.app.websocketServer.clients.size === 0, 'the server to let go of the socket');
    expect(serverSocket!.readyState).toBe(serverSocket!.CLOSED);
    expect(serverSocket!.bufferedAmount).toBeLessThan(512 * 1024 + 2 * big.length);
  });
});

describe('fan-out', () => {
  it('serializes an event once however many sockets receive it', async () => {
    const clients = await Promise.all(Array.from({ length: 150 }, () => LiveClient.connect(url, member.cookie)));
    await Promise.all(clients.map((client) => client.subscribe(['test:crowd'])));
    const stringify = vi.spyOn(JSON, 'stringify');
    let event;
    try {
      event = await publish('test:crowd', 'post.created', { post: { id: 'p1', html: '<p>hola</p>' } });
    } finally {
      // Fan-out is synchronous inside publish(): every socket has been written to by now.
      expect(stringify.mock.calls.length).toBeLessThan(5);
      stringify.mockRestore();
    }
    await Promise.all(clients.map((client) => client.next((m) => m.type === 'event' && m.id === event.id)));
    for (const client of clients) client.ws.close();
    await Promise.all(clients.map((client) => within(client.closed, WAIT_MS, 'a crowd socket to close')));
  });
});

describe('presence and typing', () => {
  it('lists who is reading a topic, relays typing to the others, and forgets people who leave', async () => {
    const marta = await LiveClient.connect(url, member.cookie);
    const carlos = await LiveClient.connect(url, coordinator.cookie);
    await marta.subscribe(['test:presence']);
    await carlos.subscribe(['test:presence']);

    marta.send({ type: 'presence', topic: 'test:presence' });
    const first = await carlos.next((m) => m.type === 'presence');
    expect(first).toEqual({ type: 'presence', topic: 'test:presence', users: [{ id: member.id, displayName: 'Marta Member', countryId: 'cl' }] });
    await marta.next((m) => m.type === 'presence');

    const from = carlos.messages.length;
    carlos.send({ type: 'presence', topic: 'test:presence' });
    const both = await marta.next((m) => m.type === 'presence' && (m.users as unknown[]).length === 2);
    expect((both.users as Array<{ id: string }>).map((user) => user.id)).toEqual([member.id, coordinator.id]);

    // A third reader gets the current list when subscribing.
    const late = await LiveClient.connect(url, adminCookie);
    await late.subscribe(['test:presence']);
    expect((await late.next((m) => m.type === 'presence')).users).toHaveLength(2);

    carlos.send({ type: 'typing', topic: 'test:presence' });
    carlos.send({ type: 'typing', topic: 'test:presence' });
    const typing = await marta.next((m) => m.type === 'typing');
    expect(typing).toEqual({ type: 'typing', topic: 'test:presence', user: { id: coordinator.id, displayName: 'Carlos Coordinator' } });
    await late.next((m) => m.type === 'typing');
    await sleep(200);
    expect(marta.messages.filter((m) => m.type === 'typing')).toHaveLength(1);
    expect(carlos.messages.slice(from).filter((m) => m.type === 'typing')).toEqual([]);

    marta.send({ type: 'typing', topic: 'test:not-mine' });
    expect((await marta.next((m) => m.type === 'error')).code).toBe('not_subscribed');

    marta.ws.close();
    const after = await carlos.next((m) => m.type === 'presence' && (m.users as unknown[]).length === 1, { from });
    expect((after.users as Array<{ id: string }>)[0]!.id).toBe(coordinator.id);
    carlos.ws.close();
    late.ws.close();
  });
});

describe('when a role changes', () => {
  it("closes the person's sockets with 4409, so the client reconnects and its subscriptions are checked for the new role", async () => {
    const person = await addPerson(t.app, adminCookie, 'coordinator');
    const socket = await LiveClient.connect(url, person.cookie);
    await socket.subscribe(['test:role-change']);
    const response = await request(t.app, { method: 'PUT', url: `/api/admin/users/${person.id}/role`, cookie: adminCookie, payload: { role: 'member', countryId: 'cl' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(await within(socket.closed, WAIT_MS, 'the socket to close')).toBe(4409);
    // The session itself goes on: the reconnect is accepted.
    const again = await LiveClient.connect(url, person.cookie);
    expect(again.ws.readyState).toBe(again.ws.OPEN);
    again.ws.close();
  });
});

describe('when a session ends', () => {
  it("closes a deactivated user's sockets with 4401, and the next upgrade is refused", async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const one = await LiveClient.connect(url, person.cookie);
    const two = await LiveClient.connect(url, person.cookie);
    const bystander = await LiveClient.connect(url, member.cookie);
    await one.subscribe(['test:deactivation']);
    const response = await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate`, cookie: adminCookie, payload: {} });
    expect(response.statusCode).toBe(200);
    expect(await within(one.closed, WAIT_MS, 'the first socket to close')).toBe(4401);
    expect(await within(two.closed, WAIT_MS, 'the second socket to close')).toBe(4401);
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    expect(await refusedUpgrade(url, { origin: 'http://127.0.0.1:3000', cookie: person.cookie })).toMatchObject({ status: 401, upgraded: false });
    bystander.ws.close();
  });
});
