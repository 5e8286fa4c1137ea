import type Database from 'better-sqlite3';

import { runEachAction, Savepoints, type SavepointStatements } from './savepoints.js';
import { AsynchronousPieceRefused, isThenable, type PendingCommit, type UnitOfWork } from './unit-of-work.js';

export type { PendingCommit } from './unit-of-work.js';

interface Waiting {
  work: (commit: PendingCommit) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The transaction and savepoint statements, prepared once: a post opens two or three savepoints,
 * and building a better-sqlite3 transaction wrapper for each cost more than the statements. The
 * batch's own BEGIN and COMMIT are explicit too, because better-sqlite3's wrapper commits when its
 * function returns and so cannot wait for an asynchronous piece.
 */
interface Statements {
  begin: Database.Statement;
  commit: Database.Statement;
  rollback: Database.Statement;
  /** Savepoints of one name nest: RELEASE and ROLLBACK TO act on the innermost, which is the one meant. */
  savepoints: SavepointStatements<Level>;
}

/**
 * What a level of a piece stands on: a savepoint, or (the outermost level of a batch's lone piece)
 * the batch's transaction itself.
 */
type Level = 'savepoint' | 'transaction';

/** One piece of a batch: its savepoints. */
type Piece = Savepoints<Level>;

/** A batch from its BEGIN to its COMMIT. */
interface Batch {
  waiting: Waiting[];
  /** One piece alone, run in the batch's transaction without a savepoint: its failure rolls the batch back. */
  lone: boolean;
  pieces: Piece[];
  outcomes: Outcome[];
  /** An error that ended the whole transaction (a full disk), or null. */
  ended: unknown;
}

/** Past this many pieces of work, a batch commits at once rather than at the end of the turn. */
const MAX_BATCH = 256;

/**
 * Group commit. Writes submitted during one turn of the event loop (concurrent requests: several
 * people posting at once, the live events and notifications each post produces) run at the end of
 * the turn in one IMMEDIATE transaction, each in its own savepoint (a piece alone in its batch
 * runs in the transaction itself, see loneSavepoints). A commit costs the same for one row as for
 * fifty, and on a busy forum it was the largest single cost of a post.
 *
 * Each piece resolves with its own result, or rejects with its own error (its savepoint rolled
 * back, the others unaffected), once the whole batch is committed; pieces run, and their promises
 * settle, in the order they were submitted.
 *
 * A synchronous piece runs start to end inside the loop, and a batch of them runs, commits and
 * settles in one call, as it always has. An asynchronous piece (it returns a promise) is awaited
 * in its turn with the transaction open, and the pieces after it wait for it. That is safe only if
 * it settles before the event loop moves on, so that is the rule, enforced in every environment:
 * once the promise queue has run dry (a `process.nextTick` queued from that queue runs only then),
 * a piece still pending is refused with `AsynchronousPieceRefused`, its savepoint rolled back and
 * its after-rollback actions run, and the batch goes on. A piece waiting for a file or the network
 * would otherwise hold the write lock across turns, keeping other processes' writes out, and other
 * requests' reads on this one connection would see its uncommitted writes. (A `setImmediate`
 * sentinel would not do: I/O that completes in the loop's poll phase runs before it.) So a batch
 * ends within the turn it started in, whatever its pieces do.
 *
 * What the rule leaves: while an asynchronous piece settles, code already queued in that turn
 * (`process.nextTick` callbacks of the callers a batch just resumed) may run, and a read of theirs
 * sees the open batch's writes. And a refused piece's own code resumes later, outside the batch:
 * its savepoints refuse it, but a statement it runs on the connection directly runs in whatever
 * transaction is open then, or none. The refusal fails the request loudly the first time such a
 * piece runs, in tests as in production, so it is fixed where it is written.
 */
export class GroupCommit implements UnitOfWork {
  private pending: Waiting[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  /** True from a commit until the code it resumed has run as far as it can without waiting. */
  private settling = false;
  /** The batch whose transaction is open: only ever seen by code that runs while an asynchronous piece settles. */
  private openBatch: Batch | null = null;
  private idleWaiters: Array<() => void> = [];

  private readonly statements: Statements;
  private readonly runActionList = (list: Array<() => void>) => this.runActions(list);

  constructor(
    private readonly sqlite: Database.Database,
    /** Told when an after-commit or after-rollback action throws: the data is committed by then. */
    private readonly onActionError: (error: unknown) => void = () => {},
  ) {
    const open = sqlite.prepare('savepoint piece');
    const release = sqlite.prepare('release piece');
    const rollbackTo = sqlite.prepare('rollback to piece');
    this.statements = {
      begin: sqlite.prepare('begin immediate'),
      commit: sqlite.prepare('commit'),
      rollback: sqlite.prepare('rollback'),
      savepoints: {
        open: () => {
          open.run();
          return 'savepoint';
        },
        release: () => {
          release.run();
        },
        undo: () => {
          // Some errors (a full disk) end the whole transaction by themselves: nothing left to undo then.
          if (!sqlite.inTransaction) return;
          rollbackTo.run();
          release.run();
        },
      },
    };
  }

  /**
   * The savepoints of a batch's lone piece: its own level is the batch's transaction (undone by
   * ROLLBACK), the savepoints it opens inside are real ones. A lone piece needs no savepoint of its
   * own, since there is nothing else in the batch its failure must spare; and SQLite keeps the
   * journal of a savepoint's changed pages in memory (temp_store = MEMORY) until it is released,
   * which a large piece pays for: a discrepancy import replacing a 50,000-value release grew the
   * server's RSS by 246 MB inside a savepoint, 25 to 37 MB without
   * (bench/discrepancy-replace-memory.ts).
   */
  private loneSavepoints(): SavepointStatements<Level> {
    const { savepoints, rollback } = this.statements;
    let outermostOpen = false;
    return {
      open: () => {
        if (outermostOpen) return savepoints.open();
        outermostOpen = true;
        return 'transaction';
      },
      release: (level) => {
        if (level === 'transaction') outermostOpen = false;
        else savepoints.release(level);
      },
      undo: (level) => {
        if (level === 'savepoint') return savepoints.undo(level);
        outermostOpen = false;
        if (this.sqlite.inTransaction) rollback.run();
      },
    };
  }

  run<T>(work: (commit: PendingCommit) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= MAX_BATCH) this.commit();
      // Submitted by code a commit just resumed (what a request writes after its first write): committed
      // as soon as that code has gone as far as it can, in this same turn (see finish()).
      else if (!this.settling) this.scheduled ??= setImmediate(() => this.commit());
    });
  }

  /** Commits what waits now (the end of the turn, a full batch, or shutdown). */
  commit(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.pending.length === 0) return;
    if (this.openBatch !== null || this.sqlite.inTransaction) {
      // Called while a batch is open (by a piece, or beside an asynchronous one) or inside another
      // transaction on the connection: a batch started now would nest in it and report commits it
      // has not made. What waits goes at the end of the turn.
      this.scheduled = setImmediate(() => this.commit());
      return;
    }
    const waiting = this.pending;
    this.pending = [];
    const lone = waiting.length === 1;
    const batch: Batch = {
      waiting,
      lone,
      pieces: waiting.map(() => new Savepoints(lone ? this.loneSavepoints() : this.statements.savepoints, this.runActionList)),
      outcomes: [],
      ended: null,
    };
    try {
      this.statements.begin.run();
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    this.openBatch = batch;
    this.runFrom(batch, 0);
  }

  /** Resolves once no batch is open (at once, unless an asynchronous piece is settling): what shutdown awaits before closing the connection. */
  idle(): Promise<void> {
    if (this.openBatch === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Runs the batch's pieces from `from` on; an asynchronous one continues the loop once it has settled or been refused. */
  private runFrom(batch: Batch, from: number): void {
    const { waiting, pieces, outcomes } = batch;
    for (let i = from; i < waiting.length; i += 1) {
      // An error that ended the whole transaction (a full disk) fails the pieces after it too,
      // rather than letting them run outside any transaction.
      if (batch.ended !== null) {
        outcomes.push({ ok: false, error: batch.ended });
        continue;
      }
      let value: unknown;
      try {
        value = pieces[i]!.root.savepoint(waiting[i]!.work);
      } catch (error) {
        outcomes.push({ ok: false, error });
        if (!batch.lone && !this.sqlite.inTransaction) batch.ended = error;
        continue;
      }
      if (isThenable(value)) {
        this.awaitPiece(batch, i, value);
        return;
      }
      outcomes.push({ ok: true, value });
    }
    this.finish(batch);
  }

  /** Waits for an asynchronous piece, or refuses it once the promise queue has run dry; then the batch goes on. */
  private awaitPiece(batch: Batch, index: number, promise: PromiseLike<unknown>): void {
    let done = false;
    const next = (outcome: Outcome) => {
      done = true;
      batch.outcomes.push(outcome);
      if (!outcome.ok && !batch.lone && !this.sqlite.inTransaction) batch.ended = outcome.error;
      this.runFrom(batch, index + 1);
    };
    promise.then(
      (value) => {
        if (!done) next({ ok: true, value });
      },
      (error: unknown) => {
        if (!done) next({ ok: false, error });
      },
    );
    // The microtask runs among the piece's own continuations; the tick it queues, only once the
    // whole promise queue is empty: a piece still pending then waits for something else.
    queueMicrotask(() =>
      process.nextTick(() => {
        if (done) return;
        const refusal = new AsynchronousPieceRefused();
        try {
          batch.pieces[index]!.refuse(refusal);
        } catch (error) {
          // Its writes could not be rolled back: they must not commit with the others.
          batch.ended ??= error;
        }
        next({ ok: false, error: refusal });
      }),
    );
  }

  /** Commits the batch, runs the committed pieces' actions, then settles every piece in order. */
  private finish(batch: Batch): void {
    // A lone piece that failed was undone by rolling the batch back (its level is the transaction),
    // unless an error had ended the transaction already: nothing to commit, its own error its outcome.
    const undone = batch.lone && !batch.outcomes[0]!.ok;
    try {
      if (batch.ended !== null) throw batch.ended;
      if (!undone) this.statements.commit.run();
      else if (this.sqlite.inTransaction) this.statements.rollback.run();
    } catch (error) {
      // As better-sqlite3's transaction wrapper does when its function or its COMMIT throws.
      let failure = error;
      try {
        if (this.sqlite.inTransaction) this.statements.rollback.run();
      } catch (rollbackError) {
        failure = rollbackError;
      }
      this.close();
      this.fail(batch, failure);
      return;
    }
    this.close();
    const { waiting, pieces, outcomes } = batch;
    waiting.forEach((_, i) => {
      if (outcomes[i]!.ok) this.runActions(pieces[i]!.root.committed);
    });
    this.settling = true;
    waiting.forEach((each, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) each.resolve(outcome.value);
      else each.reject(outcome.error);
    });
    // The resolved callers continue as microtasks. A microtask queued now runs after their first
    // steps, and the tick it queues runs once the whole microtask queue is empty: by then every
    // caller has submitted what it will submit without waiting on I/O. That work commits then,
    // instead of a whole turn later, behind every request that arrived in between.
    queueMicrotask(() => process.nextTick(() => this.endSettling()));
  }

  /** The commit itself failed (or could not begin): every piece fails, and what they submit next waits for a turn. */
  private fail(batch: Batch, error: unknown): void {
    this.settling = false;
    batch.waiting.forEach((waiting, i) => {
      // (A piece that failed on its own has already undone its actions.)
      this.runActions(batch.pieces[i]!.root.rolledBack);
      waiting.reject(error);
    });
    // Work submitted while the batch was settling had no turn of its own scheduled.
    if (this.pending.length > 0) this.scheduled ??= setImmediate(() => this.commit());
  }

  private close(): void {
    this.openBatch = null;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private runActions(list: Array<() => void>): void {
    runEachAction(list, this.onActionError);
  }

  private endSettling(): void {
    if (this.pending.length > 0) this.commit();
    else this.settling = false;
  }
}
