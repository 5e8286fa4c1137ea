import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { cpuPressureMs, freePort, percentile, serverNodeArgs, startProcess, typeScriptWorker, type RunningProcess } from './measure.js';
import { chartSvg, judgeFlat, toCsv, type FlatVerdict, type MinuteSample } from './soak-report.js';
import type { SoakClientSpec } from './soak-client.js';
import { MEMBERS_FROM, seedSoak } from './soak-seed.js';

/**
 * `npm run soak`: the server under a long, steady, moderate load, to show that it stays flat.
 *
 * Builds a forum (bench/seed.ts, plus meetings, polls and documents), starts the built server
 * exactly as `npm start` does (same Node flags) on 127.0.0.1, with one addition: a preload
 * (bench/soak-probe.ts) that measures the event-loop delay and the V8 heap inside the process.
 * Opens 1,000 websocket clients (each following one of the threads being written to and its
 * person's own topic, read by four worker threads as the benchmark's fan-out is), then sends a
 * fixed rate of mixed requests (thread pages, search, the meetings and document lists, new posts,
 * edits of them, poll answers) for the duration. Every minute: the server's RSS (/proc), its heap
 * and event-loop delay (the preload), the p50/p99 of that minute's requests. Writes the series as
 * CSV and JSON and draws them as an SVG; judges each series flat (see soak-report.ts) after the
 * warm-up minutes and exits non-zero when one is not, or when requests failed, sockets were
 * dropped or the load could not be sent at its rate.
 *
 *   npm run soak                      30 minutes, 50 requests/s, 1,000 sockets
 *   npm run soak -- --minutes 3       a short run that checks the harness
 *   options: --minutes N  --rate R  --clients C  --warmup W (minutes)  --out DIR
 *            --profile   a CPU profile of the server over the first judged minute and the last one
 *                        (<out>/soak-<time>-minute-N.cpuprofile), to diff what grows with the data;
 *                        writing a profile stalls the server briefly: judge a run without it
 *            --keep      keeps the data folder (its path is printed), e.g. for EXPLAIN QUERY PLAN
 *
 * Not part of npm test: it takes the machine for its whole duration.
 */
const { values: options } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '50' },
    clients: { type: 'string', default: '1000' },
    warmup: { type: 'string' },
    out: { type: 'string', default: 'soak-results' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = positiveInteger('minutes', options.minutes!);
const rate = positiveInteger('rate', options.rate!);
const clientCount = positiveInteger('clients', options.clients!);
// The first sixth of the run, at least one minute and at most five: JIT compilation, caches
// (thread pages, search answers, sessions), SQLite's page cache and the sockets' buffers fill.
const warmUpMinutes = options.warmup === undefined ? Math.min(5, Math.max(1, Math.floor(minutes / 6))) : Number(options.warmup);
const TOLERANCE = 0.1;
const SIZE = { users: 200, threads: 1_000, posts: 20_000 };
const READER_THREADS = 4;
/** Beyond this many requests in flight the server is not keeping up; further starts are counted as skipped. */
const MAX_IN_FLIGHT = 256;
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
const SEARCHES = ['mortalidad infantil', 'poblacion urbana', 'agua potable', 'censo proyeccion', 'pobreza extrema', 'maternal mortality', 'cifra', 'fuente'];
/** The mix, per 100 requests. */
const MIX: Array<[Kind, number]> = [
  ['thread_page', 35],
  ['search', 10],
  ['meetings_list', 10],
  ['documents_list', 10],
  ['new_post', 15],
  ['edit_post', 10],
  ['poll_answer', 10],
];
type Kind = 'thread_page' | 'search' | 'meetings_list' | 'documents_list' | 'new_post' | 'edit_post' | 'poll_answer';

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a whole number above 0, not "${value}"`);
  return number;
}

const log = (line: string) => console.log(line);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seeded, so two runs send the same sequence of requests. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The preload is TypeScript like everything else; the server runs plain Node, so it is transpiled for it. */
function writeProbe(dir: string): string {
  const source = readFileSync(new URL('./soak-probe.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const file = path.join(dir, 'soak-probe.mjs');
  writeFileSync(file, outputText);
  return file;
}

interface ProbeSample {
  heapUsedMb: number;
  heapFloorMb: number;
  heapTotalMb: number;
  externalMb: number;
  loopDelayMs: { p50: number; p99: number; max: number; samples: number };
}

function probe(server: RunningProcess): Promise<ProbeSample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.child.off('message', onMessage);
      reject(new Error('the server did not answer the sample request in 15 s'));
    }, 15_000);
    const onMessage = (message: { type?: string } & ProbeSample) => {
      if (message.type !== 'soak:sample') return;
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve(message);
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'soak:sample' });
  });
}

/** --profile: starts or stops the in-process CPU profile (see soak-probe.ts); a stop waits for the file. */
function profiling(server: RunningProcess, action: 'start' | 'stop', file?: string): Promise<void> {
  if (action === 'start') {
    server.child.send({ type: 'soak:profile-start' });
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, 30_000);
    function done() {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      resolve();
    }
    function onMessage(message: { type?: string }) {
      if (message.type === 'soak:profiled') done();
    }
    server.child.on('message', onMessage);
    server.child.send({ type: 'soak:profile-stop', file });
  });
}

function nextMessage<T>(worker: Worker, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`no "${type}" from a socket thread in ${timeoutMs} ms`))), timeoutMs);
    const onMessage = (message: { type: string }) => {
      if (message.type === type) settle(() => resolve(message as T));
    };
    const onError = (error: unknown) => settle(() => reject(error));
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}

interface Completed {
  kind: Kind;
  ms: number;
  status: number;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-soak-'));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(options.out!, { recursive: true });
const base = path.join(options.out!, `soak-${stamp}`);
let server: RunningProcess | null = null;
const workers: Worker[] = [];
let exitCode = 0;

try {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  log(`Seeding ${SIZE.posts.toLocaleString('en')} posts in ${SIZE.threads.toLocaleString('en')} threads by ${SIZE.users} people, meetings, polls and documents...`);
  const world = await seedSoak(dataDir, origin, SIZE, log);

  const [script, ...flagsReversed] = serverNodeArgs().reverse();
  const serverArgs = [...flagsReversed.reverse(), '--import', pathToFileURL(writeProbe(dataDir)).href, script!];
  server = await startProcess(serverArgs, { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health', { ipc: true });
  log(`Server: node ${serverArgs.map((arg) => (arg.startsWith('file:') ? 'bench/soak-probe (preload)' : arg)).join(' ')} (pid ${server.child.pid})`);

  // The sockets: each follows one of the threads being written to and its person's own topic.
  const wsUrl = `${origin.replace('http', 'ws')}/api/live`;
  const specs: SoakClientSpec[] = Array.from({ length: clientCount }, (_, i) => ({
    cookie: world.cookies[i % world.cookies.length]!,
    topics: [`thread:${world.activeThreadIds[i % world.activeThreadIds.length]}`, `user:${world.userIds[i % world.userIds.length]}`],
  }));
  for (let t = 0; t < READER_THREADS; t += 1) {
    workers.push(typeScriptWorker(new URL('./soak-client.ts', import.meta.url), { wsUrl, origin, clients: specs.filter((_, i) => i % READER_THREADS === t) }));
  }
  await Promise.all(workers.map((worker) => nextMessage(worker, 'ready', 120_000)));
  log(`${clientCount} websocket clients subscribed (read by ${READER_THREADS} threads)`);

  // The load: a fixed rate of requests started on schedule whatever the answers' pace (open loop).
  const random = rng(20081);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const totalWeight = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const chooseKind = (): Kind => {
    let roll = random() * totalWeight;
    for (const [kind, weight] of MIX) if ((roll -= weight) < 0) return kind;
    return MIX[0]![0];
  };
  // People past the first twelve are delegates (members): they read, write and answer polls.
  const memberIndexes = Array.from({ length: world.cookies.length - MEMBERS_FROM }, (_, i) => i + MEMBERS_FROM);
  const ownPosts = new Map<number, string[]>();
  let sequence = 0;
  /** The request for a kind (an edit by someone with no post yet becomes a new post, and is counted as one). */
  const request = (kind: Kind): { kind: Kind; url: string; init: RequestInit; expected: number; onBody?: (body: string) => void } => {
    const who = pick(memberIndexes);
    const cookie = world.cookies[who]!;
    const write = (method: string, payload: unknown) => ({ method, headers: { cookie, origin, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    sequence += 1;
    switch (kind) {
      case 'thread_page':
        return { kind, url: `/api/threads/${pick(world.activeThreadIds)}/posts?view=chronological&limit=50`, init: { headers: { cookie, 'accept-encoding': BROWSER_ACCEPT_ENCODING } }, expected: 200 };
      case 'search':
        return { kind, url: `/api/search?q=${encodeURIComponent(pick(SEARCHES))}&limit=20`, init: { headers: { cookie } }, expected: 200 };
      case 'meetings_list':
        return { kind, url: `/api/meetings?view=${pick(['upcoming', 'polls', 'mine'])}`, init: { headers: { cookie } }, expected: 200 };
      case 'documents_list':
        return { kind, url: `/api/documents?limit=20${random() < 0.3 ? '&q=conciliacion' : ''}`, init: { headers: { cookie } }, expected: 200 };
      case 'edit_post': {
        const mine = ownPosts.get(who);
        if (mine?.length) return { kind, url: `/api/posts/${pick(mine)}`, init: write('PATCH', { body: `Corrección ${sequence}: la cifra revisada de la **serie** es ${(sequence % 97) / 10}.` }), expected: 200 };
        return request('new_post');
      }
      case 'new_post':
        return {
          kind,
          url: `/api/threads/${pick(world.activeThreadIds)}/posts`,
          init: write('POST', { body: `Respuesta ${sequence}: revisamos la **serie** de población y la diferencia es de ${(sequence % 97) / 10} puntos.` }),
          expected: 201,
          onBody: (body) => {
            const list = ownPosts.get(who) ?? [];
            list.push((JSON.parse(body) as { post: { id: string } }).post.id);
            if (list.length > 20) list.shift();
            ownPosts.set(who, list);
          },
        };
      case 'poll_answer': {
        const poll = pick(world.polls);
        const answers = poll.slotIds.map((slotId) => ({ slotId, answer: pick(['yes', 'if_need_be', 'no'] as const) }));
        return { kind, url: `/api/meetings/${poll.meetingId}/poll/answers`, init: write('PUT', { answers }), expected: 200 };
      }
    }
  };

  let thisMinute: Completed[] = [];
  let skipped = 0;
  let inFlight = 0;
  const statuses = new Map<string, number>();
  const fire = async () => {
    const { kind, url, init, expected, onBody } = request(chooseKind());
    inFlight += 1;
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(origin + url, { ...init, signal: AbortSignal.timeout(30_000) });
      const body = await response.text();
      status = response.status;
      if (status === expected) onBody?.(body);
    } catch {
      status = 0; // network error or time-out
    } finally {
      inFlight -= 1;
    }
    thisMinute.push({ kind, ms: performance.now() - started, status: status === expected ? 0 : status || -1 });
    if (status !== expected) statuses.set(`${kind} ${status || 'network error'}`, (statuses.get(`${kind} ${status || 'network error'}`) ?? 0) + 1);
  };
  const loadStarted = performance.now();
  let launched = 0;
  const scheduler = setInterval(() => {
    const due = Math.floor(((performance.now() - loadStarted) / 1000) * rate);
    for (; launched < due; launched += 1) {
      if (inFlight >= MAX_IN_FLIGHT) skipped += 1;
      else void fire();
    }
  }, 5);

  log(`Load: ${rate} requests/s (${MIX.map(([kind, weight]) => `${kind} ${weight} %`).join(', ')}) for ${minutes} minute(s); warm-up: minute(s) 1–${warmUpMinutes}`);
  const samples: MinuteSample[] = [];
  // The first judged minute and the last one (when they differ), each profiled alone.
  const profiledMinutes = options.profile ? [...new Set([Math.min(warmUpMinutes + 1, minutes), minutes])] : [];
  let profilingMinute = 0;
  if (profiledMinutes[0] === 1) {
    await profiling(server, 'start');
    profilingMinute = 1;
  }
  // What the machine took from each minute: the server's wait for a CPU, the machine's CPU pressure.
  let waitBefore = server.schedMs()?.waitMs ?? NaN;
  let pressureBefore = cpuPressureMs() ?? NaN;
  let minuteBegun = performance.now();
  for (let minute = 1; minute <= minutes; minute += 1) {
    await sleep(Math.max(0, loadStarted + minute * 60_000 - performance.now()));
    const waitNow = server.schedMs()?.waitMs ?? NaN;
    const pressureNow = cpuPressureMs() ?? NaN;
    const minuteMs = performance.now() - minuteBegun;
    const serverCpuWaitMs = waitNow - waitBefore;
    const cpuPressurePercent = ((pressureNow - pressureBefore) / minuteMs) * 100;
    [waitBefore, pressureBefore, minuteBegun] = [waitNow, pressureNow, performance.now()];
    const completed = thisMinute;
    thisMinute = [];
    const skippedNow = skipped;
    skipped = 0;
    const [inside, sockets] = await Promise.all([
      probe(server),
      Promise.all(workers.map((worker) => {
        const answer = nextMessage<{ open: number; events: number; closedByServer: number }>(worker, 'stats', 15_000);
        worker.postMessage({ type: 'stats' });
        return answer;
      })),
    ]);
    const times = completed.map((request) => request.ms);
    const byKind = Object.fromEntries(MIX.map(([kind]) => [kind, percentile(completed.filter((request) => request.kind === kind).map((request) => request.ms), 99)]));
    const sample: MinuteSample = {
      minute,
      rssMb: server.rssMb(),
      heapUsedMb: inside.heapUsedMb,
      heapFloorMb: inside.heapFloorMb,
      heapTotalMb: inside.heapTotalMb,
      externalMb: inside.externalMb,
      loopDelayP50Ms: inside.loopDelayMs.p50,
      loopDelayP99Ms: inside.loopDelayMs.p99,
      loopDelayMaxMs: inside.loopDelayMs.max,
      requests: completed.length,
      errors: completed.filter((request) => request.status !== 0).length,
      skipped: skippedNow,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      maxMs: times.length ? Math.max(...times) : NaN,
      p99ByKindMs: byKind,
      socketsOpen: sockets.reduce((sum, s) => sum + s.open, 0),
      socketsClosedByServer: sockets.reduce((sum, s) => sum + s.closedByServer, 0),
      liveEvents: sockets.reduce((sum, s) => sum + s.events, 0),
      serverCpuWaitMs,
      cpuPressurePercent,
    };
    samples.push(sample);
    log(
      `minute ${minute}${minute <= warmUpMinutes ? ' (warm-up)' : ''}: RSS ${fmt(sample.rssMb, 0)} MB, heap ${fmt(sample.heapUsedMb, 0)} MB (floor ${fmt(sample.heapFloorMb, 0)}), ` +
        `loop delay p99 ${fmt(sample.loopDelayP99Ms)} ms (max ${fmt(sample.loopDelayMaxMs)}), ${sample.requests} requests p50/p99 ${fmt(sample.p50Ms)}/${fmt(sample.p99Ms)} ms, ` +
        `${sample.errors} errors, ${sample.skipped} skipped, sockets ${sample.socketsOpen} open, ${sample.liveEvents.toLocaleString('en')} live events; ` +
        `server waited ${fmt(serverCpuWaitMs / 1000)} s for a CPU, CPU pressure ${fmt(cpuPressurePercent, 0)} %`,
    );
    log(`  p99 by kind: ${MIX.map(([kind]) => `${kind} ${fmt(byKind[kind]!)}`).join(', ')} ms`);
    if (profilingMinute === minute) {
      await profiling(server, 'stop', `${base}-minute-${minute}.cpuprofile`);
      profilingMinute = 0;
      log(`  CPU profile of minute ${minute}: ${base}-minute-${minute}.cpuprofile`);
    }
    if (profiledMinutes.includes(minute + 1)) {
      await profiling(server, 'start');
      profilingMinute = minute + 1;
    }
  }
  clearInterval(scheduler);
  const drainDeadline = performance.now() + 15_000;
  while (inFlight > 0 && performance.now() < drainDeadline) await sleep(50);

  const minuteNumbers = samples.map((sample) => sample.minute);
  const verdicts: FlatVerdict[] = [
    judgeFlat('RSS', 'MB', minuteNumbers, samples.map((s) => s.rssMb), warmUpMinutes, TOLERANCE, 1),
    judgeFlat('heap floor', 'MB', minuteNumbers, samples.map((s) => s.heapFloorMb), warmUpMinutes, TOLERANCE, 1),
    judgeFlat('event-loop delay p99', 'ms', minuteNumbers, samples.map((s) => s.loopDelayP99Ms), warmUpMinutes, TOLERANCE, 1),
    judgeFlat('request p99', 'ms', minuteNumbers, samples.map((s) => s.p99Ms), warmUpMinutes, TOLERANCE, 1),
  ];
  const totals = {
    requests: samples.reduce((sum, s) => sum + s.requests, 0),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    skipped: samples.reduce((sum, s) => sum + s.skipped, 0),
    socketsClosedByServer: samples.reduce((sum, s) => sum + s.socketsClosedByServer, 0),
    liveEvents: samples.reduce((sum, s) => sum + s.liveEvents, 0),
    failedStatuses: Object.fromEntries(statuses),
  };
  const problems = [
    ...verdicts.filter((verdict) => !verdict.flat).map((verdict) => `${verdict.series} is not flat: ${verdict.reason}`),
    ...(totals.errors ? [`${totals.errors} requests failed: ${JSON.stringify(totals.failedStatuses)}`] : []),
    ...(totals.socketsClosedByServer ? [`the server closed ${totals.socketsClosedByServer} sockets`] : []),
    ...(totals.skipped > totals.requests * 0.01 ? [`${totals.skipped} requests could not be started (over ${MAX_IN_FLIGHT} in flight): the server did not keep up with ${rate}/s`] : []),
  ];

  const title = `Concilia soak: ${minutes} min, ${rate} req/s mixed, ${clientCount} websockets (${new Date().toISOString().slice(0, 16)}Z)`;
  writeFileSync(`${base}.csv`, toCsv(samples));
  writeFileSync(`${base}.json`, JSON.stringify({ title, minutes, rate, clients: clientCount, warmUpMinutes, tolerance: TOLERANCE, size: SIZE, mix: Object.fromEntries(MIX), serverArgs: serverNodeArgs(), samples, verdicts, totals, problems }, null, 2));
  writeFileSync(`${base}.svg`, chartSvg(title, samples, warmUpMinutes, verdicts));
  // The server's warnings and errors (a failed request's stack is logged there, never answered).
  const serverLog = server.stderr();
  if (serverLog) writeFileSync(`${base}.server.log`, serverLog);

  log(`\nAfter warm-up (minutes 1–${warmUpMinutes} not judged), flat means a trend within ${TOLERANCE * 100} % of the median (or under 1 MB / 1 ms):`);
  for (const verdict of verdicts) log(`  ${verdict.flat ? 'flat    ' : 'NOT FLAT'}  ${verdict.series}: ${verdict.reason}; furthest minute ${fmt(verdict.maxDeviation * 100)} % from the median`);
  log(`  ${totals.requests.toLocaleString('en')} requests, ${totals.errors} failed, ${totals.skipped} skipped; ${totals.liveEvents.toLocaleString('en')} live events delivered; ${totals.socketsClosedByServer} sockets closed by the server`);
  log(`Written: ${base}.csv, .json, .svg${serverLog ? `, .server.log (${serverLog.split('\n').filter(Boolean).length} lines from the server)` : ''}`);
  if (problems.length) {
    log(`\nSOAK FAILED:\n  ${problems.join('\n  ')}`);
    exitCode = 1;
  } else {
    log('\nSOAK PASSED');
  }
} catch (error) {
  console.error(error);
  exitCode = 2;
} finally {
  for (const worker of workers) worker.postMessage({ type: 'close' });
  await Promise.all(workers.map((worker) => Promise.race([new Promise((resolve) => worker.once('exit', resolve)), sleep(5_000)])));
  for (const worker of workers) await worker.terminate();
  await server?.stop();
  if (options.keep) log(`Data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
