import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/shared/paths.js';
import { compareSqliteWithPostgres, copySqliteToPostgres, type CopyReport } from '../../server/scripts/sqlite-to-pg.js';
import { canonicalJson, CopyRefused } from '../../server/scripts/table-digests.js';
import { FullTextQuery } from '../../server/shared/full-text.js';
import { pgFileOf, root, sqliteSchemaFiles } from '../../tools/pg-schema.js';
import { buildTestApp, TEST_ENGINE } from '../helper.js';
import { AccessWorld, type FixtureName } from './access/world.js';
import { databasesForThisFile, postgresUnavailable } from '../support/postgres.js';

/**
 * The copy of a group from its SQLite file into PostgreSQL (npm run copy-to-postgres), on a group
 * filled through the real app (the access matrix's world: threads, hidden and withdrawn posts,
 * attachments, documents, meetings with minutes and polls, consultations, comment rounds,
 * discrepancy cases, proposals, notifications, audit entries, live events) and a real PostgreSQL
 * cluster the test starts.
 */

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPED tests/server/postgres-copy.test.ts: ${unavailable}`);

const run = promisify(execFile);
const copyScript = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/scripts/copy-to-postgres.ts', ...args], { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: 'silent' } });
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as { code: number; stderr: string });

const MORE: FixtureName[] = ['consultation', 'draftConsultation', 'discrepancyCase', 'publishedCase', 'caseThread', 'round', 'submittedRound', 'draftRound', 'proposal', 'closedProposal', 'closedPoll', 'series', 'workshop', 'attachment', 'publicDocument', 'post'];
/** Tables the world must fill, so that the copy is shown to move each kind of thing. */
const FILLED = ['threads', 'posts', 'attachments', 'documents', 'document_versions', 'meetings', 'consultations', 'discrepancy_cases', 'audit_log', 'live_events', 'notifications', 'users', 'memberships', 'stored_files'];

// Its source is a SQLite app built in this process. Under TEST_ENGINE=postgres the process is bound
// to PostgreSQL's tables and refuses a SQLite app, so the file runs in the default run only, where
// it already works against a real PostgreSQL (its own cluster, or the run's).
describe.skipIf(unavailable !== null || TEST_ENGINE === 'postgres')('the copy from a SQLite file to PostgreSQL', () => {
  let databases: Awaited<ReturnType<typeof databasesForThisFile>>;
  let dataDir: string;
  let sqliteFile: string;
  let sqlite: Database.Database;
  let url: string;
  let pool: pg.Pool;
  let report: CopyReport;

  beforeAll(async () => {
    const t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000' });
    dataDir = t.dataDir;
    const world = new AccessWorld(t);
    await world.build();
    for (const name of MORE) await world.fresh(name);
    databases = await databasesForThisFile();
    url = await databases.migrated();
    sqliteFile = path.join(dataDir, 'concilia.db');
    // Stopped first, as the cut-over stops writes: the file the assertions read is then the one copied.
    await t.app.close();
    report = await copySqliteToPostgres({ sqliteFile, url, batchRows: 50 });
    sqlite = new Database(sqliteFile, { readonly: true });
    pool = new pg.Pool({ connectionString: url, max: 2 });
    console.log(`copied ${report.tables.length} tables, ${report.rows} rows in ${Math.round(report.ms)} ms`);
  }, 180_000);

  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await databases?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const count = async (table: string) => Number((await pool.query<{ n: string }>(`select count(*) as n from "${table}"`)).rows[0]!.n);

  it('copies every table with every row: the same counts as the SQLite file, counted on each side', async () => {
    const { rows } = await pool.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' order by table_name");
    expect(report.tables.map((table) => table.name).sort()).toEqual(rows.map((row) => row.table_name));
    for (const table of report.tables) {
      const onSqlite = (sqlite.prepare(`select count(*) as n from "${table.name}"`).get() as { n: number }).n;
      expect(await count(table.name), table.name).toBe(onSqlite);
      expect(table.rows, table.name).toBe(onSqlite);
    }
    for (const table of FILLED) expect(report.tables.find((entry) => entry.name === table)!.rows, table).toBeGreaterThan(0);
    expect(report.rows).toBeGreaterThan(500);
  });

  it('builds PostgreSQL\'s search rows from the FTS5 indexes, one for each of their rows, and finds their words', async () => {
    expect(report.fullText.map((entry) => [entry.from, entry.to])).toEqual([
      ['search_index', 'full_text.posts'],
      ['document_versions_search', 'full_text.document_versions'],
      ['meetings_search', 'full_text.meetings'],
      ['minutes_search', 'full_text.minutes'],
    ]);
    for (const entry of report.fullText) {
      const onSqlite = sqlite.prepare(`select count(*) from ${entry.from}`).pluck().get() as number;
      expect(onSqlite, entry.from).toBeGreaterThan(0);
      expect(entry.rows, entry.to).toBe(onSqlite);
      expect(Number((await pool.query<{ n: string }>(`select count(*) as n from ${entry.to}`)).rows[0]!.n), entry.to).toBe(onSqlite);
    }
    // Every post is found on PostgreSQL by the last word of its body, as the search route asks.
    const posts = sqlite.prepare("select p.id, s.body from search_index s join posts p on p.rowid = s.rowid where s.body <> ''").all() as Array<{ id: string; body: string }>;
    expect(posts.length).toBeGreaterThan(5);
    for (const post of posts) {
      const query = FullTextQuery.parse(post.body.split(/\s+/).filter((word) => /\p{L}{3}/u.test(word)).at(-1) ?? post.body)!;
      const { rows } = await pool.query<{ post_id: string }>('select post_id from full_text.posts where terms @@ $1::tsquery', [query.tsquery()]);
      expect(rows.map((row) => row.post_id), `${post.id}: ${query.tsquery()}`).toContain(post.id);
    }
  });

  it('gives back through drizzle on PostgreSQL the rows drizzle reads from SQLite: dates, JSON, booleans, doubles', async () => {
    const sqliteDb = drizzleSqlite(sqlite);
    const pgDb = drizzlePg(pool);
    // Order-free: jsonb does not keep key order, so rows are sorted by their JSON with sorted keys.
    const sorted = <T>(rows: T[]) => rows.map((row) => ({ key: canonicalJson(JSON.parse(JSON.stringify(row))), row })).sort((a, b) => (a.key < b.key ? -1 : 1)).map((entry) => entry.row);
    let compared = 0;
    for (const file of sqliteSchemaFiles()) {
      const sqliteModule = (await import(`${root}/${file}`)) as Record<string, unknown>;
      const pgModule = (await import(`${root}/${pgFileOf(file)}`)) as Record<string, unknown>;
      for (const [name, table] of Object.entries(sqliteModule).filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTable))) {
        const onSqlite = sqliteDb.select().from(table).all();
        const onPg = await pgDb.select().from(pgModule[name] as PgTable);
        expect(sorted(onPg), getTableName(table)).toEqual(sorted(onSqlite));
        compared += onSqlite.length;
      }
    }
    expect(compared).toBe(report.rows);
  });

  it('agrees, table by table, on a checksum computed the same way on both sides', async () => {
    const compared = await compareSqliteWithPostgres({ sqliteFile, url });
    expect(compared.differences).toEqual([]);
    expect(compared.tables).toEqual(report.tables);
    expect(new Set(report.tables.map((table) => table.sha256)).size).toBeGreaterThan(report.tables.length / 2);
  });

  it('moves every identity sequence past the copied ids (and past SQLite\'s high-water mark)', async () => {
    const { rows } = await pool.query<{ table_name: string; column_name: string }>("select table_name, column_name from information_schema.columns where table_schema = 'public' and is_identity = 'YES'");
    expect(rows.map((row) => row.table_name)).toContain('live_events');
    for (const { table_name: table, column_name: column } of rows) {
      const max = Number((await pool.query<{ m: string | null }>(`select max("${column}") as m from "${table}"`)).rows[0]!.m ?? 0);
      const next = Number((await pool.query<{ n: string }>('select nextval(pg_get_serial_sequence($1, $2)) as n', [`"${table}"`, column])).rows[0]!.n);
      expect(next, `${table}.${column}`).toBeGreaterThan(max);
    }
    const liveEvents = report.tables.find((table) => table.name === 'live_events')!.rows;
    expect(liveEvents).toBeGreaterThan(0);
  });

  it('finds a row changed after the copy, and names its table', async () => {
    const { rows } = await pool.query<{ id: string; title: string }>('select id, title from meetings order by id limit 1');
    await pool.query('update meetings set title = $1 where id = $2', [`${rows[0]!.title}.`, rows[0]!.id]);
    try {
      const compared = await compareSqliteWithPostgres({ sqliteFile, url });
      expect(compared.differences).toHaveLength(1);
      expect(compared.differences[0]).toMatch(/^meetings: the same \d+ rows in number, but not in content/);
      const failure = await failureOf(copyScript([sqliteFile, url, '--compare']));
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('meetings: the same');
    } finally {
      await pool.query('update meetings set title = $1 where id = $2', [rows[0]!.title, rows[0]!.id]);
    }
    const { stdout } = await copyScript([sqliteFile, url, '--compare']);
    expect(stdout).toContain(`${report.tables.length} tables, ${report.rows} rows, the same counts and checksums`);
  }, 60_000);

  it('copies as npm run copy-to-postgres runs it, and says what it built for search', async () => {
    const target = await databases.migrated();
    const { stdout } = await copyScript([sqliteFile, target]);
    expect(stdout).toContain(`${report.tables.length} tables, ${report.rows} rows, counts and checksums equal`);
    expect(stdout).toMatch(/Search: full_text\.posts built from search_index \(\d+ rows\), full_text\.document_versions built from document_versions_search/);
    expect((await compareSqliteWithPostgres({ sqliteFile, url: target })).differences).toEqual([]);
  }, 60_000);

  it('refuses a database that is not empty, and leaves it as it was', async () => {
    const before = await count('posts');
    await expect(copySqliteToPostgres({ sqliteFile, url })).rejects.toThrow(/^The PostgreSQL database is not empty: \w+ \(\d+ rows\), .* and \d+ more tables\. Copy into a new database/);
    const failure = await failureOf(copyScript([sqliteFile, url]));
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('The PostgreSQL database is not empty');
    expect(await count('posts')).toBe(before);
  }, 60_000);

  it('rolls everything back when what PostgreSQL stored differs from the file: a value changed, a row dropped', async () => {
    const cases = [
      { trigger: "if new.text like '%Olivia%' then new.text := new.text || ' (changed)'; end if; return new;", table: 'posts', message: /posts: the same \d+ rows in number, but not in content/ },
      { trigger: "if new.type = 'post.created' then return null; end if; return new;", table: 'live_events', message: /live_events: \d+ rows in the SQLite file, \d+ on PostgreSQL/ },
    ];
    for (const broken of cases) {
      const target = await databases.migrated();
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      try {
        await client.query(`create function sabotage() returns trigger language plpgsql as $$ begin ${broken.trigger} end $$`);
        await client.query(`create trigger sabotage before insert on "${broken.table}" for each row execute function sabotage()`);
        const error = await copySqliteToPostgres({ sqliteFile, url: target }).then(() => null, (err: unknown) => err);
        expect(error).toBeInstanceOf(CopyRefused);
        expect((error as Error).message).toMatch(broken.message);
        expect((error as Error).message).toContain('nothing was copied');
        // All or nothing: not a user, not a post; the seeded catalogue as the migrations left it.
        for (const table of ['users', 'posts', 'live_events', 'audit_log']) expect(Number((await client.query(`select count(*) as n from "${table}"`)).rows[0].n), table).toBe(0);
        expect(Number((await client.query('select count(*) as n from indicators')).rows[0].n)).toBe(60);
      } finally {
        await client.end();
      }
    }
  }, 120_000);
});
