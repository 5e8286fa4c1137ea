import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, load, printTable, serverNodeArgs, startProcess } from './measure.js';
import { keptSeed } from './seed.js';
import { measureThreadPage, threadPageRows } from './thread-page.js';

/**
 * `npm run bench:thread`: only the thread page's measures of `npm run bench` (as a browser asks
 * for it, uncompressed, revalidated), beside a hello-world ceiling of the same run.
 * `-- --data=<folder>` seeds the full-size forum into the folder once and reuses it on the next
 * runs (seeding takes minutes); without it, a temporary folder. `-- --quick`: the small forum.
 */
const quick = process.argv.includes('--quick');
const dataArg = process.argv.find((arg) => arg.startsWith('--data='))?.slice('--data='.length);
const size = quick ? { users: 60, threads: 100, posts: 2_000 } : { users: 200, threads: 2_000, posts: 100_000 };
const seconds = quick ? 3 : 8;
const serverArgs = serverNodeArgs();
const dataDir = dataArg ? path.resolve(dataArg) : mkdtempSync(path.join(tmpdir(), 'concilia-bench-thread-'));

try {
  const seeded = await keptSeed(dataDir, `http://127.0.0.1:${await freePort()}`, size, (line) => console.log(line));
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, await freePort(), '/hello');
  await load({ url: `${hello.url}/hello`, duration: 2 });
  const helloCpu = hello.cpuSeconds();
  const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
  const helloMicros = ((hello.cpuSeconds() - helloCpu) * 1e6) / Math.max(1, ceiling.requests);
  await hello.stop();
  const server = await startProcess(serverArgs, { DATA_DIR: dataDir, PUBLIC_URL: seeded.origin, LOG_LEVEL: 'warn' }, await freePort(), '/api/health');
  try {
    const result = await measureThreadPage(server, seeded.cookies[20]!, seeded.hotThreadId, seconds);
    printTable(`Concilia thread page (${quick ? 'quick' : 'full'}; server: node ${serverArgs.join(' ')})`, [
      ['hello-world req/s (ceiling); its CPU per response', `${ceiling.requestsPerSecond.toFixed(0)}; ${helloMicros.toFixed(0)} µs`, '', ''],
      ...threadPageRows(result, ceiling.requestsPerSecond),
    ]);
  } finally {
    await server.stop();
  }
} finally {
  if (!dataArg) rmSync(dataDir, { recursive: true, force: true });
}
