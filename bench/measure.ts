import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';

export { freePort } from '../tests/support/free-port.js';

/** Pieces the benchmark run is made of: processes on 127.0.0.1, load with autocannon, percentiles. */

/**
 * The Node arguments `npm start` runs the server with (its flags, then dist/server/server.js),
 * read from package.json so the measured server is the one that ships.
 */
export function serverNodeArgs(packageJson = 'package.json'): string[] {
  const startScript = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const args = /node ((?:--\S+ )*)(dist\/server\/server\.js)/.exec(startScript)?.slice(1).join('').split(' ').filter(Boolean);
  if (!args) throw new Error('package.json "start" no longer runs node dist/server/server.js');
  return args;
}

/** A worker thread running a TypeScript module: worker threads do not inherit tsx's loader on Node 20, so the entry registers it first. */
export function typeScriptWorker(moduleUrl: URL, workerData: unknown): Worker {
  const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(entry, { eval: true, workerData });
}

/** USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface RunningProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
  /** Resident set size of the process now, in MB (Linux /proc). */
  rssMb(): number;
  /**
   * Starts the kernel's record of the process's peak RSS over (Linux: /proc/PID/clear_refs "5");
   * peakRssMb() then reads it (VmHWM). A truthful peak: a sampler polling rssMb() every few
   * milliseconds can miss a short burst between two samples. False when the kernel refuses.
   */
  resetPeakRss(): boolean;
  peakRssMb(): number;
  /** What the process has written to stderr so far (its warnings and errors at LOG_LEVEL=warn). */
  stderr(): string;
  /** CPU time the process has used so far (user + system, Linux /proc), in seconds. */
  cpuSeconds(): number;
  /** Its main thread's (the event loop's) time on a CPU and waiting for one so far; null without schedstat. */
  schedMs(): SchedTimes | null;
}

/**
 * Where a thread's time went, from the kernel's scheduler statistics (Linux /proc/.../schedstat,
 * nanoseconds): running on a CPU, and runnable but waiting for one. Over a stretch of wall time,
 * what is neither was sleeping (waiting for I/O, a timer or the other side of a socket). So a
 * slow request can be told apart: the server's event loop busy (a stall of its own), or the
 * server ready but given no CPU (the machine busy with other processes).
 */
export interface SchedTimes {
  runMs: number;
  waitMs: number;
}

export function readSchedMs(file: string): SchedTimes | null {
  try {
    const [run, wait] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
    return run === undefined || wait === undefined || Number.isNaN(run) || Number.isNaN(wait) ? null : { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return null;
  }
}

/** The bench process's own main thread (/proc/self/schedstat is the thread group leader's). */
export const ownSchedMs = (): SchedTimes | null => readSchedMs('/proc/self/schedstat');

/**
 * The machine's CPU pressure so far (Linux PSI, /proc/pressure/cpu "some" total): the wall time
 * during which at least one runnable task waited for a CPU, in ms; null where the kernel has none.
 */
export function cpuPressureMs(): number | null {
  try {
    const total = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1];
    return total === undefined ? null : Number(total) / 1000;
  } catch {
    return null;
  }
}

/** `ipc`: a message channel to the process (process.send in it), for a measuring preload; `cwd`: another checkout's folder (bench/compare.ts). */
export async function startProcess(args: string[], env: Record<string, string>, port: number, healthPath: string, options: { ipc?: boolean; cwd?: string } = {}): Promise<RunningProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: options.ipc ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early: ${stderr}`);
    try {
      if ((await fetch(url + healthPath, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('process did not start in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    stderr: () => stderr,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    cpuSeconds: () => {
      // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command's closing parenthesis.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    schedMs: () => readSchedMs(`/proc/${child.pid}/schedstat`),
    resetPeakRss: () => {
      try {
        writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** 3xx answers (a revalidation's 304s, which non2xx counts too). */
  status3xx: number;
  errors: number;
  bytesPerResponse: number;
  /** Responses received. */
  requests: number;
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 50, duration: 8, ...options });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    status3xx: result['3xx'],
    errors: result.errors + result.timeouts,
    bytesPerResponse: result.requests.total ? result.throughput.total / result.requests.total : 0,
    requests: result.requests.total,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function printTable(title: string, rows: Array<[string, string, string, string]>): void {
  const header: [string, string, string, string] = ['measure', 'result', 'budget', 'verdict'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/**
 * The bench's writers: replies spread over these threads, each by one of the people past the first
 * 30 of the seed (the readers' cookies), with a body that differs every time.
 */
export function replyWriters(threadIds: readonly string[], cookies: readonly string[], origin: string): autocannon.Request[] {
  let sequence = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        sequence += 1;
        return {
          ...request,
          path: `/api/threads/${threadIds[sequence % threadIds.length]}/posts`,
          // Among the people past the first 30 (the quick run has only 60 of them).
          headers: { cookie: cookies[30 + (sequence % Math.min(150, cookies.length - 30))]!, origin, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `Respuesta ${sequence}: revisamos la **serie** de población y la diferencia es de ${(sequence % 97) / 10} puntos.` }),
        };
      },
    },
  ];
}

/**
 * What to stop when the run is interrupted (Ctrl-C or SIGTERM): a signal ends Node without running
 * `finally` blocks or 'exit' handlers' async work, and the servers and the PostgreSQL cluster the
 * bench started would outlive it. Each is stopped by its PID, the latest started first.
 */
const toStopOnInterrupt: Array<() => Promise<void>> = [];
let interruptHandled = false;
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  toStopOnInterrupt.push(stop);
  if (!interruptHandled) {
    interruptHandled = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping what the bench started...`);
        void (async () => {
          for (const stopOne of [...toStopOnInterrupt].reverse()) await stopOne().catch(() => undefined);
          process.exit(130);
        })();
      });
    }
  }
  return () => {
    const index = toStopOnInterrupt.indexOf(stop);
    if (index >= 0) toStopOnInterrupt.splice(index, 1);
  };
}
