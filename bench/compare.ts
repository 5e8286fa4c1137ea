import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type autocannon from 'autocannon';
import { freePort, load, serverNodeArgs, startProcess, type RunningProcess } from './measure.js';
import { BROWSER_ACCEPT_ENCODING, threadPagePath } from './thread-page.js';

/**
 * `npm run bench:compare -- <rev>`: is the working tree's server slower than revision <rev>'s
 * (by default the last commit before issue 13's restructuring)? Both serve the same forum in the
 * same run, measured in turns (A B, then B A, ...) beside a hello-world measured in each round, so
 * the machine's other load falls on both alike; each round prints req/s and the server's CPU time
 * per response, and the summary the per-round B/A ratios with their spread.
 *
 * The old revision is checked out with `git worktree add` into a temporary folder, given this
 * tree's node_modules (a link; the run says when its package-lock differs), built with its own
 * `npm run build`, and removed at the end. The forum is seeded once by the OLD revision's seed
 * (bench/seed.ts) and copied for the working tree's server, which migrates the copy when it
 * starts: both answer the very same posts.
 *
 * Options: --rounds=N (5), --seconds=S per load (3), --full (the bench's 100,000 posts instead of
 * 2,000), --data=<folder> (keep the old revision's seeded forum there for the next runs),
 * --writes (also posts created per second, with `npm run bench`'s writers: replies on the 50 newest
 * threads by 10 connections, each reply committed before its answer; the other loads then read the
 * page's ETag again before revalidating, since the writes may change it).
 * `npm run build` first for the working tree (the npm script does).
 */
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
/** The last commit before issue 13's first restructuring commit (0a3204f, identity tables out of the people feature). */
const DEFAULT_BEFORE = 'db4cae6';
const rev = positional[0] ?? DEFAULT_BEFORE;
const rounds = Number(option('rounds') ?? 5);
const seconds = Number(option('seconds') ?? 3);
const full = process.argv.includes('--full');
const writes = process.argv.includes('--writes');
const size = full ? { users: 200, threads: 2_000, posts: 100_000 } : { users: 60, threads: 100, posts: 2_000 };
const dataArg = option('data');

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--verify', `${rev}^{commit}`);
const short = commit.slice(0, 7);
const current = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : ''}`;

const work = mkdtempSync(path.join(tmpdir(), 'concilia-compare-'));
const oldTree = path.join(work, 'tree');
const keptData = dataArg ? path.join(path.resolve(dataArg), `seed-${short}-${full ? 'full' : 'quick'}`) : null;
const dataA = keptData ?? path.join(work, 'data-a');
const dataB = path.join(work, 'data-b');
const running: RunningProcess[] = [];

interface Measure {
  rps: number;
  p99: number;
  cpu: number;
  /** Answers of another status than the load expects (200, or 304 for a revalidation). */
  unexpected: number;
}
interface RoundOf {
  page: Measure;
  plain: Measure;
  revalidation: Measure;
  /** With --writes. */
  posts?: Measure;
}

try {
  console.log(`A: ${short} (${git('log', '-1', '--format=%s', commit).slice(0, 80)})\nB: the working tree (${current})`);
  git('worktree', 'add', '--detach', oldTree, commit);
  symlinkSync(path.resolve('node_modules'), path.join(oldTree, 'node_modules'), 'dir');
  const changed = changedPackages(git('show', `${commit}:package-lock.json`), readFileSync('package-lock.json', 'utf8'));
  console.log(
    changed.length === 0
      ? "A runs on this tree's node_modules: every package A's package-lock.json names is at the same version."
      : `NOTE: A runs on this tree's node_modules (linked), and ${changed.length} of the packages A's package-lock.json names are at other versions there: ${changed.slice(0, 12).join(', ')}${changed.length > 12 ? ', ...' : ''}`,
  );
  run('npx', ['vite', 'build'], oldTree, `building ${short}'s client`);
  // A's sources may not type-check against today's dependency types (a newer major of a package
  // they use); tsc still writes the JavaScript, which is what runs.
  const built = spawnSync('npx', ['tsc', '-p', 'tsconfig.server.json'], { cwd: oldTree, encoding: 'utf8' });
  if (!existsSync(path.join(oldTree, 'dist/server/server.js'))) throw new Error(`building ${short}'s server failed: ${built.stdout}`);
  if (built.status !== 0) console.log(`NOTE: ${short}'s server does not type-check against this tree's node_modules (built anyway):\n${built.stdout.trim().split('\n').map((line) => `  ${line}`).join('\n')}`);

  if (!existsSync(path.join(dataA, 'bench-seed.json'))) {
    mkdirSync(dataA, { recursive: true });
    const origin = `http://127.0.0.1:${await freePort()}`;
    const started = performance.now();
    // The old revision's own seed, through its own routes, so its database is one it made.
    const script = `const { seed } = await import(${JSON.stringify(pathToFileURL(path.join(oldTree, 'bench/seed.ts')).href)});
const result = await seed(process.env.SEED_DIR, process.env.SEED_ORIGIN, JSON.parse(process.env.SEED_SIZE), (line) => console.error(line));
process.stdout.write(JSON.stringify(result));`;
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: oldTree,
      env: { ...process.env, SEED_DIR: dataA, SEED_ORIGIN: origin, SEED_SIZE: JSON.stringify(size) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (seeded.status !== 0) throw new Error(`seeding with ${short} failed`);
    writeFileSync(path.join(dataA, 'bench-seed.json'), seeded.stdout);
    console.log(`seeded ${size.posts} posts with ${short} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const seed = JSON.parse(readFileSync(path.join(dataA, 'bench-seed.json'), 'utf8')) as { origin: string; cookies: string[]; hotThreadId: string };
  // A kept forum stays A's: B migrates a copy of it on start.
  cpSync(dataA, dataB, { recursive: true });

  const env = { PUBLIC_URL: seed.origin, LOG_LEVEL: 'warn' };
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, await freePort(), '/hello');
  running.push(hello);
  const oldArgs = serverNodeArgs(path.join(oldTree, 'package.json'));
  oldArgs.push(path.join(oldTree, oldArgs.pop()!));
  const servers = {
    A: await startProcess(oldArgs, { ...env, DATA_DIR: dataA }, await freePort(), '/api/health', { cwd: oldTree }),
    B: await startProcess(serverNodeArgs(), { ...env, DATA_DIR: dataB }, await freePort(), '/api/health'),
  };
  running.push(servers.A, servers.B);

  const cookie = seed.cookies[20]!;
  const pagePath = threadPagePath(seed.hotThreadId);
  const etags: Record<'A' | 'B', string> = { A: '', B: '' };
  const bodies: Record<string, string> = {};
  for (const name of ['A', 'B'] as const) {
    const first = await fetch(servers[name].url + pagePath, { headers: { cookie } });
    bodies[name] = await first.text();
    if (first.status !== 200 || !first.headers.get('etag')) throw new Error(`${name} answered the thread page ${first.status}: ${bodies[name]!.slice(0, 200)}`);
    etags[name] = first.headers.get('etag')!;
  }
  const count = (body: string) => (JSON.parse(body) as { items: unknown[] }).items.length;
  console.log(`thread page: ${count(bodies.A!)} posts, ${(Buffer.byteLength(bodies.A!) / 1024).toFixed(1)} KB from A; ${count(bodies.B!)} posts, ${(Buffer.byteLength(bodies.B!) / 1024).toFixed(1)} KB from B`);

  const measure = async (server: RunningProcess, headers: Record<string, string>, url = server.url + pagePath): Promise<Measure> => {
    const cpuBefore = server.cpuSeconds();
    const result = await load({ url, headers, duration: seconds });
    const unexpected = headers['if-none-match'] ? result.requests - result.status3xx : result.non2xx;
    return { rps: result.requestsPerSecond, p99: result.p99Ms, cpu: ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests), unexpected: unexpected + result.errors };
  };
  const browser = { cookie, 'accept-encoding': BROWSER_ACCEPT_ENCODING };
  // The writers of bench/run.ts: replies spread over the newest threads, by people past the first 30.
  const threadIds = writes ? ((await (await fetch(`${servers.A.url}/api/threads?limit=50`, { headers: { cookie } })).json()) as { items: Array<{ id: string }> }).items.map((t) => t.id) : [];
  const measureWrites = async (server: RunningProcess): Promise<Measure> => {
    let sequence = 0;
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            path: `/api/threads/${threadIds[sequence % threadIds.length]}/posts`,
            headers: { cookie: seed.cookies[30 + (sequence % Math.min(150, seed.cookies.length - 30))]!, origin: seed.origin, 'content-type': 'application/json' },
            body: JSON.stringify({ body: `Respuesta ${sequence}: revisamos la **serie** de población y la diferencia es de ${(sequence % 97) / 10} puntos.` }),
          };
        },
      },
    ];
    const cpuBefore = server.cpuSeconds();
    const result = await load({ url: server.url, connections: 10, duration: seconds, requests });
    return { rps: result.requestsPerSecond, p99: result.p99Ms, cpu: ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests), unexpected: result.non2xx + result.errors };
  };
  const freshEtag = async (name: 'A' | 'B') => {
    if (!writes) return etags[name];
    const answer = await fetch(servers[name].url + pagePath, { headers: browser });
    await answer.arrayBuffer();
    return (etags[name] = answer.headers.get('etag') ?? etags[name]);
  };
  const measureRevision = async (name: 'A' | 'B'): Promise<RoundOf> => ({
    page: await measure(servers[name], browser),
    plain: await measure(servers[name], { cookie }),
    revalidation: await measure(servers[name], { ...browser, 'if-none-match': await freshEtag(name) }),
    ...(writes ? { posts: await measureWrites(servers[name]) } : {}),
  });
  // A warm-up round, not counted: JIT and caches of both on every path, and the hello-world's.
  await measure(hello, {}, `${hello.url}/hello`);
  for (const name of ['A', 'B'] as const) await measureRevision(name);

  const results: Array<{ hello: Measure; A: RoundOf; B: RoundOf }> = [];
  const fmt = (m: Measure, helloRps: number) => `${m.rps.toFixed(0).padStart(6)} (${((m.rps / helloRps) * 100).toFixed(1).padStart(4)} %) ${m.cpu.toFixed(0).padStart(3)} µs${m.unexpected ? ` ${m.unexpected} unexpected answers!` : ''}`;
  console.log(`\n${rounds} rounds, ${seconds} s per load, 50 connections; each cell: req/s (share of the round's hello-world), server CPU per response\n`);
  console.log(`round rev | ${'thread page, br'.padEnd(24)} | ${'uncompressed'.padEnd(24)} | ${'304'.padEnd(24)} | ${writes ? `${'posts created'.padEnd(24)} | ` : ''}hello req/s, CPU`);
  for (let round = 1; round <= rounds; round += 1) {
    const helloResult = await measure(hello, {}, `${hello.url}/hello`);
    const order = round % 2 === 1 ? (['A', 'B'] as const) : (['B', 'A'] as const);
    const entry = { hello: helloResult } as { hello: Measure; A: RoundOf; B: RoundOf };
    for (const name of order) entry[name] = await measureRevision(name);
    results.push(entry);
    for (const name of order) {
      const r = entry[name];
      console.log(`${String(round).padStart(5)} ${name}   | ${fmt(r.page, helloResult.rps)} | ${fmt(r.plain, helloResult.rps)} | ${fmt(r.revalidation, helloResult.rps)} | ${r.posts ? `${fmt(r.posts, helloResult.rps)} | ` : ''}${name === order[0] ? `${helloResult.rps.toFixed(0)}, ${helloResult.cpu.toFixed(0)} µs` : ''}`);
    }
  }

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const spread = (values: number[], digits: number, unit = '') => `${median(values).toFixed(digits)}${unit} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
  console.log('\nmedian (min–max) over the rounds');
  const verdicts: string[] = [];
  const loads = [['thread page, br', 'page'], ['uncompressed', 'plain'], ['304', 'revalidation'], ...(writes ? [['posts created', 'posts']] : [])] as Array<[string, 'page' | 'plain' | 'revalidation' | 'posts']>;
  for (const [label, key] of loads) {
    const of = (r: RoundOf) => r[key]!;
    const share = (name: 'A' | 'B') => results.map((r) => (of(r[name]).rps / r.hello.rps) * 100);
    const cpu = (name: 'A' | 'B') => results.map((r) => of(r[name]).cpu);
    const rpsRatio = results.map((r) => of(r.B).rps / of(r.A).rps);
    const cpuRatio = results.map((r) => of(r.B).cpu / of(r.A).cpu);
    console.log(`  ${label}`);
    console.log(`    share of hello-world   A ${spread(share('A'), 1, ' %')}   B ${spread(share('B'), 1, ' %')}`);
    console.log(`    CPU per response        A ${spread(cpu('A'), 0, ' µs')}   B ${spread(cpu('B'), 0, ' µs')}`);
    console.log(`    B/A in the same round   req/s ${spread(rpsRatio, 2)}   CPU per response ${spread(cpuRatio, 2)}`);
    // Slower: B's CPU per response above A's by more than 5 % in the median round, or its req/s below by more than 5 %.
    const slower = median(cpuRatio) > 1.05 || median(rpsRatio) < 0.95;
    verdicts.push(`${label}: ${slower ? 'B SLOWER than A' : 'B not slower than A'}`);
  }
  console.log(`\n${verdicts.join('; ')} (slower: the median round's B/A CPU per response above 1.05 or req/s below 0.95)`);
} finally {
  for (const child of running.reverse()) await child.stop();
  spawnSync('git', ['worktree', 'remove', '--force', oldTree], { stdio: 'inherit' });
  rmSync(work, { recursive: true, force: true });
}

/** Packages at one version in the old package-lock and another in the new one, as "name old -> new". */
function changedPackages(oldLock: string, newLock: string): string[] {
  type Lock = { packages: Record<string, { version?: string }> };
  const before = (JSON.parse(oldLock) as Lock).packages;
  const after = (JSON.parse(newLock) as Lock).packages;
  // Top-level packages only: nested copies (a tool's own esbuild for each platform) are not what the server runs.
  return Object.entries(before)
    .filter(([name, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(name) && entry.version !== after[name]?.version)
    .map(([name, entry]) => `${name.slice('node_modules/'.length)} ${entry.version} -> ${after[name]?.version ?? 'absent'}`);
}

function run(command: string, args: string[], cwd: string, what: string) {
  console.log(`${what}...`);
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what}: ${command} ${args.join(' ')} exited with ${result.status}`);
}
