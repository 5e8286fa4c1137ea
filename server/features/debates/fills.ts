import type { PendingCommit } from '../../plugins/unit-of-work.js';

/**
 * The reads that fill one of the repository's in-memory caches, now that a read is awaited. A
 * write that forgets an entry (or changes it in place) while a read of it is under way would
 * otherwise see that read put back what it read before the write: on SQLite the statement ran
 * when it was called, on PostgreSQL it may run later still, and either way it is older than the
 * write. So a read keeps its answer only if no write forgot its key meanwhile (its caller still
 * gets the answer), and misses of one key at the same time share one read.
 *
 * A write inside a unit of work holds its key until the work commits or rolls back: on PostgreSQL
 * a read outside that transaction sees the row as it was until the commit, so what it reads in
 * between is not kept either (on SQLite the one connection sees the write at once, and the hold
 * only delays keeping until the same turn's commit).
 */
export class Fills<K, V> {
  private readonly reading = new Map<K, Promise<V>>();
  /** Keys a write not yet committed forgot, with how many such writes. */
  private readonly held = new Map<K, number>();
  /** Writes not yet committed that forgot every key. */
  private heldAll = 0;

  constructor(
    private readonly read: (key: K) => Promise<V>,
    private readonly keep: (key: K, value: V) => void,
  ) {}

  /** The key's value, read (or joined to the read under way) and kept if nothing forgot it meanwhile. */
  of(key: K): Promise<V> {
    const underWay = this.reading.get(key);
    if (underWay) return underWay;
    const reading: Promise<V> = this.read(key).then(
      (value) => {
        if (this.reading.get(key) === reading) {
          this.reading.delete(key);
          if (this.heldAll === 0 && !this.held.has(key)) this.keep(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.reading.get(key) === reading) this.reading.delete(key);
        throw error;
      },
    );
    this.reading.set(key, reading);
    return reading;
  }

  /** A write changed what the key's reads under way read: they keep nothing, nor do reads until its commit. */
  forget(key: K, commit?: PendingCommit): void {
    this.reading.delete(key);
    if (commit === undefined) return;
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
    this.releaseWith(commit, () => {
      const count = this.held.get(key)! - 1;
      if (count === 0) this.held.delete(key);
      else this.held.set(key, count);
      this.reading.delete(key);
    });
  }

  forgetAll(commit?: PendingCommit): void {
    this.reading.clear();
    if (commit === undefined) return;
    this.heldAll += 1;
    this.releaseWith(commit, () => {
      this.heldAll -= 1;
      this.reading.clear();
    });
  }

  /** Once, when the commit is durable or undone: the reads under way then began before it. */
  private releaseWith(commit: PendingCommit, release: () => void): void {
    let released = false;
    const once = () => {
      if (released) return;
      released = true;
      release();
    };
    commit.afterCommit(once);
    commit.afterRollback(once);
  }
}
