import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../server/plugins/db.js';
import { pgFileOf, sqliteSchemaFiles, root } from '../../tools/pg-schema.js';
import { databaseForThisFile, postgresUnavailable } from '../support/postgres.js';
import * as sqliteIdentity from '../../server/plugins/identity/tables.js';
import * as pgIdentity from '../../server/plugins/identity/tables.pg.js';
import * as sqliteAudit from '../../server/plugins/audit/tables.js';
import * as pgAudit from '../../server/plugins/audit/tables.pg.js';
import * as sqliteLive from '../../server/plugins/live/tables.js';
import * as pgLive from '../../server/plugins/live/tables.pg.js';
import * as sqliteIndicators from '../../server/features/indicators/tables.js';
import * as pgIndicators from '../../server/features/indicators/tables.pg.js';
import * as sqliteDiscrepancies from '../../server/features/discrepancies/tables.js';
import * as pgDiscrepancies from '../../server/features/discrepancies/tables.pg.js';

/**
 * The PostgreSQL schema (migrations/pg, from the tables.pg.ts that tools/pg-schema.ts generates)
 * against the SQLite one, on a real PostgreSQL cluster the test starts: every SQLite table, column,
 * key, index and foreign key is there with a matching type, and rows make the same round trip
 * through drizzle's node-postgres driver as through better-sqlite3.
 */

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPED tests/server/postgres-schema.test.ts: ${unavailable}`);

/** What a column of each drizzle SQLite kind must be on PostgreSQL (docs/postgresql.md says why). */
const EXPECTED_PG_TYPE: Record<string, string> = {
  SQLiteText: 'text',
  SQLiteTextJson: 'jsonb',
  SQLiteInteger: 'bigint',
  SQLiteTimestamp: 'bigint',
  SQLiteBoolean: 'boolean',
  SQLiteReal: 'double precision',
};
/** The type classes of SQLite's declared types: a PostgreSQL column must be of its SQLite column's class. */
const CLASS_OF_SQLITE: Record<string, string[]> = { text: ['text', 'jsonb'], integer: ['bigint', 'boolean'], real: ['double precision'] };

interface ColumnShape {
  type: string;
  notNull: boolean;
  primaryKey: boolean;
}

describe.skipIf(unavailable !== null)('the PostgreSQL schema', () => {
  let database: { url: string; close(): Promise<void> };
  let pool: pg.Pool;
  let sqlite: Database.Database;
  let sqliteDb: Db;

  beforeAll(async () => {
    database = await databaseForThisFile();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    ({ sqlite, db: sqliteDb } = openDatabase(':memory:'));
  });

  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await database?.close();
  });

  /** The SQLite tables of the migrated file, without the FTS5 indexes (the search slice replaces them with tsvector side tables on PostgreSQL) and SQLite's own. */
  function sqliteTables(): string[] {
    const rows = sqlite.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'").all() as Array<{ name: string; sql: string }>;
    const virtual = rows.filter((row) => /^create virtual table/i.test(row.sql)).map((row) => row.name);
    const shadow = (name: string) => virtual.some((fts) => ['data', 'idx', 'content', 'docsize', 'config'].some((suffix) => name === `${fts}_${suffix}`));
    return rows
      .map((row) => row.name)
      .filter((name) => !virtual.includes(name) && !shadow(name))
      .sort();
  }

  async function pgColumns(): Promise<Map<string, Map<string, ColumnShape>>> {
    const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; pk: boolean }>(`
      select c.table_name, c.column_name, c.data_type, c.is_nullable,
             exists (select 1 from information_schema.table_constraints tc
                     join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name and k.table_name = tc.table_name
                     where tc.table_schema = 'public' and tc.table_name = c.table_name and tc.constraint_type = 'PRIMARY KEY' and k.column_name = c.column_name) as pk
      from information_schema.columns c
      where c.table_schema = 'public'`);
    const tables = new Map<string, Map<string, ColumnShape>>();
    for (const row of rows) {
      if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
      tables.get(row.table_name)!.set(row.column_name, { type: row.data_type, notNull: row.is_nullable === 'NO', primaryKey: row.pk });
    }
    return tables;
  }

  it('has every SQLite table, and no other, with every column of a matching type, nullability and key', async () => {
    const onPg = await pgColumns();
    const tables = sqliteTables();
    expect(tables.length).toBeGreaterThan(80);
    expect([...onPg.keys()].sort()).toEqual(tables);
    const mismatches: string[] = [];
    for (const table of tables) {
      const columns = sqlite.prepare(`select name, type, "notnull" as "notNull", pk from pragma_table_xinfo(?)`).all(table) as Array<{ name: string; type: string; notNull: number; pk: number }>;
      const pgTable = onPg.get(table)!;
      expect([...pgTable.keys()].sort(), table).toEqual(columns.map((column) => column.name).sort());
      for (const column of columns) {
        const there = pgTable.get(column.name)!;
        const where = `${table}.${column.name}`;
        if (!(CLASS_OF_SQLITE[column.type.toLowerCase()] ?? []).includes(there.type)) mismatches.push(`${where}: ${column.type} on SQLite, ${there.type} on PostgreSQL`);
        // SQLite lets a non-integer primary key column hold null; PostgreSQL's keys are never null, and drizzle declares them not null on both.
        if (there.notNull !== (column.notNull === 1 || column.pk > 0)) mismatches.push(`${where}: ${column.notNull === 1 ? 'not null' : 'nullable'} on SQLite, ${there.notNull ? 'not null' : 'nullable'} on PostgreSQL`);
        if (there.primaryKey !== column.pk > 0) mismatches.push(`${where}: primary key on one engine only`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives each column the type its drizzle kind maps to (JSON as jsonb, instants as bigint milliseconds, booleans as boolean)', async () => {
    const onPg = await pgColumns();
    const mismatches: string[] = [];
    let checked = 0;
    for (const file of sqliteSchemaFiles()) {
      const module = (await import(`${root}/${file}`)) as Record<string, unknown>;
      for (const table of Object.values(module).filter((value): value is SQLiteTable => is(value, SQLiteTable))) {
        for (const column of Object.values(getTableColumns(table)) as SQLiteColumn[]) {
          const expected = EXPECTED_PG_TYPE[column.columnType];
          const actual = onPg.get(getTableName(table))?.get(column.name)?.type;
          checked += 1;
          if (expected === undefined || actual !== expected) mismatches.push(`${getTableName(table)}.${column.name} (${column.columnType}): ${actual ?? 'missing'}, expected ${expected ?? 'a mapping'}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(600);
    expect(mismatches).toEqual([]);
  });

  it('has every SQLite index with the same columns, uniqueness and partial condition', async () => {
    const sqliteIndexes = sqlite.prepare("select name, tbl_name as tableName, sql from sqlite_master where type = 'index' and sql is not null").all() as Array<{ name: string; tableName: string; sql: string }>;
    const { rows } = await pool.query<{ indexname: string; tablename: string; indexdef: string }>("select indexname, tablename, indexdef from pg_indexes where schemaname = 'public'");
    const onPg = new Map(rows.map((row) => [row.indexname, row]));
    const describeSqlite = (index: { name: string; sql: string }) => {
      const columns = (sqlite.prepare('select name from pragma_index_info(?) order by seqno').all(index.name) as Array<{ name: string }>).map((c) => c.name);
      return { columns, unique: /^create unique/i.test(index.sql), partial: /\bwhere\b/i.test(index.sql) };
    };
    const describePg = (def: string) => {
      const match = /USING \w+ \((.*?)\)( WHERE .*)?$/.exec(def);
      return { columns: (match?.[1] ?? '').split(', ').map((c) => c.replace(/"/g, '')), unique: def.startsWith('CREATE UNIQUE'), partial: match?.[2] !== undefined };
    };
    const tables = new Set(sqliteTables());
    const relevant = sqliteIndexes.filter((index) => tables.has(index.tableName));
    expect(relevant.length).toBeGreaterThan(60);
    for (const index of relevant) {
      const there = onPg.get(index.name);
      expect(there, `index ${index.name} on PostgreSQL`).toBeDefined();
      expect(there!.tablename, index.name).toBe(index.tableName);
      expect(describePg(there!.indexdef), index.name).toEqual(describeSqlite(index));
    }
  });

  it('has every SQLite foreign key, with the same target and delete action', async () => {
    const describeOn = (table: string, column: string, target: string, targetColumn: string, onDelete: string) => `${table}.${column} -> ${target}.${targetColumn} on delete ${onDelete.toLowerCase()}`;
    const sqliteKeys: string[] = [];
    for (const table of sqliteTables()) {
      for (const key of sqlite.prepare('select "table" as target, "from" as col, "to" as targetCol, on_delete as onDelete from pragma_foreign_key_list(?)').all(table) as Array<{ target: string; col: string; targetCol: string; onDelete: string }>) {
        sqliteKeys.push(describeOn(table, key.col, key.target, key.targetCol, key.onDelete));
      }
    }
    const { rows } = await pool.query<{ tbl: string; col: string; target: string; target_col: string; on_delete: string }>(`
      select c.conrelid::regclass::text as tbl, a.attname as col, c.confrelid::regclass::text as target, fa.attname as target_col,
             case c.confdeltype when 'a' then 'no action' when 'r' then 'restrict' when 'c' then 'cascade' when 'n' then 'set null' when 'd' then 'set default' end as on_delete
      from pg_constraint c
      cross join lateral unnest(c.conkey, c.confkey) as k(attnum, fattnum)
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
      join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = k.fattnum
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
    const pgKeys = rows.map((row) => describeOn(row.tbl, row.col, row.target, row.target_col, row.on_delete));
    expect(sqliteKeys.length).toBeGreaterThan(100);
    expect(pgKeys.sort()).toEqual(sqliteKeys.sort());
  });

  it('has every check of the SQLite tables, and refuses what they refuse', async () => {
    const { rows } = await pool.query<{ conname: string }>("select conname from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace order by conname");
    const sqliteChecks = (sqlite.prepare("select sql from sqlite_master where type = 'table' and sql like '%CHECK%'").all() as Array<{ sql: string }>).flatMap((row) => [...row.sql.matchAll(/CONSTRAINT "([^"]+)" CHECK/g)].map((m) => m[1]!));
    expect(sqliteChecks.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.conname)).toEqual(sqliteChecks.sort());
    await expect(pool.query('insert into mail_keys (id, secret, created_at) values (2, $1, 0)', ['s'])).rejects.toThrow(/mail_keys_one_row/);
  });

  it('has the search configurations: accents folded, then Spanish or English stems', async () => {
    const matches = async (config: string, text: string, query: string) =>
      (await pool.query<{ m: boolean }>('select to_tsvector($1::regconfig, $2) @@ to_tsquery($1::regconfig, $3) as m', [config, text, query])).rows[0]!.m;
    expect(await matches('concilia_es', 'Estimación de la población indígena', 'poblacion & indigenas')).toBe(true);
    expect(await matches('concilia_es', 'Mortalidad de niños menores de 5 años', 'nino & menor & años')).toBe(true);
    expect(await matches('concilia_en', 'National indicators', 'indicator & nations')).toBe(true);
    expect(await matches('concilia_es', 'Estimación de la población', 'mortalidad')).toBe(false);
  });

  it('holds, freshly migrated, the same rows as a fresh SQLite database (the data migrations seed)', async () => {
    const pgDb = drizzlePg(pool);
    const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();
    let seeded = 0;
    for (const file of sqliteSchemaFiles()) {
      const sqliteModule = (await import(`${root}/${file}`)) as Record<string, unknown>;
      const pgModule = (await import(`${root}/${pgFileOf(file)}`)) as Record<string, unknown>;
      for (const [name, table] of Object.entries(sqliteModule).filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTable))) {
        const twin = pgModule[name];
        expect(is(twin, PgTable), `${file}: ${name} on PostgreSQL`).toBe(true);
        const onSqlite = sqliteDb.select().from(table).all();
        const onPg = await pgDb.select().from(twin as PgTable);
        expect(sorted(onPg), getTableName(table)).toEqual(sorted(onSqlite));
        seeded += onSqlite.length;
      }
    }
    // The MDG catalogue (SQLite's migration 0023, PostgreSQL's 0001).
    expect(seeded).toBeGreaterThan(50);
  });

  it('makes the same round trip of rows through drizzle on PostgreSQL as on SQLite', async () => {
    const pgDb = drizzlePg(pool);
    const now = new Date('2026-03-04T05:06:07.089Z');
    const group = { id: 'g1', slug: 'ods', name: 'Grupo de trabajo ODS', description: 'Estadísticas — ñandú 📊', createdAt: now };
    const user = { id: 'u1', email: 'ana@ine.cl', displayName: 'Ana Gómez', handle: 'ana.gomez', passwordHash: 'x', createdAt: now, deactivatedAt: null };
    const membership = { groupId: 'g1', userId: 'u1', role: 'member' as const, countryId: null, organizationId: null, delegationRole: null, joinedAt: new Date(now.getTime() + 1) };
    const framework = { id: 'sdg', kind: 'global' as const, titleEn: 'SDG', titleEs: 'ODS', createdBy: 'u1', createdAt: now };
    const version = { id: 'sdg-2025', frameworkId: 'sdg', version: '2025', titleEn: 'SDG 2025', titleEs: 'ODS 2025', createdBy: null, createdAt: now };
    const indicator = { id: 'sdg-2025:3.2.1', versionId: 'sdg-2025', code: '3.2.1', goalCode: '3', targets: ['3.2'], titleEn: 'Under-5 mortality', titleEs: 'Mortalidad de menores de 5 años', custodians: ['UNICEF', 'WHO'], seriesCodes: [], complementary: true, updatedAt: now };
    const tolerance = { groupId: 'g1', series: 'SH_DYN_MORT', kind: 'relative' as const, value: 0.1 + 0.2 };
    const audit = { groupId: 'g1', subjectKind: 'user', subjectId: 'u1', actorId: null, action: 'user.created', ip: '127.0.0.1', createdAt: now };
    const event = { topic: 'thread:t', type: 'post.created', payload: { postId: 'p', nested: { list: [1, 2.5, null, 'ü'], flag: false } }, audience: null, createdAt: now };
    const explicitEvent = { id: 41, topic: 'thread:t', type: 'post.edited', payload: [], audience: { userIds: ['u1'] }, createdAt: now };

    const onSqlite = () => {
      const db = sqliteDb;
      db.insert(sqliteIdentity.groups).values(group).run();
      db.insert(sqliteIdentity.users).values(user).run();
      db.insert(sqliteIdentity.memberships).values(membership).run();
      db.insert(sqliteIndicators.indicatorFrameworks).values(framework).run();
      db.insert(sqliteIndicators.indicatorFrameworkVersions).values(version).run();
      db.insert(sqliteIndicators.indicators).values(indicator).run();
      db.insert(sqliteDiscrepancies.discrepancyTolerances).values(tolerance).run();
      db.insert(sqliteAudit.auditLog).values(audit).run();
      db.insert(sqliteLive.liveEvents).values(event).run();
      db.insert(sqliteLive.liveEvents).values(explicitEvent).run();
      return {
        groups: db.select().from(sqliteIdentity.groups).all(),
        users: db.select().from(sqliteIdentity.users).all(),
        memberships: db.select().from(sqliteIdentity.memberships).all(),
        indicators: db.select().from(sqliteIndicators.indicators).where(eq(sqliteIndicators.indicators.versionId, 'sdg-2025')).all(),
        tolerances: db.select().from(sqliteDiscrepancies.discrepancyTolerances).all(),
        audit: db.select().from(sqliteAudit.auditLog).all(),
        events: db.select().from(sqliteLive.liveEvents).orderBy(sqliteLive.liveEvents.id).all(),
      };
    };
    const onPg = async () => {
      const db = pgDb;
      await db.insert(pgIdentity.groups).values(group);
      await db.insert(pgIdentity.users).values(user);
      await db.insert(pgIdentity.memberships).values(membership);
      await db.insert(pgIndicators.indicatorFrameworks).values(framework);
      await db.insert(pgIndicators.indicatorFrameworkVersions).values(version);
      await db.insert(pgIndicators.indicators).values(indicator);
      await db.insert(pgDiscrepancies.discrepancyTolerances).values(tolerance);
      await db.insert(pgAudit.auditLog).values(audit);
      await db.insert(pgLive.liveEvents).values(event);
      await db.insert(pgLive.liveEvents).values(explicitEvent);
      return {
        groups: await db.select().from(pgIdentity.groups),
        users: await db.select().from(pgIdentity.users),
        memberships: await db.select().from(pgIdentity.memberships),
        indicators: await db.select().from(pgIndicators.indicators).where(eq(pgIndicators.indicators.versionId, 'sdg-2025')),
        tolerances: await db.select().from(pgDiscrepancies.discrepancyTolerances),
        audit: await db.select().from(pgAudit.auditLog),
        events: await db.select().from(pgLive.liveEvents).orderBy(pgLive.liveEvents.id),
      };
    };

    const fromSqlite = onSqlite();
    const fromPg = await onPg();
    // What went in comes back, with the defaults filled in, and the same on both engines.
    expect(fromPg.groups).toEqual([group]);
    expect(fromPg.users).toEqual([{ ...user, locale: 'es', timeZone: 'America/Santiago', jobTitle: '', bio: '' }]);
    expect(fromPg.users[0]!.createdAt).toBeInstanceOf(Date);
    expect(fromPg.indicators).toEqual([{ ...indicator, unit: null, tier: null, groupEn: null, groupEs: null, createdBy: null }]);
    expect(fromPg.tolerances[0]!.value).toBe(0.1 + 0.2);
    expect(fromPg.audit).toEqual([{ ...audit, id: 1, details: {} }]);
    // Numbered by the identity when none is given, kept when one is (a copy from SQLite keeps its ids).
    expect(fromPg.events).toEqual([{ ...event, id: 1 }, explicitEvent]);
    expect(fromPg).toEqual(fromSqlite);
  });
});
