import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { generate, pgFileOf, root, sqliteSchemaFiles, staleFiles } from '../../tools/pg-schema.js';

/**
 * The PostgreSQL schema is generated from the SQLite tables (tools/pg-schema.ts) and its
 * migrations by drizzle-kit (drizzle.pg.config.ts): a SQLite table changed without
 * `npm run db:generate` fails here, before anything runs on a stale PostgreSQL schema.
 */
describe('the generated PostgreSQL schema', () => {
  it('is up to date with the SQLite tables', async () => {
    expect(await staleFiles(), 'run npm run db:generate').toEqual([]);
  });

  it('has a twin for every SQLite schema file, and its row types are checked at compile time', async () => {
    const files = await generate();
    const sources = sqliteSchemaFiles();
    expect(sources.length).toBeGreaterThan(20);
    for (const file of sources) expect(files.has(pgFileOf(file)), file).toBe(true);
    // Every table of every file has its select and insert types compared in the generated check.
    const check = files.get('tests/types/pg-tables.check.ts') ?? '';
    const tables = sources.reduce((count, file) => count + (readFileSync(path.join(root, file), 'utf8').match(/= sqliteTable\(/g) ?? []).length, 0);
    expect((check.match(/expectTypeOf<typeof p\d+\.\w+\.\$inferSelect>/g) ?? []).length).toBe(tables);
  });

  it('is what the last PostgreSQL migration left (drizzle-kit generates nothing new)', async () => {
    const journal = JSON.parse(readFileSync(path.join(root, 'migrations/pg/meta/_journal.json'), 'utf8')) as { entries: Array<{ idx: number }> };
    const last = journal.entries.at(-1)!;
    const snapshot = JSON.parse(readFileSync(path.join(root, `migrations/pg/meta/${String(last.idx).padStart(4, '0')}_snapshot.json`), 'utf8'));
    const schema: Record<string, unknown> = {};
    for (const file of sqliteSchemaFiles()) Object.assign(schema, await import(path.join(root, pgFileOf(file))));
    const current = generateDrizzleJson(schema, snapshot.id);
    expect(await generateMigration(snapshot, current), 'run npm run db:generate').toEqual([]);
  });
});
