import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Db } from '../db.js';

/**
 * The tables and columns that use stored files: every foreign key to `stored_files`, read from the
 * schema itself. A feature that keeps files (library versions, attachments, later others) declares
 * that foreign key in its tables.ts and nothing more; the purge and the backup then know its files
 * are in use. SQLite's catalogue (pragma_foreign_key_list), hence here, behind a named function.
 */
function fileReferences(sqlite: Database.Database): Array<{ table: string; column: string }> {
  return sqlite
    .prepare<[], { table: string; column: string }>(
      `select m.name as "table", f."from" as "column" from sqlite_schema m join pragma_foreign_key_list(m.name) f
        where m.type = 'table' and f."table" = 'stored_files' order by m.name, f."from"`,
    )
    .all();
}

/** SQL identifiers from the schema, quoted (they are ours, but a quote costs nothing). */
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Stored files and their claims: which content is in use, and removing what no longer is. */
export class StoredFilesRepository {
  private readonly sqlite: Database.Database;
  private readonly statements;

  constructor(db: Db) {
    this.sqlite = db.$client;
    const s = this.sqlite;
    // After the migrations (the db plugin applies them before any other plugin loads): every
    // table that refers to stored files exists by now.
    const inUse = fileReferences(s)
      .map(({ table, column }) => `not exists (select 1 from ${quoted(table)} r where r.${quoted(column)} = f.sha256)`)
      .join(' and ');
    this.statements = {
      claim: s.prepare(
        'insert into stored_files (sha256, size, mime, last_claimed_at) values (?, ?, ?, ?) on conflict (sha256) do update set last_claimed_at = excluded.last_claimed_at',
      ),
      unreferenced: s.prepare<[number], string>(`select f.sha256 from stored_files f where f.last_claimed_at < ?${inUse ? ` and ${inUse}` : ''}`).pluck(),
      deleteFile: s.prepare('delete from stored_files where sha256 = ?'),
      purgeAttachments: s.prepare('delete from attachments where removed_at is not null and removed_at < ?'),
    };
  }

  /** Records that an upload relies on this content now (see storedFiles.lastClaimedAt). */
  claim(file: { sha256: string; size: number; mime: string }, now: Date): void {
    this.statements.claim.run(file.sha256, file.size, file.mime, now.getTime());
  }

  /**
   * Removes attachments removed before `removedBefore` for good, then every stored file nothing
   * refers to any more and no upload claimed within `claimGraceMs`. Synchronous from the query to
   * the last unlink, so no upload of this process can claim a file between the decision and its
   * removal; IMMEDIATE, so that neither can another process's: the decision is made holding the
   * write lock, on the latest commits, and a claim being committed elsewhere is waited for.
   */
  purge(removedBefore: Date, now: Date, claimGraceMs: number, removeFile: (sha256: string) => void): { attachments: number; files: number } {
    return this.sqlite.transaction(() => {
      const { changes } = this.statements.purgeAttachments.run(removedBefore.getTime());
      const unreferenced = this.statements.unreferenced.all(now.getTime() - claimGraceMs);
      for (const sha256 of unreferenced) {
        this.statements.deleteFile.run(sha256);
        removeFile(sha256);
      }
      return { attachments: changes, files: unreferenced.length };
    }).immediate();
  }
}

/**
 * For backups (server/scripts/backup-archive.ts), on a connection of their own. Marks every stored
 * file as just relied on: the purge never removes a file claimed within its grace period, so none a
 * backup's snapshot refers to can disappear while the backup copies it.
 */
export function claimAllStoredFiles(sqlite: Database.Database, now: Date): void {
  sqlite.prepare('update stored_files set last_claimed_at = max(last_claimed_at, ?)').run(now.getTime());
}

/** Every stored file a database refers to (document versions and attachments, removed ones included): what a restore needs. */
export function referencedFileHashes(sqlite: Database.Database): string[] {
  const references = fileReferences(sqlite);
  if (references.length === 0) return [];
  const union = references.map(({ table, column }) => `select ${quoted(column)} from ${quoted(table)}`).join(' union ');
  return sqlite.prepare<[], string>(`${union} order by 1`).pluck().all();
}

/** claimAllStoredFiles on PostgreSQL (backups of a PostgreSQL database, server/scripts/pg-backup.ts). */
export async function pgClaimAllStoredFiles(client: pg.ClientBase, now: Date): Promise<void> {
  await client.query('update stored_files set last_claimed_at = greatest(last_claimed_at, $1)', [now.getTime()]);
}

/** referencedFileHashes on PostgreSQL: the foreign keys to stored_files read from its catalogue. */
export async function pgReferencedFileHashes(client: pg.ClientBase): Promise<string[]> {
  const { rows: references } = await client.query<{ table: string; column: string }>(
    `select c.conrelid::regclass::text as "table", a.attname as "column" from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
      where c.contype = 'f' and c.confrelid = 'stored_files'::regclass order by 1, 2`,
  );
  if (references.length === 0) return [];
  // conrelid::regclass comes quoted when it must be; the column is quoted here.
  const union = references.map(({ table, column }) => `select ${quoted(column)} as sha256 from ${table}`).join(' union ');
  const { rows } = await client.query<{ sha256: string }>(`select sha256 from (${union}) f where sha256 is not null order by sha256 collate "C"`);
  return rows.map((row) => row.sha256);
}
