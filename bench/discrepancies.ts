import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, load, printTable, serverNodeArgs, startProcess, type LoadResult, type RunningProcess } from './measure.js';

/**
 * The discrepancy register under load (issue 14): a group with 60 indicators × 33 countries × 25
 * years on each side (49,500 observations each, about 5,000 cases), imported through the real
 * route, then the coordinator's matrix and a case page read at 50 connections, against the
 * hello-world ceiling of the same run. The import of the 49,500 UNSD rows is timed and the
 * server's resident memory is followed during it (growth = the peak, sampled and as the kernel records it, minus the RSS before).
 *
 * Run alone: `node --import tsx bench/discrepancies.ts [--quick]` (it measures its own ceiling);
 * `npm run bench` calls it with the ceiling it measured.
 */

const INDICATORS = 60;
const YEARS = 25;
const countries = (JSON.parse(readFileSync(new URL('../server/features/reference/m49.json', import.meta.url), 'utf8')) as { countries: Array<{ iso3: string; m49: string }> }).countries;

const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
const indicatorCode = (i: number) => `${1 + (i % 8)}.${1 + Math.floor(i / 8)}`;
const series = (i: number) => `SH_BENCH_${String(i).padStart(2, '0')}`;
const base = (i: number, c: number, y: number) => Math.round((10 + i + c * 0.7 + y * 0.3) * 10) / 10;

function unsdFile(): string {
  const lines = [UNSD_HEADER];
  for (let i = 0; i < INDICATORS; i++)
    for (const [c, country] of countries.entries())
      for (let y = 0; y < YEARS; y++) {
        const year = 2000 + y;
        lines.push(
          `${1 + (i % 8)},${1 + (i % 8)}.A,${indicatorCode(i)},${series(i)},"Bench series ${i} (per 1,000 live births)",${Number(country.m49)},Country ${c},${year},${base(i, c, y)},${year},,,,,"UN IGME, estimates 2025",,Model estimate.,<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS`,
        );
      }
  return `${lines.join('\r\n')}\r\n`;
}

/** The same keys, one value in ten beyond the 5 % tolerance (about 5,000 cases). */
function nationalFile(): string {
  const lines = ['indicator,series,country,year,value,unit,unit_mult,sex,age,location'];
  let n = 0;
  for (let i = 0; i < INDICATORS; i++)
    for (const [c, country] of countries.entries())
      for (let y = 0; y < YEARS; y++) {
        n += 1;
        const value = n % 10 === 0 ? base(i, c, y) * 0.8 : base(i, c, y);
        lines.push(`${indicatorCode(i)},${series(i)},${country.iso3},${2000 + y},${Math.round(value * 10) / 10},PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T`);
      }
  return `${lines.join('\n')}\n`;
}

const cookieOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

async function person(url: string, origin: string, admin: string, role: string, affiliation: Record<string, string>, n: number): Promise<string> {
  const invited = await fetch(`${url}/api/invitations`, { method: 'POST', headers: { cookie: admin, origin, 'content-type': 'application/json' }, body: JSON.stringify({ email: `bench${n}@example.org`, role, ...affiliation }) });
  if (invited.status !== 201) throw new Error(`invitation answered ${invited.status}: ${await invited.text()}`);
  const token = new URL(((await invited.json()) as { acceptUrl: string }).acceptUrl).pathname.split('/').pop()!;
  const accepted = await fetch(`${url}/api/invitations/${token}/accept`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: `Bench ${role}`, password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago' }),
  });
  if (accepted.status !== 201) throw new Error(`accept answered ${accepted.status}`);
  return cookieOf(accepted);
}

export interface DiscrepancyBench {
  importSeconds: number;
  importRssGrowthMb: number;
  nationalImportSeconds: number;
  nationalImportRssGrowthMb: number;
  cases: number;
  matrix: LoadResult;
  matrixBytes: number;
  /** Compressed, as a browser receives it. */
  matrixWireBytes: number;
  casePage: LoadResult;
}

export async function measureDiscrepancies(options: { seconds: number; log: (line: string) => void }): Promise<DiscrepancyBench> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-discrepancies-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let server: RunningProcess | null = null;
  try {
    server = await startProcess(serverNodeArgs(), { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health');
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ groupName: 'Bench', displayName: 'Admin', email: 'admin@cepal.org', password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' }),
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    const admin = cookieOf(setup);
    const secretariat = await person(server.url, origin, admin, 'secretariat', { organizationId: 'eclac' }, 1);
    const coordinator = await person(server.url, origin, admin, 'coordinator', { countryId: 'ar' }, 2);

    const unsd = unsdFile();
    const national = nationalFile();
    options.log(`  discrepancies: importing ${(unsd.length / 1024 / 1024).toFixed(1)} MB of UNSD CSV (${INDICATORS * countries.length * YEARS} rows)...`);
    const upload = (body: string, query: Record<string, string>) =>
      fetch(`${server!.url}/api/discrepancies/releases?${new URLSearchParams(query)}`, { method: 'POST', headers: { cookie: secretariat, origin, 'content-type': 'text/csv' }, body });
    // Settle the heap first, so the growth is the import's. The peak is the larger of a 10 ms
    // sampler's and the kernel's own record (VmHWM, restarted just before), which sees every burst.
    const measured = async (run: () => Promise<Response>) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const rssBefore = server!.rssMb();
      const kernelPeak = server!.resetPeakRss();
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, server!.rssMb())), 10);
      const started = performance.now();
      const answer = await run();
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, server!.rssMb(), kernelPeak ? server!.peakRssMb() : 0);
      return { answer, seconds, growthMb: peak - rssBefore };
    };
    const unsdImport = await measured(() => upload(unsd, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG Global Database (bench)' }));
    const imported = unsdImport.answer;
    if (imported.status !== 201) throw new Error(`UNSD import answered ${imported.status}: ${(await imported.text()).slice(0, 300)}`);
    const nationalImport = await measured(() => upload(national, { side: 'national', format: 'national_csv', title: 'Nacional (bench)' }));
    const nationalImported = nationalImport.answer;
    if (nationalImported.status !== 201) throw new Error(`national import answered ${nationalImported.status}: ${(await nationalImported.text()).slice(0, 300)}`);
    const cases = ((await nationalImported.json()) as { release: { summary: { casesOpened: number } } }).release.summary.casesOpened;

    const matrixUrl = `${server.url}/api/discrepancies/matrix`;
    const matrixFirst = await fetch(matrixUrl, { headers: { cookie: coordinator } });
    const matrixBody = await matrixFirst.text();
    if (matrixFirst.status !== 200) throw new Error(`matrix answered ${matrixFirst.status}`);
    // As a browser asks for it (every browser sends Accept-Encoding): the body it is sent is the
    // remembered compressed copy. Its size on the wire is measured apart.
    const browser = { cookie: coordinator, 'accept-encoding': 'gzip, deflate, br, zstd' };
    const wire = await new Promise<number>((resolve, reject) => {
      const url = new URL(matrixUrl);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: browser }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
      });
      req.on('error', reject);
      req.end();
    });
    await load({ url: matrixUrl, headers: browser, duration: 2 });
    const matrix = await load({ url: matrixUrl, headers: browser, duration: options.seconds });

    const list = (await (await fetch(`${server.url}/api/discrepancies/cases?limit=1&indicator=1.1&countryId=cl`, { headers: { cookie: coordinator } })).json()) as { items: Array<{ id: string }> };
    const caseUrl = `${server.url}/api/discrepancies/cases/${list.items[0]!.id}`;
    await load({ url: caseUrl, headers: { cookie: coordinator }, duration: 2 });
    const casePage = await load({ url: caseUrl, headers: { cookie: coordinator }, duration: options.seconds });
    return { importSeconds: unsdImport.seconds, importRssGrowthMb: unsdImport.growthMb, nationalImportSeconds: nationalImport.seconds, nationalImportRssGrowthMb: nationalImport.growthMb, cases, matrix, matrixBytes: Buffer.byteLength(matrixBody), matrixWireBytes: wire, casePage };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** The rows `npm run bench` prints, as shares of the hello-world ceiling of the same run. */
export function discrepancyRows(result: DiscrepancyBench, ceiling: LoadResult): Array<[string, string, string, string]> {
  const share = (r: LoadResult) => `${fmt(r.requestsPerSecond, 0)} (${fmt((r.requestsPerSecond / ceiling.requestsPerSecond) * 100)} %)`;
  return [
    ['hello-world req/s (ceiling)', fmt(ceiling.requestsPerSecond, 0), '', ''],
    [`UNSD import, ${INDICATORS * countries.length * YEARS} rows: time`, `${fmt(result.importSeconds, 2)} s`, '< 10 s', verdict(result.importSeconds < 10)],
    ['  server RSS growth during it (peak − before; kernel VmHWM)', `${fmt(result.importRssGrowthMb)} MB`, '< 100 MB', verdict(result.importRssGrowthMb < 100)],
    [`  then the national file (same keys), pairing: time, cases opened, RSS growth`, `${fmt(result.nationalImportSeconds, 2)} s, ${result.cases}, ${fmt(result.nationalImportRssGrowthMb)} MB`, '', ''],
    [`matrix (${fmt(result.matrixBytes / 1024)} KB, ${fmt(result.matrixWireBytes / 1024)} KB brotli as browsers ask) req/s / hello-world`, share(result.matrix), '', result.matrix.non2xx === 0 ? '' : `${result.matrix.non2xx} non-2xx`],
    ['matrix p99 at 50 connections', `${fmt(result.matrix.p99Ms)} ms`, '< 50 ms', verdict(result.matrix.p99Ms < 50 && result.matrix.non2xx === 0)],
    ['case page (case, both series, discussion) req/s / hello-world, p99', `${share(result.casePage)}, ${fmt(result.casePage.p99Ms)} ms`, '', result.casePage.non2xx === 0 ? '' : `${result.casePage.non2xx} non-2xx`],
  ];
}

export const DISCREPANCY_TITLE = `Discrepancy register (${INDICATORS} indicators × ${countries.length} countries × ${YEARS} years on each side; the server as npm start runs it)`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const seconds = quick ? 3 : 8;
  const helloPort = await freePort();
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
  await load({ url: `${hello.url}/hello`, duration: 2 });
  const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
  await hello.stop();
  const result = await measureDiscrepancies({ seconds, log: console.log });
  printTable(DISCREPANCY_TITLE, discrepancyRows(result, ceiling));
}
