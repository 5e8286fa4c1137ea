import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { copySqliteToPostgres } from '../server/scripts/sqlite-to-pg.js';
import { startPgCluster } from '../tests/support/postgres.js';
import { arrivalSummary, measureInstancesFanout, type InstancesFanoutResult } from './fanout-instances.js';
import { freePort, load, percentile, replyWriters, startProcess, stopOnInterrupt, type LoadResult, type RunningProcess } from './measure.js';
import { BROWSER_ACCEPT_ENCODING, threadPagePath, type MeasuredLoad } from './thread-page.js';

/**
 * SQLite and PostgreSQL side by side on the same forum (issue 19): the thread page and posts
 * created per second on one server of each engine, then the fan-out across two server processes
 * of each engine on one database (two processes on one SQLite file; two on one PostgreSQL
 * database). The forum is the one `bench/seed.ts` wrote into a SQLite file, copied into PostgreSQL
 * by the copy the product ships (`npm run copy-to-postgres`, server/scripts/sqlite-to-pg.ts), so
 * both engines answer the very same posts, people and sessions.
 *
 * PostgreSQL is a private cluster started here (tests/support/postgres.ts) on 127.0.0.1 with its
 * durability kept (fsync, synchronous commit, full page writes: a post is on disk before its 201,
 * as on SQLite), and stopped by its postmaster's PID at the end, on failure and on Ctrl-C.
 * One engine's servers run at a time; the other engine's (an idle cluster) waits.
 */

export interface EnginesOptions {
  /** A folder holding the seeded forum (concilia.db), for this section alone: its SQLite servers write to it. */
  sqliteDataDir: string;
  cookies: readonly string[];
  hotThreadId: string;
  /** The origin the forum was seeded for (its servers' PUBLIC_URL, the writes' Origin). */
  origin: string;
  serverArgs: string[];
  seconds: number;
  /** Websockets in all for the two-instance fan-out, half on each instance. */
  sockets: number;
  rounds: number;
  log: (line: string) => void;
}

export interface EngineFigures {
  page: MeasuredLoad;
  postsAlone: LoadResult;
  postsWithReaders: LoadResult;
  readsDuringWrites: LoadResult;
  fanout: InstancesFanoutResult;
}

export interface EnginesResult {
  sqlite: EngineFigures;
  postgres: EngineFigures;
  copy: { rows: number; tables: number; seconds: number };
  postgresVersion: string;
  sockets: number;
  warmUp: number;
}

const WARM_UP_POSTS = 3;

export async function measureEngines(options: EnginesOptions): Promise<EnginesResult> {
  const { log } = options;
  log('SQLite and PostgreSQL side by side: starting a private PostgreSQL cluster (durable) on 127.0.0.1...');
  const cluster = await startPgCluster({ durable: true });
  const unregister = stopOnInterrupt(() => cluster.stop());
  const pgDataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-pg-'));
  try {
    const maintenance = new pg.Client({ connectionString: cluster.url('postgres') });
    await maintenance.connect();
    let postgresVersion: string;
    try {
      await maintenance.query('create database concilia_bench');
      postgresVersion = ((await maintenance.query<{ server_version: string }>('show server_version')).rows[0]!.server_version).split(' ')[0]!;
    } finally {
      await maintenance.end();
    }
    const url = cluster.url('concilia_bench');
    const copied = await copySqliteToPostgres({ sqliteFile: path.join(options.sqliteDataDir, 'concilia.db'), url });
    const copy = { rows: copied.rows, tables: copied.tables.length, seconds: copied.ms / 1000 };
    log(`  the seeded forum copied into PostgreSQL ${postgresVersion} (copy-to-postgres): ${copy.rows.toLocaleString('en')} rows in ${copy.tables} tables, ${copy.seconds.toFixed(1)} s`);
    // PostgreSQL's servers keep their uploaded files in a folder of their own; the forum has none.
    const sqlite = await measureEngine('SQLite', { DATA_DIR: options.sqliteDataDir }, options);
    const postgres = await measureEngine('PostgreSQL', { DATA_DIR: pgDataDir, DATABASE_URL: url }, options);
    return { sqlite, postgres, copy, postgresVersion, sockets: options.sockets, warmUp: WARM_UP_POSTS };
  } finally {
    await cluster.stop();
    unregister();
    rmSync(pgDataDir, { recursive: true, force: true });
  }
}

async function measureEngine(name: string, env: Record<string, string>, options: EnginesOptions): Promise<EngineFigures> {
  const { cookies, origin, seconds, log } = options;
  const serverEnv = { ...env, PUBLIC_URL: origin, LOG_LEVEL: 'warn' };
  const started: RunningProcess[] = [];
  const start = async () => {
    const server = await startProcess(options.serverArgs, serverEnv, await freePort(), '/api/health');
    started.push(server);
    return server;
  };
  const unregister = stopOnInterrupt(async () => {
    for (const server of started) await server.stop();
  });
  try {
    log(`  ${name}: the thread page and posts created per second on one server...`);
    const server = await start();
    const reader = cookies[20]!;
    const pageUrl = server.url + threadPagePath(options.hotThreadId);
    const first = await fetch(pageUrl, { headers: { cookie: reader } });
    const firstBody = await first.text();
    if (first.status !== 200) throw new Error(`${name}: the thread page answered ${first.status}: ${firstBody.slice(0, 200)}`);
    const browser = { cookie: reader, 'accept-encoding': BROWSER_ACCEPT_ENCODING };
    await load({ url: pageUrl, headers: browser, duration: 2 });
    const cpuBefore = server.cpuSeconds();
    const pageLoad = await load({ url: pageUrl, headers: browser, duration: seconds });
    const page = { ...pageLoad, cpuMicrosPerRequest: ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, pageLoad.requests) };

    const threads = await fetch(`${server.url}/api/threads?limit=50`, { headers: { cookie: reader } });
    const threadIds = ((await threads.json()) as { items: Array<{ id: string }> }).items.map((thread) => thread.id);
    const writeLoad = () => load({ url: server.url, connections: 10, duration: seconds, requests: replyWriters(threadIds, cookies, origin) });
    const postsAlone = await writeLoad();
    const [postsWithReaders, readsDuringWrites] = await Promise.all([writeLoad(), load({ url: pageUrl, headers: browser, connections: 25, duration: seconds })]);
    await server.stop();

    log(`  ${name}: fan-out to ${options.sockets} sockets over two server processes on one database...`);
    const instances = [await start(), await start()];
    const fanout = await measureInstancesFanout({ instances, cookies, origin, threadId: options.hotThreadId, sockets: options.sockets, rounds: options.rounds, warmUp: WARM_UP_POSTS });
    return { page, postsAlone, postsWithReaders, readsDuringWrites, fanout };
  } finally {
    for (const server of started) await server.stop();
    unregister();
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** Budgets of issue 19 for PostgreSQL, and the thread page's of `npm run bench` for SQLite. */
export const BUDGETS = { sqlitePageP99Ms: 15, postgresPageP99Ms: 30, crossInstanceP99Ms: 100 };

/** The rows of the side-by-side table: measure, SQLite, PostgreSQL, budget, verdict. */
export function engineRows(result: EnginesResult, ceilingRps: number): string[][] {
  const { sqlite, postgres } = result;
  const both = (cell: (figures: EngineFigures) => string) => [cell(sqlite), cell(postgres)];
  const share = (rps: number) => `${fmt(rps, 0)} (${fmt((rps / ceilingRps) * 100)} %)`;
  const expected = (figures: EngineFigures, instance: number) => figures.fanout.perInstance[instance]!.sockets * figures.fanout.rounds;
  const fanoutCell = (figures: EngineFigures, instance: number) =>
    figures.fanout.noCrossDelivery && instance > 0 ? `none crossed in ${result.warmUp} warm-up posts: not measured` : arrivalSummary(figures.fanout.perInstance[instance]!.arrivals, expected(figures, instance));
  const crossP99 = (figures: EngineFigures) => percentile(figures.fanout.perInstance[1]!.arrivals, 99);
  const allDelivered = (figures: EngineFigures) =>
    !figures.fanout.noCrossDelivery && figures.fanout.perInstance.every((instance, i) => instance.arrivals.length === expected(figures, i));
  const writeErrors = (load: LoadResult) => load.non2xx + load.errors;
  return [
    ['thread page req/s (share of hello-world), as a browser asks (br), 50 connections', ...both((f) => share(f.page.requestsPerSecond)), '', ''],
    ['thread page p99 at 50 connections', ...both((f) => `${fmt(f.page.p99Ms)} ms`), `SQLite < ${BUDGETS.sqlitePageP99Ms} ms, PostgreSQL < ${BUDGETS.postgresPageP99Ms} ms`, `${verdict(sqlite.page.p99Ms < BUDGETS.sqlitePageP99Ms)} / ${verdict(postgres.page.p99Ms < BUDGETS.postgresPageP99Ms && postgres.page.non2xx === 0)}`],
    ['  server CPU per response (user + system)', ...both((f) => `${fmt(f.page.cpuMicrosPerRequest, 0)} µs`), '', ''],
    ['posts created/s, 10 writers, nobody reading: posts/s, p99, errors', ...both((f) => `${fmt(f.postsAlone.requestsPerSecond, 0)}, ${fmt(f.postsAlone.p99Ms)} ms, ${writeErrors(f.postsAlone)}`), '', writeErrors(sqlite.postsAlone) + writeErrors(postgres.postsAlone) === 0 ? '' : 'ERRORS'],
    ['posts created/s with 25 readers of the page: posts/s, p99; reads/s', ...both((f) => `${fmt(f.postsWithReaders.requestsPerSecond, 0)}, ${fmt(f.postsWithReaders.p99Ms)} ms; ${fmt(f.readsDuringWrites.requestsPerSecond, 0)}`), '', writeErrors(sqlite.postsWithReaders) + writeErrors(postgres.postsWithReaders) === 0 ? '' : 'ERRORS'],
    [`fan-out, two server processes on one database, ${result.sockets} sockets (${result.sockets / 2} on each), posts made on the first: delivered`, ...both((f) => `${f.fanout.perInstance.reduce((sum, instance) => sum + instance.arrivals.length, 0)}/${f.fanout.perInstance.reduce((sum, _, i) => sum + expected(f, i), 0)} (${f.fanout.rounds} posts after ${result.warmUp} warm-up)`), 'all', `${verdict(allDelivered(sqlite))} / ${verdict(allDelivered(postgres))}`],
    ['  from the post sent to receipt, same instance: p50 / p95 / p99', ...both((f) => fanoutCell(f, 0)), '', ''],
    ['  from the post sent to receipt, other instance: p50 / p95 / p99', ...both((f) => fanoutCell(f, 1)), `PostgreSQL p99 < ${BUDGETS.crossInstanceP99Ms} ms`, verdict(allDelivered(postgres) && crossP99(postgres) < BUDGETS.crossInstanceP99Ms)],
    ['  the post itself, sent to 201: p50 / p99', ...both((f) => (f.fanout.postMs.length ? `${fmt(percentile(f.fanout.postMs, 50))} / ${fmt(percentile(f.fanout.postMs, 99))} ms` : 'n/a')), '', ''],
    ['  from the post\'s 201 to receipt, same instance / other instance: p50 / p99', ...both((f) => f.fanout.perInstance.map((instance, i) => (f.fanout.noCrossDelivery && i > 0 ? 'n/a' : `${fmt(percentile(instance.afterAck, 50))} / ${fmt(percentile(instance.afterAck, 99))} ms`)).join('; ')), '', ''],
  ];
}

export const enginesTitle = (result: EnginesResult, forum: string) =>
  `SQLite and PostgreSQL ${result.postgresVersion} side by side (${forum}; PostgreSQL: a private durable cluster on 127.0.0.1, the forum copied from the SQLite file by copy-to-postgres, ${result.copy.rows.toLocaleString('en')} rows in ${fmt(result.copy.seconds)} s; one engine's servers at a time; 2 cores shared by servers, PostgreSQL and load generator)`;

/** A table of any number of columns, in the style of printTable. */
export function printColumns(title: string, header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${widths.map((width, i) => (row[i] ?? '').padEnd(width)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export const ENGINES_HEADER = ['measure', 'SQLite', 'PostgreSQL', 'budget', 'verdict'];
