import { isThenable, UnitOfWorkMisuse, type PendingCommit } from './unit-of-work.js';

/** How an engine opens, releases and undoes one savepoint (the token names it: PostgreSQL's have names, SQLite's nest under one). */
export interface SavepointStatements<Token> {
  open(): Token;
  release(token: Token): void;
  /** Rolls the savepoint back and releases it. */
  undo(token: Token): void;
}

/** One level of a piece of work: the piece's own, or one its work opened with `savepoint`. */
class Level<Token> implements PendingCommit {
  readonly committed: Array<() => void> = [];
  readonly rolledBack: Array<() => void> = [];
  /** An asynchronous savepoint opened from this level that has not settled: savepoints nest, so one at a time. */
  running: Promise<unknown> | null = null;
  /** Released or undone: whatever its work does later must not touch the connection for it. */
  ended = false;

  constructor(
    private readonly stack: Savepoints<Token>,
    readonly token: Token | undefined,
  ) {}

  afterCommit(action: () => void): void {
    this.committed.push(action);
  }

  afterRollback(action: () => void): void {
    this.rolledBack.push(action);
  }

  savepoint<T>(work: (commit: PendingCommit) => Promise<T>): Promise<T>;
  savepoint<T>(work: (commit: PendingCommit) => T): T;
  savepoint<T>(work: (commit: PendingCommit) => T | Promise<T>): T | Promise<T> {
    return this.stack.savepoint(this, work);
  }
}

/**
 * The savepoints of a piece of work (SQLite: one piece of a batch) or of a transaction
 * (PostgreSQL), shared by both engines: what a piece registers, and the savepoints still open,
 * innermost last. A synchronous level opens and closes within one call; an asynchronous one stays
 * open while its work awaits, and the stack is what lets it be undone with whatever it still has
 * open inside it, and what keeps a late continuation from touching savepoints that have ended.
 */
export class Savepoints<Token> {
  /** Collects what the outermost level keeps; its `savepoint` runs the piece itself. */
  readonly root: Level<Token> = new Level<Token>(this, undefined);
  private readonly open: Array<Level<Token>> = [];
  private refusal: UnitOfWorkMisuse | null = null;

  constructor(
    private readonly statements: SavepointStatements<Token>,
    private readonly runActions: (actions: Array<() => void>) => void,
  ) {}

  savepoint<T>(parent: Level<Token>, work: (commit: PendingCommit) => T | Promise<T>): T | Promise<T> {
    if (parent.ended) throw this.refusal ?? new UnitOfWorkMisuse('savepoint() was called on a piece of work or savepoint that had already ended.');
    if (parent.running !== null) throw new UnitOfWorkMisuse('A savepoint was opened while another savepoint of the same piece was still running: await each savepoint before the next.');
    const level = new Level<Token>(this, this.statements.open());
    this.open.push(level);
    let result: T | Promise<T>;
    try {
      result = work(level);
    } catch (error) {
      this.undo(level);
      throw error;
    }
    if (!isThenable(result)) {
      this.keep(parent, level);
      return result;
    }
    const running = Promise.resolve(result).then(
      (value) => {
        parent.running = null;
        this.keep(parent, level);
        return value;
      },
      (error: unknown) => {
        parent.running = null;
        this.undo(level);
        throw error;
      },
    );
    parent.running = running;
    return running;
  }

  /** Refuses the piece: every savepoint it has open is undone now, and its later calls to `savepoint` throw `error`. */
  refuse(error: UnitOfWorkMisuse): void {
    this.refusal = error;
    const outermost = this.open[0];
    if (outermost !== undefined) this.undo(outermost);
  }

  /**
   * The transaction has ended (PostgreSQL: the run committed or rolled back): every level is ended,
   * the piece's own included, so that later calls to `savepoint` throw `error`; the after-rollback
   * actions of levels still open (a piece that failed with a savepoint running) run, innermost first.
   */
  end(error: UnitOfWorkMisuse): void {
    this.refusal = error;
    this.root.ended = true;
    const undone: Array<Level<Token>> = [];
    for (let top = this.open.pop(); top !== undefined; top = this.open.pop()) {
      top.ended = true;
      undone.push(top);
    }
    for (const each of undone) this.runActions(each.rolledBack);
  }

  /** Releases a level whose work returned, its actions passed to the level above. */
  private keep(parent: Level<Token>, level: Level<Token>): void {
    if (level.ended) throw this.refusal ?? new UnitOfWorkMisuse('A savepoint ended before its work returned.');
    if (level.running !== null) {
      // What the forgotten savepoint rejects with is told by the error below; nobody may listen to it.
      level.running.catch(() => {});
      const error = new UnitOfWorkMisuse('A piece of work (or savepoint) returned while a savepoint it opened was still running: await every savepoint.');
      this.undo(level);
      throw error;
    }
    this.statements.release(level.token as Token);
    this.open.pop();
    level.ended = true;
    parent.committed.push(...level.committed);
    parent.rolledBack.push(...level.rolledBack);
  }

  /** Rolls back a level and every level still open inside it, then runs their after-rollback actions, innermost first. */
  private undo(level: Level<Token>): void {
    if (level.ended) return;
    const undone: Array<Level<Token>> = [];
    for (let top = this.open.pop(); top !== undefined; top = this.open.pop()) {
      top.ended = true;
      this.statements.undo(top.token as Token);
      undone.push(top);
      if (top === level) break;
    }
    for (const each of undone) this.runActions(each.rolledBack);
  }
}
