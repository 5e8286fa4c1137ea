import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, load, serverNodeArgs, startProcess } from './measure.js';
import { seedRound } from './rounds-seed.js';
import { keptSeed } from './seed.js';

/**
 * `node --import tsx bench/profile.ts <data folder> [path] [seconds]`: where a request's time goes
 * in the built server (npm run build first). Seeds the benchmark's full-size forum into the folder
 * once (kept for the next runs), starts the server as `npm start` does with --cpu-prof, loads the
 * path with autocannon as a browser asks for it, and prints the functions and modules that took
 * the most CPU (the whole profile stays in <folder>/profiles for DevTools). Also prints the
 * server's memory at rest and with --sockets N websockets open.
 */
const [dataDir, pathArg = '/api/home', secondsArg = '8'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (!dataDir) throw new Error('usage: bench/profile.ts <data folder> [path] [seconds] [--sockets=N] [--no-prof] [--hello] [--memory [--snapshots]] [--bench-phases] [--flags="--x --y"]');
const socketsArg = process.argv.find((arg) => arg.startsWith('--sockets='));
const sockets = socketsArg ? Number(socketsArg.split('=')[1]) : 0;
const profile = !process.argv.includes('--no-prof');
/** --memory: the V8 heap and the process's mappings at rest, after the load and with the sockets open, and a heap snapshot of each. */
const memory = process.argv.includes('--memory');
/** --snapshots: with --memory, a heap snapshot each time too (writing one grows the RSS by far more than it measures). */
const snapshots = process.argv.includes('--snapshots');
const size = { users: 200, threads: 2_000, posts: 100_000 };
const seeded = path.join(dataDir, 'bench-seed.json');
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;

const seedResult = await keptSeed(dataDir, origin, size, console.log);
if (!seedResult.roundId) {
  seedResult.roundId = (await seedRound(dataDir, seedResult.origin, seedResult.cookies, seedResult.userIds)).roundId;
  writeFileSync(seeded, JSON.stringify(seedResult));
}

// The ceiling in the same conditions, as npm run bench compares with it.
if (process.argv.includes('--hello')) {
  const helloPort = await freePort();
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, helloPort, '/hello');
  try {
    await load({ url: `${hello.url}/hello`, duration: 2 });
    const ceiling = await load({ url: `${hello.url}/hello`, duration: Number(secondsArg) });
    console.log(`hello-world: ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99Ms} ms`);
  } finally {
    await hello.stop();
  }
}

const profileDir = path.join(dataDir, 'profiles');
const args = serverNodeArgs();
const script = args.pop()!;
// --flags="--a --b": other Node flags for the server than npm start's, to compare them.
const flagsArg = process.argv.find((arg) => arg.startsWith('--flags='));
if (flagsArg) args.splice(0, args.length, ...flagsArg.slice('--flags='.length).split(' ').filter(Boolean));
const nodeArgs = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...args, ...(memory ? ['--import', pathToFileURL(writeMemoryProbe()).href] : []), script];
const before = new Set(existsSync(profileDir) ? readdirSync(profileDir) : []);
const server = await startProcess(nodeArgs, { DATA_DIR: dataDir, PUBLIC_URL: seedResult.origin, LOG_LEVEL: 'warn' }, port, '/api/health', { ipc: memory });
/** What the process's memory is made of now (memory mode), with a heap snapshot summarized by constructor. */
const describeMemory = async (label: string) => {
  console.log(`RSS ${label}: ${server.rssMb().toFixed(0)} MB`);
  if (!memory) return;
  const answer = new Promise<{ usage: Record<string, number>; spaces: Array<{ space_name: string; space_used_size: number; space_size: number }>; snapshot: string | null }>((resolve) =>
    server.child.once('message', (message) => resolve(message as never)),
  );
  server.child.send({ type: 'memory', dir: dataDir, label: label.replace(/\W+/g, '-'), snapshot: snapshots });
  const { usage, spaces, snapshot } = await answer;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(`  ${Object.entries(usage).map(([key, value]) => `${key} ${mb(value)}`).join(', ')}`);
  console.log(`  heap spaces (used/size): ${spaces.map((space) => `${space.space_name} ${mb(space.space_used_size)}/${mb(space.space_size)}`).join(', ')}`);
  const rollup = readFileSync(`/proc/${server.child.pid}/smaps_rollup`, 'utf8').split('\n').filter((line) => /^(Rss|Anonymous|Shared_Clean|Private_Clean|Private_Dirty):/.test(line));
  console.log(`  ${rollup.map((line) => line.replace(/\s+/g, ' ')).join(', ')}; threads ${readdirSync(`/proc/${server.child.pid}/task`).length}`);
  if (snapshot) summarizeSnapshot(snapshot);
};
try {
  await describeMemory('at rest');
  const headers = { cookie: seedResult.cookies[20]!, 'accept-encoding': 'gzip, deflate, br, zstd' };
  const url = server.url + pathArg.replace('{hot}', seedResult.hotThreadId).replace('{round}', seedResult.roundId);
  const first = await fetch(url, { headers });
  if (first.status !== 200) throw new Error(`${pathArg} answered ${first.status}`);
  await first.arrayBuffer();
  await load({ url, headers, duration: 2 });
  const result = await load({ url, headers, duration: Number(secondsArg) });
  console.log(`${pathArg}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`);
  await describeMemory('after load');
  if (process.argv.includes('--bench-phases')) {
    // What npm run bench asks before it opens its sockets, so the RSS with sockets open is comparable.
    const pages = [`/api/threads/${seedResult.hotThreadId}/posts?view=chronological&limit=50`, `/api/rounds/${seedResult.roundId}`, '/api/home'];
    for (const page of pages) {
      await load({ url: server.url + page, headers, duration: 2 });
      await load({ url: server.url + page, headers: { cookie: headers.cookie }, duration: 2 });
      console.log(`  RSS after ${page.split('?')[0]}: ${server.rssMb().toFixed(0)} MB`);
    }
    for (let i = 0; i < 20; i += 1) await (await fetch(`${server.url}/api/rounds/${seedResult.roundId}/matrix.xlsx`, { headers })).arrayBuffer();
    console.log(`  RSS after 20 matrix exports: ${server.rssMb().toFixed(0)} MB`);
    await describeMemory('after the bench phases');
  }
  if (sockets > 0) {
    const { WebSocket } = await import('ws');
    const open: InstanceType<typeof WebSocket>[] = [];
    await Promise.all(
      Array.from({ length: sockets }, (_, i) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`, { headers: { cookie: seedResult.cookies[i % seedResult.cookies.length]!, origin: seedResult.origin } });
          socket.once('open', () => {
            socket.send(JSON.stringify({ type: 'subscribe', topics: [`thread:${seedResult.hotThreadId}`] }));
            open.push(socket);
            resolve();
          });
          socket.once('error', reject);
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await describeMemory(`with ${sockets} sockets open`);
    // The bench's fan-out: posts on the thread every socket follows, the RSS sampled after each.
    let peak = server.rssMb();
    for (let i = 0; i < 23; i += 1) {
      const posted = await fetch(`${server.url}/api/threads/${seedResult.hotThreadId}/posts`, {
        method: 'POST',
        headers: { cookie: seedResult.cookies[15]!, origin: seedResult.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Actualización ${i}: la cifra de @CL coincide con la estimación revisada.` }),
      });
      if (posted.status !== 201) throw new Error(`post answered ${posted.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      peak = Math.max(peak, server.rssMb());
    }
    console.log(`RSS peak during 23 fan-out posts: ${peak.toFixed(0)} MB`);
    for (const socket of open) socket.close();
  }
} finally {
  await server.stop();
}

if (profile) {
  const written = readdirSync(profileDir).filter((name) => !before.has(name));
  for (const name of written) summarize(path.join(profileDir, name));
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function and per module (node_modules package or source file), top 30 each. */
function summarize(file: string) {
  const cpu = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(cpu.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  cpu.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (cpu.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + micros);
    const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('dist/') ? where : where || frame.functionName);
    modules.set(module, (modules.get(module) ?? 0) + micros);
  }
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([name, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(`\n${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled\n\nfunctions (self time)\n${top(fns)}\n\nmodules (self time)\n${top(modules)}`);
}

/** The preload that answers `memory` over IPC: usage, heap spaces and a heap snapshot's file. Nothing without an IPC channel. */
function writeMemoryProbe(): string {
  const file = path.join(dataDir!, 'memory-probe.mjs');
  writeFileSync(
    file,
    `import v8 from 'node:v8';
import path from 'node:path';
if (process.send && process.channel) {
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    const snapshot = message.snapshot ? v8.writeHeapSnapshot(path.join(message.dir, 'heap-' + message.label + '.heapsnapshot')) : null;
    process.send({ usage: process.memoryUsage(), spaces: v8.getHeapSpaceStatistics(), snapshot });
  });
  process.channel.unref();
}
`,
  );
  return file;
}

/** Self size per constructor (and per kind for strings, code, arrays), top 25. */
function summarizeSnapshot(file: string) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const sizes = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const size = snapshot.nodes[i + sizeAt]!;
    total += size;
    const key = type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[i + nameAt]!]}` : type;
    sizes.set(key, (sizes.get(key) ?? 0) + size);
  }
  console.log(`  heap snapshot ${(total / 1024 / 1024).toFixed(1)} MB by self size:`);
  for (const [key, size] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${(size / 1024 / 1024).toFixed(2).padStart(7)} MB  ${key.slice(0, 100)}`);
}
