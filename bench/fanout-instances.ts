import type { Worker } from 'node:worker_threads';
import { percentile, typeScriptWorker, type RunningProcess } from './measure.js';

/**
 * Fan-out across server instances: sockets spread evenly over several server processes on one
 * database, all subscribed to one thread; each post is made on the first instance, and each
 * socket's receipt is timed from the moment the post was sent. The sockets on the instance that
 * wrote are served by its own fan-out after the commit; the others only once their instance has
 * learnt of the commit from the database (the live_events log follower on SQLite, LISTEN/NOTIFY on
 * PostgreSQL): the gap between the two is what crossing instances costs.
 */
export interface InstancesFanoutOptions {
  instances: RunningProcess[];
  cookies: readonly string[];
  origin: string;
  threadId: string;
  /** Sockets in all, spread evenly over the instances. */
  sockets: number;
  rounds: number;
  warmUp: number;
  /** Reader threads per instance (bench/fanout-client.ts). */
  readersPerInstance?: number;
  /** How long a round waits for every socket; a socket not reached by then counts as not delivered. */
  roundTimeoutMs?: number;
}

export interface InstancesFanoutResult {
  /** Per instance, in the order given: arrival times (ms after the post was sent, and after its 201 reached the bench) and sockets. */
  perInstance: Array<{ arrivals: number[]; afterAck: number[]; sockets: number }>;
  rounds: number;
  /** The post's own round trip (sent to acknowledged, 201) per counted round. */
  postMs: number[];
  /** Set when the warm-up rounds reached no socket on another instance: the counted rounds then waited for the first instance's sockets only. */
  noCrossDelivery: boolean;
}

type Report = { type: string; arrivals?: number[] };

function nextMessage(worker: Worker, type: string, timeoutMs: number): Promise<Report | null> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      outcome();
    };
    const timer = setTimeout(() => settle(() => resolve(null)), timeoutMs);
    const onMessage = (message: Report) => {
      if (message.type === type) settle(() => resolve(message));
    };
    const onError = (error: unknown) => settle(() => reject(error));
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}

export async function measureInstancesFanout(options: InstancesFanoutOptions): Promise<InstancesFanoutResult> {
  const { instances, cookies, origin, threadId, rounds, warmUp } = options;
  const readers = options.readersPerInstance ?? 2;
  const roundTimeoutMs = options.roundTimeoutMs ?? 3_000;
  const perInstanceSockets = Math.floor(options.sockets / instances.length);
  const groups = instances.map((instance, i) => {
    const wsUrl = `${instance.url.replace('http', 'ws')}/api/live`;
    const workers = Array.from({ length: readers }, (_, r) => {
      // Each instance's sockets belong to people taken in turn from the whole seed, as in `npm run bench`.
      const mine = Array.from({ length: perInstanceSockets }, (_, s) => cookies[(i * perInstanceSockets + s) % cookies.length]!).filter((_, s) => s % readers === r);
      return typeScriptWorker(new URL('./fanout-client.ts', import.meta.url), { wsUrl, origin, cookies: mine, topic: `thread:${threadId}` });
    });
    return { workers, arrivals: [] as number[], afterAck: [] as number[] };
  });
  const all = groups.flatMap((group) => group.workers);
  const writer = instances[0]!;
  const postMs: number[] = [];
  let noCrossDelivery = false;
  try {
    if ((await Promise.all(all.map((worker) => nextMessage(worker, 'ready', 60_000)))).includes(null)) throw new Error('fan-out subscribers did not connect');
    let crossDuringWarmUp = 0;
    for (let round = 1 - warmUp; round <= rounds; round += 1) {
      const postedAt = performance.timeOrigin + performance.now();
      for (const worker of all) worker.postMessage({ type: 'round', postedAt });
      // Once nothing crossed in the warm-up, only the writing instance's sockets are waited for.
      const awaited = noCrossDelivery ? groups.slice(0, 1) : groups;
      const reports = Promise.all(awaited.map((group) => Promise.all(group.workers.map((worker) => nextMessage(worker, 'arrivals', roundTimeoutMs)))));
      const response = await fetch(`${writer.url}/api/threads/${threadId}/posts`, {
        method: 'POST',
        headers: { cookie: cookies[15]!, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Actualización ${round} desde la primera instancia: la cifra de @CL coincide con la estimación revisada.` }),
      });
      const acknowledgedAt = performance.timeOrigin + performance.now();
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`reply answered ${response.status}`);
      const received = await reports;
      if (round >= 1) {
        postMs.push(acknowledgedAt - postedAt);
        received.forEach((group, i) => {
          const arrivals = group.flatMap((report) => report?.arrivals ?? []);
          groups[i]!.arrivals.push(...arrivals);
          // From the 201 on: what is left once the write itself is done (below zero: the socket had it first).
          groups[i]!.afterAck.push(...arrivals.map((arrival) => arrival - (acknowledgedAt - postedAt)));
        });
      } else {
        crossDuringWarmUp += received.slice(1).flat().filter((report) => report !== null).length;
      }
      // Nothing crosses (no follower on this engine yet): the counted rounds measure the writing instance alone,
      // rather than each wait out its timeout for the others.
      if (round === 0 && instances.length > 1 && crossDuringWarmUp === 0) noCrossDelivery = true;
    }
  } finally {
    for (const worker of all) worker.postMessage({ type: 'close' });
    await Promise.all(all.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  }
  return { perInstance: groups.map((group) => ({ arrivals: group.arrivals, afterAck: group.afterAck, sockets: perInstanceSockets })), rounds, postMs, noCrossDelivery };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** p50 / p95 / p99 of these arrivals, and how many of the expected ones came. */
export function arrivalSummary(arrivals: number[], expected: number | null): string {
  if (expected === 0) return 'not measured';
  return `${fmt(percentile(arrivals, 50))} / ${fmt(percentile(arrivals, 95))} / ${fmt(percentile(arrivals, 99))} ms${expected === null ? '' : ` (${arrivals.length}/${expected})`}`;
}
