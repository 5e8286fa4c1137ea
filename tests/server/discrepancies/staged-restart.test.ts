import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { thisHost } from '../../../server/shared/process-identity.js';
import { openTestDb } from '../support.js';
import { importFile, populateRegister, restartOf, unsdCsv, unsdRow } from './support.js';

/**
 * An import killed mid-file (SIGKILL, a power cut) leaves the chunks it had staged in
 * `discrepancy_import_rows`: nothing of them is current, but they must not outlive the restart
 * (the crash-durability run checks that no staged row is left after each restart). Several
 * processes may share the database, so a starting one drops only the rows of processes that ended,
 * never those another process is still staging.
 */
describe('staged rows of an import the process died in', () => {
  // Closed last first: the first owns the database and the folder the restarted one reuses.
  const apps: TestApp[] = [];
  const others: Array<{ kill(): boolean }> = [];
  afterAll(async () => {
    for (const other of others) other.kill();
    for (const app of apps.reverse()) await app.close();
  });

  it('are gone once the server starts again, those of an import under way in another process kept, and the next import stores only its own values', async () => {
    const before = await buildTestApp();
    apps.push(before);
    const people = await populateRegister(before.app);
    // What a killed import leaves: its first chunks committed a moment ago, its release never written;
    // and what an import still under way in another (live) process has staged so far.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const live = spawn('sleep', ['30']);
    others.push(live);
    const owner = (pid: number) => `${thisHost()}~${pid}~${Date.now().toString(36)}~abcd1234`;
    const db = openTestDb(before);
    const stage = db.prepare(
      "insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at, owner) values (?, ?, 'k', ?, 'CHL', ?, '', '{}', ?, ?)",
    );
    for (let year = 1990; year < 2010; year++) await stage.run('killed-mid-file', `k${year}`, 'SH_KILLED', year, Date.now(), owner(dead));
    for (let year = 1990; year < 2000; year++) await stage.run('under-way-elsewhere', `u${year}`, 'SH_UNDER_WAY', year, Date.now(), owner(live.pid!));
    await before.app.close();

    const after = await restartOf(before);
    apps.push(after);
    try {
      const staged = () => db.prepare("select import_id, count(*) as n from discrepancy_import_rows group by import_id").all();
      expect(await staged()).toEqual([{ import_id: 'under-way-elsewhere', n: 10 }]);
      const answer = await importFile(after.app, people.secretariat.cookie, unsdCsv([unsdRow('152', 'Chile', 2010, '8.5')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'After the restart' });
      expect(answer.statusCode, answer.body).toBe(201);
      expect(await db.prepare("select count(*) from discrepancy_observations where series = 'SH_KILLED'").value()).toBe(0);
      expect(await staged()).toEqual([{ import_id: 'under-way-elsewhere', n: 10 }]);
    } finally {
      await db.close();
    }
  });
});
