import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';

/** What a repository runs its statements on, on PostgreSQL: a unit of work's transaction or the pool. */
export type PgHandle = PgDatabase<NodePgQueryResultHKT>;

/** The unit of work a piece of code runs in, as the engine knows it (postgres-unit-of-work.ts). */
export interface PgTransactionScope {
  /** The transaction's drizzle handle (a node-postgres transaction: `.transaction()` on it nests as a savepoint). */
  readonly handle: PgHandle;
  /** A raw statement on the transaction's connection, in its order (database.ts runs its statements through it). */
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
  /**
   * Runs `action` inside the transaction once the piece has returned, right before COMMIT, in the
   * order registered (a savepoint's writer that rolled back must make its own action do nothing).
   * For what must come last in the transaction: the live events, numbered under a lock held only
   * from there to the commit, so that their ids follow the commits' order (live/hub.ts).
   */
  beforeCommit(action: () => Promise<void>): void;
}

/**
 * PostgreSQL for the repositories: the pool, and which connection a statement belongs on.
 *
 * Inside a unit of work (`PostgresUnitOfWork.run`), `current()` is that run's transaction: the
 * handle is carried by AsyncLocalStorage through every await of the piece, so a repository asks
 * for it rather than being handed a `tx`, and the same repository function serves a route inside a
 * unit of work and a read outside one. Outside, `current()` is the pool, where each statement is
 * its own transaction. A handle kept past the end of its unit of work refuses its statements
 * (postgres-unit-of-work.ts), rather than running them on a connection back in the pool.
 *
 * Not wired into buildApp yet: the server still refuses a PostgreSQL DATABASE_URL (docs/postgresql.md).
 */
export class PostgresEngine {
  private readonly scopes = new AsyncLocalStorage<PgTransactionScope>();
  private readonly poolHandle: NodePgDatabase;

  constructor(
    readonly pool: pg.Pool,
    /** The database's address, for a connection of its own outside the pool (PgNotificationListener). */
    readonly url: string,
  ) {
    this.poolHandle = drizzle(pool);
  }

  /** The running unit of work's transaction, or the pool outside one. */
  current(): PgHandle {
    return this.scopes.getStore()?.handle ?? this.poolHandle;
  }

  /** A raw statement on the running unit of work's connection, or on the pool outside one. */
  query(config: pg.QueryConfig): Promise<pg.QueryResult> {
    const scope = this.scopes.getStore();
    return scope === undefined ? this.pool.query(config) : scope.query(config);
  }

  /** Registers `action` to run right before the running unit of work commits (PgTransactionScope.beforeCommit); false outside one. */
  beforeCommit(action: () => Promise<void>): boolean {
    const scope = this.scopes.getStore();
    if (scope === undefined) return false;
    scope.beforeCommit(action);
    return true;
  }

  /** Whether the caller runs inside a unit of work. */
  inUnitOfWork(): boolean {
    return this.scopes.getStore() !== undefined;
  }

  /** Runs `work` (and everything it awaits) with `scope` as the current transaction: for the unit of work. */
  within<T>(scope: PgTransactionScope, work: () => T): T {
    return this.scopes.run(scope, work);
  }

  /** Ends the pool's connections (a unit of work still running keeps its own until it ends). */
  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * int8 (bigint columns, `count(*)`) as a JavaScript number, not node-postgres's string: the
 * schema's bigints are ids, counts and milliseconds (docs/postgresql.md), all far below 2^53. A
 * value past 2^53 fails its query rather than coming back rounded.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a bigint of ${text} is past the integers a JavaScript number holds exactly`);
  return value;
}

/**
 * The parsers of this engine's connections: int8 as a number, the rest node-postgres's. Set per
 * connection rather than with `pg.types.setTypeParser(20, ...)`, which would change every pg
 * client of the process, the copy from SQLite among them, whose checksums read 64-bit integers
 * exactly as strings. Drizzle's own queries bring their parsers (its bigint columns convert
 * themselves); these serve raw queries on the pool and its connections. A raw `sql` run through
 * drizzle (`execute`) gets drizzle's parsers, which fall back on node-postgres's global ones, and
 * so still returns int8 as a string: select such a value with `.mapWith(Number)`.
 */
const engineTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresEngineOptions {
  /** Connections in the pool (node-postgres's default: 10). Each running unit of work holds one. */
  max?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it); the pool replaces it. */
  onIdleError: (error: Error) => void;
}

/** A pool on `url` with this engine's type parsers. */
export function createPostgresEngine(url: string, options: PostgresEngineOptions): PostgresEngine {
  const pool = new pg.Pool({ connectionString: url, max: options.max, types: engineTypes });
  // An idle connection's error is emitted on the pool; with no listener it would end the process.
  pool.on('error', options.onIdleError);
  return new PostgresEngine(pool, url);
}

interface ListenerLogger {
  warn(object: unknown, message: string): void;
}

/**
 * One connection of its own (not from the pool, where it would be handed to a unit of work) that
 * LISTENs on a channel: PostgreSQL delivers a NOTIFY at its transaction's commit, never on
 * rollback, in commit order. When the connection drops it is opened again, waiting a little
 * longer each time (up to 5 s); `onState(false)` says notifications may be missed meanwhile, and
 * `onState(true)` that the channel is heard again (the caller catches up on what it missed).
 */
export class PgNotificationListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotification: (payload: string) => void,
    private readonly onState: (listening: boolean) => void,
    private readonly log: ListenerLogger,
  ) {}

  /** Resolves once listening, or rejects if the first connection fails (the server is then retrying meanwhile). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, types: engineTypes });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotification(message.payload ?? '');
    });
    // A dropped connection ends the client; 'error' alone comes first when the server went away.
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err }, 'live: the connection listening for other instances dropped; reconnecting');
      this.onState(false);
      this.retry();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.channel)}`);
    } catch (err) {
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err }, 'live: could not listen for other instances; retrying');
      this.retry();
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 100;
    this.onState(true);
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }

  /** For the tests: cuts the connection as a network failure would (the listener then reconnects). */
  dropForTest(): void {
    const client = this.client;
    if (client) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
