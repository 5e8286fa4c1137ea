/**
 * Prints, as PostgreSQL INSERT statements, the rows a freshly migrated SQLite database holds: the
 * data the SQLite migrations seed (the MDG indicator catalogue of 0023). The PostgreSQL baseline is
 * generated from the schema alone, so these rows go into a custom PostgreSQL migration
 * (`drizzle-kit generate --custom --config drizzle.pg.config.ts`), written from this output once.
 * tests/server/postgres-schema.test.ts fails when a fresh database of each engine holds different
 * rows: a later SQLite migration that seeds data needs its PostgreSQL twin too.
 *
 *   node --import tsx tools/pg-seed.ts > rows.sql
 */
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { openDatabase } from '../server/plugins/db.js';
import { root, sqliteSchemaFiles } from './pg-schema.js';

function literal(column: SQLiteColumn, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (column.columnType) {
    case 'SQLiteTimestamp':
      return String((value as Date).getTime());
    case 'SQLiteBoolean':
      return value ? 'true' : 'false';
    case 'SQLiteTextJson':
      return `'${JSON.stringify(value).replace(/'/g, "''")}'::jsonb`;
    case 'SQLiteInteger':
    case 'SQLiteReal':
      return String(value);
    default:
      return `'${String(value).replace(/'/g, "''")}'`;
  }
}

/** Tables in an order that inserts a row's foreign-key targets before it. */
function byDependencies(tables: SQLiteTable[]): SQLiteTable[] {
  const ordered: SQLiteTable[] = [];
  const visit = (table: SQLiteTable, path: Set<SQLiteTable>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const key of getTableConfig(table).foreignKeys) {
      const target = key.reference().foreignTable as SQLiteTable;
      if (tables.includes(target)) visit(target, path);
    }
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

export async function seededRows(): Promise<Array<{ table: SQLiteTable; rows: Record<string, unknown>[] }>> {
  const { sqlite, db } = openDatabase(':memory:');
  try {
    const tables: SQLiteTable[] = [];
    for (const file of sqliteSchemaFiles()) {
      const module = (await import(`${root}/${file}`)) as Record<string, unknown>;
      tables.push(...Object.values(module).filter((value): value is SQLiteTable => is(value, SQLiteTable)));
    }
    return byDependencies(tables)
      .map((table) => ({ table, rows: db.select().from(table).all() as Record<string, unknown>[] }))
      .filter(({ rows }) => rows.length > 0);
  } finally {
    sqlite.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const statements: string[] = [];
  for (const { table, rows } of await seededRows()) {
    const columns = Object.entries(getTableColumns(table)) as Array<[string, SQLiteColumn]>;
    const values = rows.map((row) => `(${columns.map(([key, column]) => literal(column, row[key])).join(', ')})`);
    statements.push(`INSERT INTO "${getTableName(table)}" (${columns.map(([, column]) => `"${column.name}"`).join(', ')}) VALUES\n${values.join(',\n')};`);
  }
  process.stdout.write(`${statements.join('\n--> statement-breakpoint\n')}\n`);
}
