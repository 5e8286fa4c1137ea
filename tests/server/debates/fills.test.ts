import { describe, expect, it } from 'vitest';
import { Fills } from '../../../server/features/debates/fills.js';

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
});
