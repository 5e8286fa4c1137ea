import type Database from 'better-sqlite3';

interface Waiting {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Past this many pieces of work, a batch commits at once rather than at the end of the turn. */
const MAX_BATCH = 256;

/**
 * Group commit. Writes submitted during one turn of the event loop (concurrent requests: several
 * people posting at once, the live events and notifications each post produces) run at the end of
 * the turn in one IMMEDIATE transaction, each in its own savepoint. A commit costs the same for
 * one row as for fifty, and on a busy forum it was the largest single cost of a post.
 *
 * Each piece resolves with its own result, or rejects with its own error (its savepoint rolled
 * back, the others unaffected), once the whole batch is committed; pieces run, and their promises
 * settle, in the order they were submitted. Work must be synchronous (better-sqlite3 is).
 */
export class GroupCommit {
  private pending: Waiting[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  /** True from a commit until the code it resumed has run as far as it can without waiting. */
  private settling = false;

  constructor(private readonly sqlite: Database.Database) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= MAX_BATCH) this.commit();
      // Submitted by code a commit just resumed (a post's live events, after the post): committed
      // as soon as that code has gone as far as it can, in this same turn (see commit()).
      else if (!this.settling) this.scheduled ??= setImmediate(() => this.commit());
    });
  }

  /** Commits what waits now (the end of the turn, a full batch, or shutdown). */
  commit(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.sqlite
        .transaction(() => {
          for (const { work } of batch) {
            try {
              // A nested better-sqlite3 transaction is a savepoint.
              outcomes.push({ ok: true, value: this.sqlite.transaction(work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed: every piece fails, and what they submit next waits for a turn.
      this.settling = false;
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    this.settling = true;
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
    // The resolved callers continue as microtasks. A microtask queued now runs after their first
    // steps, and the tick it queues runs once the whole microtask queue is empty: by then every
    // caller has submitted what it will submit without waiting on I/O. That work commits then,
    // instead of a whole turn later, behind every request that arrived in between.
    queueMicrotask(() => process.nextTick(() => this.endSettling()));
  }

  private endSettling(): void {
    if (this.pending.length > 0) this.commit();
    else this.settling = false;
  }
}
