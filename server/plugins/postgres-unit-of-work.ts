import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';

import type { PgHandle, PgTransactionScope, PostgresEngine } from './postgres-engine.js';
import { runEachAction, Savepoints, type SavepointStatements } from './savepoints.js';
import { UnitOfWorkMisuse, type PendingCommit, type UnitOfWork } from './unit-of-work.js';

/**
 * One unit of work's connection as drizzle sees it: statements run one after another in the order
 * they are issued, and are refused once the unit of work has ended.
 *
 * In order, so that a savepoint's SAVEPOINT can be issued before its work runs without waiting for
 * it (the work may be synchronous, and `savepoint` must then return at once), and so that a piece
 * may start two statements without awaiting the first (node-postgres deprecates a query issued on
 * a client while another runs). Refused once ended, so that a statement of a piece that outlived
 * its unit of work (a promise nobody awaited) fails instead of running on a connection back in the
 * pool, inside someone else's transaction.
 */
class TransactionConnection {
  private tail: Promise<unknown> = Promise.resolve();
  private endedBy: Error | null = null;
  /** The last statement's error, or null if it succeeded: a failed ROLLBACK leaves a connection not to reuse. */
  lastError: unknown = null;

  constructor(private readonly client: pg.PoolClient) {}

  query(config: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    if (this.endedBy !== null) return Promise.reject(this.endedBy);
    const result = this.tail.then(() => {
      if (this.endedBy !== null) throw this.endedBy;
      return this.client.query(config, values);
    });
    this.tail = result.then(
      () => {
        this.lastError = null;
      },
      (error: unknown) => {
        this.lastError = error;
      },
    );
    return result;
  }

  /** Resolves once every statement issued so far has run. */
  settled(): Promise<unknown> {
    return this.tail;
  }

  end(reason: Error): void {
    this.endedBy = reason;
  }
}

/** One `run`: its connection, its drizzle transaction, its savepoints. */
class Transaction implements PgTransactionScope {
  readonly savepoints: Savepoints<string>;
  private handleOrNull: PgHandle | null = null;
  /** A statement issued without waiting (a savepoint's SAVEPOINT, RELEASE or ROLLBACK TO) failed: the transaction must not commit. */
  private failure: { error: unknown } | null = null;
  private count = 0;
  private readonly lastActions: Array<() => Promise<void>> = [];

  constructor(
    readonly connection: TransactionConnection,
    runActions: (actions: Array<() => void>) => void,
  ) {
    const statements: SavepointStatements<string> = {
      open: () => {
        const name = `piece_${++this.count}`;
        this.issue(`savepoint ${name}`);
        return name;
      },
      release: (name) => this.issue(`release savepoint ${name}`),
      undo: (name) => {
        this.issue(`rollback to savepoint ${name}`);
        this.issue(`release savepoint ${name}`);
      },
    };
    this.savepoints = new Savepoints(statements, runActions);
  }

  get handle(): PgHandle {
    if (this.handleOrNull === null) throw new UnitOfWorkMisuse('The transaction has not begun.');
    return this.handleOrNull;
  }

  query(config: pg.QueryConfig): Promise<pg.QueryResult> {
    return this.connection.query(config);
  }

  beforeCommit(action: () => Promise<void>): void {
    this.lastActions.push(action);
  }

  /** The beforeCommit actions, one after another (one may register another). */
  async runBeforeCommit(): Promise<void> {
    for (let i = 0; i < this.lastActions.length; i++) await this.lastActions[i]!();
  }

  begun(handle: PgHandle): void {
    this.handleOrNull = handle;
  }

  /** Throws what stops the commit: a savepoint left running, or a savepoint statement that failed. Waits for every statement issued. */
  async readyToCommit(): Promise<void> {
    const running = this.savepoints.root.running;
    if (running !== null) {
      running.catch(() => {});
      throw new UnitOfWorkMisuse('A piece of work returned while a savepoint it opened was still running: await every savepoint.');
    }
    await this.connection.settled();
    if (this.failure !== null) throw this.failure.error;
  }

  /**
   * Issued now, not awaited: the connection runs statements in order, so what the work runs next
   * comes after it whether the work awaits or not. A failure is kept for the commit to refuse.
   */
  private issue(text: string): void {
    this.connection.query(text).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }
}

/**
 * The unit of work on PostgreSQL: one transaction per `run` on a connection of the engine's pool
 * (BEGIN ... COMMIT), with no batching across requests: PostgreSQL's commits are concurrent, and
 * each request's own transaction keeps one request's failure from touching another's writes.
 *
 * The piece is handed the transaction itself (no savepoint around the piece: its writes are the
 * whole transaction). Inside it, `engine.current()` is the transaction's drizzle handle; `savepoint`
 * is SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT under a name of its own. A synchronous
 * piece or savepoint can run no statement of its own (node-postgres is asynchronous): it registers
 * actions, and a savepoint of it still opens and releases (cheaply, without waiting).
 *
 * afterCommit actions run once COMMIT has answered, in the order registered, before `run` resolves;
 * afterRollback actions once the transaction is rolled back (or, for a savepoint, at its rollback),
 * before `run` rejects. A failure rejects that run alone.
 *
 * Each running unit of work holds one connection of the pool until it ends: a piece that awaits
 * another `run` inside itself can exhaust the pool and wait for ever. (On SQLite such a piece is
 * refused: the inner run waits for a batch that cannot start while its own is open.)
 */
export class PostgresUnitOfWork implements UnitOfWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly engine: PostgresEngine,
    /** Told when an after-commit or after-rollback action throws: the data is committed (or undone) by then. */
    private readonly onActionError: (error: unknown) => void = () => {},
  ) {}

  run<T>(work: (tx: PendingCommit) => T | Promise<T>): Promise<T> {
    const run = this.runOne(work);
    this.running.add(run);
    const forget = () => this.running.delete(run);
    run.then(forget, forget);
    return run;
  }

  /** Resolves once every unit of work begun so far has ended (at shutdown, before the pool closes). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async runOne<T>(work: (tx: PendingCommit) => T | Promise<T>): Promise<T> {
    const client = await this.engine.pool.connect();
    const connection = new TransactionConnection(client);
    const transaction = new Transaction(connection, (actions) => this.runActions(actions));
    const root = transaction.savepoints.root;
    let value: T;
    try {
      // drizzle's transaction (BEGIN, COMMIT, ROLLBACK on failure) on the ordered connection, so that
      // `.transaction()` on the handle nests as a savepoint instead of beginning anew on a connection
      // already in one. Drizzle types its client as node-postgres's; it calls only `query`.
      value = await drizzle(connection as unknown as pg.PoolClient).transaction(async (tx) => {
        transaction.begun(tx);
        const result = await this.engine.within(transaction, () => work(root));
        await transaction.readyToCommit();
        await this.engine.within(transaction, () => transaction.runBeforeCommit());
        await transaction.readyToCommit();
        return result;
      });
    } catch (error) {
      connection.end(ended());
      // Only a connection whose ROLLBACK (or BEGIN) failed is discarded; after a refused statement, it is clean.
      client.release(connection.lastError === null ? undefined : true);
      transaction.savepoints.end(ended());
      this.runActions(root.rolledBack);
      throw error;
    }
    connection.end(ended());
    client.release();
    transaction.savepoints.end(ended());
    this.runActions(root.committed);
    return value;
  }

  private runActions(list: Array<() => void>): void {
    runEachAction(list, this.onActionError);
  }
}

function ended(): UnitOfWorkMisuse {
  return new UnitOfWorkMisuse('This unit of work has ended: a statement, or a savepoint, came after it (a promise nobody awaited?).');
}
