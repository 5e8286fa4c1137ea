import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the write-ahead log back into the database file from a worker thread, on its own
 * connection, so the request thread never does. SQLite otherwise checkpoints inside whichever
 * commit crosses the threshold: that request waits for megabytes of page copies and syncs, and
 * every request queued behind it waits too (the write p99 went from about 40 to 160 ms).
 * PASSIVE checkpoints never wait for readers or writers; what they cannot copy yet, the next one does.
 * @see https://www.sqlite.org/wal.html#checkpointing
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopped: Promise<void> | null = null;

  constructor(file: string, intervalMs: number, onError: (message: string) => void) {
    // Evaluated source rather than a module file: the same code runs from the TypeScript sources
    // (tests) and from dist/, and the driver is the application's own copy.
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver } });
    this.worker.on('message', (message: { error?: string }) => {
      if (message.error) onError(message.error);
    });
    this.worker.on('error', (error) => onError(String(error)));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
  }

  /** Stops the timer and closes the worker's connection; resolves when the thread has ended. */
  stop(): Promise<void> {
    if (!this.stopped) {
      // Unreferenced while it runs, so it never holds the process open; referenced again while
      // it stops, or the process could end while waiting for it (exit 13, "unsettled await").
      this.worker.ref();
      this.worker.postMessage('stop');
      // If the thread has ended already (an error), exited is settled: nothing to wait for.
      this.stopped = this.exited;
    }
    return this.stopped;
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    if (error.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;
