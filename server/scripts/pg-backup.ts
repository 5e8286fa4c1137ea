import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { pgClaimAllStoredFiles, pgReferencedFileHashes } from '../plugins/files/repository.js';
import { pgClientProgram } from '../shared/pg-binaries.js';

/**
 * The PostgreSQL side of `npm run backup` and `npm run restore` (backup-archive.ts holds the rest:
 * the stored files, the manifest, the archive): pg_dump's custom format, without owners, and
 * pg_restore into an empty database.
 *
 * Consistent as the SQLite backup is: every stored file is claimed first (the purge then spares
 * them), and the dump and the list of files it refers to are read from one snapshot, which a
 * repeatable-read transaction exports to pg_dump (`--snapshot`).
 */

const run = promisify(execFile);

/** The URL without its password, and the password for PGPASSWORD: an argument shows in `ps` to every user of the machine. */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.href, env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

async function serverMajor(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: string }>("select current_setting('server_version_num') as version");
  return Math.floor(Number(rows[0]!.version) / 10_000);
}

/** Dumps the database to `file`; returns the stored files the dump refers to. */
export async function dumpPostgres(url: string, file: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pgDump = pgClientProgram('pg_dump', await serverMajor(client));
    await pgClaimAllStoredFiles(client, new Date());
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
    const { dbname, env } = connection(url);
    await run(pgDump, ['--format=custom', '--no-owner', `--snapshot=${rows[0]!.snapshot}`, `--file=${file}`, `--dbname=${dbname}`], { env, maxBuffer: 16 * 1024 * 1024 });
    const hashes = await pgReferencedFileHashes(client);
    await client.query('commit');
    return hashes;
  } finally {
    await client.end();
  }
}

/** The tables of the database (its schema, drizzle's journal), or none: what a restore needs to find. */
export async function postgresTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** pg_restore for the database's server (its major version or newer). */
async function pgRestoreFor(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return pgClientProgram('pg_restore', await serverMajor(client));
  } finally {
    await client.end();
  }
}

/** pg_restore of a dump into the (empty) database, in one transaction: all of it, or nothing on the first error. */
export async function restorePostgres(url: string, file: string): Promise<void> {
  const pgRestore = await pgRestoreFor(url);
  const { dbname, env } = connection(url);
  // --no-owner, --no-privileges: the restoring role owns everything, whatever roles the source had.
  await run(pgRestore, ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file], { env, maxBuffer: 16 * 1024 * 1024 });
}

/** Whether pg_restore can read the file as a dump (its table of contents), without restoring anything. */
export async function readableDump(url: string, file: string): Promise<boolean> {
  const pgRestore = await pgRestoreFor(url);
  try {
    await run(pgRestore, ['--list', file], { maxBuffer: 64 * 1024 * 1024 });
    return true;
  } catch {
    return false;
  }
}
