import type Sqlite from 'better-sqlite3';
import type pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQLiteSyncDialect, type BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.js';
import { parseInt8, type PostgresEngine } from './postgres-engine.js';

export type EngineKind = 'sqlite' | 'postgres';

/**
 * drizzle's query builders as a repository may use them on either engine: awaited. Typed as
 * drizzle's asynchronous SQLite database, so that a builder's `.get()` or `.all()` gives a promise
 * to the type checker and code that expects a row at once does not compile. On SQLite it is the
 * one better-sqlite3 connection (a builder awaited runs at once, as a unit of work's piece needs);
 * on PostgreSQL, the running unit of work's transaction or the pool, looked up per call. Only
 * awaiting a builder works on both: `.all()`, `.get()`, `.run()`, `.values()`, `.prepare()` and
 * `.transaction()` are SQLite's alone, and a test run on PostgreSQL fails on them.
 */
export type Orm = BaseSQLiteDatabase<'async', unknown, Record<string, never>>;

/**
 * One raw statement, prepared once, for the statements a repository writes by hand (the hot
 * paths, where building a drizzle query costs more than running it, and what drizzle cannot say).
 * Parameters are positional `?`; PostgreSQL's text is derived (`$1`, `$2`...) unless given.
 */
export interface Statement<P extends unknown[], R> {
  all(...params: P): Promise<R[]>;
  get(...params: P): Promise<R | undefined>;
  /** The first column of the first row. */
  value<V = unknown>(...params: P): Promise<V | undefined>;
  /** Runs it; resolves with the number of rows it changed. */
  run(...params: P): Promise<number>;
}

/**
 * The SQL of one statement: the same text for both engines, or each engine's own where they differ
 * (`json_each` against `jsonb_array_elements_text`, `group_concat` against `string_agg`).
 */
export type StatementText = string | { sqlite: string; postgres: string };

/**
 * The database as a repository sees it, on either engine (`fastify.database`).
 *
 * Rows of raw statements come back shaped as SQLite gives them on both engines, so that code over
 * them need not know the engine: integers and `count(*)` as numbers, JSON columns as their text,
 * booleans as 1 and 0. Write camelCase aliases in double quotes (`run_at as "runAt"`): PostgreSQL
 * folds unquoted names to lower case. Portable SQL is the rule (`coalesce`, `on conflict do
 * nothing`, `true`); an engine's own SQL is named, in a `{ sqlite, postgres }` text.
 */
export interface Database {
  readonly kind: EngineKind;
  readonly orm: Orm;
  statement<P extends unknown[] = unknown[], R = Record<string, unknown>>(text: StatementText): Statement<P, R>;
  /** A drizzle `sql` query's rows, shaped as raw statements' are. */
  all<R>(query: SQL): Promise<R[]>;
  get<R>(query: SQL): Promise<R | undefined>;
  /** Runs a drizzle `sql` statement; resolves with the number of rows it changed. */
  run(query: SQL): Promise<number>;
}

/** SQLite: prepared better-sqlite3 statements, run at once (a unit of work's piece may await them). */
export function sqliteDatabase(db: Db): Database {
  const connection: Sqlite.Database = db.$client;
  const dialect = new SQLiteSyncDialect();
  const compiled = (query: SQL) => {
    const { sql, params } = dialect.sqlToQuery(query);
    return { statement: connection.prepare(sql), params: params.map(toSqliteParameter) };
  };
  return {
    kind: 'sqlite',
    orm: db as unknown as Orm,
    statement<P extends unknown[], R>(text: StatementText): Statement<P, R> {
      const statement = connection.prepare<P, R>(typeof text === 'string' ? text : text.sqlite);
      let plucked: Sqlite.Statement<P, unknown> | null = null;
      const bound = (params: P) => params.map(toSqliteParameter) as P;
      return {
        all: async (...params) => statement.all(...bound(params)),
        get: async (...params) => statement.get(...bound(params)),
        value: async <V>(...params: P) => {
          plucked ??= connection.prepare<P, unknown>(statement.source).pluck();
          return plucked.get(...bound(params)) as V | undefined;
        },
        run: async (...params) => statement.run(...bound(params)).changes,
      };
    },
    all: async <R>(query: SQL) => {
      const { statement, params } = compiled(query);
      return statement.all(...params) as R[];
    },
    get: async <R>(query: SQL) => {
      const { statement, params } = compiled(query);
      return statement.get(...params) as R | undefined;
    },
    run: async (query) => {
      const { statement, params } = compiled(query);
      return statement.run(...params).changes;
    },
  };
}

/** A parameter as SQLite stores it: booleans as 1 and 0, instants as their milliseconds (the schema's). */
function toSqliteParameter(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value instanceof Date ? value.getTime() : value;
}

/** PostgreSQL's text for a SQLite-style statement: `?` outside quotes becomes `$1`, `$2`... */
export function postgresText(text: string): string {
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A numeric (`sum`, `avg`) as a number; one past what a double holds exactly fails like int8's (parseInt8). */
function parseNumeric(text: string): number {
  const value = Number(text);
  return Number.isInteger(value) ? parseInt8(text) : value;
}

/** Raw rows shaped as SQLite's (see Database). */
function sqliteShapedTypes(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (format === 'binary') return types.getTypeParser(oid, format);
      switch (oid) {
        case types.builtins.INT8:
          return parseInt8;
        case types.builtins.NUMERIC:
          return parseNumeric;
        case types.builtins.BOOL:
          return (text: string) => (text === 't' ? 1 : 0);
        case types.builtins.JSON:
        case types.builtins.JSONB:
          return (text: string) => text;
        default:
          return types.getTypeParser(oid, format);
      }
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** PostgreSQL: each statement on the running unit of work's connection, or the pool outside one. */
export function postgresDatabase(engine: PostgresEngine, types: typeof pg.types): Database {
  const shaped = sqliteShapedTypes(types);
  const dialect = new PgDialect();
  let named = 0;
  const query = async (text: string, values: unknown[], name?: string): Promise<pg.QueryResult> => engine.query({ text, values: values.map(toParameter), types: shaped, name });
  const orm = new Proxy({} as Orm, {
    get(_target, property) {
      const handle = engine.current() as unknown as Record<PropertyKey, unknown>;
      const value = handle[property];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(handle) : value;
    },
  });
  const sqlRows = async (sql: SQL) => {
    const compiled = dialect.sqlToQuery(sql);
    return query(compiled.sql, compiled.params);
  };
  return {
    kind: 'postgres',
    orm,
    statement<P extends unknown[], R>(text: StatementText): Statement<P, R> {
      const sql = typeof text === 'string' ? postgresText(text) : text.postgres;
      // Named, so each connection parses and plans it once.
      const name = `concilia_${++named}`;
      const run = (params: P) => query(sql, params, name);
      return {
        all: async (...params) => (await run(params)).rows as R[],
        get: async (...params) => (await run(params)).rows[0] as R | undefined,
        value: async <V>(...params: P) => {
          const row = (await run(params)).rows[0] as Record<string, unknown> | undefined;
          return row === undefined ? undefined : (Object.values(row)[0] as V);
        },
        run: async (...params) => (await run(params)).rowCount ?? 0,
      };
    },
    all: async <R>(sql: SQL) => (await sqlRows(sql)).rows as R[],
    get: async <R>(sql: SQL) => (await sqlRows(sql)).rows[0] as R | undefined,
    run: async (sql) => (await sqlRows(sql)).rowCount ?? 0,
  };
}

/** What better-sqlite3 takes and node-postgres would send otherwise: a Date as its milliseconds (the schema's instants), a boolean as itself. */
function toParameter(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}
