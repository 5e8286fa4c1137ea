import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/shared/paths.js';
import { compareSqliteWithPostgres, copySqliteToPostgres } from '../../server/scripts/sqlite-to-pg.js';
import { buildTestApp, TEST_ENGINE } from '../helper.js';
import { minimalPdf } from '../fixtures/documents.js';
import { categoryId, populate, reply, startThread } from './debates/support.js';
import { metadata, upload } from './documents/support.js';
import { databasesForThisFile, postgresUnavailable } from '../support/postgres.js';

/**
 * npm run migrate, backup and restore on PostgreSQL (DATABASE_URL), as npm runs them: the real
 * scripts in processes of their own, on a real PostgreSQL cluster the test starts.
 */

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPED tests/server/postgres-ops.test.ts: ${unavailable}`);

const run = promisify(execFile);
const script = (name: 'migrate' | 'backup' | 'restore', env: Record<string, string>, args: string[] = []) =>
  run(process.execPath, ['--import', 'tsx', `server/scripts/${name}.ts`, ...args], { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as { code: number; stderr: string });
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-pgops-'));
  dirs.push(dir);
  return dir;
};

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The schema as PostgreSQL's catalogue describes it: what a second migration must leave as it is. */
const schemaOf = async (url: string) =>
  JSON.stringify([
    await query(url, "select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' order by 1, 2"),
    await query(url, "select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1"),
  ]);

// Its source is a SQLite app built in this process. Under TEST_ENGINE=postgres the process is bound
// to PostgreSQL's tables and refuses a SQLite app, so the file runs in the default run only, where
// it already works against a real PostgreSQL (its own cluster, or the run's).
describe.skipIf(unavailable !== null || TEST_ENGINE === 'postgres')('PostgreSQL operations', () => {
  let databases: Awaited<ReturnType<typeof databasesForThisFile>>;
  let dataDir: string;
  let sqliteFile: string;

  beforeAll(async () => {
    const t = await buildTestApp();
    dataDir = t.dataDir;
    const people = await populate(t.app);
    const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Series del censo' });
    await reply(t.app, people.member, thread.thread.id, 'Una respuesta con datos.');
    for (let i = 0; i < 4; i++) {
      const created = await upload(t.app, people.secretariat, { name: `informe-${i}.pdf`, bytes: minimalPdf(`Informe ${i}`) }, metadata({ title: { es: `Informe ${i}`, en: '' } }));
      expect(created.statusCode, created.body).toBe(201);
    }
    await t.app.close();
    sqliteFile = path.join(dataDir, 'concilia.db');
    databases = await databasesForThisFile();
  }, 120_000);

  afterAll(async () => {
    await databases?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('migrates an empty database, and a second migration changes nothing', async () => {
    const url = await databases.empty();
    const first = await script('migrate', { DATABASE_URL: url, DATA_DIR: freshDir() });
    expect(first.stdout).toContain('is up to date');
    const journal = readdirSync(path.join(projectRoot, 'migrations/pg')).filter((name) => name.endsWith('.sql')).length;
    const applied = async () => (await query<{ n: string }>(url, 'select count(*) as n from drizzle.__drizzle_migrations'))[0]!.n;
    expect(Number(await applied())).toBe(journal);
    const tables = await query(url, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables.length).toBeGreaterThan(80);
    const schema = await schemaOf(url);

    const second = await script('migrate', { DATABASE_URL: url, DATA_DIR: freshDir() });
    expect(second.stdout).toContain('is up to date');
    expect(Number(await applied())).toBe(journal);
    expect(await schemaOf(url)).toBe(schema);
    // No SQLite file was made on the way.
    expect(first.stdout).not.toContain('concilia.db');
  }, 60_000);

  it('lets two instances migrate one database at once: one waits for the other', async () => {
    const url = await databases.empty();
    const both = await Promise.all([script('migrate', { DATABASE_URL: url, DATA_DIR: freshDir() }), script('migrate', { DATABASE_URL: url, DATA_DIR: freshDir() })]);
    for (const done of both) expect(done.stdout).toContain('is up to date');
    const journal = readdirSync(path.join(projectRoot, 'migrations/pg')).filter((name) => name.endsWith('.sql')).length;
    expect(Number((await query<{ n: string }>(url, 'select count(*) as n from drizzle.__drizzle_migrations'))[0]!.n)).toBe(journal);
  }, 60_000);

  it('backs up with pg_dump and the stored files, and restores into an empty database what was there', async () => {
    const url = await databases.migrated();
    await copySqliteToPostgres({ sqliteFile, url });
    const archive = path.join(freshDir(), 'backup.tar');
    const backup = await script('backup', { DATABASE_URL: url, DATA_DIR: dataDir }, [archive]);
    expect(backup.stdout).toMatch(/the PostgreSQL database and 4 stored files/);
    // What the archive holds: the database as that backup left it (its claim on every stored file included).
    const source = await compareSqliteWithPostgres({ sqliteFile, url });

    // Named as the SQLite backup names its archives, in DATA_DIR/backups.
    const named = await script('backup', { DATABASE_URL: url, DATA_DIR: dataDir });
    const written = readdirSync(path.join(dataDir, 'backups')).filter((name) => !name.startsWith('.'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^concilia-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.tar$/);
    expect(named.stdout).toContain(written[0]);

    const restoredUrl = await databases.empty();
    const restoredDir = freshDir();
    const restored = await script('restore', { DATABASE_URL: restoredUrl, DATA_DIR: restoredDir }, [archive]);
    expect(restored.stdout).toContain('4 stored files');
    // The restored database holds, table by table, the rows of the database backed up: the same
    // counts and checksums (each computed against the SQLite file both came from), and the rows of
    // that file but for the claim the backup put on every stored file.
    const compared = await compareSqliteWithPostgres({ sqliteFile, url: restoredUrl });
    expect(compared.tables).toEqual(source.tables);
    expect(compared.differences).toEqual([expect.stringMatching(/^stored_files: the same 4 rows in number, but not in content/)]);
    expect(compared.tables.find((table) => table.name === 'documents')!.rows).toBe(4);
    const claims = (await query<{ last_claimed_at: string }>(restoredUrl, 'select last_claimed_at from stored_files')).map((row) => Number(row.last_claimed_at));
    for (const claimed of claims) expect(claimed).toBeGreaterThan(Date.now() - 5 * 60_000);
    const hashes = await query<{ sha256: string }>(restoredUrl, 'select sha256 from document_versions');
    expect(hashes).toHaveLength(4);
    for (const { sha256 } of hashes) expect(existsSync(path.join(restoredDir, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256)), sha256).toBe(true);
    // And it migrates as any database does.
    expect((await script('migrate', { DATABASE_URL: restoredUrl, DATA_DIR: restoredDir })).stdout).toContain('is up to date');

    // Not over a database that holds something, not into SQLite, not without the right pg_restore.
    const again = await failureOf(script('restore', { DATABASE_URL: restoredUrl, DATA_DIR: freshDir() }, [archive]));
    expect(again?.code).toBe(1);
    expect(again?.stderr).toContain('is not empty');
    const intoSqlite = await failureOf(script('restore', { DATA_DIR: freshDir() }, [archive]));
    expect(intoSqlite?.stderr).toContain('The archive holds a PostgreSQL dump');
  }, 120_000);

  it('copies a group that keeps writing from one consistent snapshot, and --compare then shows what came after', async () => {
    const t = await buildTestApp();
    try {
      const people = await populate(t.app);
      const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Escrituras durante la copia' });
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          const response = await reply(t.app, people.member, thread.thread.id, `Respuesta ${written}`);
          if (response.id) written += 1;
        }
      })();
      const url = await databases.migrated();
      const file = path.join(t.dataDir, 'concilia.db');
      const report = await copySqliteToPostgres({ sqliteFile: file, url });
      writing = false;
      await writer;
      const copied = report.tables.find((table) => table.name === 'posts')!.rows;
      expect(written).toBeGreaterThan(0);
      expect(Number((await query<{ n: string }>(url, 'select count(*) as n from posts'))[0]!.n)).toBe(copied);
      // A write after the snapshot is not in PostgreSQL: why the cut-over stops writes first.
      await reply(t.app, people.member, thread.thread.id, 'Después de la copia');
      const compared = await compareSqliteWithPostgres({ sqliteFile: file, url });
      const posts = compared.differences.find((line) => line.startsWith('posts: '));
      const [, onSqlite, onPg] = /^posts: (\d+) rows in the SQLite file, (\d+) on PostgreSQL$/.exec(posts ?? '') ?? [];
      expect(Number(onPg)).toBe(copied);
      expect(Number(onSqlite)).toBeGreaterThan(copied);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('says which pg_dump it needs when it finds none', async () => {
    const url = await databases.migrated();
    const empty = freshDir();
    mkdirSync(path.join(empty, 'bin'));
    const failure = await failureOf(script('backup', { DATABASE_URL: url, DATA_DIR: freshDir(), PG_BINDIR: path.join(empty, 'bin') }, [path.join(freshDir(), 'x.tar')]));
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/No pg_dump of PostgreSQL \d+ or newer in PG_BINDIR/);
  }, 60_000);
});
