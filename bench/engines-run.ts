import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENGINES_HEADER, engineRows, enginesTitle, measureEngines, printColumns } from './engines.js';
import { freePort, load, serverNodeArgs, startProcess, stopOnInterrupt } from './measure.js';
import { keptSeed } from './seed.js';

/**
 * `npm run bench:engines`: only the side-by-side section of `npm run bench` (bench/engines.ts:
 * SQLite and PostgreSQL on the same forum, and the fan-out across two server processes of each),
 * beside a hello-world ceiling of the same run. `-- --quick`: the small forum and 100 sockets.
 * `-- --data=<folder>` seeds the full-size forum there once and reuses it (seeding takes minutes);
 * the measures run on a copy of it, so the kept forum stays as seeded.
 */
const quick = process.argv.includes('--quick');
const dataArg = process.argv.find((arg) => arg.startsWith('--data='))?.slice('--data='.length);
const size = quick ? { users: 60, threads: 100, posts: 2_000 } : { users: 200, threads: 2_000, posts: 100_000 };
const seconds = quick ? 3 : 8;
const seedDir = dataArg ? path.resolve(dataArg) : mkdtempSync(path.join(tmpdir(), 'concilia-bench-engines-seed-'));
const workDir = mkdtempSync(path.join(tmpdir(), 'concilia-bench-engines-'));

try {
  const seeded = await keptSeed(seedDir, `http://127.0.0.1:${await freePort()}`, size, (line) => console.log(line));
  cpSync(seedDir, workDir, { recursive: true });
  const hello = await startProcess(['--import', 'tsx', 'bench/hello-server.ts'], { LOG_LEVEL: 'warn' }, await freePort(), '/hello');
  const unregister = stopOnInterrupt(() => hello.stop());
  await load({ url: `${hello.url}/hello`, duration: 2 });
  const ceiling = await load({ url: `${hello.url}/hello`, duration: seconds });
  await hello.stop();
  unregister();
  const result = await measureEngines({
    sqliteDataDir: workDir,
    cookies: seeded.cookies,
    hotThreadId: seeded.hotThreadId,
    origin: seeded.origin,
    serverArgs: serverNodeArgs(),
    seconds,
    sockets: quick ? 100 : 1_000,
    rounds: quick ? 5 : 20,
    log: (line) => console.log(line),
  });
  printColumns(enginesTitle(result, `${quick ? 'quick' : 'full'}: ${size.posts.toLocaleString('en')} posts; hello-world ${ceiling.requestsPerSecond.toFixed(0)} req/s`), ENGINES_HEADER, engineRows(result, ceiling.requestsPerSecond));
} finally {
  rmSync(workDir, { recursive: true, force: true });
  if (!dataArg) rmSync(seedDir, { recursive: true, force: true });
}
