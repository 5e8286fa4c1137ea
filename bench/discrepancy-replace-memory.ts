import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startProcess } from './measure.js';
import { UNSD_HEADER, unsdRow } from '../tests/fixtures/unsd-rows.js';

/**
 * How much a discrepancy import that replaces a release grows the server's memory: a 50,000-value
 * UNSD release imported, then the same keys with every value changed (each observation replaced,
 * each staged row moved and deleted, in one unit of work). Its cost on SQLite is the journal of
 * the pages it changes, which a savepoint keeps in memory until released (temp_store = MEMORY).
 * Reports the server's RSS growth during each import (peak, from the kernel's VmHWM, minus the
 * RSS before), on a server started from the sources (tsx) with npm start's Node flags.
 *
 * `node --import tsx bench/discrepancy-replace-memory.ts [rows] [rounds]`
 */

const rows = Number(process.argv[2] ?? 50_000);
const rounds = Number(process.argv[3] ?? 1);
const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

for (let round = 1; round <= rounds; round++) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-replace-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startProcess(['--max-semi-space-size=4', '--import', 'tsx', 'server/server.ts'], { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health');
  try {
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ groupName: 'Bench', displayName: 'Admin', email: 'admin@cepal.org', password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' }),
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    const admin = cookieOf(setup);
    // Imports are the staff's: a secretariat account, invited and accepted.
    const invited = await fetch(`${server.url}/api/invitations`, { method: 'POST', headers: { cookie: admin, origin, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'secretariat@cepal.org', role: 'secretariat', organizationId: 'eclac' }) });
    const token = new URL(((await invited.json()) as { acceptUrl: string }).acceptUrl).pathname.split('/').pop()!;
    const accepted = await fetch(`${server.url}/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Secretaría', password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago' }),
    });
    if (accepted.status !== 201) throw new Error(`accept answered ${accepted.status}`);
    const secretariat = cookieOf(accepted);
    const lines = Array.from({ length: rows }, (_, i) => unsdRow(i));
    const csv = (body: string[]) => `${UNSD_HEADER}\r\n${body.join('\r\n')}\r\n`;
    const first = csv(lines);
    // The same keys, every value changed (TimePeriod, Value, Time_Detail): the second release replaces every observation of the first.
    const second = csv(lines.map((line) => line.replace(/,(\d{4}),([0-9.]+),\1,/, (_, year: string, value: string) => `,${year},${(Number(value) + 0.5).toFixed(3)},${year},`)));
    const importRelease = async (body: string, title: string) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = server.rssMb();
      const kernel = server.resetPeakRss();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rssMb())), 10);
      const started = performance.now();
      const answer = await fetch(`${server.url}/api/discrepancies/releases?${new URLSearchParams({ side: 'international', format: 'unsd_csv', agencyId: 'unicef', title })}`, {
        method: 'POST',
        headers: { cookie: secretariat, origin, 'content-type': 'text/csv' },
        body,
      });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (answer.status !== 201) throw new Error(`${title} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
      const summary = ((await answer.json()) as { release: { summary: unknown } }).release.summary;
      peak = Math.max(peak, server.rssMb(), kernel ? server.peakRssMb() : 0);
      return { title, seconds: seconds.toFixed(2), rssBeforeMb: before.toFixed(0), growthMb: (peak - before).toFixed(0), summary: JSON.stringify(summary) };
    };
    console.log(`round ${round}, ${rows} values`);
    console.table([await importRelease(first, 'first release'), await importRelease(second, 'replacing release')]);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
