import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.js';
import { categoryId, populate, startThread, type People } from './debates/support.js';
import { buildAppOn, LiveClient } from './live-support.js';
import { ORIGIN, TEST_ENGINE } from '../helper.js';
import { databaseForThisFile } from '../support/postgres.js';

/**
 * Two real server processes (the entry point `npm start` runs, through tsx) on one SQLite file,
 * each on its own port: what one commits is honoured by the other within a second, through the
 * live_events log each follows (server/plugins/live/follower.ts) and the cache registry
 * (server/plugins/live/caches.ts). With TEST_ENGINE=postgres, on one PostgreSQL database, where
 * the log is followed on each instance's NOTIFY (server/plugins/live/pg-follower.ts). Each check first makes the other process remember the state
 * (a page and its ETag, an unread count, a validated session, a watch list), then changes it.
 */

type Server = ServerProcess;

const HONOURED_WITHIN_MS = 1_000;
const children: ChildProcess[] = [];
let dataDir: string;
let a: Server;
let b: Server;
let people: People;
let threadId: string;
let generalId: string;
let database: { url: string; close(): Promise<void> } | null = null;
/** The database both processes serve: SQLite's file in dataDir, or this file's PostgreSQL database. */
let engineEnv: Record<string, string> = {};

async function startServer(): Promise<Server> {
  const server = await startServerProcess(dataDir, engineEnv);
  children.push(server.child);
  return server;
}

function call(server: Server, cookie: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.origin}/api${url}`, {
    method,
    headers: { cookie, ...(method === 'GET' ? {} : { origin: server.origin }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function json<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  expect(answer.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** Asks until the check passes, for at most a second; returns how long it took. */
async function honoured(what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > HONOURED_WITHIN_MS) throw new Error(`not honoured within ${HONOURED_WITHIN_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const pagePath = () => `/threads/${threadId}/posts?view=chronological&limit=50`;
const unreadCount = async (server: Server, cookie: string) => (await json<{ count: number }>(call(server, cookie, 'GET', '/notifications/unread-count'))).count;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-two-'));
  if (TEST_ENGINE === 'postgres') {
    database = await databaseForThisFile();
    engineEnv = { DATABASE_URL: database.url };
  }
  // The group, its people and a thread, written by an in-process app that then closes.
  const app = await buildAppOn(dataDir, {}, engineEnv);
  people = await populate(app);
  generalId = await categoryId(app, people.admin, 'general');
  threadId = (await startThread(app, people.coordinator, { categoryId: generalId, title: 'Cifras de pobreza 2024' })).thread.id;
  // A discrepancy case for Chile (indicator 4.1, 2010): the matrix each process remembers.
  const release = `Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,Source,FootNote,[Nature],[Reporting Type],[Sex],[Units]\r\n4,4.A,4.1,SH_DYN_MORT,Under-five mortality,152,Chile,2010,8.5,2010,UN IGME,,E,G,_T,PER_1000_LIVE_BIRTHS\r\n`;
  const national = 'indicator,series,country,year,value,unit,unit_mult,sex\n4.1,SH_DYN_MORT,CHL,2010,7.4,PER_1000_LIVE_BIRTHS,0,_T\n';
  for (const [body, query] of [
    [release, 'side=international&format=unsd_csv&agencyId=unicef&title=SDG'],
    [national, 'side=national&format=national_csv&title=INE'],
  ] as const) {
    const imported = await app.inject({ method: 'POST', url: `/api/discrepancies/releases?${query}`, payload: body, headers: { 'content-type': 'text/csv', cookie: people.secretariat.cookie, origin: ORIGIN } });
    expect(imported.statusCode, imported.body).toBe(201);
  }
  await app.close();
  [a, b] = await Promise.all([startServer(), startServer()]);
}, 120_000);

afterAll(async () => {
  await LiveClient.closeAll();
  await Promise.all(children.map(stopServerProcess));
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two server processes on one database file', () => {
  it('a post made on A reaches a websocket client of B, and B serves the new page and ETag, never a 304 for the old one', async () => {
    const first = await call(b, people.member.cookie, 'GET', pagePath());
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    // B remembers the page: asked again, it revalidates.
    expect((await call(b, people.member.cookie, 'GET', pagePath(), undefined, { 'if-none-match': etag })).status).toBe(304);

    const socket = await LiveClient.connect(`${b.origin.replace('http', 'ws')}/api/live`, people.member.cookie, { origin: b.origin });
    await socket.subscribe([`thread:${threadId}`]);
    const posted = await json<{ post: { id: string } }>(call(a, people.secretariat.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'La serie revisada ya está en la biblioteca.' }), 201);

    const event = await socket.next((m) => m.type === 'event' && m.event === 'post.created', { ms: HONOURED_WITHIN_MS });
    expect((event.payload as { post: { id: string } }).post.id).toBe(posted.post.id);

    await honoured('the new post on B', async () => {
      const answer = await call(b, people.member.cookie, 'GET', pagePath(), undefined, { 'if-none-match': etag });
      if (answer.status === 304) return false;
      const page = (await answer.json()) as { items: Array<{ id: string }> };
      expect(answer.headers.get('etag')).not.toBe(etag);
      return page.items.some((item) => item.id === posted.post.id);
    });
  });

  it("posts written on both at once reach B's sockets all, each once, in the order they were committed", async () => {
    const socket = await LiveClient.connect(`${b.origin.replace('http', 'ws')}/api/live`, people.member.cookie, { origin: b.origin });
    await socket.subscribe([`thread:${threadId}`]);
    const from = socket.messages.length;
    const writes = Array.from({ length: 24 }, (_, i) =>
      json<{ post: { id: string } }>(call(i % 2 === 0 ? a : b, i % 3 === 0 ? people.secretariat.cookie : people.coordinator.cookie, 'POST', `/threads/${threadId}/posts`, { body: `Nota concurrente ${i}` }), 201),
    );
    const posted = (await Promise.all(writes)).map((answer) => answer.post.id);
    await socket.next(() => socket.messages.slice(from).filter((m) => m.type === 'event' && m.event === 'post.created').length >= posted.length, { from, ms: HONOURED_WITHIN_MS * 2 });
    const events = socket.events(`thread:${threadId}`).filter((event) => event.event === 'post.created' && posted.includes((event.payload as { post: { id: string } }).post.id));
    expect(events.map((event) => (event.payload as { post: { id: string } }).post.id).sort()).toEqual([...posted].sort());
    const ids = events.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it('a moderation on A hides the post on B (fresh page, new ETag)', async () => {
    const posted = await json<{ post: { id: string } }>(call(b, people.otherMember.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Un comentario fuera de lugar.' }), 201);
    const before = await call(b, people.member.cookie, 'GET', pagePath());
    const etag = before.headers.get('etag')!;
    const shown = ((await before.json()) as { items: Array<{ id: string; html: string | null }> }).items.find((item) => item.id === posted.post.id);
    expect(shown?.html).toContain('fuera de lugar');

    await json(call(a, people.coordinator.cookie, 'POST', `/posts/${posted.post.id}/hide`, { reason: 'Fuera de tema' }));
    await honoured('the hidden post on B', async () => {
      const answer = await call(b, people.member.cookie, 'GET', pagePath(), undefined, { 'if-none-match': etag });
      if (answer.status === 304) return false;
      const item = ((await answer.json()) as { items: Array<{ id: string; state: string; html: string | null }> }).items.find((post) => post.id === posted.post.id);
      return item?.state === 'hidden' && item.html === null;
    });
  });

  it('a watch change and reads on A are honoured by B: notifications and unread counts', async () => {
    // B remembers the thread's watch list (a post there) and the observer's unread count (0).
    await json(call(b, people.coordinator.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Primera nota.' }), 201);
    const start = await unreadCount(b, people.observer.cookie);

    // On A the observer starts watching the thread; then a post on B must notify them.
    await json(call(a, people.observer.cookie, 'PUT', `/threads/${threadId}/watch`, { level: 'watching' }));
    await new Promise((resolve) => setTimeout(resolve, HONOURED_WITHIN_MS));
    await json(call(b, people.otherMember.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Segunda nota, tras el cambio.' }), 201);
    await honoured('the notification of a watcher who started watching on A', async () => (await unreadCount(b, people.observer.cookie)) === start + 1);

    // The count B remembers follows what A writes: a new notification there (a mention: a second
    // "new posts" notice of the same thread is not stored while the first is unread), then reading them all.
    await json(call(a, people.member.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Tercera nota, desde A: @olga.observer, ¿lo revisas?' }), 201);
    await honoured('the unread count after a notification stored on A', async () => (await unreadCount(b, people.observer.cookie)) === start + 2);
    await json(call(a, people.observer.cookie, 'POST', '/notifications/read', { all: true }));
    await honoured('the unread count after reading on A', async () => (await unreadCount(b, people.observer.cookie)) === 0);

    // Muting on A: B stops notifying them.
    await json(call(a, people.observer.cookie, 'PUT', `/threads/${threadId}/watch`, { level: 'muted' }));
    await new Promise((resolve) => setTimeout(resolve, HONOURED_WITHIN_MS));
    await json(call(b, people.otherMember.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Cuarta nota, ya silenciada.' }), 201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await unreadCount(b, people.observer.cookie)).toBe(0);
  });

  it("reading a thread on A updates B's home page count of unread debates", async () => {
    const unreadOnB = async () => {
      const home = await json<{ sections: Array<{ id: string; count?: number }> }>(call(b, people.member.cookie, 'GET', '/home'));
      return home.sections.find((section) => section.id === 'debates.unread')?.count ?? 0;
    };
    await json(call(b, people.otherMember.cookie, 'POST', `/threads/${threadId}/posts`, { body: 'Quinta nota.' }), 201);
    expect(await unreadOnB()).toBeGreaterThan(0);
    await json(call(a, people.member.cookie, 'POST', '/threads/read-all', {}));
    await honoured("the home page's unread debates on B", async () => (await unreadOnB()) === 0);
  });

  it('a sign-out on A ends the session on B, and closes its sockets there', async () => {
    const login = await fetch(`${a.origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin: a.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ email: await emailOf(people.member.cookie), password: 'password-member-3' }),
    });
    const text = await login.text();
    expect(login.status, text).toBe(200);
    const cookie = login.headers.getSetCookie().find((line) => line.startsWith('concilia_session='))!.split(';')[0]!;
    // B validates the session and remembers it.
    expect((await call(b, cookie, 'GET', '/me')).status).toBe(200);
    const socket = await LiveClient.connect(`${b.origin.replace('http', 'ws')}/api/live`, cookie, { origin: b.origin });
    await socket.subscribe([`thread:${threadId}`]);

    expect((await call(a, cookie, 'POST', '/auth/logout', {})).status).toBe(200);
    await honoured('the ended session on B', async () => (await call(b, cookie, 'GET', '/me')).status === 401);
    await expect(Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), HONOURED_WITHIN_MS))])).resolves.toBe(4401);
  });

  it('a deactivation on A refuses the person on B', async () => {
    expect((await call(b, people.otherMember.cookie, 'GET', '/me')).status).toBe(200);
    await json(call(a, people.admin.cookie, 'POST', `/admin/users/${people.otherMember.id}/deactivate`, {}));
    await honoured('the deactivated person on B', async () => (await call(b, people.otherMember.cookie, 'GET', '/me')).status === 401);
  });

  it('a role change on A is what B authorizes with (the session B remembers is read again)', async () => {
    const mayModerate = async () => {
      const page = await json<{ items: Array<{ mayModerate: boolean }> }>(call(b, people.observer.cookie, 'GET', pagePath()));
      return page.items[0]!.mayModerate;
    };
    expect(await mayModerate()).toBe(false);
    await json(call(a, people.admin.cookie, 'PUT', `/admin/users/${people.observer.id}/role`, { role: 'coordinator', organizationId: null, countryId: null }));
    await honoured('the new role on B', async () => (await mayModerate()) === true);
  });
});

describe('two server processes on one database file: the discrepancy matrix', () => {
  it('a case moved on A gives a fresh matrix and ETag on B, never a 304 for the old one', async () => {
    const read = (headers: Record<string, string> = {}) => call(b, people.coordinator.cookie, 'GET', '/discrepancies/matrix', undefined, headers);
    const first = await read();
    const etag = first.headers.get('etag')!;
    expect((await first.json()).cells[0].status).toBe('identified');
    expect((await read({ 'if-none-match': etag })).status).toBe(304);
    const list = await json<{ items: Array<{ id: string }> }>(call(a, people.coordinator.cookie, 'GET', '/discrepancies/cases'));
    await json(call(a, people.coordinator.cookie, 'POST', `/discrepancies/cases/${list.items[0]!.id}/status`, { to: 'under_review' }));
    await honoured('the moved case in B’s matrix', async () => {
      const again = await read({ 'if-none-match': etag });
      return again.status === 200 && (await again.json()).cells[0].status === 'under_review';
    });
  });
});

async function emailOf(cookie: string): Promise<string> {
  return (await json<{ user: { email: string } }>(call(a, cookie, 'GET', '/me'))).user.email;
}
