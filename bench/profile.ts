import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, load, serverNodeArgs, startProcess } from './measure.js';
import { seed, type SeedResult } from './seed.js';

/**
 * `node --import tsx bench/profile.ts <data folder> [path] [seconds]`: where a request's time goes
 * in the built server (npm run build first). Seeds the benchmark's full-size forum into the folder
 * once (kept for the next runs), starts the server as `npm start` does with --cpu-prof, loads the
 * path with autocannon as a browser asks for it, and prints the functions and modules that took
 * the most CPU (the whole profile stays in <folder>/profiles for DevTools). Also prints the
 * server's memory at rest and with --sockets N websockets open.
 */
const [dataDir, pathArg = '/api/home', secondsArg = '8'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (!dataDir) throw new Error('usage: bench/profile.ts <data folder> [path] [seconds] [--sockets=N] [--no-prof]');
const socketsArg = process.argv.find((arg) => arg.startsWith('--sockets='));
const sockets = socketsArg ? Number(socketsArg.split('=')[1]) : 0;
const profile = !process.argv.includes('--no-prof');
const size = { users: 200, threads: 2_000, posts: 100_000 };
const seeded = path.join(dataDir, 'bench-seed.json');
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;

mkdirSync(dataDir, { recursive: true });
let seedResult: SeedResult;
if (existsSync(seeded)) seedResult = JSON.parse(readFileSync(seeded, 'utf8')) as SeedResult;
else {
  seedResult = await seed(dataDir, origin, size, console.log);
  writeFileSync(seeded, JSON.stringify(seedResult));
}

const profileDir = path.join(dataDir, 'profiles');
const args = serverNodeArgs();
const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...args] : args;
const before = new Set(existsSync(profileDir) ? readdirSync(profileDir) : []);
const server = await startProcess(nodeArgs, { DATA_DIR: dataDir, PUBLIC_URL: seedResult.origin, LOG_LEVEL: 'warn' }, port, '/api/health');
try {
  console.log(`RSS at rest: ${server.rssMb().toFixed(0)} MB`);
  const headers = { cookie: seedResult.cookies[20]!, 'accept-encoding': 'gzip, deflate, br, zstd' };
  const url = server.url + pathArg.replace('{hot}', seedResult.hotThreadId);
  const first = await fetch(url, { headers });
  if (first.status !== 200) throw new Error(`${pathArg} answered ${first.status}`);
  await first.arrayBuffer();
  await load({ url, headers, duration: 2 });
  const result = await load({ url, headers, duration: Number(secondsArg) });
  console.log(`${pathArg}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}`);
  console.log(`RSS after load: ${server.rssMb().toFixed(0)} MB`);
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
    console.log(`RSS with ${sockets} sockets open: ${server.rssMb().toFixed(0)} MB`);
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
