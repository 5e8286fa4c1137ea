import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../support/server-process.js';
import { databasesForThisFile, postgresUnavailable } from '../support/postgres.js';
import { categoryId, populate, startThread, type People } from './debates/support.js';
import { buildAppOn, LiveClient } from './live-support.js';
import { untyped } from './untyped-events.js';
import type { DurableLiveHub } from '../../server/plugins/live/hub.js';

/**
 * Several stateless instances on one PostgreSQL database (issue 19): two real server processes
 * (the entry point `npm start` runs) and, where a test needs to hold a transaction open or count a
 * handler's runs, apps built in this process on the same database. Runs on every `npm test`: the
 * file starts a PostgreSQL cluster of its own unless TEST_ENGINE=postgres provides one, and is
 * skipped only on a machine without PostgreSQL's server programs.
 */

const unavailable = postgresUnavailable();
const HONOURED_WITHIN_MS = 1_000;

const children: ChildProcess[] = [];
const apps: FastifyInstance[] = [];
let databases: Awaited<ReturnType<typeof databasesForThisFile>>;
let dataDir: string;
let env: Record<string, string>;
let a: ServerProcess;
let b: ServerProcess;
let people: People;
let threadId: string;
let sql: pg.Client;

function call(server: ServerProcess, cookie: string, method: string, url: string, body?: unknown) {
  return fetch(`${server.origin}/api${url}`, {
    method,
    headers: { cookie, ...(method === 'GET' ? {} : { origin: server.origin }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const post = async (server: ServerProcess, cookie: string, body: string): Promise<string> => {
  const answer = await call(server, cookie, 'POST', `/threads/${threadId}/posts`, { body });
  const text = await answer.text();
  expect(answer.status, text).toBe(201);
  return (JSON.parse(text) as { post: { id: string } }).post.id;
};

const socketOn = (server: ServerProcess, cookie: string) => LiveClient.connect(`${server.origin.replace('http', 'ws')}/api/live`, cookie, { origin: server.origin });

/** The thread's events for everyone after `afterId`, as the log holds them. */
async function loggedAfter(afterId: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: string }>('select id from live_events where topic = $1 and id > $2 and audience is null order by id', [`thread:${threadId}`, afterId]);
  return rows.map((row) => Number(row.id));
}

describe.skipIf(unavailable !== null)('two instances on one PostgreSQL database', () => {
  beforeAll(async () => {
    databases = await databasesForThisFile();
    env = { DATABASE_URL: await databases.migrated() };
    dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-instances-'));
    const app = await buildAppOn(dataDir, {}, env);
    people = await populate(app);
    const general = await categoryId(app, people.admin, 'general');
    threadId = (await startThread(app, people.coordinator, { categoryId: general, title: 'Series de empleo 2025' })).thread.id;
    await app.close();
    [a, b] = await Promise.all([startServerProcess(dataDir, env), startServerProcess(dataDir, env)]);
    children.push(a.child, b.child);
    sql = new pg.Client({ connectionString: env.DATABASE_URL });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await LiveClient.closeAll();
    for (const app of apps) await app.close();
    await Promise.all(children.map(stopServerProcess));
    await sql?.end();
    await databases?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a websocket client of A sees, live, a post made on B', async () => {
    const socket = await socketOn(a, people.member.cookie);
    await socket.subscribe([`thread:${threadId}`]);
    const posted = await post(b, people.secretariat.cookie, 'Publicado en B, leído en A.');
    const event = await socket.next((m) => m.type === 'event' && m.event === 'post.created', { ms: HONOURED_WITHIN_MS });
    expect((event.payload as { post: { id: string } }).post.id).toBe(posted);
  });

  it('a client that reconnects to the other instance is replayed exactly what it missed, then goes on live', async () => {
    const first = await socketOn(a, people.member.cookie);
    await first.subscribe([`thread:${threadId}`]);
    await post(b, people.coordinator.cookie, 'Antes del corte.');
    const seen = await first.next((m) => m.type === 'event' && m.event === 'post.created', { ms: HONOURED_WITHIN_MS });
    const cursor = seen.id as number;
    first.ws.close();
    await first.closed;

    // Missed: written on both instances in turn. (Not at once: two posts committing at once in one
    // thread collide on its post numbering on PostgreSQL, a 500 the debates' own slice answers.)
    for (let i = 0; i < 8; i++) await post(i % 2 === 0 ? a : b, i % 3 === 0 ? people.secretariat.cookie : people.coordinator.cookie, `Durante el corte ${i}`);
    const missed = await loggedAfter(cursor);
    expect(missed.length).toBeGreaterThanOrEqual(8);

    const again = await socketOn(b, people.member.cookie);
    await again.subscribe([`thread:${threadId}`], cursor);
    expect(again.events(`thread:${threadId}`).map((event) => event.id)).toEqual(missed);

    const live = await post(a, people.secretariat.cookie, 'Después de volver.');
    await again.next((m) => m.type === 'event' && m.event === 'post.created' && (m.payload as { post: { id: string } }).post.id === live, { ms: HONOURED_WITHIN_MS });
    expect(again.events(`thread:${threadId}`).map((event) => event.id)).toEqual(await loggedAfter(cursor));
  });

  it('an event whose transaction began first and committed last is neither skipped live nor on replay', async () => {
    // An app of this process on the same database, whose unit of work we can hold open.
    const held = await buildAppOn(dataDir, {}, env);
    apps.push(held);
    const socket = await socketOn(a, people.member.cookie);
    await socket.subscribe([`thread:${threadId}`]);
    const cursor = Math.max(0, ...(await loggedAfter(0)));

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = held.unitOfWork.run(async (commit) => {
      await held.liveHub.publishWithin(commit, [untyped({ topic: `thread:${threadId}`, type: 'test.slow', payload: { began: 'first' } })]);
      await gate;
    });
    // Others publish and commit while it is open.
    const quick = [await post(b, people.coordinator.cookie, 'Rápida 1'), await post(a, people.secretariat.cookie, 'Rápida 2')];
    await socket.next(() => socket.events(`thread:${threadId}`).filter((event) => event.event === 'post.created').length >= quick.length, { ms: HONOURED_WITHIN_MS });
    release();
    await slow;
    const late = await socket.next((m) => m.type === 'event' && m.event === 'test.slow', { ms: HONOURED_WITHIN_MS });

    const logged = await loggedAfter(cursor);
    // Numbered at its commit: after the quick ones, so a socket that had them still takes it.
    expect(logged[logged.length - 1]).toBe(late.id);
    expect(socket.events(`thread:${threadId}`).map((event) => event.id)).toEqual(logged);
    const replayed = await socketOn(b, people.member.cookie);
    await replayed.subscribe([`thread:${threadId}`], cursor);
    expect(replayed.events(`thread:${threadId}`).map((event) => event.id)).toEqual(logged);
  });

  it('a sign-out on A is refused on B at once', async () => {
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
    expect((await call(b, cookie, 'GET', '/me')).status).toBe(200);
    expect((await call(a, cookie, 'POST', '/auth/logout', {})).status).toBe(200);
    // The very next request, with no wait.
    expect((await call(b, cookie, 'GET', '/me')).status).toBe(401);
  });

  it('the live channel catches up after its listening connection drops: nothing lost, nothing twice', async () => {
    const listener = await buildAppOn(dataDir, {}, env);
    apps.push(listener);
    const hub = listener.liveHub as DurableLiveHub;
    const heard: number[] = [];
    const stop = hub.subscribe(`thread:${threadId}`, (event) => heard.push(event.id));
    const cursor = Math.max(0, ...(await loggedAfter(0)));
    hub.notificationListener()!.dropForTest();
    const posted = [];
    for (let i = 0; i < 4; i++) posted.push(await post(i % 2 === 0 ? a : b, people.coordinator.cookie, `Sin escucha ${i}`));
    const deadline = Date.now() + 5_000;
    while (heard.length < (await loggedAfter(cursor)).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    stop();
    expect(heard.filter((id) => id > cursor)).toEqual(await loggedAfter(cursor));
    expect(posted).toHaveLength(4);
  });

  it('two instances claiming many due jobs at once run each exactly once', async () => {
    // A database of their own: the instances above, which have no handler for this kind, would mark its jobs failed.
    const jobsEnv = { DATABASE_URL: await databases.migrated() };
    const one = await buildAppOn(dataDir, {}, jobsEnv);
    const two = await buildAppOn(dataDir, {}, jobsEnv);
    apps.push(one, two);
    const runs = new Map<string, string[]>();
    for (const [name, app] of [['one', one], ['two', two]] as const) {
      app.scheduler.define('test.once', async (job) => {
        runs.set(job.key, [...(runs.get(job.key) ?? []), name]);
        // Long enough for the other instance to reach the same job meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 2));
        return 'done' as const;
      });
    }
    const due = new Date(Date.now() - 1_000);
    const keys = Array.from({ length: 60 }, (_, i) => `test.once:${i}`);
    await one.unitOfWork.run((commit) => one.scheduler.planWithin(commit, keys.map((key) => ({ key, kind: 'test.once', subject: 'test', runAt: due, payload: {} }))));
    await Promise.all([one.scheduler.runDue(), two.scheduler.runDue()]);
    expect([...runs.keys()].sort()).toEqual([...keys].sort());
    expect([...runs.entries()].filter(([, by]) => by.length !== 1)).toEqual([]);
    // Both took part (each claimed what the other held, and skipped it).
    expect(new Set([...runs.values()].flat())).toEqual(new Set(['one', 'two']));
    const done = await one.database.statement<[], { n: number }>("select count(*) as n from scheduled_jobs where kind = 'test.once' and outcome = 'done'").get();
    expect(done?.n).toBe(keys.length);
  });

  it('killing an instance under write load loses no acknowledged write: the survivor serves them all and agrees with the database', async () => {
    const victim = await startServerProcess(dataDir, env);
    children.push(victim.child);
    const acknowledged: string[] = [];
    let sent = 0;
    const writer = async (server: ServerProcess) => {
      for (;;) {
        const n = sent++;
        if (n >= 80) return;
        try {
          const answer = await call(server, people.coordinator.cookie, 'POST', `/threads/${threadId}/posts`, { body: `Bajo carga ${n}` });
          if (answer.status === 201) acknowledged.push(((await answer.json()) as { post: { id: string } }).post.id);
        } catch {
          // The connection to the killed instance failed: not acknowledged.
        }
      }
    };
    const load = Promise.all([writer(victim), writer(victim), writer(b), writer(victim)]);
    while (acknowledged.length < 12) await new Promise((resolve) => setTimeout(resolve, 5));
    victim.child.kill('SIGKILL');
    await load;
    expect(acknowledged.length).toBeGreaterThan(12);

    const { rows } = await sql.query<{ id: string }>('select id from posts where thread_id = $1', [threadId]);
    const stored = new Set(rows.map((row) => row.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const items: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const served = await call(b, people.member.cookie, 'GET', `/threads/${threadId}/posts?view=chronological&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(served.status).toBe(200);
      const page = (await served.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      items.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(acknowledged.filter((id) => !items.includes(id))).toEqual([]);
    expect([...items].sort()).toEqual([...stored].sort());
  });
});

async function emailOf(cookie: string): Promise<string> {
  const answer = await call(a, cookie, 'GET', '/me');
  return ((await answer.json()) as { user: { email: string } }).user.email;
}
