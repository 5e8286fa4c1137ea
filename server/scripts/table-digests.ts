import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type pg from 'pg';

/**
 * The tables a copy from SQLite to PostgreSQL moves, in the order it moves them, and a digest of
 * each (row count and SHA-256) computed the same way on both engines: after a copy the two must
 * agree, table by table, or nothing was copied (sqlite-to-pg.ts).
 *
 * The digest hashes every row in primary key order, each value normalised by the kind of its
 * PostgreSQL column (docs/postgresql.md, "The mapping"): integers and instants as decimal integers,
 * booleans as true/false (SQLite's 1/0), doubles as JavaScript prints the number, JSON parsed and
 * written again with its keys sorted (jsonb keeps neither key order nor spacing), text as it is.
 * Text keys are ordered by code point on both sides (SQLite's BINARY, PostgreSQL's "C"), whatever
 * collation the PostgreSQL database has. The two tables without a primary key (small: memberships,
 * tolerances) are hashed with their normalised rows sorted instead.
 */

export type PgType = 'text' | 'jsonb' | 'bigint' | 'boolean' | 'double precision';
const PG_TYPES: readonly string[] = ['text', 'jsonb', 'bigint', 'boolean', 'double precision'];

export interface TablePlan {
  name: string;
  columns: Array<{ name: string; type: PgType }>;
  /** The primary key's columns, in key order; empty for a table without one. */
  key: string[];
  /** Identity columns (integer primary keys), whose sequences the copy moves past the copied ids. */
  identity: string[];
}

export interface TableDigest {
  rows: number;
  sha256: string;
}

export class CopyRefused extends Error {}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The FTS5 indexes of a SQLite file, which are not copied: the search slice rebuilds them on PostgreSQL. */
export function sqliteFullTextTables(sqlite: Database.Database): string[] {
  return sqlite.prepare<[], string>("select name from sqlite_schema where type = 'table' and sql like 'create virtual table%' collate nocase order by name").pluck().all();
}

/** The tables holding the forum's data: not SQLite's own, not drizzle's journal, not the FTS5 indexes or their shadow tables. */
export function sqliteDataTables(sqlite: Database.Database): string[] {
  const fullText = sqliteFullTextTables(sqlite);
  const shadow = (name: string) => fullText.some((fts) => ['data', 'idx', 'content', 'docsize', 'config'].some((suffix) => name === `${fts}_${suffix}`));
  return sqlite
    .prepare<[], string>("select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations' order by name")
    .pluck()
    .all()
    .filter((name) => !fullText.includes(name) && !shadow(name));
}

/** Tables ordered so that every table comes after those its foreign keys point at (parents first). */
export function foreignKeyOrder(sqlite: Database.Database, tables: string[]): string[] {
  const parents = new Map(tables.map((table) => [table, sqlite.prepare<[string], string>('select distinct "table" from pragma_foreign_key_list(?)').pluck().all(table).filter((parent) => parent !== table)]));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((table) => !placed.has(table) && parents.get(table)!.every((parent) => placed.has(parent) || !parents.has(parent)));
    if (ready.length === 0) throw new CopyRefused(`The foreign keys between these tables form a cycle: ${tables.filter((table) => !placed.has(table)).join(', ')}.`);
    for (const table of ready) {
      ordered.push(table);
      placed.add(table);
    }
  }
  return ordered;
}

/**
 * The plan of every data table, from the SQLite file and the PostgreSQL database, which must have
 * the same tables and columns (both migrated by this version); refused, with the differences, otherwise.
 */
export async function planTables(sqlite: Database.Database, client: pg.ClientBase): Promise<TablePlan[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    "select table_name, column_name, data_type, is_identity from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position",
  );
  const onPg = new Map<string, typeof rows>();
  for (const row of rows) onPg.set(row.table_name, [...(onPg.get(row.table_name) ?? []), row]);
  const tables = foreignKeyOrder(sqlite, sqliteDataTables(sqlite));
  const differences: string[] = [];
  for (const table of onPg.keys()) if (!tables.includes(table)) differences.push(`${table}: only on PostgreSQL`);
  const plans: TablePlan[] = [];
  for (const table of tables) {
    const pgColumns = onPg.get(table);
    if (pgColumns === undefined) {
      differences.push(`${table}: only in the SQLite file`);
      continue;
    }
    const sqliteColumns = sqlite.prepare<[string], { name: string; pk: number }>('select name, pk from pragma_table_info(?) order by cid').all(table);
    const names = (list: Array<{ name: string }>) => list.map((column) => column.name).sort().join(', ');
    const pgNames = pgColumns.map((column) => ({ name: column.column_name }));
    if (names(sqliteColumns) !== names(pgNames)) {
      differences.push(`${table}: columns ${names(sqliteColumns)} in the SQLite file, ${names(pgNames)} on PostgreSQL`);
      continue;
    }
    const unknown = pgColumns.filter((column) => !PG_TYPES.includes(column.data_type));
    if (unknown.length > 0) differences.push(`${table}: columns of a type the copy does not know (${unknown.map((column) => `${column.column_name} ${column.data_type}`).join(', ')})`);
    plans.push({
      name: table,
      columns: pgColumns.map((column) => ({ name: column.column_name, type: column.data_type as PgType })),
      key: sqliteColumns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name),
      identity: pgColumns.filter((column) => column.is_identity === 'YES').map((column) => column.column_name),
    });
  }
  if (differences.length > 0) {
    throw new CopyRefused(`The SQLite file and the PostgreSQL database do not have the same tables (is each migrated by this version of Concilia?):\n  ${differences.join('\n  ')}`);
  }
  return plans;
}

/** JSON with object keys sorted, at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One value as both engines' rows are compared. A value its column cannot hold gives a mark of its own, which no valid value matches. */
export function normalise(value: unknown, type: PgType): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'bigint':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? BigInt(value).toString() : `invalid:${String(value)}`;
    case 'boolean':
      if (value === true || value === 1 || value === 1n) return 'true';
      if (value === false || value === 0 || value === 0n) return 'false';
      return `invalid:${String(value)}`;
    case 'double precision':
      return typeof value === 'number' || typeof value === 'bigint' ? String(Number(value)) : `invalid:${String(value)}`;
    case 'jsonb':
      try {
        return canonicalJson(JSON.parse(String(value)));
      } catch {
        return `invalid:${String(value)}`;
      }
    case 'text':
      return typeof value === 'string' ? value : `invalid:${String(value)}`;
  }
}

function rowLine(plan: TablePlan, row: unknown[]): string {
  return `${JSON.stringify(plan.columns.map((column, i) => normalise(row[i], column.type)))}\n`;
}

/** Accumulates a table's rows, in key order or (no key) sorted afterwards. */
class Digest {
  private readonly hash = createHash('sha256');
  private readonly unordered: string[] = [];
  rows = 0;
  constructor(private readonly plan: TablePlan) {}
  add(row: unknown[]): void {
    this.rows += 1;
    const line = rowLine(this.plan, row);
    if (this.plan.key.length > 0) this.hash.update(line);
    else this.unordered.push(line);
  }
  result(): TableDigest {
    for (const line of this.unordered.sort()) this.hash.update(line);
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/** The digest of a table of the SQLite file (opened with safe integers where it is read: 64-bit ids stay exact). */
export function sqliteDigest(sqlite: Database.Database, plan: TablePlan): TableDigest {
  const digest = new Digest(plan);
  const order = plan.key.length > 0 ? ` order by ${plan.key.map((column) => `${quote(column)} collate binary`).join(', ')}` : '';
  const statement = sqlite.prepare(`select ${plan.columns.map((column) => quote(column.name)).join(', ')} from ${quote(plan.name)}${order}`).raw(true).safeIntegers(true);
  for (const row of statement.iterate() as Iterable<unknown[]>) digest.add(row);
  return digest.result();
}

/** The select that reads a table on PostgreSQL as the digest reads it (JSON as its text, key order by code point). */
export function pgSelect(plan: TablePlan): string {
  const columns = plan.columns.map((column) => (column.type === 'jsonb' ? `${quote(column.name)}::text` : quote(column.name))).join(', ');
  const type = (name: string) => plan.columns.find((column) => column.name === name)!.type;
  const order = plan.key.length > 0 ? ` order by ${plan.key.map((column) => `${quote(column)}${type(column) === 'text' ? ' collate "C"' : ''}`).join(', ')}` : '';
  return `select ${columns} from ${quote(plan.name)}${order}`;
}

/** The digest of a table on PostgreSQL, read through a cursor in batches. Call it inside a transaction (a cursor needs one). */
export async function pgDigest(client: pg.ClientBase, plan: TablePlan, batch = 5000): Promise<TableDigest> {
  const digest = new Digest(plan);
  await client.query(`declare concilia_digest no scroll cursor for ${pgSelect(plan)}`);
  for (;;) {
    const { rows } = await client.query<unknown[]>({ text: `fetch ${batch} from concilia_digest`, rowMode: 'array' });
    for (const row of rows) digest.add(row);
    if (rows.length < batch) break;
  }
  // Not in a finally: after an error the transaction is aborted, and closing would hide that error behind its own.
  await client.query('close concilia_digest');
  return digest.result();
}
