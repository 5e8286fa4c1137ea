import type Database from 'better-sqlite3';

import type { PendingCommit, UnitOfWork } from './unit-of-work.js';

export type { PendingCommit } from './unit-of-work.js';

interface Waiting {
  work: (commit: PendingCommit) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** SAVEPOINT, RELEASE and ROLLBACK TO, prepared once: a post opens two or three savepoints, and building a better-sqlite3 transaction wrapper for each cost more than the statements. */
interface SavepointStatements {
  database: Database.Database;
  open: Database.Statement;
  release: Database.Statement;
  rollback: Database.Statement;
}

class PieceActions implements PendingCommit {
  readonly committed: Array<() => void> = [];
  readonly rolledBack: Array<() => void> = [];

  constructor(
    private readonly statements: SavepointStatements,
    private readonly runActions: (actions: Array<() => void>) => void,
  ) {}

  afterCommit(action: () => void): void {
    this.committed.push(action);
  }

  afterRollback(action: () => void): void {
    this.rolledBack.push(action);
  }

  savepoint<T>(work: (commit: PendingCommit) => T): T {
    const inner = new PieceActions(this.statements, this.runActions);
    let result: T;
    // Savepoints of one name nest: RELEASE and ROLLBACK TO act on the innermost.
    this.statements.open.run();
    try {
      result = work(inner);
    } catch (error) {
      // Some errors (a full disk) end the whole transaction by themselves: nothing left to undo here.
      if (this.statements.database.inTransaction) {
        this.statements.rollback.run();
        this.statements.release.run();
      }
      this.runActions(inner.rolledBack);
      throw error;
    }
    this.statements.release.run();
    this.committed.push(...inner.committed);
    this.rolledBack.push(...inner.rolledBack);
    return result;
  }
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
export class GroupCommit implements UnitOfWork {
  private pending: Waiting[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  /** True from a commit until the code it resumed has run as far as it can without waiting. */
  private settling = false;

  private readonly savepoints: SavepointStatements;

  constructor(
    private readonly sqlite: Database.Database,
    /** Told when an after-commit or after-rollback action throws: the data is committed by then. */
    private readonly onActionError: (error: unknown) => void = () => {},
  ) {
    this.savepoints = { database: sqlite, open: sqlite.prepare('savepoint piece'), release: sqlite.prepare('release piece'), rollback: sqlite.prepare('rollback to piece') };
  }

  run<T>(work: (commit: PendingCommit) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= MAX_BATCH) this.commit();
      // Submitted by code a commit just resumed (what a request writes after its first write): committed
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
    const actions = batch.map(() => new PieceActions(this.savepoints, (list) => this.runActions(list)));
    try {
      this.sqlite
        .transaction(() => {
          let ended: unknown = null;
          batch.forEach(({ work }, i) => {
            // An error that ended the whole transaction (a full disk) fails the pieces after it too,
            // rather than letting them run outside any transaction.
            if (ended !== null) {
              outcomes.push({ ok: false, error: ended });
              return;
            }
            try {
              outcomes.push({ ok: true, value: actions[i]!.savepoint(work) });
            } catch (error) {
              outcomes.push({ ok: false, error });
              if (!this.sqlite.inTransaction) ended = error;
            }
          });
          if (ended !== null) throw ended;
        })
        .immediate();
    } catch (error) {
      // The commit itself failed: every piece fails, and what they submit next waits for a turn.
      this.settling = false;
      batch.forEach((waiting, i) => {
        // (A piece that failed on its own has already undone its actions.)
        this.runActions(actions[i]!.rolledBack);
        waiting.reject(error);
      });
      return;
    }
    batch.forEach((_, i) => {
      if (outcomes[i]!.ok) this.runActions(actions[i]!.committed);
    });
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

  private runActions(list: Array<() => void>): void {
    for (const action of list) {
      try {
        action();
      } catch (error) {
        this.onActionError(error);
      }
    }
  }

  private endSettling(): void {
    if (this.pending.length > 0) this.commit();
    else this.settling = false;
  }
}
