import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import type { Worker } from 'node:worker_threads';
import { freePort, load, percentile, printTable, replyWriters, serverNodeArgs, startProcess, stopOnInterrupt, typeScriptWorker, type RunningProcess } from './measure.js';
import { ENGINES_HEADER, engineRows, enginesTitle, measureEngines, printColumns } from './engines.js';
import { FIRST_LOAD_TITLE, firstLoadRows } from './first-load.js';
import { seed } from './seed.js';
import { seedRound } from './rounds-seed.js';
import { measureUploadMemory } from './upload-memory.js';
import { consultationRows, measureConsultations } from './consultations.js';
import { DISCREPANCY_TITLE, discrepancyRows, measureDiscrepancies } from './discrepancies.js';
import { OUTBOX_TITLE, measureOutbox, outboxRows } from './mail.js';
import { BROWSER_ACCEPT_ENCODING, measureThreadPage, threadPagePath, threadPageRows } from './thread-page.js';

/**
 * `npm run bench`: builds a realistic database, starts the real server (the built dist/ on
 * 127.0.0.1) and measures it against a bare Fastify hello-world in the same set-up.
 * `npm run bench -- --quick` runs a small version to check the harness itself.
 */
const quick = process.argv.includes('--quick');
const size = quick ? { users: 60, threads: 100, posts: 2_000 } : { users: 200, threads: 2_000, posts: 100_000 };
const subscribers = quick ? 100 : 1_000;
const seconds = quick ? 3 : 8;
const log = (line: string) => console.log(line);
/** The server runs exactly as `npm start` runs it, Node flags included. */
const serverArgs = serverNodeArgs();

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-'));
/** The seeded forum as it was before any measure wrote to it, for SQLite and PostgreSQL side by side (bench/engines.ts). */
const enginesDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-engines-'));
const running: RunningProcess[] = [];
stopOnInterrupt(async () => {
  for (const child of running) await child.stop();
});
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

try {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  log(`Seeding ${size.posts.toLocaleString('en')} posts in ${size.threads.toLocaleString('en')} threads by ${size.users} people (through the real routes, in-process)...`);
  const seeded = await seed(dataDir, origin, size, log);
  log(`  done in ${fmt(seeded.seconds)} s (${fmt(size.posts / seeded.seconds, 0)} posts/s, 8 concurrent writers in one process, no concurrent reads)`);

  const round = await seedRound(dataDir, origin, seeded.cookies, seeded.userIds);
  log(`  a comment round on a ${round.paragraphs}-paragraph draft with ${round.comments} submitted comments`);
  // Nothing has the file open now: a plain copy is consistent.
  cpSync(dataDir, enginesDir, { recursive: true });

  const helloPort = await freePort();
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
  running.push(hello);
  await load({ url: `${hello.url}/hello`, duration: 2 }); // warm-up
  const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
  await hello.stop();

  // Consultations: a 60-question questionnaire answered by 33 countries, on a server of its own,
  // before the main server starts. Measured after the write sections, it shared the 2 cores with the
  // main server still working off what they wrote (its notices, 1.3 s of CPU in the 2 s measured),
  // and its p99 was the bench's own wait for a CPU (see the rows that explain its slowest 1 %).
  const consultations = await measureConsultations(serverArgs, { quick, neighbours: running.filter((process) => process.child.exitCode === null && process.child.signalCode === null) });

  const server = await startProcess(serverArgs, { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health');
  running.push(server);
  const reader = seeded.cookies[20]!;
  const pagePath = threadPagePath(seeded.hotThreadId);
  const browser = { cookie: reader, 'accept-encoding': BROWSER_ACCEPT_ENCODING };
  const threadPage = await measureThreadPage(server, reader, seeded.hotThreadId, seconds);

  // A comment round's page (GET /api/rounds/:id) as a delegate's browser asks for it: the draft's
  // structure, every submitted comment with its country, the delegation's state.
  const roundPath = `/api/rounds/${round.roundId}`;
  const roundFirst = await fetch(server.url + roundPath, { headers: { cookie: reader } });
  const roundBody = await roundFirst.text();
  if (roundFirst.status !== 200) throw new Error(`round answered ${roundFirst.status}: ${roundBody.slice(0, 200)}`);
  await load({ url: server.url + roundPath, headers: browser, duration: 2 });
  const roundPage = await load({ url: server.url + roundPath, headers: browser, duration: seconds });
  // The answer carries the comments on the text's opening blocks; a reader who reads on asks for the
  // next ones (GET /api/rounds/:id/comments?after=<block>): measured too, as the page asks for them.
  const roundFirstAnswer = JSON.parse(roundBody) as { comments: unknown[]; moreComments: { after: string; count: number } | null };
  const laterPath = roundFirstAnswer.moreComments ? `${roundPath}/comments?after=${encodeURIComponent(roundFirstAnswer.moreComments.after)}` : null;
  const roundLater = laterPath ? await load({ url: server.url + laterPath, headers: browser, duration: seconds }) : null;
  const matrixTimes: number[] = [];
  for (let i = 0; i < (quick ? 5 : 20); i += 1) {
    const started = performance.now();
    const response = await fetch(`${server.url}${roundPath}/matrix.xlsx`, { headers: { cookie: reader } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`matrix answered ${response.status}`);
    matrixTimes.push(performance.now() - started);
  }

  // The home page's answer (GET /api/home), as a member's browser asks for it after signing in:
  // every section of every feature for one person, the group's 2,000 threads among them.
  const homeFirst = await fetch(`${server.url}/api/home`, { headers: { cookie: reader } });
  const homeBody = await homeFirst.text();
  if (homeFirst.status !== 200) throw new Error(`home answered ${homeFirst.status}: ${homeBody.slice(0, 200)}`);
  await load({ url: `${server.url}/api/home`, headers: browser, duration: 2 });
  const home = await load({ url: `${server.url}/api/home`, headers: browser, duration: seconds });
  // The same person's home asked again after each new post in the group (what a home page open
  // during a busy debate does): nothing remembered holds, every section is worked out afresh.
  const homeAfterPost: number[] = [];
  for (let round = 0; round < (quick ? 20 : 100); round += 1) {
    const posted = await fetch(`${server.url}/api/threads/${seeded.hotThreadId}/posts`, {
      method: 'POST',
      headers: { cookie: seeded.cookies[16]!, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Nota ${round}: la serie revisada ya está en la biblioteca.` }),
    });
    if (posted.status !== 201) throw new Error(`post answered ${posted.status}`);
    const started = performance.now();
    const answer = await fetch(`${server.url}/api/home`, { headers: { cookie: reader } });
    await answer.arrayBuffer();
    homeAfterPost.push(performance.now() - started);
  }

  // Fan-out: many sockets on the hot thread, one reply, time to each socket. The sockets are read
  // by four threads (bench/fanout-client.ts), so the readers' own queue weighs less on the figure.
  const wsUrl = `${server.url.replace('http', 'ws')}/api/live`;
  const readerThreads = 4;
  const clients = Array.from({ length: readerThreads }, (_, t) => {
    const cookies = Array.from({ length: subscribers }, (_, i) => seeded.cookies[i % seeded.cookies.length]!).filter((_, i) => i % readerThreads === t);
    return typeScriptWorker(new URL('./fanout-client.ts', import.meta.url), { wsUrl, origin, cookies, topic: `thread:${seeded.hotThreadId}` });
  });
  const nextMessage = (worker: Worker, type: string, timeoutMs: number) =>
    new Promise<{ arrivals?: number[] } | null>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        outcome();
      };
      const timer = setTimeout(() => settle(() => resolve(null)), timeoutMs);
      const onMessage = (message: { type: string; arrivals?: number[] }) => {
        if (message.type === type) settle(() => resolve(message));
      };
      const onError = (error: unknown) => settle(() => reject(error));
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
  if ((await Promise.all(clients.map((worker) => nextMessage(worker, 'ready', 30_000)))).includes(null)) throw new Error('fan-out subscribers did not connect');
  const arrivals: number[] = [];
  const rssBefore = server.rssMb();
  let rssPeak = rssBefore;
  // Enough posts that the p99 is a tail of many deliveries, not the slowest of a handful of rounds.
  const rounds = quick ? 5 : 20;
  // The first posts after start compile the fan-out path (the first took three times as long as
  // the fourth): three warm-up posts are sent and not counted, as a server that has run a while.
  const warmUp = 3;
  for (let round = 1 - warmUp; round <= rounds; round += 1) {
    const postedAt = performance.timeOrigin + performance.now();
    for (const worker of clients) worker.postMessage({ type: 'round', postedAt });
    const reports = Promise.all(clients.map((worker) => nextMessage(worker, 'arrivals', 10_000)));
    const response = await fetch(`${server.url}/api/threads/${seeded.hotThreadId}/posts`, {
      method: 'POST',
      headers: { cookie: seeded.cookies[15]!, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Actualización ${round}: la cifra de @CL coincide con la estimación revisada.` }),
    });
    if (response.status !== 201) throw new Error(`reply answered ${response.status}`);
    const received = (await reports).flatMap((report) => report?.arrivals ?? []);
    if (round >= 1) arrivals.push(...received);
    rssPeak = Math.max(rssPeak, server.rssMb());
  }
  const delivered = arrivals.length;
  for (const worker of clients) worker.postMessage({ type: 'close' });
  await Promise.all(clients.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));

  // Search: sequential requests on a warm server.
  const searchLatencies = async (queries: string[], repeat: number) => {
    const times: number[] = [];
    for (let i = 0; i < repeat; i += 1) {
      for (const q of queries) {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&limit=20`, { headers: { cookie: reader } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`search answered ${response.status}`);
        times.push(performance.now() - started);
      }
    }
    return times;
  };
  await searchLatencies(['mortalidad'], 10);
  const typical = await searchLatencies(['mortalidad infantil', 'poblacion urbana', 'agua potable', 'censo proyeccion', 'pobreza extrema', 'maternal mortality'], quick ? 10 : 40);
  const common = await searchLatencies(['cifra', 'nacional', 'diferencia', 'fuente'], quick ? 10 : 40);

  // Writes while 25 connections read the thread page.
  const threadIds = ((await (await fetch(`${server.url}/api/threads?limit=50`, { headers: { cookie: reader } })).json()) as { items: Array<{ id: string }> }).items.map((t) => t.id);
  const writerRequests = replyWriters(threadIds, seeded.cookies, origin);
  const writeLoad = () => load({ url: server.url, connections: 10, duration: seconds, requests: writerRequests });
  const pageReads = (options: Partial<autocannon.Options> = {}) => load({ url: server.url + pagePath, headers: browser, connections: 25, duration: seconds, ...options });
  const [writes, readsDuringWrites] = await Promise.all([writeLoad(), pageReads()]);
  const rssEnd = server.rssMb();
  // The same writers with nobody reading: what the write path costs on its own.
  const writesAlone = await writeLoad();

  // The same writers while the page is read at a fixed rate, heavy but bounded, instead of by
  // readers that take every turn the writers leave them: what is left for writing when reads do
  // not saturate the server. Informative; the budget line above is the saturating one.
  const fixedReadRate = 2_000;
  const [writesBesideFixedReads, fixedReads] = await Promise.all([writeLoad(), pageReads({ overallRate: fixedReadRate })]);

  // The library: one large upload to a server of its own, its memory watched.
  const upload = await measureUploadMemory(serverArgs, quick ? 20 : 100);
  const uploadGrowth = upload.peakMb - upload.baselineMb;


  // First load in Chromium on a slow connection, against the same server and database.
  // Person 13 is a member whose profile is in Spanish (see bench/seed.ts).
  const firstLoad = await firstLoadRows(server.url, seeded.cookies[13]!);

  printTable(`Concilia benchmark (${quick ? 'quick' : 'full'}: ${size.posts.toLocaleString('en')} posts, ${size.threads.toLocaleString('en')} threads, ${size.users} people; 2 cores shared by server and load generator; server: node ${serverArgs.join(' ')}; page loads send Accept-Encoding: ${BROWSER_ACCEPT_ENCODING})`, [
    ['hello-world req/s (ceiling)', fmt(ceiling.requestsPerSecond, 0), '', ''],
    ...threadPageRows(threadPage, ceiling.requestsPerSecond),
    [`home (GET /api/home, ${fmt(Buffer.byteLength(homeBody) / 1024)} KB, every section) req/s / hello-world`, `${fmt(home.requestsPerSecond, 0)} (${fmt((home.requestsPerSecond / ceiling.requestsPerSecond) * 100)} %)`, '>= 15 %', verdict(home.requestsPerSecond / ceiling.requestsPerSecond >= 0.15 && home.non2xx === 0)],
    [`comment round (GET /api/rounds/:id: ${round.paragraphs} paragraphs, ${round.comments} comments, ${roundFirstAnswer.comments.length} of them in the answer, ${fmt(Buffer.byteLength(roundBody) / 1024)} KB, ${fmt(roundPage.bytesPerResponse / 1024)} KB with br) req/s / hello-world`, `${fmt(roundPage.requestsPerSecond, 0)} (${fmt((roundPage.requestsPerSecond / ceiling.requestsPerSecond) * 100)} %)`, '>= 5 %', verdict(roundPage.requestsPerSecond / ceiling.requestsPerSecond >= 0.05 && roundPage.non2xx === 0)],
    ['  comment round p99 at 50 connections; matrix XLSX p50', `${fmt(roundPage.p99Ms)} ms; ${fmt(percentile(matrixTimes, 50))} ms`, '', ''],
    ['  the next comments as the reader reads on (GET /api/rounds/:id/comments?after): req/s (ratio), p99', roundLater ? `${fmt(roundLater.requestsPerSecond, 0)} (${fmt((roundLater.requestsPerSecond / ceiling.requestsPerSecond) * 100)} %), ${fmt(roundLater.p99Ms)} ms` : 'none: the answer carries every comment', '', roundLater && (roundLater.non2xx || roundLater.errors || !roundLater.requests) ? `${roundLater.requests} answered, ${roundLater.non2xx} non-2xx, ${roundLater.errors} errors or timeouts` : ''],
    ['home p99 at 50 connections', `${fmt(home.p99Ms)} ms`, '< 20 ms', verdict(home.p99Ms < 20)],
    ['  home asked once after each new post (worked out afresh): p50 / p99', `${fmt(percentile(homeAfterPost, 50), 2)} / ${fmt(percentile(homeAfterPost, 99), 2)} ms`, '', ''],
    [`fan-out to ${subscribers} sockets (read by ${readerThreads} threads) x ${rounds} posts (after ${warmUp} warm-up): delivered`, `${delivered}/${subscribers * rounds}`, 'all', verdict(delivered === subscribers * rounds)],
    ['fan-out delivery p50 / p99 / max', `${fmt(percentile(arrivals, 50))} / ${fmt(percentile(arrivals, 99))} / ${fmt(Math.max(...arrivals))} ms`, 'p99 < 50 ms', verdict(percentile(arrivals, 99) < 50)],
    ['server RSS with sockets open (peak)', `${fmt(rssPeak, 0)} MB`, '< 150 MB', verdict(rssPeak < 150)],
    ['search p50 / p95, two-word queries', `${fmt(percentile(typical, 50), 2)} / ${fmt(percentile(typical, 95), 2)} ms`, 'p95 < 5 ms', verdict(percentile(typical, 95) < 5)],
    ['search p50 / p95, very common words', `${fmt(percentile(common, 50), 2)} / ${fmt(percentile(common, 95), 2)} ms`, 'p95 < 20 ms', verdict(percentile(common, 95) < 20)],
    ['posts created/s with 25 readers', fmt(writes.requestsPerSecond, 0), '>= 1000', verdict(writes.requestsPerSecond >= 1000)],
    ['  write p99 / errors', `${fmt(writes.p99Ms)} ms / ${writes.non2xx + writes.errors}`, '', ''],
    ['  thread page req/s during writes', fmt(readsDuringWrites.requestsPerSecond, 0), '', ''],
    ['  posts created/s with nobody reading', fmt(writesAlone.requestsPerSecond, 0), '', ''],
    [`  posts created/s while the page is read at a fixed ${fixedReadRate.toLocaleString('en')} req/s: posts/s, write p99; reads/s, read p99`, `${fmt(writesBesideFixedReads.requestsPerSecond, 0)}, ${fmt(writesBesideFixedReads.p99Ms)} ms; ${fmt(fixedReads.requestsPerSecond, 0)}, ${fmt(fixedReads.p99Ms)} ms`, '', ''],
    ['server RSS at the end', `${fmt(rssEnd, 0)} MB`, '', ''],
    [`document upload of ${upload.fileMb} MB (streamed): status, time; server RSS before / peak`, `${upload.status}, ${fmt(upload.seconds)} s; ${fmt(upload.baselineMb, 0)} / ${fmt(upload.peakMb, 0)} MB`, '201', verdict(upload.status === 201)],
    ['  server RSS growth during the upload', `${fmt(uploadGrowth)} MB`, '< 50 MB', verdict(uploadGrowth < 50)],
    [`  ${upload.small.count} uploads of ${upload.small.kb} KB one after another (each durable before its answer): p50 / p95; failed`, `${fmt(upload.small.p50Ms)} / ${fmt(upload.small.p95Ms)} ms; ${upload.small.failed}`, '', ''],
    ...consultationRows(consultations, ceiling.requestsPerSecond),
  ]);
  printTable(FIRST_LOAD_TITLE, firstLoad);
  // SQLite and PostgreSQL on the forum as seeded, then the fan-out across two instances of each (issue 19).
  const engines = await measureEngines({ sqliteDataDir: enginesDir, cookies: seeded.cookies, hotThreadId: seeded.hotThreadId, origin, serverArgs, seconds, sockets: subscribers, rounds: quick ? 5 : 20, log });
  printColumns(enginesTitle(engines, `the same ${size.posts.toLocaleString('en')} posts as seeded above, hello-world ${fmt(ceiling.requestsPerSecond, 0)} req/s`), ENGINES_HEADER, engineRows(engines, ceiling.requestsPerSecond));
  // The discrepancy register on a server of its own (issue 14), against the same ceiling.
  printTable(DISCREPANCY_TITLE, discrepancyRows(await measureDiscrepancies({ seconds, log }), ceiling));
  // The outbox's sender on a server of its own (issue 17), against the same ceiling.
  printTable(OUTBOX_TITLE, outboxRows(await measureOutbox({ messages: quick ? 200 : 2_000, log }), ceiling));
} finally {
  for (const process of running) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(enginesDir, { recursive: true, force: true });
}
