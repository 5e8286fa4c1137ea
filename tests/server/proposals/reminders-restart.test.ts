import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { ORIGIN, TEST_ENGINE } from '../../helper.js';
import { databaseForThisFile } from '../../support/postgres.js';
import { api, buildProposalsWorld, type ProposalsWorld, type Who } from './world.js';

/**
 * The reminder a day before the close goes exactly once, also across restarts: a server that was
 * down when it fell due sends it on start; the next start, and a later pass, send nothing again.
 */

const HOUR = 3_600_000;
let now = new Date('2026-05-04T15:00:00.000Z');
const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-proposal-reminders-'));
const apps: FastifyInstance[] = [];
/** With TEST_ENGINE=postgres, the one PostgreSQL database every start serves (as the folder is on SQLite). */
let database: { url: string; close(): Promise<void> } | null | undefined;

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A server process starting on the same database as the one before it. */
const start = async () => {
  database ??= TEST_ENGINE === 'postgres' ? await databaseForThisFile() : null;
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: ORIGIN, ...(database ? { DATABASE_URL: database.url } : {}) };
  const app = await buildApp(loadConfig(env, { now: () => now }), { logger: false });
  apps.push(app);
  await app.ready();
  return app;
};

const reminders = async (app: FastifyInstance, who: Who, proposalId: string) => {
  await app.notifications.settled();
  const items = (await api(app, who, 'GET', '/notifications?limit=50')).json().items as Array<{ kind: string; details: { proposalId?: string } }>;
  return items.filter((item) => item.kind === 'proposal_reminder' && item.details.proposalId === proposalId).length;
};

describe('proposal reminders across restarts', () => {
  it('are sent once by the server that starts after they fell due, and never again', async () => {
    const first = await start();
    const w: ProposalsWorld = await buildProposalsWorld(first);
    const created = await api(first, w.clFocal, 'POST', `/threads/${w.threadId}/proposals`, { statement: 'Adoptar el método B.', closesAt: new Date(now.getTime() + 72 * HOUR).toISOString(), eligibility: 'participants' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().proposal.id as string;
    expect((await api(first, w.peFocal, 'PUT', `/proposals/${id}/position`, { position: 'agree' })).statusCode).toBe(200);
    await first.close();

    now = new Date(now.getTime() + 50 * HOUR);
    const second = await start();
    await second.scheduler.runDue();
    expect(await reminders(second, w.mxMember, id)).toBe(1);
    expect(await reminders(second, w.observer, id)).toBe(1);
    expect(await reminders(second, w.peFocal, id)).toBe(0);
    await second.close();

    now = new Date(now.getTime() + HOUR);
    const third = await start();
    await third.scheduler.runDue();
    expect(await reminders(third, w.mxMember, id)).toBe(1);
    expect(await reminders(third, w.observer, id)).toBe(1);
  });
});
