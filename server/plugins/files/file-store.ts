import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, unlinkSync, type ReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
 * Uploads stream to files/tmp first (hashed and counted on the way, never held in memory) and move
 * into place only once accepted; a refused upload leaves nothing behind.
 */
export class FileStore {
  private readonly root: string;
  private readonly tempDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'files');
    this.tempDir = path.join(this.root, 'tmp');
    mkdirSync(this.tempDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Streams `source` to a temporary file; throws FileTooLargeError past `limitBytes` (the partial file removed). */
  async receive(source: Readable, limitBytes: number, isTruncated: () => boolean): Promise<ReceivedFile> {
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

  /** Moves a received file into place, or drops it when the same content is already stored. */
  async keep(received: ReceivedFile): Promise<void> {
    const target = this.pathOf(received.sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === received.size) {
      await rm(received.tempPath, { force: true });
      return;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    await rename(received.tempPath, target);
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
   * Every temporary file, for the start of the process: before it listens no upload can be under
   * way, so each one is an upload a crash or a kill cut off (the hourly purge would wait a day).
   */
  removeAllTemporaryFiles(): number {
    return this.removeStaleTemporaryFiles(-1);
  }

  /** Temporary files older than `maxAgeMs`: uploads cut off by a crash. */
  removeStaleTemporaryFiles(maxAgeMs: number, now = Date.now()): number {
    let removed = 0;
    for (const name of readdirSync(this.tempDir)) {
      const file = path.join(this.tempDir, name);
      if (now - statSync(file).mtimeMs > maxAgeMs) {
        rmSync(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
