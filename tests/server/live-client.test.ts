import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { accessChanged, type DurableLiveHub } from '../../server/plugins/live/hub.js';
import type { LivePosition } from '../../client/app/api.js';
import { LiveConnection, type LiveStatus, type LiveTopicMessage } from '../../client/app/live-connection.js';
import { ORIGIN, addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { listen, waitUntil } from './live-support.js';
import { untyped } from './untyped-events.js';

/**
 * The client library against the real server, in Node: `ws` stands in for the browser's
 * WebSocket (sending the cookie and Origin a browser would), and window, document and
 * navigator are minimal stand-ins for the events the library listens to.
 */
let t: TestApp;
let url: string;
let adminCookie: string;
const connections: LiveConnection[] = [];
/** Users who may no longer read `revocable:*` topics. */
const revoked = new Set<string>();

function socketClass(cookie: string) {
  return class extends WebSocket {
    constructor(address: string) {
      super(address, { headers: { cookie, origin: ORIGIN } });
    }
  } as unknown as typeof globalThis.WebSocket;
}

function connection(cookie: string, position?: LivePosition, initialDelayMs = 20): { live: LiveConnection; statuses: LiveStatus[] } {
  const live = new LiveConnection({ url, webSocket: socketClass(cookie), initialDelayMs, maxDelayMs: Math.max(100, initialDelayMs), sessionAlive: async () => true, ...(position ? { position } : {}) });
  const statuses: LiveStatus[] = [];
  live.addEventListener('live-status', (event) => statuses.push(event.status));
  connections.push(live);
  return { live, statuses };
}

beforeAll(async () => {
  vi.stubGlobal('window', Object.assign(new EventTarget(), { location: new URL(ORIGIN) }));
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  vi.stubGlobal('navigator', { onLine: true });
  t = await buildTestApp();
  t.app.liveTopics.define('test', async () => true);
  t.app.liveTopics.define('revocable', async (user) => !revoked.has(user.id));
  url = await listen(t.app);
  adminCookie = await setUpGroup(t.app);
});

afterAll(async () => {
  for (const live of connections) live.stop();
  await t?.close();
  vi.unstubAllGlobals();
});

const publish = (topic: string, payload: unknown = {}) => t.app.liveHub.publish(untyped({ topic, type: 'test.happened', payload }));
const eventIds = (messages: LiveTopicMessage[]) => messages.flatMap((m) => (m.type === 'event' ? [m.id] : []));

describe('LiveConnection', () => {
  it('shares one server subscription per topic between listeners, and releases it with the last one', async () => {
    const hub = t.app.liveHub as DurableLiveHub;
    const { live, statuses } = connection(adminCookie);
    const a: LiveTopicMessage[] = [];
    const b: LiveTopicMessage[] = [];
    const before = hub.subscriptionCount();
    const offA = live.subscribe('test:shared', (m) => a.push(m));
    const offB = live.subscribe('test:shared', (m) => b.push(m));
    live.start();
    await waitUntil(() => live.status === 'open' && hub.subscriptionCount() === before + 2, 'the subscription (plus the session watch)');
    expect(statuses).toEqual(['connecting', 'open']);

    const first = await publish('test:shared');
    await waitUntil(() => eventIds(a).length === 1 && eventIds(b).length === 1, 'both listeners');
    offA();
    const second = await publish('test:shared');
    await waitUntil(() => eventIds(b).length === 2, 'the remaining listener');
    expect(eventIds(a)).toEqual([first.id]);
    expect(eventIds(b)).toEqual([first.id, second.id]);
    expect(a.filter((m) => m.type === 'subscribed')).toEqual([{ type: 'subscribed', topic: 'test:shared' }]);
    offB();
    await waitUntil(() => hub.subscriptionCount() === before + 1, 'the server to drop the topic');
    live.stop();
    expect(live.status).toBe('offline');
  });

  it('reconnects by itself after a lost connection and gets what it missed, once and in order', async () => {
    // A backoff long enough that the events are all published while it is away (a commit takes a few
    // milliseconds on PostgreSQL); the tab coming back to the front then retries at once.
    const { live, statuses } = connection(adminCookie, undefined, 60_000);
    const received: LiveTopicMessage[] = [];
    const subscribed = (count: number) => () => received.filter((m) => m.type === 'subscribed').length === count;
    live.subscribe('test:resume-a', (m) => received.push(m));
    live.subscribe('test:resume-b', (m) => received.push(m));
    live.start();
    await waitUntil(subscribed(2), 'both subscriptions');
    const seen = await publish('test:resume-a');
    await waitUntil(() => eventIds(received).length === 1, 'the first event');

    for (const socket of t.app.websocketServer.clients) socket.terminate();
    await waitUntil(() => live.status === 'reconnecting', 'reconnecting');
    const missed = [await publish('test:resume-b'), await publish('test:resume-a'), await publish('test:resume-b')];
    expect(received.filter((m) => m.type === 'subscribed')).toHaveLength(2);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(subscribed(4), 'both subscriptions again, with the replay');
    const after = await publish('test:resume-a');
    await waitUntil(() => eventIds(received).includes(after.id), 'the live event after reconnecting');
    expect(eventIds(received)).toEqual([seen.id, ...missed.map((e) => e.id), after.id]);
    // The replay comes before the confirmation, which therefore means "caught up".
    const lastConfirmation = received.map((m) => m.type).lastIndexOf('subscribed');
    expect(eventIds(received.slice(0, lastConfirmation))).toEqual([seen.id, ...missed.map((e) => e.id)]);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    live.stop();
  });

  it('misses nothing published between the data a page loaded and its socket opening (a slow connection)', async () => {
    // The page loaded its data (any API answer tells the log's position when it was asked)...
    const loaded = await request(t.app, { method: 'GET', url: '/api/session', cookie: adminCookie });
    const position = Number(loaded.headers['live-position']);
    expect(Number.isInteger(position) && position >= 0, `live-position: ${loaded.headers['live-position']}`).toBe(true);
    const { live } = connection(adminCookie, { current: () => position, note: () => undefined });
    const received: LiveTopicMessage[] = [];
    live.subscribe('test:slow-socket', (m) => received.push(m));
    // ...something changed before its socket was open...
    const meanwhile = await publish('test:slow-socket');
    live.start();
    await waitUntil(() => received.some((m) => m.type === 'subscribed'), 'the subscription');
    const after = await publish('test:slow-socket');
    await waitUntil(() => eventIds(received).includes(after.id), 'the event after subscribing');
    // ...and the page hears of it, once, before the live ones.
    expect(eventIds(received)).toEqual([meanwhile.id, after.id]);
    live.stop();
  });

  it('relays presence and typing to the listeners of the topic', async () => {
    const member = await addPerson(t.app, adminCookie, 'member', {}, { displayName: 'Marta Member' });
    const admin = connection(adminCookie).live;
    const other = connection(member.cookie).live;
    const seenByAdmin: LiveTopicMessage[] = [];
    admin.subscribe('test:room', (m) => seenByAdmin.push(m));
    other.subscribe('test:room', () => undefined);
    const leave = other.announcePresence('test:room');
    admin.start();
    other.start();
    await waitUntil(() => seenByAdmin.some((m) => m.type === 'presence' && m.users.some((u) => u.id === member.id)), 'the presence');
    other.sendTyping('test:room');
    await waitUntil(() => seenByAdmin.some((m) => m.type === 'typing' && m.user.id === member.id), 'typing');
    leave();
    admin.stop();
    other.stop();
  });

  it("tells the topic's listeners 'forbidden' when the server ends a subscription whose right is gone, and keeps the others", async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const { live, statuses } = connection(person.cookie);
    const revocable: LiveTopicMessage[] = [];
    const other: LiveTopicMessage[] = [];
    live.subscribe('revocable:meeting', (m) => revocable.push(m));
    live.subscribe('test:elsewhere', (m) => other.push(m));
    live.start();
    await waitUntil(() => revocable.some((m) => m.type === 'subscribed') && other.some((m) => m.type === 'subscribed'), 'both subscriptions');

    revoked.add(person.id);
    const [, hidden] = await t.app.liveHub.publishMany([accessChanged('revocable:meeting'), untyped({ topic: 'revocable:meeting', type: 'test.secret', payload: {} })]);
    await waitUntil(() => revocable.some((m) => m.type === 'forbidden'), 'the forbidden notice');
    expect(revocable.filter((m) => m.type !== 'subscribed')).toEqual([{ type: 'forbidden', topic: 'revocable:meeting' }]);
    expect(eventIds(revocable)).not.toContain(hidden!.id);
    // The connection itself goes on.
    const still = await publish('test:elsewhere');
    await waitUntil(() => eventIds(other).includes(still.id), 'the other topic');
    expect(statuses).toEqual(['connecting', 'open']);
    live.stop();
  });

  it('stops and reports the ended session when the server closes with 4401', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const { live, statuses } = connection(person.cookie);
    let ended = false;
    live.addEventListener('live-session-ended', () => (ended = true));
    live.start();
    await waitUntil(() => live.status === 'open', 'open');
    const response = await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate`, cookie: adminCookie, payload: {} });
    expect(response.statusCode).toBe(200);
    await waitUntil(() => ended, 'the session-ended event');
    expect(live.status).toBe('offline');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(statuses).toEqual(['connecting', 'open', 'offline']);
  });
});
