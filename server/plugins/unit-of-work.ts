/**
 * The unit-of-work port: how route code writes. A piece of work runs inside one transaction with
 * the other pieces of its batch; what it registers with `afterCommit` runs once that transaction
 * is durable (live events fan out, mail is handed to the sender), what it registers with
 * `afterRollback` runs if its writes are undone.
 *
 * The SQLite implementation is the group commit (./group-commit.ts): pieces submitted in one turn
 * share one IMMEDIATE transaction, each in a savepoint, and the work is synchronous because
 * better-sqlite3 is. Repository functions called inside a piece are the ones named `...Within` /
 * `...Now` (or taking the `tx`): those are the pieces an engine with asynchronous drivers
 * (PostgreSQL) replaces with awaited twins, behind this same interface.
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
   * Runs part of the piece in a savepoint of its own: if it throws, its writes and actions are
   * undone and the error is rethrown, and the rest of the piece may carry on.
   */
  savepoint<T>(work: (commit: PendingCommit) => T): T;
}

/** `fastify.unitOfWork`: every write of a route goes through `run`. */
export interface UnitOfWork {
  /** Runs the work in a transaction; resolves with its result once that transaction has committed, rejects (its writes undone) if it threw. */
  run<T>(work: (tx: PendingCommit) => T): Promise<T>;
}
