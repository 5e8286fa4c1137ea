import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../plugins/db.js';
import { migratePostgres } from '../plugins/postgres.js';
import { copyFullText, type FullTextReport } from './full-text-copy.js';
import { CopyRefused, pgDigest, planTables, quote, sqliteDigest, type TableDigest, type TablePlan } from './table-digests.js';

/**
 * The copy of a group's database from a SQLite file into a PostgreSQL database (`npm run
 * copy-to-postgres`, docs/postgresql.md "Copying a group from SQLite").
 *
 * From a snapshot: VACUUM INTO a temporary file (one read transaction, as the backup takes it), so
 * a server still writing to the file cannot make the copy inconsistent; the snapshot, not the live
 * file, is brought to this version's schema. The PostgreSQL database is migrated, must hold nothing
 * but what its migrations seed, and receives every table in one transaction: parents before the
 * tables whose foreign keys point at them, in multi-row INSERTs, identity sequences moved past the
 * copied ids. Before it commits, every table's row count and digest (table-digests.ts) are compared
 * with the snapshot's; any difference rolls everything back. The FTS5 indexes are not copied as
 * tables: PostgreSQL's search rows are built from their texts and stems (full-text-copy.ts), in the
 * same transaction.
 */

/** The key of the advisory lock that keeps two copies into one database from running at once. */
const COPY_LOCK = 0x636f7079; // "copy"
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;

export interface TableReport extends TableDigest {
  name: string;
}

export interface CopyReport {
  tables: TableReport[];
  rows: number;
  /** PostgreSQL's search tables, built from SQLite's FTS5 indexes. */
  fullText: FullTextReport[];
  ms: number;
}

export interface CopyOptions {
  sqliteFile: string;
  url: string;
  /** Rows per INSERT, at most (fewer for wide tables). */
  batchRows?: number;
}

/** A consistent copy of the file in a temporary folder, migrated to this version. */
function snapshotOf(file: string): { sqlite: Database.Database; dispose(): void } {
  if (!existsSync(file)) throw new CopyRefused(`${file} does not exist.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-copy-'));
  const snapshot = path.join(dir, 'snapshot.db');
  try {
    const live = new Database(file, { readonly: true, fileMustExist: true });
    try {
      live.pragma('busy_timeout = 10000');
      live.prepare('VACUUM INTO ?').run(snapshot);
    } finally {
      live.close();
    }
    const { sqlite } = openDatabase(snapshot);
    return {
      sqlite,
      dispose() {
        sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A SQLite value as the PostgreSQL column takes it; refused when the column cannot hold it. */
function toPg(value: unknown, plan: TablePlan, column: TablePlan['columns'][number]): unknown {
  if (value === null) return null;
  const refuse = () => new CopyRefused(`${plan.name}.${column.name} holds ${String(value)}, which a ${column.type} column cannot hold.`);
  switch (column.type) {
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      throw refuse();
    case 'boolean':
      if (value === 0n || value === 1n) return value === 1n;
      throw refuse();
    case 'double precision':
      if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
      throw refuse();
    case 'jsonb':
    case 'text':
      if (typeof value === 'string') return value;
      throw refuse();
  }
}

async function copyTable(sqlite: Database.Database, client: pg.ClientBase, plan: TablePlan, batchRows: number): Promise<void> {
  const columns = plan.columns.map((column) => quote(column.name)).join(', ');
  const perStatement = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / plan.columns.length)));
  const insert = async (rows: unknown[][]) => {
    const values = rows.map((_, r) => `(${plan.columns.map((__, c) => `$${r * plan.columns.length + c + 1}`).join(', ')})`).join(', ');
    try {
      await client.query(`insert into ${quote(plan.name)} (${columns}) values ${values}`, rows.flat());
    } catch (error) {
      throw new CopyRefused(`Copying ${plan.name}: ${(error as Error).message}`);
    }
  };
  // Safe integers: ids and instants come as BigInt, exact past 2^53.
  const statement = sqlite.prepare(`select ${columns} from ${quote(plan.name)}`).raw(true).safeIntegers(true);
  let batch: unknown[][] = [];
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    batch.push(row.map((value, i) => toPg(value, plan, plan.columns[i]!)));
    if (batch.length === perStatement) {
      await insert(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insert(batch);
}

/**
 * Moves each identity sequence past the copied ids, and past SQLite's AUTOINCREMENT high-water mark
 * when the table has one: ids of deleted rows (live events pruned by age, which clients may still
 * name when they reconnect) must not be handed out again.
 */
async function moveSequences(sqlite: Database.Database, client: pg.ClientBase, plans: TablePlan[]): Promise<void> {
  const hasSequences = sqlite.prepare("select 1 from sqlite_schema where name = 'sqlite_sequence'").get() !== undefined;
  const highWater = new Map<string, number>(hasSequences ? sqlite.prepare<[], { name: string; seq: number }>('select name, seq from sqlite_sequence').all().map((row): [string, number] => [row.name, row.seq]) : []);
  for (const plan of plans) {
    for (const column of plan.identity) {
      const { rows } = await client.query<{ max: string | null }>(`select max(${quote(column)})::text as max from ${quote(plan.name)}`);
      const last = Math.max(Number(rows[0]?.max ?? 0), highWater.get(plan.name) ?? 0);
      if (last > 0) await client.query('select setval(pg_get_serial_sequence($1, $2), $3)', [quote(plan.name), column, last]);
    }
  }
}

/**
 * Refuses a database holding anything but what its migrations seed (the indicator catalogue, whose
 * tables must then hold exactly the seeded rows); returns the seeded tables, which the copy empties
 * and fills with the file's rows (an administrator may have edited the catalogue).
 */
async function refuseNonEmpty(client: pg.ClientBase, plans: TablePlan[]): Promise<Set<string>> {
  const { sqlite: fresh } = openDatabase(':memory:');
  try {
    const seeded = new Set<string>();
    const occupied: string[] = [];
    for (const plan of plans) {
      const { rows } = await client.query<{ any: boolean }>(`select exists (select 1 from ${quote(plan.name)}) as any`);
      if (!rows[0]!.any) continue;
      const seed = sqliteDigest(fresh, plan);
      const there = await pgDigest(client, plan);
      if (seed.rows > 0 && seed.sha256 === there.sha256) seeded.add(plan.name);
      else occupied.push(`${plan.name} (${there.rows} rows)`);
    }
    if (occupied.length > 0) {
      throw new CopyRefused(`The PostgreSQL database is not empty: ${occupied.slice(0, 10).join(', ')}${occupied.length > 10 ? ` and ${occupied.length - 10} more tables` : ''}. Copy into a new database (createdb).`);
    }
    return seeded;
  } finally {
    fresh.close();
  }
}

/** The tables whose count or digest differ between the two sides, described. */
function differences(plans: TablePlan[], source: Map<string, TableDigest>, target: Map<string, TableDigest>): string[] {
  return plans.flatMap((plan) => {
    const a = source.get(plan.name)!;
    const b = target.get(plan.name)!;
    if (a.rows !== b.rows) return [`${plan.name}: ${a.rows} rows in the SQLite file, ${b.rows} on PostgreSQL`];
    if (a.sha256 !== b.sha256) return [`${plan.name}: the same ${a.rows} rows in number, but not in content (sha256 ${a.sha256.slice(0, 12)}… against ${b.sha256.slice(0, 12)}…)`];
    return [];
  });
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const snapshot = snapshotOf(options.sqliteFile);
  try {
    await migratePostgres(options.url);
    const client = new pg.Client({ connectionString: options.url });
    await client.connect();
    try {
      const plans = await planTables(snapshot.sqlite, client);
      const source = new Map(plans.map((plan) => [plan.name, sqliteDigest(snapshot.sqlite, plan)]));
      let fullText: FullTextReport[] = [];
      await client.query('begin');
      try {
        await client.query('select pg_advisory_xact_lock($1)', [COPY_LOCK]);
        const seeded = await refuseNonEmpty(client, plans);
        for (const plan of [...plans].reverse()) if (seeded.has(plan.name)) await client.query(`delete from ${quote(plan.name)}`);
        for (const plan of plans) await copyTable(snapshot.sqlite, client, plan, options.batchRows ?? 1000);
        await moveSequences(snapshot.sqlite, client, plans);
        fullText = await copyFullText(snapshot.sqlite, client);
        const target = new Map<string, TableDigest>();
        for (const plan of plans) target.set(plan.name, await pgDigest(client, plan));
        const differing = differences(plans, source, target);
        if (differing.length > 0) throw new CopyRefused(`The copy does not match the SQLite file, so nothing was copied:\n  ${differing.join('\n  ')}`);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      const tables = plans.map((plan) => ({ name: plan.name, ...source.get(plan.name)! }));
      return { tables, rows: tables.reduce((sum, table) => sum + table.rows, 0), fullText, ms: performance.now() - started };
    } finally {
      await client.end();
    }
  } finally {
    snapshot.dispose();
  }
}

/**
 * Compares a SQLite file with a PostgreSQL database, table by table, without changing either: the
 * differences, or none. After a copy and before the server starts on PostgreSQL, with writes stopped.
 */
export async function compareSqliteWithPostgres(options: Pick<CopyOptions, 'sqliteFile' | 'url'>): Promise<{ tables: TableReport[]; differences: string[] }> {
  const snapshot = snapshotOf(options.sqliteFile);
  try {
    const client = new pg.Client({ connectionString: options.url });
    await client.connect();
    try {
      const plans = await planTables(snapshot.sqlite, client);
      const source = new Map(plans.map((plan) => [plan.name, sqliteDigest(snapshot.sqlite, plan)]));
      const target = new Map<string, TableDigest>();
      await client.query('begin isolation level repeatable read read only');
      try {
        for (const plan of plans) target.set(plan.name, await pgDigest(client, plan));
      } finally {
        await client.query('rollback').catch(() => undefined);
      }
      return { tables: plans.map((plan) => ({ name: plan.name, ...target.get(plan.name)! })), differences: differences(plans, source, target) };
    } finally {
      await client.end();
    }
  } finally {
    snapshot.dispose();
  }
}
