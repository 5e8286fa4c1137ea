import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuPressureMs, freePort, load, ownSchedMs, percentile, startProcess, type RunningProcess } from './measure.js';

/**
 * Consultations at the size the issue names: a questionnaire of 60 questions (two of them tables of
 * 40 indicator rows) answered and submitted by 33 countries, each through its own delegate, over
 * the real routes of the built server. Measured: the organizers' response matrix and the
 * side-by-side view (sequential requests on a warm server, p99), the XLSX export (time, and the
 * server's RSS sampled every 10 ms while it is written), and the matrix's throughput beside the
 * hello-world ceiling the caller measured. Run alone with `npm run bench:consultations`.
 */

export interface ConsultationsBenchResult {
  countries: number;
  questions: number;
  seedSeconds: number;
  matrixP50: number;
  matrixP99: number;
  sideBySideP50: number;
  sideBySideP99: number;
  /** The same, asked without Accept-Encoding (no browser does): the 585 KB sent as it is. */
  sideBySidePlainP50: number;
  sideBySidePlainP99: number;
  /** Where the side-by-side view's time went (as a browser asks): see PhaseTime. */
  sideBySideTime: PhaseTime | null;
  matrixRps: number;
  xlsxSeconds: number;
  xlsxBytes: number;
  xlsxStatus: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

/**
 * Where a sequence of requests' time went, from the scheduler's statistics (null without them):
 * each request's slowest 1 % split into the server's event loop running (its own work, or a stall
 * of its own: a timer, a GC), the server ready but waiting for a CPU, and the bench itself
 * waiting for one; and, over the whole sequence, how often the machine had a task waiting for a
 * CPU and what the bench's other servers (running beside it in `npm run bench`) used.
 */
export interface PhaseTime {
  slowest: number;
  slowestMeanMs: number;
  slowestServerRunMs: number;
  slowestServerWaitMs: number;
  slowestBenchWaitMs: number;
  /** The longest the server's event loop ran during one request of the sequence: no stall of its own was longer. */
  longestServerRunMs: number;
  wallSeconds: number;
  cpuPressurePercent: number | null;
  neighboursCpuSeconds: number | null;
}

interface RequestTime {
  ms: number;
  serverRunMs: number;
  serverWaitMs: number;
  benchWaitMs: number;
}

const COUNTRIES = ['ar', 'bb', 'bo', 'br', 'bs', 'bz', 'cl', 'co', 'cr', 'cu', 'dm', 'do', 'ec', 'gd', 'gt', 'gy', 'hn', 'ht', 'jm', 'kn', 'lc', 'mx', 'ni', 'pa', 'pe', 'py', 'sr', 'sv', 'tt', 'uy', 'vc', 've', 'ag'];
const ROWS = Array.from({ length: 40 }, (_, i) => ({ id: `${1 + (i % 8)}.${1 + Math.floor(i / 8)}.${1 + (i % 3)}`, label: { es: `Indicador ${i + 1}`, en: `Indicator ${i + 1}` } })).filter((row, i, all) => all.findIndex((other) => other.id === row.id) === i);

function questionnaire() {
  const questions: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 58; i += 1) {
    const id = `q${i}`;
    const label = { es: `Pregunta ${i} sobre la operación estadística`, en: `Question ${i} about the statistical operation` };
    if (i % 4 === 0) questions.push({ id, type: 'number', label, required: true, min: 0, max: 1_000_000, decimals: 2 });
    else if (i % 4 === 1) questions.push({ id, type: 'short_text', label, required: false });
    else if (i % 4 === 2) questions.push({ id, type: 'single_choice', label, required: true, options: [{ id: 'survey', label: { es: 'Encuesta', en: 'Survey' } }, { id: 'register', label: { es: 'Registro', en: 'Register' } }] });
    else questions.push({ id, type: 'yes_no', label, required: true });
  }
  for (const id of ['t1', 't2']) {
    questions.push({
      id,
      type: 'table',
      label: { es: `Fuente de cada indicador (${id})`, en: `Source of each indicator (${id})` },
      required: false,
      rows: { kind: 'fixed', source: 'indicators', rows: ROWS },
      columns: [
        { id: 'produced', type: 'yes_no', label: { es: 'Se produce', en: 'Produced' }, required: false },
        { id: 'value', type: 'number', label: { es: 'Último valor', en: 'Latest value' }, required: false },
        { id: 'source', type: 'text', label: { es: 'Fuente', en: 'Source' }, required: false },
      ],
    });
  }
  return { sections: [{ id: 'general', title: { es: 'Ficha técnica', en: 'Technical questionnaire' }, questions }] };
}

function answers(country: string, index: number) {
  const changes: Array<Record<string, unknown>> = [];
  for (let i = 1; i <= 58; i += 1) {
    const question = `q${i}`;
    if (i % 4 === 0) changes.push({ question, value: { type: 'number', value: Math.round((index * 1000 + i * 7.25) * 100) / 100 } });
    else if (i % 4 === 1) changes.push({ question, value: { type: 'short_text', text: `Instituto Nacional de Estadística de ${country.toUpperCase()}, operación ${i}` } });
    else if (i % 4 === 2) changes.push({ question, value: { type: 'single_choice', option: i % 3 === 0 ? 'survey' : 'register', other: null } });
    else changes.push({ question, value: { type: 'yes_no', value: (i + index) % 2 === 0 } });
  }
  for (const question of ['t1', 't2']) {
    for (const [r, row] of ROWS.entries()) {
      changes.push({ question, row: row.id, column: 'produced', cell: true });
      changes.push({ question, row: row.id, column: 'value', cell: Math.round((r + index) * 13.7) / 10 });
      changes.push({ question, row: row.id, column: 'source', cell: 'Registros administrativos' });
    }
  }
  return changes;
}

/**
 * `neighbours`: the other processes the caller keeps running meanwhile (npm run bench's main
 * server), whose CPU during the side-by-side sequence is reported.
 */
export async function measureConsultations(serverArgs: string[], options: { quick?: boolean; ceilingRps?: number; neighbours?: RunningProcess[] } = {}): Promise<ConsultationsBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-consultations-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startProcess(serverArgs, { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health');
  try {
    const json = async (method: string, url: string, cookie: string, body?: unknown) => {
      const response = await fetch(origin + url, { method, headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
      return { body: text ? JSON.parse(text) : null, cookie: response.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ') };
    };
    const started = performance.now();
    const setup = await json('POST', '/api/setup', '', { groupName: 'Grupo de trabajo ODM', displayName: 'Ana Admin', email: 'admin@cepal.org', password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' });
    const admin = setup.cookie;
    const invite = async (email: string, role: string, affiliation: Record<string, string>) => {
      const invitation = await json('POST', '/api/invitations', admin, { email, role, ...affiliation });
      const token = new URL(invitation.body.acceptUrl as string).pathname.split('/').pop()!;
      return (await json('POST', `/api/invitations/${token}/accept`, '', { displayName: email.split('@')[0], password: 'bench-password-2026', locale: 'es', timeZone: 'America/Santiago' })).cookie;
    };
    const coordinator = await invite('coordinacion@ine.cl', 'coordinator', {});
    const created = await json('POST', '/api/consultations', coordinator, { title: { es: 'Ficha técnica de referencia', en: 'Reference questionnaire' }, deadline: { date: '2099-12-31', time: '23:59', zone: 'America/Santiago' }, targets: COUNTRIES, questionnaire: questionnaire() });
    const id = created.body.consultation.id as string;
    await json('POST', `/api/consultations/${id}/open`, coordinator, {});
    for (const [index, country] of COUNTRIES.entries()) {
      const delegate = await invite(`punto.focal@${country}.example.org`, 'member', { countryId: country });
      const saved = await json('PATCH', `/api/consultations/${id}/draft`, delegate, { base: 0, changes: answers(country, index) });
      await json('POST', `/api/consultations/${id}/submit`, delegate, { revision: saved.body.draft.revision });
    }
    const seedSeconds = (performance.now() - started) / 1000;

    let requestTimes: RequestTime[] = [];
    const timed = async (url: string, times: number, headers: Record<string, string> = {}) => {
      const latencies: number[] = [];
      requestTimes = [];
      for (let i = 0; i < times; i += 1) {
        // Read outside the timed stretch, so that reading them costs the measure nothing.
        const serverBefore = server.schedMs();
        const benchBefore = ownSchedMs();
        const begun = performance.now();
        const response = await fetch(origin + url, { headers: { cookie: coordinator, ...headers } });
        await response.arrayBuffer();
        const ms = performance.now() - begun;
        const serverAfter = server.schedMs();
        const benchAfter = ownSchedMs();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        latencies.push(ms);
        if (serverBefore && serverAfter && benchBefore && benchAfter) {
          requestTimes.push({ ms, serverRunMs: serverAfter.runMs - serverBefore.runMs, serverWaitMs: serverAfter.waitMs - serverBefore.waitMs, benchWaitMs: benchAfter.waitMs - benchBefore.waitMs });
        }
      }
      return latencies;
    };
    /** timed() with where its time went. */
    const timedAndExplained = async (url: string, times: number, headers: Record<string, string>) => {
      const pressureBefore = cpuPressureMs();
      const neighboursBefore = options.neighbours?.map((process) => process.cpuSeconds());
      const begun = performance.now();
      const latencies = await timed(url, times, headers);
      const wallMs = performance.now() - begun;
      const pressureAfter = cpuPressureMs();
      const neighboursAfter = options.neighbours?.map((process) => process.cpuSeconds());
      return { latencies, time: explain(requestTimes, wallMs, pressureBefore === null || pressureAfter === null ? null : ((pressureAfter - pressureBefore) / wallMs) * 100, neighboursBefore && neighboursAfter ? neighboursAfter.reduce((sum, after, i) => sum + after - neighboursBefore[i]!, 0) : null) };
    };
    const rounds = options.quick ? 50 : 300;
    await timed(`/api/consultations/${id}/matrix`, 20);
    const matrix = await timed(`/api/consultations/${id}/matrix`, rounds);
    // As a browser asks for it (every browser sends Accept-Encoding), and as no browser does.
    const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    await timed(`/api/consultations/${id}/side-by-side`, 10, browser);
    const { latencies: sideBySide, time: sideBySideTime } = await timedAndExplained(`/api/consultations/${id}/side-by-side`, rounds, browser);
    const sideBySidePlain = await timed(`/api/consultations/${id}/side-by-side`, rounds);
    const throughput = await load({ url: `${origin}/api/consultations/${id}/matrix`, headers: { cookie: coordinator }, duration: options.quick ? 3 : 10 });

    const rssBeforeMb = server.rssMb();
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, server.rssMb())), 10);
    const begun = performance.now();
    const xlsx = await fetch(`${origin}/api/consultations/${id}/export.xlsx?layout=long`, { headers: { cookie: coordinator } });
    const bytes = (await xlsx.arrayBuffer()).byteLength;
    const xlsxSeconds = (performance.now() - begun) / 1000;
    clearInterval(sampler);
    rssPeakMb = Math.max(rssPeakMb, server.rssMb());

    return {
      countries: COUNTRIES.length,
      questions: 60,
      seedSeconds,
      matrixP50: percentile(matrix, 50),
      matrixP99: percentile(matrix, 99),
      sideBySideP50: percentile(sideBySide, 50),
      sideBySideP99: percentile(sideBySide, 99),
      sideBySidePlainP50: percentile(sideBySidePlain, 50),
      sideBySidePlainP99: percentile(sideBySidePlain, 99),
      sideBySideTime,
      matrixRps: throughput.requestsPerSecond,
      xlsxSeconds,
      xlsxBytes: bytes,
      xlsxStatus: xlsx.status,
      rssBeforeMb,
      rssPeakMb,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function explain(times: RequestTime[], wallMs: number, cpuPressurePercent: number | null, neighboursCpuSeconds: number | null): PhaseTime | null {
  if (times.length === 0) return null;
  const p99 = percentile(times.map((time) => time.ms), 99);
  const slowest = times.filter((time) => time.ms >= p99);
  const mean = (pick: (time: RequestTime) => number) => slowest.reduce((sum, time) => sum + pick(time), 0) / slowest.length;
  return {
    slowest: slowest.length,
    slowestMeanMs: mean((time) => time.ms),
    slowestServerRunMs: mean((time) => time.serverRunMs),
    slowestServerWaitMs: mean((time) => time.serverWaitMs),
    slowestBenchWaitMs: mean((time) => time.benchWaitMs),
    longestServerRunMs: Math.max(...times.map((time) => time.serverRunMs)),
    wallSeconds: wallMs / 1000,
    cpuPressurePercent,
    neighboursCpuSeconds,
  };
}

/** The table rows of the result, for `npm run bench` and `npm run bench:consultations`. */
export function consultationRows(result: ConsultationsBenchResult, ceilingRps: number | null): Array<[string, string, string, string]> {
  const fmt = (value: number, digits = 1) => value.toFixed(digits);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const growth = result.rssPeakMb - result.rssBeforeMb;
  return [
    [`consultation matrix (${result.countries} countries × ${result.questions} questions, all submitted) p50 / p99`, `${fmt(result.matrixP50)} / ${fmt(result.matrixP99)} ms`, 'p99 < 50 ms', verdict(result.matrixP99 < 50)],
    ['consultation side by side (every answer of every country, as a browser asks) p50 / p99', `${fmt(result.sideBySideP50)} / ${fmt(result.sideBySideP99)} ms`, 'p99 < 50 ms', verdict(result.sideBySideP99 < 50)],
    ...phaseTimeRows(result.sideBySideTime),
    ['  the same without Accept-Encoding p50 / p99', `${fmt(result.sideBySidePlainP50)} / ${fmt(result.sideBySidePlainP99)} ms`, '', ''],
    [
      'consultation matrix req/s' + (ceilingRps ? ' / hello-world' : ''),
      ceilingRps ? `${fmt(result.matrixRps, 0)} (${fmt((result.matrixRps / ceilingRps) * 100)} %)` : fmt(result.matrixRps, 0),
      '',
      '',
    ],
    [`consultation XLSX export (long, ${fmt(result.xlsxBytes / 1024, 0)} KB): status, time`, `${result.xlsxStatus}, ${fmt(result.xlsxSeconds, 2)} s`, '< 2 s', verdict(result.xlsxStatus === 200 && result.xlsxSeconds < 2)],
    ['consultation XLSX export: server RSS before / peak (growth)', `${fmt(result.rssBeforeMb, 0)} / ${fmt(result.rssPeakMb, 0)} MB (${fmt(growth)} MB)`, 'growth < 50 MB', verdict(growth < 50)],
  ];
}

/** Where the side-by-side view's time went: a p99 missed through the machine's load reads differently from one missed through a stall of the server's. */
function phaseTimeRows(time: PhaseTime | null): Array<[string, string, string, string]> {
  if (!time) return [['  where its time went', 'unknown (no /proc/.../schedstat)', '', '']];
  const fmt = (value: number) => value.toFixed(1);
  const machine = [
    time.cpuPressurePercent === null ? null : `a task waiting for a CPU ${time.cpuPressurePercent.toFixed(0)} % of the time`,
    time.neighboursCpuSeconds === null ? null : `the bench's other servers used ${fmt(time.neighboursCpuSeconds)} s of CPU`,
  ].filter(Boolean);
  return [
    [
      `  its slowest 1 % (${time.slowest} requests, mean ${fmt(time.slowestMeanMs)} ms): server's event loop ran / server waited for a CPU / the bench waited for one`,
      `${fmt(time.slowestServerRunMs)} / ${fmt(time.slowestServerWaitMs)} / ${fmt(time.slowestBenchWaitMs)} ms`,
      '',
      '',
    ],
    ['  the longest its event loop ran in one request (no stall of its own was longer)', `${fmt(time.longestServerRunMs)} ms`, '', ''],
    ...(machine.length ? [[`  meanwhile (${fmt(time.wallSeconds)} s)`, machine.join('; '), '', ''] as [string, string, string, string]] : []),
  ];
}
