import type Sqlite from 'better-sqlite3';
import type pg from 'pg';
import type { Database } from '../database.js';

/**
 * The tables and columns that use stored files: every foreign key to `stored_files`, read from the
 * schema itself. A feature that keeps files (library versions, attachments, later others) declares
 * that foreign key in its tables.ts and nothing more; the purge and the backup then know its files
 * are in use. Each engine's catalogue: SQLite's pragma_foreign_key_list, PostgreSQL's pg_constraint.
 */
const FILE_REFERENCES = {
  sqlite: `select m.name as "table", f."from" as "column" from sqlite_schema m join pragma_foreign_key_list(m.name) f
            where m.type = 'table' and f."table" = 'stored_files' order by m.name, f."from"`,
  postgres: `select t.relname as "table", a.attname as "column" from pg_constraint c
               join pg_class t on t.oid = c.conrelid
               join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
              where c.contype = 'f' and c.confrelid = 'stored_files'::regclass order by 1, 2`,
};

type FileReference = { table: string; column: string };

function fileReferences(sqlite: Sqlite.Database): FileReference[] {
  return sqlite.prepare<[], FileReference>(FILE_REFERENCES.sqlite).all();
}

/** SQL identifiers from the schema, quoted (they are ours, but a quote costs nothing). */
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Stored files and their claims: which content is in use, and removing what no longer is. */
export class StoredFilesRepository {
  private constructor(private readonly statements: ReturnType<typeof prepare>) {}

  /**
   * After the migrations (the db plugin applies them before any other plugin loads): every table
   * that refers to stored files exists by now, and the purge's statement names them all.
   */
  static async open(database: Database): Promise<StoredFilesRepository> {
    const references = await database.statement<[], FileReference>(FILE_REFERENCES).all();
    return new StoredFilesRepository(prepare(database, references));
  }

  /** Records that an upload relies on this content now (see storedFiles.lastClaimedAt). */
  async claim(file: { sha256: string; size: number; mime: string }, now: Date): Promise<void> {
    await this.statements.claim.run(file.sha256, file.size, file.mime, now.getTime());
  }

  /**
   * Removes attachments removed before `removedBefore` for good, then every stored file nothing
   * refers to any more and no upload claimed within `claimGraceMs`, each file unlinked as its row
   * goes. Run inside a unit of work, whose transaction holds the decision and the removals
   * together: on SQLite an IMMEDIATE one, so no claim of this process or another can come between
   * the decision and a removal. A row is deleted only if it is still unclaimed as it goes (a claim
   * committed meanwhile on PostgreSQL keeps it), and its file is unlinked only then.
   */
  async purge(removedBefore: Date, now: Date, claimGraceMs: number, removeFile: (sha256: string) => void): Promise<{ attachments: number; files: number }> {
    const attachments = await this.statements.purgeAttachments.run(removedBefore.getTime());
    const claimedBefore = now.getTime() - claimGraceMs;
    let files = 0;
    for (const { sha256 } of await this.statements.unreferenced.all(claimedBefore)) {
      if ((await this.statements.deleteFile.run(sha256, claimedBefore)) === 0) continue;
      removeFile(sha256);
      files += 1;
    }
    return { attachments, files };
  }
}

function prepare(database: Database, references: FileReference[]) {
  const inUse = references.map(({ table, column }) => `not exists (select 1 from ${quoted(table)} r where r.${quoted(column)} = f.sha256)`).join(' and ');
  return {
    claim: database.statement<[string, number, string, number]>(
      'insert into stored_files (sha256, size, mime, last_claimed_at) values (?, ?, ?, ?) on conflict (sha256) do update set last_claimed_at = excluded.last_claimed_at',
    ),
    unreferenced: database.statement<[number], { sha256: string }>(`select f.sha256 from stored_files f where f.last_claimed_at < ?${inUse ? ` and ${inUse}` : ''}`),
    deleteFile: database.statement<[string, number]>('delete from stored_files where sha256 = ? and last_claimed_at < ?'),
    purgeAttachments: database.statement<[number]>('delete from attachments where removed_at is not null and removed_at < ?'),
  };
}

/**
 * For backups (server/scripts/backup-archive.ts), on a connection of their own. Marks every stored
 * file as just relied on: the purge never removes a file claimed within its grace period, so none a
 * backup's snapshot refers to can disappear while the backup copies it.
 */
export function claimAllStoredFiles(sqlite: Sqlite.Database, now: Date): void {
  sqlite.prepare('update stored_files set last_claimed_at = max(last_claimed_at, ?)').run(now.getTime());
}

/** Every stored file a database refers to (document versions and attachments, removed ones included): what a restore needs. */
export function referencedFileHashes(sqlite: Sqlite.Database): string[] {
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
