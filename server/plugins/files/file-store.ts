import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newInstanceId, ownerAlive, parseInstanceId, thisHost } from '../../shared/process-identity.js';

export interface ReceivedFile {
  /** The temporary file holding the upload until it is kept or discarded. */
  tempPath: string;
  sha256: string;
  size: number;
}

export class FileTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than ${Math.round(limitBytes / (1024 * 1024))} MB.`);
  }
}

/**
 * Content-addressed storage under DATA_DIR/files: each content once, at files/ab/cd/<sha256>.
 * Uploads stream to a temporary file first (hashed and counted on the way, never held in memory)
 * and move into place only once accepted; a refused upload leaves nothing behind.
 *
 * Several server processes may share the directory (one machine, or a shared mount for several
 * instances), so:
 * - a kept file is durable and visible to every process before `keep` resolves: the content is
 *   fsynced, renamed into place (atomic), and the directory fsynced. Callers keep the file before
 *   the commit that refers to it, so no acknowledged row ever names a file a crash could lose.
 * - each store receives into a folder of its own, files/tmp/<instance>, and clears (at start and
 *   hourly) only what no live process can still be writing: see removeAbandonedTemporaryFiles.
 *   Clearing all of files/tmp at start, as a lone process may, would cut off the uploads another
 *   live process is receiving.
 */
export class FileStore {
  private readonly root: string;
  private readonly tempRoot: string;
  private readonly tempDir: string;
  /** `<host>~<pid>~<start, base 36>~<random>`: which process receives into a folder, and whether it is still there. */
  readonly instanceId: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'files');
    this.tempRoot = path.join(this.root, 'tmp');
    this.instanceId = newInstanceId();
    this.tempDir = path.join(this.tempRoot, this.instanceId);
    mkdirSync(this.tempDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Streams `source` to a temporary file; throws FileTooLargeError past `limitBytes` (the partial file removed). */
  async receive(source: Readable, limitBytes: number, isTruncated: () => boolean): Promise<ReceivedFile> {
    // Another instance may have judged this folder abandoned (an instance idle past the bound, or
    // the clock of another machine far off): receiving must not depend on it still being there.
    await mkdir(this.tempDir, { recursive: true });
    const tempPath = path.join(this.tempDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limitBytes) return done(new FileTooLargeError(limitBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const sink = createWriteStream(tempPath, { flags: 'wx' });
    try {
      await pipeline(source, measure, sink);
      // The multipart parser stops at its own limit by ending the stream early, not with an error.
      if (isTruncated()) throw new FileTooLargeError(limitBytes);
    } catch (error) {
      // pipeline rejects without waiting for the file to close, and the file's opening may still be
      // under way in the thread pool: removed before it completes, the file would appear after.
      if (!sink.closed) await once(sink, 'close').catch(() => {});
      await rm(tempPath, { force: true });
      throw error;
    }
    return { tempPath, sha256: hash.digest('hex'), size };
  }

  /**
   * Moves a received file into place, or drops it when the same content is already stored. Resolves
   * once the content and its name are on stable storage (see the class comment): only then may a
   * commit refer to it.
   */
  async keep(received: ReceivedFile): Promise<void> {
    const target = this.pathOf(received.sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === received.size) {
      await rm(received.tempPath, { force: true });
      // Another upload (perhaps on another instance) may have renamed it a moment ago and not yet
      // synced its folder: this answer must not come before that content is durable either.
      await syncFile(target);
      await syncFile(path.dirname(target));
      return;
    }
    await syncFile(received.tempPath);
    const created = await mkdir(path.dirname(target), { recursive: true });
    await rename(received.tempPath, target);
    await syncFile(path.dirname(target));
    // New folders (files/ab, files/ab/cd) are entries of their parents, which need syncing too.
    if (created !== undefined) {
      const outermost = path.dirname(created);
      for (let folder = path.dirname(path.dirname(target)); ; folder = path.dirname(folder)) {
        await syncFile(folder);
        if (folder === outermost || folder === path.dirname(folder)) break;
      }
    }
  }

  async discard(received: ReceivedFile): Promise<void> {
    await rm(received.tempPath, { force: true });
  }

  read(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range);
  }

  /** Synchronous on purpose: the caller removes the database row in the same step, with no upload in between. */
  removeSync(sha256: string): void {
    try {
      unlinkSync(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /**
   * Temporary files no upload can still be writing, for the start of the process and the hourly
   * purge: the folders of this host's processes that are gone (however recent: a crash or a kill
   * cut their uploads off), any other folder whose newest entry is older than `staleAfterMs` (an
   * instance on another machine, which this one cannot ask), loose files of that age directly in
   * files/tmp (the layout before per-instance folders), and files of this store's own folder older
   * than that (an upload whose removal failed). A live instance's folder is touched by its own
   * purge every hour (`markAlive`), so it never looks abandoned however idle. Returns the number of
   * files removed.
   */
  removeAbandonedTemporaryFiles(staleAfterMs: number, now = Date.now()): number {
    let removed = 0;
    const host = thisHost();
    for (const name of safeReaddir(this.tempRoot)) {
      const entry = path.join(this.tempRoot, name);
      const info = statSync(entry, { throwIfNoEntry: false });
      if (!info) continue;
      if (!info.isDirectory()) {
        if (now - info.mtimeMs > staleAfterMs) removed += removeCounting(entry);
        continue;
      }
      if (name === this.instanceId) {
        for (const file of safeReaddir(entry)) {
          const full = path.join(entry, file);
          const age = statSync(full, { throwIfNoEntry: false });
          if (age && now - age.mtimeMs > staleAfterMs) removed += removeCounting(full);
        }
        continue;
      }
      const owner = parseInstanceId(name);
      const gone = owner !== null && owner.host === host && !ownerAlive(owner);
      if (gone || now - newestChange(entry, info.mtimeMs) > staleAfterMs) removed += removeCounting(entry);
    }
    return removed;
  }

  /** At a clean stop: this store's temporary folder goes if nothing is left in it (a crash's leftovers stay for the next start). */
  async close(): Promise<void> {
    await rmdir(this.tempDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTEMPTY') throw error;
    });
  }

  /** Touches this store's temporary folder, so that other instances see a live one (see removeAbandonedTemporaryFiles). */
  markAlive(now = new Date()): void {
    mkdirSync(this.tempDir, { recursive: true });
    utimesSync(this.tempDir, now, now);
  }
}

/** The most recent change under a temporary folder: the folder itself or the upload written last. */
function newestChange(folder: string, folderMtimeMs: number): number {
  let newest = folderMtimeMs;
  for (const name of safeReaddir(folder)) {
    const info = statSync(path.join(folder, name), { throwIfNoEntry: false });
    if (info) newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}

function safeReaddir(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Removes a file or a folder with what it holds; the number of files that went. */
function removeCounting(entry: string): number {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info) return 0;
  const count = info.isDirectory() ? safeReaddir(entry).length : 1;
  rmSync(entry, { recursive: true, force: true });
  return count;
}

/** fsync of a file or a folder (a folder's fsync makes the names in it durable, a rename included). */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
