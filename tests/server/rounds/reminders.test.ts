import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { api, appOnSameDatabase, buildRoundsWorld, type RoundsWorld, type Who } from './world.js';

/**
 * Reminders to the consulted delegations that have not submitted, 7 days and 1 day before a
 * round's deadline, on a controllable clock: one of each at most, none to a delegation that has
 * submitted, none twice when the scheduler runs again or the server restarts, none after the deadline.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let now = new Date('2026-05-04T15:00:00.000Z');
const start = now.getTime();

let t: TestApp;
let w: RoundsWorld;
let roundId = '';
const deadline = start + 10 * DAY;

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => now });
  w = await buildRoundsWorld(t.app);
  const opened = await api(t.app, w.secretariat, 'POST', '/rounds', {
    documentId: w.documentId,
    version: 1,
    consulted: { countryIds: ['pe', 'cl'], organizationIds: ['unicef'] },
    deadline: new Date(deadline).toISOString(),
  });
  expect(opened.statusCode, opened.body).toBe(201);
  roundId = opened.json().round.id;
}, 60_000);
afterAll(async () => t?.close());

/** The person's reminders about the round, as their notifications list them: the lead of each. */
const reminders = async (app: FastifyInstance, who: Who) => {
  await app.notifications.settled();
  const items = (await api(app, who, 'GET', '/notifications?limit=100')).json().items as Array<{ kind: string; subject: { id: string }; details: { lead?: string } }>;
  return items.filter((item) => item.kind === 'round_reminder' && item.subject.id === roundId).map((item) => item.details.lead).sort();
};

const runAt = async (at: number) => {
  now = new Date(at);
  await t.app.scheduler.runDue();
};

describe('reminders before a round’s deadline', () => {
  it('is a notification kind people get by e-mail as their preferences say', () => {
    expect(t.app.mail.notificationKind('round_reminder')).not.toBeNull();
  });

  it('reminds nobody before 7 days are left', async () => {
    await runAt(deadline - 7 * DAY - HOUR);
    expect(await reminders(t.app, w.peFocal)).toEqual([]);
  });

  it('reminds, 7 days before, every member of the delegations that have not submitted, once', async () => {
    const submitted = await api(t.app, w.clFocal, 'POST', `/rounds/${roundId}/submission`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    await runAt(deadline - 7 * DAY + HOUR);
    expect(await reminders(t.app, w.peFocal)).toEqual(['week']);
    expect(await reminders(t.app, w.peAlternate)).toEqual(['week']);
    expect(await reminders(t.app, w.observer)).toEqual(['week']);
    // Chile submitted; Mexico is not consulted; the organizers are not a delegation.
    expect(await reminders(t.app, w.clFocal)).toEqual([]);
    expect(await reminders(t.app, w.clMember)).toEqual([]);
    expect(await reminders(t.app, w.mxMember)).toEqual([]);
    expect(await reminders(t.app, w.secretariat)).toEqual([]);
    await runAt(deadline - 6 * DAY);
    expect(await reminders(t.app, w.peFocal)).toEqual(['week']);
  });

  it('sends nothing twice after a restart', async () => {
    await t.app.close();
    const restarted = await appOnSameDatabase(t, { now: () => now });
    try {
      await restarted.scheduler.runDue();
      expect(await reminders(restarted, w.peFocal)).toEqual(['week']);
    } finally {
      await restarted.close();
    }
    // The test app again, on the same database; closing the test app closes the first one again (no-op), then removes its files and database.
    const app = await appOnSameDatabase(t, { now: () => now });
    const first = t;
    t = { ...t, app, close: async () => { await app.close(); await first.close(); } };
  });

  it('reminds, 1 day before, only those still without a submission, and nobody after the deadline', async () => {
    const submitted = await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/submission`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    await runAt(deadline - DAY + HOUR);
    expect(await reminders(t.app, w.observer)).toEqual(['day', 'week']);
    expect(await reminders(t.app, w.peFocal)).toEqual(['week']);
    await runAt(deadline + HOUR);
    expect(await reminders(t.app, w.observer)).toEqual(['day', 'week']);
  });
});
