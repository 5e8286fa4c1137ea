import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupCommit } from '../../server/plugins/group-commit.js';
import type { LiveEvent } from '../../server/plugins/live/hub.js';
import { TEST_ENGINE } from '../helper.js';
import { buildAppOn, waitUntil } from './live-support.js';
import { untyped } from './untyped-events.js';

/**
 * Two apps on one database file, in one process, so that the moment another "process" commits
 * can be placed exactly: inside this process's fan-out of a batch. What each hears must still be
 * every event once, in id order (the live channel drops an id lower than one it has already sent).
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-live-follower-'));
let a: FastifyInstance;
let b: FastifyInstance;
// SQLite's follower and group commit (a batch's pieces fanned out one by one). PostgreSQL has
// neither: its instances number events at commit and follow each other on NOTIFY, which
// two-instances.test.ts checks (an event committed late, every event once and in order).
const onPostgres = TEST_ENGINE === 'postgres';

beforeAll(async () => {
  if (onPostgres) return;
  a = await buildAppOn(dataDir);
  b = await buildAppOn(dataDir);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(onPostgres)("the log follower and this process's own fan-out", () => {
  it('keeps id order when another process commits between two pieces of one batch', async () => {
    const topic = 'test:order';
    const heard: number[] = [];
    let otherId = 0;
    b.liveHub.subscribe(topic, (event: LiveEvent) => {
      heard.push(event.id);
      if (otherId === 0 && event.payload && (event.payload as { n?: number }).n === 1) {
        // Right after B's first piece is fanned out, before its second: A commits, now.
        otherId = -1;
        void a.liveHub.publish(untyped({ topic, type: 'other', payload: { from: 'a' } })).then((other) => (otherId = other.id));
        (a.unitOfWork as GroupCommit).commit();
      }
    });
    // Submitted in one turn: one batch, two pieces, consecutive ids.
    const [first, second] = await Promise.all([
      b.liveHub.publish(untyped({ topic, type: 'own', payload: { n: 1 } })),
      b.liveHub.publish(untyped({ topic, type: 'own', payload: { n: 2 } })),
    ]);
    await waitUntil(() => otherId > 0 && heard.includes(otherId), "A's event to reach B");
    expect(otherId).toBeGreaterThan(second.id);
    expect(heard).toEqual([first.id, second.id, otherId]);
  });
});
