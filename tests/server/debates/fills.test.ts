import { describe, expect, it } from 'vitest';
import { Fills } from '../../../server/features/debates/fills.js';
import type { PendingCommit } from '../../../server/plugins/unit-of-work.js';

/**
 * server/features/debates/fills.ts: how the debates' caches are filled now that a read is awaited
 * (each route's tests check that what the pages show follows every change; these, the fills' own
 * rules, with reads held open as PostgreSQL's may be).
 */

/** Reads that answer when told to, newest first, each with what the "database" held when it started. */
function heldReads() {
  const database = new Map<string, number>();
  const pending: Array<() => void> = [];
  let started = 0;
  const read = (key: string) => {
    started += 1;
    const value = database.get(key) ?? 0;
    return new Promise<number>((resolve) => pending.push(() => resolve(value)));
  };
  const answerAll = async () => {
    for (const answer of pending.splice(0).reverse()) answer();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { database, read, answerAll, started: () => started };
}

describe('the fills of a cache', () => {
  it('keep what a read found when nothing forgot its key meanwhile, and share one read between misses of one key', async () => {
    const db = heldReads();
    db.database.set('a', 1);
    const kept = new Map<string, number>();
    const fills = new Fills(db.read, (key, value) => kept.set(key, value));
    const first = fills.of('a');
    const second = fills.of('a');
    await db.answerAll();
    expect([await first, await second]).toEqual([1, 1]);
    expect(db.started()).toBe(1);
    expect(kept.get('a')).toBe(1);
  });

  it('give the caller what a read found but keep nothing when a write forgot the key while it was under way', async () => {
    const db = heldReads();
    db.database.set('a', 1);
    const kept = new Map<string, number>();
    const fills = new Fills(db.read, (key, value) => kept.set(key, value));
    const before = fills.of('a');
    // A write changes the row and forgets the key while the read that started before it is still open.
    db.database.set('a', 2);
    fills.forget('a');
    const after = fills.of('a');
    await db.answerAll();
    expect(await before).toBe(1);
    expect(await after).toBe(2);
    expect(db.started()).toBe(2);
    // The read started before the write answered last: it does not put back the older value.
    expect(kept.get('a')).toBe(2);
  });

  it('keep nothing of any read under way once all are forgotten, and nothing of a read that failed', async () => {
    const kept = new Map<string, number>();
    const db = heldReads();
    const fills = new Fills(db.read, (key, value) => kept.set(key, value));
    const reading = fills.of('a');
    fills.forgetAll();
    await db.answerAll();
    await reading;
    expect(kept.size).toBe(0);

    let fail = true;
    const failing = new Fills(
      async (key: string) => {
        if (fail) throw new Error(`no ${key}`);
        return 3;
      },
      (key, value) => kept.set(key, value),
    );
    await expect(failing.of('b')).rejects.toThrow('no b');
    fail = false;
    // The failed read is not shared with the next miss.
    expect(await failing.of('b')).toBe(3);
    expect(kept.get('b')).toBe(3);
  });

  it('keep nothing a read found while a write that forgot its key is not committed yet (PostgreSQL: other transactions still see the old row)', async () => {
    for (const outcome of ['commit', 'rollback'] as const) {
      const db = heldReads();
      db.database.set('a', 1);
      db.database.set('b', 1);
      const kept = new Map<string, number>();
      const fills = new Fills(db.read, (key, value) => kept.set(key, value));
      const work = pendingCommit();
      fills.forget('a', work.commit);
      // Reads outside the open transaction find the committed (old) value.
      const during = fills.of('a');
      const other = fills.of('b');
      await db.answerAll();
      expect(await during).toBe(1);
      expect(await other).toBe(1);
      expect(kept.has('a')).toBe(false);
      expect(kept.get('b')).toBe(1);
      // A read started before the commit and answering after it is not kept either.
      const straddling = fills.of('a');
      if (outcome === 'commit') db.database.set('a', 2);
      work.settle(outcome);
      await db.answerAll();
      await straddling;
      expect(kept.has('a')).toBe(false);
      // Once it is settled, reads are kept again.
      const after = fills.of('a');
      await db.answerAll();
      expect(await after).toBe(outcome === 'commit' ? 2 : 1);
      expect(kept.get('a')).toBe(outcome === 'commit' ? 2 : 1);
    }

    // Held for every key by forgetAll, until settled.
    const db = heldReads();
    const kept = new Map<string, number>();
    const fills = new Fills(db.read, (key, value) => kept.set(key, value));
    const work = pendingCommit();
    fills.forgetAll(work.commit);
    const during = fills.of('c');
    await db.answerAll();
    await during;
    expect(kept.size).toBe(0);
    work.settle('commit');
    const after = fills.of('c');
    await db.answerAll();
    await after;
    expect(kept.get('c')).toBe(0);
  });
});

/** The after-commit and after-rollback side of a unit of work's piece, settled when the test says. */
function pendingCommit(): { commit: PendingCommit; settle(outcome: 'commit' | 'rollback'): void } {
  const committed: Array<() => void> = [];
  const undone: Array<() => void> = [];
  const commit = {
    afterCommit: (action: () => void) => committed.push(action),
    afterRollback: (action: () => void) => undone.push(action),
    savepoint: () => {
      throw new Error('not used by the fills');
    },
  } as unknown as PendingCommit;
  return { commit, settle: (outcome) => (outcome === 'commit' ? committed : undone).forEach((action) => action()) };
}
