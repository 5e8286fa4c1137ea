import { mkdirSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { stemText } from '../shared/full-text.js';
import { migrationsDir } from '../shared/paths.js';
import { GroupCommit } from './group-commit.js';
import type { UnitOfWork } from './unit-of-work.js';
import { postgresDatabase, sqliteDatabase, type Database as EngineDatabase } from './database.js';
import { bindTables } from './engine-tables.js';
import { migratePostgres } from './postgres.js';
import { createPostgresEngine, type PostgresEngine } from './postgres-engine.js';
import { PostgresUnitOfWork } from './postgres-unit-of-work.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** How often the worker copies the log into the database file. */
const CHECKPOINT_EVERY_MS = 1_000;

export type Db = BetterSQLite3Database & { $client: Database.Database };
/** The handle a `db.transaction(...)` callback gets: what a write done inside another's transaction takes. */
export type DbTransaction = Parameters<Parameters<Db['transaction']>[0]>[0];

declare module 'fastify' {
  interface FastifyInstance {
    /** drizzle over better-sqlite3. Only repository modules may use it. */
    db: Db;
    /** The database on either engine (./database.ts): what repositories take. */
    database: EngineDatabase;
    /** The unit-of-work port (./unit-of-work.ts): route code writes through `unitOfWork.run((tx) => ...)`. On SQLite, the group commit. */
    unitOfWork: UnitOfWork;
    /** PostgreSQL's engine (its pool, its units of work's last actions, its address for a listening connection); null on SQLite. */
    postgresEngine: PostgresEngine | null;
  }
}

/** The error codes along an error's causes: drizzle's node-postgres session wraps the driver's error (DrizzleQueryError). */
function* errorCodes(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 3; current = (current as { cause?: unknown }).cause, depth++) {
    yield (current as { code?: unknown }).code;
  }
}

/**
 * Whether a write failed on a primary key or unique index (two writers racing for the same key):
 * the engine's error codes, named here once, for the callers that answer it with a 409 or a retry.
 */
export function isKeyViolation(error: unknown): boolean {
  for (const code of errorCodes(error)) {
    // SQLite's two key errors; PostgreSQL's unique_violation (a primary key is a unique index there).
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505') return true;
  }
  return false;
}

/** node-postgres's own messages for a connection that broke or never came (they carry no code). */
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether a statement failed because PostgreSQL could not be reached or was going away (a restart,
 * a failover, a standby reached while the address still points at it): a condition that passes,
 * answered 503 with Retry-After rather than as the server's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const code of errorCodes(error)) {
    if (typeof code !== 'string') continue;
    // The socket's errors; class 08 (connection exception); 57P01-57P03 (shutting down, crashed, starting up);
    // 25006 (read-only transaction: the old primary demoted, or a standby); 53300 (too many connections).
    if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)$/.test(code)) return true;
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '25006' || code === '53300') return true;
  }
  for (let current = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth++) {
    if (LOST_CONNECTION.test(current.message)) return true;
  }
  return false;
}

/** Opens the SQLite file with the settings a multi-reader web server needs, and brings its schema up to date. */
export function openDatabase(file: string): { sqlite: Database.Database; db: Db } {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL makes NORMAL durable against application crashes; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  // The default 2 MB page cache misses on the post, notification and search indexes once a forum
  // has 100k posts; 8 MB keeps their upper levels and hot leaves in memory (the hottest answers are
  // cached above SQLite anyway), and leaves room under the 150 MB budget for a thousand websockets.
  sqlite.pragma('cache_size = -8192');
  // Checkpoints run in a worker thread (WalCheckpointer, started by the plugin). This threshold is
  // only the backstop should that thread fall behind: 20,000 pages, about 80 MB of log.
  sqlite.pragma('wal_autocheckpoint = 20000');
  // Each piece of a group commit is a savepoint, whose journal of the pages it changes otherwise
  // spills to a temporary file past 64 KB: a busy batch wrote twice as many pages there as to the log.
  sqlite.pragma('temp_store = MEMORY');
  // After a checkpoint, the next writer starts the log over and cuts the file back to 64 MB.
  sqlite.pragma('journal_size_limit = 67108864');
  // The migrations that (re)build the full-text indexes compute their `stems` column with it.
  sqlite.function('search_stems', { deterministic: true }, (text: unknown) => stemText(typeof text === 'string' ? text : ''));
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder: migrationsDir });
  return { sqlite, db };
}

/**
 * The database, opened and migrated before any feature loads, closed last on shutdown: the SQLite
 * file, or the PostgreSQL database `url` names. `fastify.db` (better-sqlite3 itself) exists on
 * SQLite alone; what serves both engines takes `fastify.database` and `fastify.unitOfWork`.
 * @see https://orm.drizzle.team/docs/get-started-sqlite
 */
export default fp<{ file: string; url?: string | null }>(
  async (fastify, options) => {
    if (options.url) return openPostgresFor(fastify, options.url);
    bindTables('sqlite');
    const { sqlite, db } = openDatabase(options.file);
    fastify.decorate('db', db);
    fastify.decorate('database', sqliteDatabase(db));
    fastify.decorate('postgresEngine', null);
    const groupCommit = new GroupCommit(sqlite, (err) => fastify.log.error({ err }, 'after-commit action failed'));
    fastify.decorate('unitOfWork', groupCommit);
    const checkpointer = options.file === ':memory:' ? null : new WalCheckpointer(options.file, CHECKPOINT_EVERY_MS, (message) => fastify.log.error({ message }, 'WAL checkpoint failed'));
    fastify.addHook('onClose', async () => {
      groupCommit.commit();
      // A batch holding an asynchronous piece ends within this turn (group-commit.ts); the connection closes after it.
      await groupCommit.idle();
      await checkpointer?.stop();
      // The last connection to close checkpoints what is left and removes the log.
      sqlite.close();
    });
  },
  { name: 'db' },
);

async function openPostgresFor(fastify: FastifyInstance, url: string): Promise<void> {
  await migratePostgres(url);
  bindTables('postgres');
  const engine = createPostgresEngine(url, { onIdleError: (err) => fastify.log.error({ err }, 'an idle PostgreSQL connection failed') });
  fastify.decorate('database', postgresDatabase(engine, pg.types));
  fastify.decorate('postgresEngine', engine);
  const unitOfWork = new PostgresUnitOfWork(engine, (err) => fastify.log.error({ err }, 'after-commit action failed'));
  fastify.decorate('unitOfWork', unitOfWork);
  fastify.addHook('onClose', async () => {
    await unitOfWork.idle();
    await engine.close();
  });
}
