import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAppOn } from '../live-support.js';
import { importFile, populateRegister, unsdCsv, unsdRow } from './support.js';

/**
 * An import killed mid-file (SIGKILL, a power cut) leaves the chunks it had staged in
 * `discrepancy_import_rows`: nothing of them is current, but they must not outlive the restart
 * (the crash-durability run checks that no staged row is left after each restart). Before the
 * server listens no import can be under way, so every staged row then is one a crash cut off.
 */
describe('staged rows of an import the process died in', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-staged-restart-'));
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are gone once the server starts again, and the next import stores only its own values', async () => {
    const before = await buildAppOn(dataDir);
    apps.push(before);
    const people = await populateRegister(before);
    // What a killed import leaves: its first chunks committed a moment ago, its release never written.
    const stage = before.db.$client.prepare(
      "insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at) values ('killed-mid-file', ?, 'k', 'SH_KILLED', 'CHL', ?, '', '{}', ?)",
    );
    for (let year = 1990; year < 2010; year++) stage.run(`k${year}`, year, Date.now());
    await before.close();
    apps.pop();

    const after = await buildAppOn(dataDir);
    apps.push(after);
    const staged = () => after.db.$client.prepare('select count(*) from discrepancy_import_rows').pluck().get();
    expect(staged()).toBe(0);
    const answer = await importFile(after, people.secretariat.cookie, unsdCsv([unsdRow('152', 'Chile', 2010, '8.5')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'After the restart' });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(after.db.$client.prepare("select count(*) from discrepancy_observations where series = 'SH_KILLED'").pluck().get()).toBe(0);
    expect(staged()).toBe(0);
  });
});
