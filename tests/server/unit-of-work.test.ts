import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AsynchronousPieceRefused, UnitOfWorkMisuse, type PendingCommit } from '../../server/plugins/unit-of-work.js';
import { postgresUnavailable } from '../support/postgres.js';
import { openPostgres, openSqlite, pgNotes, sorted, type EngineUnderTest } from './unit-of-work-engines.js';

/**
 * The unit-of-work port (server/plugins/unit-of-work.ts), one contract for both implementations:
 * SQLite's group commit on a real file, PostgresUnitOfWork on a real PostgreSQL. Then what each
 * engine adds: the group commit's batch and its rule for asynchronous pieces, PostgreSQL's
 * transaction handle carried through the awaits.
 */

const unavailable = postgresUnavailable();
if (unavailable !== null) console.warn(`SKIPPED the PostgreSQL half of tests/server/unit-of-work.test.ts: ${unavailable}`);

/** An error's message with its causes' (drizzle wraps a driver's error in "Failed query: ..."). */
const withCauses = (error: unknown): string => (error instanceof Error ? `${error.message} ${error.cause === undefined ? '' : withCauses(error.cause)}` : String(error));

/** A few awaits of work already done, as an asynchronous piece over synchronous statements has. */
const ticks = async (n: number) => {
  for (let i = 0; i < n; i += 1) await Promise.resolve();
};

const engines = [
  { name: 'SQLite (group commit)', open: openSqlite, available: true },
  { name: 'PostgreSQL', open: openPostgres, available: unavailable === null },
];

describe.each(engines)('the unit of work on $name', ({ open, available }) => {
  describe.skipIf(!available)('contract', () => {
    let engine: EngineUnderTest;
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(async () => {
      await engine?.close();
    });
    beforeEach(async () => {
      await engine.reset();
    });

    it('runs synchronous and asynchronous pieces, each resolving with its own result', async () => {
      const { uow, write } = engine;
      const results = await Promise.all([
        uow.run(async () => {
          await write('a');
          return 'first';
        }),
        uow.run(() => 2),
        uow.run(async () => {
          await write('b');
          await ticks(3);
          await write('c');
          return { third: true };
        }),
        uow.run(() => undefined),
      ]);
      expect(results).toEqual(['first', 2, { third: true }, undefined]);
      expect(sorted(await engine.committed())).toEqual(['a', 'b', 'c']);
    });

    it('rolls back the piece that failed and only it', async () => {
      const { uow, write } = engine;
      await uow.run(() => write('taken'));
      const outcomes = await Promise.allSettled([
        uow.run(() => write('kept')),
        uow.run(async () => {
          await write('rolled back with its piece');
          await write('taken'); // unique: fails
        }),
        uow.run(async () => {
          await write('also kept');
          throw new Error('refused by the route');
        }),
        uow.run(() => write('kept too')),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect(withCauses((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/unique/i);
      expect(withCauses((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/refused by the route/);
      expect(sorted(await engine.committed())).toEqual(['kept', 'kept too', 'taken']);
    });

    it('undoes a savepoint that throws (its writes and actions) while the piece carries on', async () => {
      const { uow, write } = engine;
      const seen: string[] = [];
      await uow.run(async (tx) => {
        await write('post');
        await expect(
          tx.savepoint(async (inner) => {
            await write('notification');
            inner.afterCommit(() => seen.push('notification announced'));
            inner.afterRollback(() => seen.push('notification undone'));
            throw new Error('delivery failed');
          }),
        ).rejects.toThrow('delivery failed');
        // A statement the database refuses inside a savepoint: undone with it, and the transaction goes on.
        expect(withCauses(await tx.savepoint(() => write('post')).catch((error: unknown) => error))).toMatch(/unique/i);
        // A synchronous savepoint (it registers actions) in an asynchronous piece.
        expect(() =>
          tx.savepoint((inner) => {
            inner.afterCommit(() => seen.push('sync announced'));
            inner.afterRollback(() => seen.push('sync undone'));
            throw new Error('no');
          }),
        ).toThrow('no');
        const inner = await tx.savepoint(async (commit) => {
          await write('event');
          commit.afterCommit(() => seen.push('event announced'));
          return 'inner result';
        });
        expect(inner).toBe('inner result');
        await write('after');
      });
      expect(seen).toEqual(['notification undone', 'sync undone', 'event announced']);
      expect(await engine.committed()).toEqual(['post', 'event', 'after']);
    });

    it('runs after-commit actions once committed, in the order registered, before the caller resumes', async () => {
      const { uow, write } = engine;
      const seen: string[] = [];
      const readings: Array<Promise<string[]>> = [];
      await uow
        .run(async (tx) => {
          tx.afterCommit(() => {
            seen.push('first');
            readings.push(engine.committed());
          });
          await write('note');
          await tx.savepoint(async (inner) => {
            await ticks(2);
            inner.afterCommit(() => seen.push('from the savepoint'));
          });
          tx.afterCommit(() => seen.push('last'));
          tx.afterRollback(() => seen.push('never'));
          return 'done';
        })
        .then((value) => seen.push(`resumed with ${value}`));
      expect(seen).toEqual(['first', 'from the savepoint', 'last', 'resumed with done']);
      // Read on another connection at the moment the first action ran: the note was committed by then.
      expect(await readings[0]).toEqual(['note']);
    });

    it('runs after-rollback actions when the piece fails, and no after-commit action', async () => {
      const { uow, write } = engine;
      const seen: string[] = [];
      await expect(
        uow.run(async (tx) => {
          tx.afterRollback(() => seen.push('outer undone'));
          tx.afterCommit(() => seen.push('announced'));
          await tx.savepoint(async (inner) => {
            await write('doomed');
            inner.afterRollback(() => seen.push('kept savepoint undone'));
          });
          await ticks(2);
          throw new Error('late failure');
        }),
      ).rejects.toThrow('late failure');
      expect(seen.sort()).toEqual(['kept savepoint undone', 'outer undone']);
      expect(await engine.committed()).toEqual([]);
    });

    it('refuses a second savepoint while one is running, and a piece that returns with one still running', async () => {
      const { uow, write } = engine;
      await expect(
        uow.run(async (tx) => {
          const first = tx.savepoint(async () => {
            await ticks(2);
            await write('first');
          });
          try {
            expect(() => tx.savepoint(() => 'second')).toThrow(UnitOfWorkMisuse);
          } finally {
            await first;
          }
          return 'ok';
        }),
      ).resolves.toBe('ok');
      expect(await engine.committed()).toEqual(['first']);

      await engine.reset();
      const forgotten = await uow
        .run(async (tx) => {
          await write('piece');
          void tx.savepoint(async () => {
            await write('forgotten');
            await ticks(5);
          });
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(forgotten).toBeInstanceOf(UnitOfWorkMisuse);
      // Undone with the piece, with what the forgotten savepoint wrote (its work ending later changes nothing).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await engine.committed()).toEqual([]);
    });

    it('refuses a savepoint opened on the handle of a piece that has ended', async () => {
      const { uow } = engine;
      let kept: PendingCommit | null = null;
      await uow.run((tx) => {
        kept = tx;
      });
      expect(() => kept!.savepoint(() => 1)).toThrow(UnitOfWorkMisuse);
    });
  });
});

describe('the group commit (SQLite): asynchronous pieces in a batch', () => {
  let engine: Awaited<ReturnType<typeof openSqlite>>;
  beforeAll(async () => {
    engine = await openSqlite();
  });
  afterAll(async () => {
    await engine?.close();
  });
  beforeEach(async () => {
    await engine.reset();
  });
  /** Frames in the write-ahead log: each commit appends at least one. */
  const walFrames = () => (engine.sqlite.pragma('wal_checkpoint(NOOP)') as Array<{ log: number }>)[0]!.log;

  it('awaits an asynchronous piece inside the batch, in order, in the one transaction', async () => {
    const { uow, insertNow, write } = engine;
    const start = walFrames();
    await uow.run(() => insertNow('first'));
    const perCommit = walFrames() - start;
    const before = walFrames();
    const order: string[] = [];
    await Promise.all([
      uow.run(() => insertNow('sync 1')).then(() => order.push('sync 1')),
      uow
        .run(async () => {
          await write('async 1');
          await ticks(20);
          await write('async 2');
        })
        .then(() => order.push('async')),
      uow.run(() => insertNow('sync 2')).then(() => order.push('sync 2')),
    ]);
    // Submitted in one turn: one commit, even with a piece awaiting inside it.
    expect(walFrames() - before).toBe(perCommit);
    expect(order).toEqual(['sync 1', 'async', 'sync 2']);
    expect(await engine.committed()).toEqual(['first', 'sync 1', 'async 1', 'async 2', 'sync 2']);
  });

  it('accepts a piece that only awaits promise continuations, however many', async () => {
    const { uow, write } = engine;
    const deep = async (n: number): Promise<number> => (n === 0 ? 0 : 1 + (await deep(n - 1)));
    await expect(
      uow.run(async () => {
        await ticks(2_000);
        await write('after 2,000 awaits');
        return deep(500);
      }),
    ).resolves.toBe(500);
    expect(await engine.committed()).toEqual(['after 2,000 awaits']);
  });

  it('refuses a piece that awaits real I/O: its writes and savepoints undone, the batch not held, the others committed', async () => {
    const { uow, write, insertNow } = engine;
    const seen: string[] = [];
    let resumed: (error: unknown) => void = () => {};
    const afterTheRead = new Promise<unknown>((resolve) => (resumed = resolve));
    const outcomes = Promise.allSettled([
      uow.run(() => insertNow('before')),
      uow.run(async (tx) => {
        await write('written before the read');
        tx.afterCommit(() => seen.push('announced'));
        tx.afterRollback(() => seen.push('undone'));
        await readFile(new URL(import.meta.url));
        // Runs later, outside the batch: its savepoints refuse it.
        try {
          tx.savepoint(() => insertNow('written after the read'));
          resumed(null);
        } catch (error) {
          resumed(error);
        }
      }),
      uow.run(() => insertNow('after')),
    ]);
    const settled = await outcomes;
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(AsynchronousPieceRefused);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/waited for something other than promise continuations/);
    // The batch committed without waiting for the read.
    expect(await engine.committed()).toEqual(['before', 'after']);
    expect(await afterTheRead).toBeInstanceOf(AsynchronousPieceRefused);
    expect(seen).toEqual(['undone']);
    expect(await engine.committed()).toEqual(['before', 'after']);
    expect(engine.sqlite.inTransaction).toBe(false);
  });

  it('refuses a piece that waits for a timer or process.nextTick', async () => {
    const { uow, write } = engine;
    const outcomes = await Promise.allSettled([
      uow.run(async () => {
        await write('timer');
        await new Promise((resolve) => setTimeout(resolve, 0));
      }),
      uow.run(async () => {
        await write('tick');
        await new Promise((resolve) => process.nextTick(resolve));
      }),
      uow.run(() => write('kept')),
    ]);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).name : 'fulfilled'))).toEqual(['AsynchronousPieceRefused', 'AsynchronousPieceRefused', 'fulfilled']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await engine.committed()).toEqual(['kept']);
  });

  it('undoes a refused piece with a savepoint open inside it, and the next piece of the batch writes normally', async () => {
    const { uow, write, insertNow } = engine;
    const seen: string[] = [];
    const outcomes = await Promise.allSettled([
      uow.run(async (tx) => {
        await write('outer');
        await tx.savepoint(async (inner) => {
          await write('inner');
          inner.afterRollback(() => seen.push('inner undone'));
          await readFile(new URL(import.meta.url));
        });
      }),
      uow.run((tx) => {
        insertNow('next');
        tx.savepoint(() => insertNow('next savepoint'));
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
    expect(seen).toEqual(['inner undone']);
    expect(await engine.committed()).toEqual(['next', 'next savepoint']);
  });

  /** What SQLite answers when asked to release the piece's savepoint (RELEASE of none changes nothing). */
  const releasePieceSavepoint = () => {
    try {
      engine.sqlite.prepare('release piece').run();
      return 'released';
    } catch (error) {
      return String(error);
    }
  };

  it('runs a piece alone in its batch in the transaction itself, without a savepoint, its own savepoints real', async () => {
    const { uow, insertNow } = engine;
    const seen: string[] = [];
    await uow.run((tx) => {
      expect(engine.sqlite.inTransaction).toBe(true);
      seen.push(releasePieceSavepoint());
      insertNow('lone');
      tx.afterCommit(() => seen.push('announced'));
      expect(() =>
        tx.savepoint((inner) => {
          insertNow('undone with its savepoint');
          inner.afterRollback(() => seen.push('inner undone'));
          throw new Error('inner failure');
        }),
      ).toThrow('inner failure');
      insertNow('after the savepoint');
    });
    expect(seen).toEqual(['SqliteError: no such savepoint: piece', 'inner undone', 'announced']);
    expect(await engine.committed()).toEqual(['lone', 'after the savepoint']);
  });

  it('rolls back a lone piece that fails, synchronous, asynchronous or refused, and commits the next batch', async () => {
    const { uow, write, insertNow } = engine;
    const seen: string[] = [];
    await expect(
      uow.run((tx) => {
        insertNow('sync');
        tx.afterRollback(() => seen.push('sync undone'));
        tx.afterCommit(() => seen.push('sync announced'));
        throw new Error('sync failure');
      }),
    ).rejects.toThrow('sync failure');
    expect(engine.sqlite.inTransaction).toBe(false);
    await expect(
      uow.run(async (tx) => {
        await write('async');
        await tx.savepoint(async () => write('async savepoint'));
        tx.afterRollback(() => seen.push('async undone'));
        throw new Error('async failure');
      }),
    ).rejects.toThrow('async failure');
    // A statement the database refuses (the unique text) fails the piece with the database's error.
    await uow.run(() => insertNow('once'));
    await expect(uow.run(() => insertNow('once'))).rejects.toThrow(/UNIQUE/);
    await expect(
      uow.run(async (tx) => {
        await write('refused');
        tx.afterRollback(() => seen.push('refused undone'));
        await readFile(new URL(import.meta.url));
      }),
    ).rejects.toBeInstanceOf(AsynchronousPieceRefused);
    expect(engine.sqlite.inTransaction).toBe(false);
    expect(seen).toEqual(['sync undone', 'async undone', 'refused undone']);
    await uow.run(() => insertNow('next'));
    expect(await engine.committed()).toEqual(['once', 'next']);
  });

  it('lets a piece submit more work, which commits in a later batch', async () => {
    const { uow, write } = engine;
    let follow: Promise<unknown> | null = null;
    await uow.run(async () => {
      await write('first');
      follow = uow.run(() => write('submitted from inside'));
    });
    await follow;
    expect(await engine.committed()).toEqual(['first', 'submitted from inside']);
  });
});

describe.skipIf(unavailable !== null)('the unit of work on PostgreSQL: the transaction handle', () => {
  let engine: Awaited<ReturnType<typeof openPostgres>>;
  beforeAll(async () => {
    engine = await openPostgres();
  });
  afterAll(async () => {
    await engine?.close();
  });
  beforeEach(async () => {
    await engine.reset();
  });

  it('gives each run its own transaction through its awaits, and the pool outside one', async () => {
    const { uow, write } = engine;
    expect(engine.engine.inUnitOfWork()).toBe(false);
    let release: () => void = () => {};
    const bWrote = new Promise<void>((resolve) => (release = resolve));
    const a = uow.run(async () => {
      expect(engine.engine.inUnitOfWork()).toBe(true);
      await write('a1');
      await bWrote; // b writes meanwhile, in its own transaction
      // Not committed yet: invisible from the pool (b's writes may be, once b has committed).
      expect(await engine.committed()).not.toContain('a1');
      await write('a2');
      throw new Error('a fails');
    });
    const b = uow.run(async () => {
      await write('b1');
      release();
      await write('b2');
    });
    await expect(a).rejects.toThrow('a fails');
    await b;
    expect(await engine.committed()).toEqual(['b1', 'b2']);
    // Outside a unit of work, current() is the pool: each statement commits on its own.
    await engine.engine.current().insert(pgNotes).values({ text: 'on the pool' });
    expect(sorted(await engine.committed())).toEqual(['b1', 'b2', 'on the pool']);
  });

  it("nests drizzle's own transaction() on the handle as a savepoint", async () => {
    const { uow, write } = engine;
    await uow.run(async () => {
      await write('outer');
      await expect(
        engine.engine.current().transaction(async (tx) => {
          await tx.insert(pgNotes).values({ text: 'nested' });
          throw new Error('nested fails');
        }),
      ).rejects.toThrow('nested fails');
      await write('outer again');
    });
    expect(await engine.committed()).toEqual(['outer', 'outer again']);
  });

  it('refuses a statement of a piece that outlived its run, rather than running it on a pooled connection', async () => {
    const { uow } = engine;
    let late: Promise<unknown> | null = null;
    await uow.run(() => {
      const handle = engine.engine.current();
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => handle.insert(pgNotes).values({ text: 'late' }));
    });
    const error = await late!.catch((reason: unknown) => reason);
    expect((error as Error).cause).toBeInstanceOf(UnitOfWorkMisuse);
    expect(withCauses(error)).toMatch(/This unit of work has ended/);
    expect(await engine.committed()).toEqual([]);
  });

  it('gives every connection back to the pool, after commits and failures alike', async () => {
    const { uow, write } = engine;
    for (let i = 0; i < 12; i += 1) {
      const outcome = uow.run(async () => {
        await write(`note ${i % 3}`); // a unique violation on every fourth run and after
      });
      await outcome.catch(() => {});
    }
    expect(engine.engine.pool.totalCount).toBeLessThanOrEqual(4);
    expect(engine.engine.pool.waitingCount).toBe(0);
    expect(engine.engine.pool.idleCount).toBe(engine.engine.pool.totalCount);
    expect(sorted(await engine.committed())).toEqual(['note 0', 'note 1', 'note 2']);
  });

  it("reads int8 as a number on the engine's connections, refuses one past 2^53, and leaves other pg clients' parsing alone", async () => {
    const { rows } = await engine.engine.pool.query<{ n: unknown }>('select count(*) as n from uow_notes');
    expect(rows[0]!.n).toBe(0);
    await expect(engine.engine.pool.query('select 9007199254740993::bigint as n')).rejects.toThrow(/past the integers/);
    const other = new pg.Client({ connectionString: engine.engine.pool.options.connectionString });
    await other.connect();
    try {
      expect((await other.query<{ n: unknown }>('select 9007199254740993::bigint as n')).rows[0]!.n).toBe('9007199254740993');
    } finally {
      await other.end();
    }
  });
});
