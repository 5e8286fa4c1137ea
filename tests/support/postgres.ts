import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { inject } from 'vitest';
import { findPgBinaries as findPgBinDir } from '../../server/shared/pg-binaries.js';
import { migratePostgres } from '../../server/plugins/postgres.js';
import { freePort } from './free-port.js';

/**
 * A private PostgreSQL cluster for the tests, from the machine's PostgreSQL binaries (Debian's
 * `postgresql` package; .ci/run installs it): initdb into a temporary folder, a free port on
 * 127.0.0.1 and the socket in that folder, stopped by its postmaster's PID. Nothing is mocked and
 * the machine's own PostgreSQL service, if any, is not touched.
 *
 * Databases: the migrations (migrations/pg) are applied once to a template database; each test
 * file gets its own database cloned from it (`CREATE DATABASE ... TEMPLATE`, a file copy, faster than
 * migrating).
 *
 * Where the cluster comes from: with TEST_ENGINE=postgres, vitest's globalSetup
 * (tests/support/postgres-global.ts) starts one for the whole run and every file's database is
 * cloned in it; otherwise a file that needs PostgreSQL starts its own (`databaseForThisFile`), so
 * that a plain `npm test` pays for a cluster only in the files that use one.
 */

export const TEMPLATE_DATABASE = 'concilia_template';
const USER = 'concilia';
const run = promisify(execFile);

/** The folder of initdb, pg_ctl and pg_isready, or null when the machine has no PostgreSQL server binaries (server/shared/pg-binaries.ts says where it looks). */
export function findPgBinaries(): string | null {
  return findPgBinDir(['initdb', 'pg_ctl', 'pg_isready']);
}

/** Why the PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  return findPgBinaries() === null
    ? `no PostgreSQL server binaries (initdb, pg_ctl, pg_isready) ${process.env.PG_BINDIR ? `in PG_BINDIR (${process.env.PG_BINDIR})` : 'on this machine'}: install Debian's postgresql package, as .ci/run does`
    : null;
}

export interface PgClusterOptions {
  /**
   * Keep PostgreSQL's durability (fsync, synchronous commit, full page writes). Tests relax it by
   * default: a test cluster lives in a temporary folder and is thrown away. Benchmarks and the crash
   * test must keep it for honest figures.
   */
  durable?: boolean;
}

export interface PgCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly dataDir: string;
  /** The postmaster's PID, read from postmaster.pid: what stop() ends. */
  readonly pid: number;
  url(database: string): string;
  /** Stops the server, keeping its folder (an outage, a failover): resume() starts it again on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** initdb, pg_ctl and friends refuse to run as root: then they run as Debian's `postgres` user, which owns the folder. */
function asServerUser(bin: string, tool: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [path.join(bin, tool), args];
  return ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]];
}

function serverUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (line === undefined) throw new Error('running as root, and there is no postgres user to run PostgreSQL as (Debian\'s postgresql package creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts a cluster; stop() it when done (a process exit ends it too, should the run be cut short). */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBinaries();
  if (bin === null) throw new Error(postgresUnavailable()!);
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-pg-'));
  const owner = serverUserIds();
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const tool = async (name: string, args: string[]) => {
    const [command, argv] = asServerUser(bin, name, args);
    return run(command, argv, { timeout: 60_000 });
  };
  try {
    // -N: no fsync of the new files; C.UTF-8 orders text by code point, as SQLite's BINARY does.
    await tool('initdb', ['-D', dataDir, '-A', 'trust', '-U', USER, '--encoding', 'UTF8', '--locale', 'C.UTF-8', '-N']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const settings = [`-k ${dir}`, '-c listen_addresses=127.0.0.1', `-p ${port}`];
  if (options.durable !== true) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  const start = async () => {
    await tool('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', logFile, '-o', settings.join(' ')]);
    await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '30']);
  };
  const readPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  try {
    await start();
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
  }
  let pid = readPid();
  // A run cut short (a worker killed, a failed hook) must not leave a server behind.
  const onExit = () => {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    dataDir,
    get pid() {
      return pid;
    },
    url: (database) => `postgres://${USER}@127.0.0.1:${port}/${database}`,
    async pause() {
      await tool('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']);
    },
    async resume() {
      await start();
      pid = readPid();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      try {
        await tool('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30']);
      } catch {
        // pg_ctl could not (a damaged folder): end the postmaster by its PID.
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs SQL on the cluster's maintenance database (CREATE/DROP DATABASE cannot run inside a transaction or on the target itself). */
async function onMaintenance<T>(cluster: Pick<PgCluster, 'url'>, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: cluster.url('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the template database with the schema migrated. No connection may stay open on it: a template with a session cannot be cloned. */
export async function createTemplate(cluster: PgCluster): Promise<void> {
  await onMaintenance(cluster, (client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  await migratePostgres(cluster.url(TEMPLATE_DATABASE));
}

let databaseCount = 0;

/** A new database cloned from the migrated template; returns its URL. */
export async function createDatabase(cluster: Pick<PgCluster, 'url'>): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${process.pid}_${++databaseCount}_${Math.random().toString(36).slice(2, 8)}`;
  await onMaintenance(cluster, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return {
    url: cluster.url(name),
    drop: () => onMaintenance(cluster, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** What globalSetup hands the test files when it started the run's cluster (TEST_ENGINE=postgres). */
export interface ProvidedPostgres {
  port: number;
  user: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ProvidedPostgres | null;
  }
}

/**
 * This test file's own database, migrated: cloned in the run's cluster when globalSetup started
 * one, otherwise in a cluster this file starts (and close() stops).
 */
export async function databaseForThisFile(): Promise<{ url: string; close(): Promise<void> }> {
  let provided: ProvidedPostgres | null = null;
  try {
    provided = inject('postgres') ?? null;
  } catch {
    provided = null;
  }
  if (provided !== null) {
    const { port, user } = provided;
    const database = await createDatabase({ url: (name) => `postgres://${user}@127.0.0.1:${port}/${name}` });
    return { url: database.url, close: () => database.drop() };
  }
  const cluster = await startPgCluster();
  try {
    await createTemplate(cluster);
    const database = await createDatabase(cluster);
    return { url: database.url, close: () => cluster.stop() };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/**
 * Databases for a test file that needs several (the copy, backup and restore): migrated clones of
 * the template, and empty ones (migrations still to apply, restores to receive). In the run's
 * cluster when globalSetup started one, otherwise in a cluster of the file's own. close() drops
 * them, or stops that cluster.
 */
export async function databasesForThisFile(): Promise<{ migrated(): Promise<string>; empty(): Promise<string>; close(): Promise<void> }> {
  let provided: ProvidedPostgres | null = null;
  try {
    provided = inject('postgres') ?? null;
  } catch {
    provided = null;
  }
  let cluster: Pick<PgCluster, 'url'>;
  let stop: (() => Promise<void>) | null = null;
  if (provided !== null) {
    const { port, user } = provided;
    cluster = { url: (name) => `postgres://${user}@127.0.0.1:${port}/${name}` };
  } else {
    const own = await startPgCluster();
    try {
      await createTemplate(own);
    } catch (err) {
      await own.stop();
      throw err;
    }
    cluster = own;
    stop = () => own.stop();
  }
  const made: Array<() => Promise<void>> = [];
  return {
    async migrated() {
      const database = await createDatabase(cluster);
      made.push(database.drop);
      return database.url;
    },
    async empty() {
      const name = `e_${process.pid}_${++databaseCount}_${Math.random().toString(36).slice(2, 8)}`;
      await onMaintenance(cluster, (client) => client.query(`CREATE DATABASE ${name}`));
      made.push(() => onMaintenance(cluster, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined));
      return cluster.url(name);
    },
    async close() {
      if (stop !== null) return stop();
      for (const drop of made) await drop();
    },
  };
}
