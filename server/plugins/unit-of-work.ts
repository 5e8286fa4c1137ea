/**
 * The unit-of-work port: how route code writes. A piece of work runs inside one transaction with
 * the other pieces of its batch; what it registers with `afterCommit` runs once that transaction
 * is durable (live events fan out, mail is handed to the sender), what it registers with
 * `afterRollback` runs if its writes are undone.
 *
 * A piece may be synchronous (it returns its result) or asynchronous (it returns a promise, and
 * awaits its statements). Two implementations:
 * - SQLite, the group commit (./group-commit.ts): pieces submitted in one turn share one IMMEDIATE
 *   transaction, each in a savepoint. better-sqlite3 is synchronous, and the repository functions
 *   called inside a piece (named `...Within` / `...Now`, or taking the `tx`) run their statements at
 *   once. An asynchronous piece is allowed, under one rule: it must settle through promise
 *   continuations alone (awaits of work that is already done), never wait for I/O, a timer or
 *   `process.nextTick`, because the one connection holds the batch's write transaction open while
 *   it waits. One that does is refused with `AsynchronousPieceRefused`, its writes undone.
 * - PostgreSQL (./postgres-unit-of-work.ts): one transaction per `run`, whose statements the piece
 *   awaits; repositories reach that transaction through `PostgresEngine.current()`.
 *
 * On both, the savepoints of one piece are taken one at a time: a piece awaits a savepoint before
 * it opens another or goes on with its own statements, and before it returns (see `savepoint`).
 */
export interface PendingCommit {
  /**
   * Runs once the transaction holding this piece has committed, before the piece's promise
   * settles; actions of a batch run in the order they were registered. Dropped if the piece rolls
   * back. The transactional outbox: live events stored with the post fan out only once it is durable.
   */
  afterCommit(action: () => void): void;
  /** Runs if this piece's writes are undone (its savepoint, or the whole commit): for caches moved ahead of the commit. */
  afterRollback(action: () => void): void;
  /**
   * Runs part of the piece in a savepoint of its own: if it throws (or its promise rejects), its
   * writes and actions are undone and the error is rethrown, and the rest of the piece may carry on.
   * Asynchronous work gives a promise, which the piece must await before anything else: a second
   * savepoint opened while one is running is refused (savepoints nest; two at once would undo each
   * other's writes), and so is returning with one still running.
   */
  savepoint<T>(work: (commit: PendingCommit) => Promise<T>): Promise<T>;
  savepoint<T>(work: (commit: PendingCommit) => T): T;
}

/** `fastify.unitOfWork`: every write of a route goes through `run`. */
export interface UnitOfWork {
  /** Runs the work in a transaction; resolves with its result once that transaction has committed, rejects (its writes undone) if it threw or its promise rejected. */
  run<T>(work: (tx: PendingCommit) => T | Promise<T>): Promise<T>;
}

/**
 * A programming error in a piece of work, not a bad request: an asynchronous piece on SQLite that
 * waited for something outside the promise queue, a savepoint opened while another runs, a piece
 * that returned with a savepoint still running, or a piece's handle used after its piece ended.
 * Its writes are undone; the request fails with a 500.
 */
export class UnitOfWorkMisuse extends Error {
  override readonly name: string = 'UnitOfWorkMisuse';
}

/** The error an asynchronous SQLite piece that left the promise queue is refused with (group-commit.ts says why). */
export class AsynchronousPieceRefused extends UnitOfWorkMisuse {
  override readonly name: string = 'AsynchronousPieceRefused';

  constructor() {
    super(
      'An asynchronous unit of work on SQLite waited for something other than promise continuations (I/O, a timer, process.nextTick). ' +
        'It was refused and its writes undone: the single SQLite connection cannot keep its write transaction open while it waits. ' +
        'Do the waiting before fastify.unitOfWork.run, and only the statements inside it.',
    );
  }
}

/** Whether a piece's result is a promise (or any thenable) to await rather than its value. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
