import Database from 'better-sqlite3';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { postgresDatabase, sqliteDatabase, type Database as Port, type EngineKind, type StatementText } from '../../server/plugins/database.js';
import { createPostgresEngine } from '../../server/plugins/postgres-engine.js';

/** One statement of a test's own connection: better-sqlite3's shape, awaited. */
export interface TestStatement<R> {
  get(...params: unknown[]): Promise<R | undefined>;
  all(...params: unknown[]): Promise<R[]>;
  /** The first column of the first row (better-sqlite3's `.pluck().get()`). */
  value<V = unknown>(...params: unknown[]): Promise<V | undefined>;
  /** The first column of every row (better-sqlite3's `.pluck().all()`). */
  values<V = unknown>(...params: unknown[]): Promise<V[]>;
  run(...params: unknown[]): Promise<{ changes: number }>;
}

/**
 * A second connection to a test app's own database, on whichever engine the suite runs, for what
 * the API gives no handle on: reading stored hashes and counts, ageing rows (expiry) without waiting
 * for real time to pass, writing a row of another group. Statements are written with `?` and
 * portable SQL; where the engines differ, give each its text (`{ sqlite, postgres }`). Rows come
 * back shaped as SQLite gives them on both engines (the port's rule: booleans 1/0, JSON as text,
 * counts as numbers).
 */
export interface TestDb {
  readonly kind: EngineKind;
  prepare<R = Record<string, unknown>>(text: StatementText): TestStatement<R>;
  close(): Promise<void>;
}

export function openTestDb(t: { config: { databaseFile: string; databaseUrl: string | null } }): TestDb {
  if (t.config.databaseUrl !== null) {
    const engine = createPostgresEngine(t.config.databaseUrl, { max: 2, onIdleError: () => {} });
    return over(postgresDatabase(engine, pg.types), () => engine.close());
  }
  const connection = new Database(t.config.databaseFile);
  connection.pragma('busy_timeout = 5000');
  return over(sqliteDatabase(drizzle(connection)), async () => {
    connection.close();
  });
}

function over(port: Port, close: () => Promise<void>): TestDb {
  return {
    kind: port.kind,
    prepare<R>(text: StatementText): TestStatement<R> {
      const statement = port.statement<unknown[], R>(text);
      return {
        get: (...params) => statement.get(...params),
        all: (...params) => statement.all(...params),
        value: (...params) => statement.value(...params),
        values: async <V>(...params: unknown[]) => (await statement.all(...params)).map((row) => Object.values(row as object)[0] as V),
        run: async (...params) => ({ changes: await statement.run(...params) }),
      };
    },
    close,
  };
}
