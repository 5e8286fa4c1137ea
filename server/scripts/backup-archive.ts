import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { claimAllStoredFiles, referencedFileHashes } from '../plugins/files/repository.js';
import { displayUrl } from '../plugins/postgres.js';
import { dumpPostgres, postgresTables, readableDump, restorePostgres } from './pg-backup.js';

/**
 * One archive (tar) holds everything a restore needs: `concilia.db`, a snapshot of the database
 * (on PostgreSQL `concilia.pgdump`, pg_dump's custom format: pg-backup.ts),
 * every file it refers to under `files/ab/cd/<sha256>` as in DATA_DIR, and `manifest.json`.
 *
 * Consistent while the forum runs: stored files are content-addressed and never modified, so a
 * snapshot of the database (VACUUM INTO: one read transaction, which concurrent writers do not
 * restart as they restart the online backup API) followed by a copy of the files it refers to is a
 * consistent pair. Only the purge removes files: before the snapshot every stored file is marked as
 * just claimed, which the purge respects for an hour, and the files are hard-linked into a staging
 * folder within seconds (copied when DATA_DIR/backups is another file system), after which nothing
 * the forum does reaches them.
 */

const FORMAT = 1;
type Engine = 'sqlite' | 'postgresql';
/** The database's entry in the archive: the SQLite file, or pg_dump's custom-format dump. */
const DATABASE_ENTRY: Record<Engine, string> = { sqlite: 'concilia.db', postgresql: 'concilia.pgdump' };
const MANIFEST = 'manifest.json';
const FILE_PATH = /^files\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

interface Manifest {
  format: number;
  /** Absent in the archives written before PostgreSQL: SQLite. */
  engine?: Engine;
  createdAt: string;
  files: number;
  bytes: number;
}

const storedPath = (root: string, sha256: string) => path.join(root, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);

export interface BackupOptions {
  dataDir: string;
  databaseFile: string;
  /** DATABASE_URL: the database is this PostgreSQL one (pg_dump, pg-backup.ts), not the SQLite file. */
  databaseUrl?: string | null;
  /** The archive to write; written beside as `.partial` and renamed once complete. */
  target: string;
  /** Runs right after the database's snapshot (tests use it to put the purge there). */
  afterSnapshot?: () => void | Promise<void>;
}

/** Staging folders of backups cut off (a crash, kill -9) more than a day ago: their links would keep purged files on disk. */
async function removeStaleStaging(backups: string): Promise<void> {
  if (!existsSync(backups)) return;
  for (const name of readdirSync(backups)) {
    const folder = path.join(backups, name);
    if (name.startsWith('.staging-') && Date.now() - statSync(folder).mtimeMs > 24 * 60 * 60 * 1000) await rm(folder, { recursive: true, force: true });
  }
}

/** The SQLite file's snapshot: every stored file claimed, then VACUUM INTO; the files that snapshot refers to. */
function snapshotSqlite(databaseFile: string, file: string): string[] {
  const live = new Database(databaseFile, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    claimAllStoredFiles(live, new Date());
    live.prepare('VACUUM INTO ?').run(file);
  } finally {
    live.close();
  }
  const snapshot = new Database(file, { readonly: true });
  try {
    return referencedFileHashes(snapshot);
  } finally {
    snapshot.close();
  }
}

export async function createBackup(options: BackupOptions): Promise<{ files: number; bytes: number }> {
  await removeStaleStaging(path.join(options.dataDir, 'backups'));
  const staging = path.join(options.dataDir, 'backups', `.staging-${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  const partial = `${options.target}.partial`;
  const engine: Engine = options.databaseUrl ? 'postgresql' : 'sqlite';
  const entry = DATABASE_ENTRY[engine];
  try {
    const hashes = options.databaseUrl ? await dumpPostgres(options.databaseUrl, path.join(staging, entry)) : snapshotSqlite(options.databaseFile, path.join(staging, entry));
    await options.afterSnapshot?.();

    let bytes = 0;
    for (const sha256 of hashes) {
      const source = storedPath(options.dataDir, sha256);
      const copy = storedPath(staging, sha256);
      await mkdir(path.dirname(copy), { recursive: true });
      try {
        await link(source, copy);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new Error(`The database refers to the file ${sha256}, which is missing from ${path.join(options.dataDir, 'files')}: the backup would be incomplete.`);
        if (code !== 'EXDEV' && code !== 'EPERM') throw error;
        await copyFile(source, copy);
      }
      bytes += statSync(copy).size;
    }
    await writeFile(path.join(staging, MANIFEST), JSON.stringify({ format: FORMAT, engine, createdAt: new Date().toISOString(), files: hashes.length, bytes } satisfies Manifest, null, 2));

    await mkdir(path.dirname(options.target), { recursive: true });
    await tar.create({ file: partial, cwd: staging, portable: true }, [MANIFEST, entry, ...(hashes.length > 0 ? ['files'] : [])]);
    await rename(partial, options.target);
    return { files: hashes.length, bytes };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

export class RestoreRefused extends Error {}

/** True when the folder holds a forum: a database, or any file under files/ (empty folders aside). */
function holdsForum(dataDir: string, databaseFile: string | null): boolean {
  if (databaseFile !== null && ['', '-wal', '-shm'].some((suffix) => existsSync(`${databaseFile}${suffix}`))) return true;
  const anyFile = (dir: string): boolean => existsSync(dir) && readdirSync(dir, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? anyFile(path.join(dir, entry.name)) : true));
  return anyFile(path.join(dataDir, 'files'));
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface RestoreOptions {
  dataDir: string;
  databaseFile: string;
  /** DATABASE_URL: restore the archive's PostgreSQL dump into this database, which must be empty (pg-backup.ts). */
  databaseUrl?: string | null;
  archive: string;
  /** Restore over a folder that holds a forum, moving its database and files aside first (the files only, on PostgreSQL). */
  force?: boolean;
}

/**
 * Restores an archive of createBackup into DATA_DIR, with the server stopped. Everything is checked
 * before anything is moved into place: only the archive's own entries, every file's content against
 * its SHA-256 name, the database's integrity, and a file for everything the database refers to. A
 * folder that holds a forum is refused unless `force`, and then its database and files are moved to
 * DATA_DIR/before-restore-<time>/, never deleted. Pending migrations are applied at the next start.
 * On PostgreSQL the database must be empty (no --force for it: a new one is one `createdb` away); its
 * dump is restored by pg_restore in one transaction, before the files are moved into place.
 */
export async function restoreBackup(options: RestoreOptions): Promise<{ files: number; movedAside: string | null }> {
  const { dataDir, databaseFile } = options;
  const engine: Engine = options.databaseUrl ? 'postgresql' : 'sqlite';
  if (options.databaseUrl) {
    const tables = await postgresTables(options.databaseUrl);
    if (tables.length > 0) throw new RestoreRefused(`The PostgreSQL database ${displayUrl(options.databaseUrl)} is not empty (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? '...' : ''}): restore into a new, empty database (createdb).`);
  }
  await mkdir(dataDir, { recursive: true });
  const occupied = holdsForum(dataDir, engine === 'sqlite' ? databaseFile : null);
  if (occupied && !options.force) {
    throw new RestoreRefused(`${dataDir} is not empty: it holds a forum (its database or stored files). Restore into an empty DATA_DIR, or add --force to move what is there aside first.`);
  }
  const staging = path.join(dataDir, `.restore-${randomUUID()}`);
  await mkdir(staging);
  try {
    const unexpected: string[] = [];
    await tar.extract({
      file: options.archive,
      cwd: staging,
      strict: true,
      filter: (entryPath, entry) => {
        const name = entryPath.replace(/\/$/, '');
        const ok = name === MANIFEST || Object.values(DATABASE_ENTRY).includes(name) || name === 'files' || /^files\/[0-9a-f]{2}(\/[0-9a-f]{2})?$/.test(name) || FILE_PATH.test(name);
        const kind = 'type' in entry ? entry.type : 'File';
        if (!ok || (kind !== 'File' && kind !== 'Directory')) unexpected.push(entryPath);
        return ok && (kind === 'File' || kind === 'Directory');
      },
    });
    if (unexpected.length > 0) throw new RestoreRefused(`The archive holds entries a backup never has: ${unexpected.slice(0, 5).join(', ')}.`);
    if (!existsSync(path.join(staging, MANIFEST))) throw new RestoreRefused('The archive is not a Concilia backup: it has no manifest.json.');
    const manifest = JSON.parse(await readFile(path.join(staging, MANIFEST), 'utf8')) as Manifest;
    if (manifest.format !== FORMAT) throw new RestoreRefused(`The archive is a backup of format ${manifest.format}; this version restores format ${FORMAT}.`);
    const archived = manifest.engine ?? 'sqlite';
    if (archived !== engine) {
      throw new RestoreRefused(
        archived === 'sqlite'
          ? 'The archive holds a SQLite database and DATABASE_URL names a PostgreSQL one: restore it with DATABASE_URL unset, then move it with npm run copy-to-postgres.'
          : 'The archive holds a PostgreSQL dump: set DATABASE_URL to an empty PostgreSQL database to restore it.',
      );
    }
    const dump = path.join(staging, DATABASE_ENTRY[engine]);
    if (!existsSync(dump)) throw new RestoreRefused(`The archive is not a Concilia backup: it has no ${DATABASE_ENTRY[engine]}.`);

    const stored: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else stored.push(path.relative(staging, path.join(dir, entry.name)).split(path.sep).join('/'));
      }
    };
    walk(path.join(staging, 'files'));
    const damaged: string[] = [];
    for (const name of stored) {
      const [, ab, cd, sha256] = FILE_PATH.exec(name)!;
      if (ab !== sha256!.slice(0, 2) || cd !== sha256!.slice(2, 4) || (await sha256Of(path.join(staging, name))) !== sha256) damaged.push(sha256!);
    }
    if (damaged.length > 0) throw new RestoreRefused(`The archive is damaged: the content of ${damaged.length} file(s) does not match its checksum (${damaged.slice(0, 5).join(', ')}).`);

    if (options.databaseUrl) {
      // A dump cannot be queried before it is restored: the manifest counts the files it refers to (the backup archives exactly those), each checked above.
      if (!(await readableDump(options.databaseUrl, dump))) throw new RestoreRefused("The archive's PostgreSQL dump is damaged: pg_restore cannot read it.");
      if (stored.length !== manifest.files) throw new RestoreRefused(`The archive is incomplete: it holds ${stored.length} of the ${manifest.files} files the database refers to.`);
    } else {
      const database = new Database(dump, { readonly: true });
      let missing: string[];
      try {
        const integrity = database.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') throw new RestoreRefused(`The archive's database is damaged: ${String(integrity)}.`);
        const present = new Set(stored.map((name) => name.slice(-64)));
        missing = referencedFileHashes(database).filter((sha256) => !present.has(sha256));
      } finally {
        database.close();
      }
      if (missing.length > 0) throw new RestoreRefused(`The archive is incomplete: ${missing.length} file(s) the database refers to are not in it (${missing.slice(0, 5).join(', ')}).`);
    }

    // All of the dump or none of it, before a file moves: a failure here leaves DATA_DIR as it was.
    if (options.databaseUrl) await restorePostgres(options.databaseUrl, dump);
    let movedAside: string | null = null;
    if (occupied) {
      movedAside = path.join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await mkdir(movedAside);
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(`${databaseFile}${suffix}`)) await rename(`${databaseFile}${suffix}`, path.join(movedAside, `${path.basename(databaseFile)}${suffix}`));
      }
      if (existsSync(path.join(dataDir, 'files'))) await rename(path.join(dataDir, 'files'), path.join(movedAside, 'files'));
    } else {
      // Only empty folders (a fresh server's files/tmp) can be there.
      await rm(path.join(dataDir, 'files'), { recursive: true, force: true });
    }
    if (engine === 'sqlite') await rename(dump, databaseFile);
    if (existsSync(path.join(staging, 'files'))) await rename(path.join(staging, 'files'), path.join(dataDir, 'files'));
    else await mkdir(path.join(dataDir, 'files'));
    return { files: stored.length, movedAside };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
