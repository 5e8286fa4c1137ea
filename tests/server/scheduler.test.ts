import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helper.js';
import { buildMeetingsApp, TestClock } from './meetings/support.js';
import { countingLoopTurns } from '../support/loop-turns.js';

/** The scheduler plugin on its own: unique keys, exactly-once runs, retries of a failing job, unknown kinds. */

const clock = new TestClock(Date.parse('2026-02-01T00:00:00.000Z'));
let t: TestApp;
const runs: string[] = [];
let failuresLeft = 2;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  t.app.scheduler.define('test-counted', (job) => {
    runs.push(job.key);
    return 'done';
  });
  t.app.scheduler.define('test-flaky', (job) => {
    if (failuresLeft-- > 0) throw new Error('not yet');
    runs.push(job.key);
    return 'done';
  });
  t.app.scheduler.define('test-broken', () => {
    throw new Error('always');
  });
});
afterAll(async () => t.close());

const plan = (key: string, kind: string, runAt: number) =>
  t.app.unitOfWork.run((commit) => t.app.scheduler.planWithin(commit, [{ key, kind, subject: 'test', runAt: new Date(runAt), payload: {} }]));
const job = async (key: string) => (await t.app.scheduler.jobsOf('test')).find((row) => row.key === key)!;

describe('the scheduler', () => {
  it('runs a job once when due, however often it is planned or the runner asked', async () => {
    const at = clock.ms + 60_000;
    await plan('once', 'test-counted', at);
    await plan('once', 'test-counted', at);
    await t.app.scheduler.runDue();
    expect(runs).toEqual([]);
    clock.set(at);
    await Promise.all([t.app.scheduler.runDue(), t.app.scheduler.runDue()]);
    await t.app.scheduler.runDue();
    expect(runs).toEqual(['once']);
    // Planned again after it ran: it stays done.
    await plan('once', 'test-counted', clock.ms + 1000);
    clock.advance(5000);
    await t.app.scheduler.runDue();
    expect(runs).toEqual(['once']);
    expect((await job('once')).outcome).toBe('done');
  });

  it('tries a failing job again a minute later, and gives up after five attempts', async () => {
    await plan('flaky', 'test-flaky', clock.ms);
    await plan('broken', 'test-broken', clock.ms);
    for (let i = 0; i < 6; i++) {
      await t.app.scheduler.runDue();
      clock.advance(61_000);
    }
    expect(runs).toContain('flaky');
    expect(await job('flaky')).toMatchObject({ outcome: 'done', attempts: 2 });
    expect(await job('broken')).toMatchObject({ outcome: 'failed', attempts: 5 });
  });

  it('marks a job of a kind nobody defines as failed instead of waking for it forever', async () => {
    await plan('orphan', 'test-nobody', clock.ms);
    await t.app.scheduler.runDue();
    expect((await job('orphan')).outcome).toBe('failed');
  });

  it('gives the event loop a turn between one job and the next, so a backlog does not hold requests up', async () => {
    // Each job's commit resumed the loop that ran the next in the same turn: a backlog (a server
    // started after a day down) ran in one turn, reading no request meanwhile.
    const jobs = 8;
    for (let i = 0; i < jobs; i += 1) await plan(`backlog-${i}`, 'test-counted', clock.ms);
    const { turns } = await countingLoopTurns(() => t.app.scheduler.runDue());
    expect(runs.filter((key) => key.startsWith('backlog-'))).toHaveLength(jobs);
    expect(turns).toBeGreaterThanOrEqual(jobs);
  });
});
