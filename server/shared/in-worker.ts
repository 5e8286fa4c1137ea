import { Worker } from 'node:worker_threads';

/**
 * Runs one exported function of a module in a worker thread and hands back its result
 * (structured-cloned; a Buffer result comes back as a Buffer, one inside an object as a Uint8Array). For work that loads a large library and
 * leaves much garbage for the little it returns: workbook exports grew the server's RSS by about
 * 46 MB over twenty of them (exceljs loaded for good, and a heap grown to build workbooks that V8
 * keeps), 20 MB when built in a worker that then ends (its isolate and heap go with it; what stays
 * is in the allocator's arenas).
 *
 * One worker serves the calls in turn and ends IDLE_MS after the last: a burst of exports (a
 * secretariat downloading several) loads the library once (a fresh worker and exceljs cost some
 * 250 ms), and a server that exported once a day does not keep it.
 *
 * From TypeScript sources (the tests) the worker registers tsx's loader first: worker threads do
 * not inherit the parent's loaders on Node 20.
 */
const IDLE_MS = 10_000;

const RUNNER = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = workerData.typescript ? import('tsx/esm/api').then(({ register }) => register()) : Promise.resolve();
parentPort.on('message', async ({ id, url, name, input }) => {
  try {
    await ready;
    const module = await import(url);
    parentPort.postMessage({ id, result: await module[name](input) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message || error), stack: error && error.stack } });
  }
});
`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

let current: { worker: Worker; pending: Map<number, Pending>; idle: NodeJS.Timeout | null } | null = null;
let nextId = 0;

function start(typescript: boolean) {
  const worker = new Worker(RUNNER, { eval: true, workerData: { typescript } });
  worker.unref();
  const state = { worker, pending: new Map<number, Pending>(), idle: null as NodeJS.Timeout | null };
  const fail = (error: Error) => {
    if (current === state) current = null;
    for (const job of state.pending.values()) job.reject(error);
    state.pending.clear();
  };
  worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: { message: string; stack?: string } }) => {
    const job = state.pending.get(id);
    if (!job) return;
    state.pending.delete(id);
    if (error) job.reject(Object.assign(new Error(error.message), { stack: error.stack }));
    else job.resolve(result instanceof Uint8Array && !Buffer.isBuffer(result) ? Buffer.from(result.buffer, result.byteOffset, result.byteLength) : result);
    if (state.pending.size === 0 && current === state) {
      state.idle = setTimeout(() => {
        if (current === state && state.pending.size === 0) {
          current = null;
          void worker.terminate();
        }
      }, IDLE_MS);
      state.idle.unref();
    }
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The worker thread ended (code ${code}) before answering`)));
  return state;
}

export function inWorker<Input, Output>(moduleUrl: URL, name: string, input: Input): Promise<Output> {
  current ??= start(moduleUrl.pathname.endsWith('.ts'));
  const state = current;
  if (state.idle) clearTimeout(state.idle);
  state.idle = null;
  const id = (nextId += 1);
  return new Promise<Output>((resolve, reject) => {
    state.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    state.worker.postMessage({ id, url: moduleUrl.href, name, input });
  });
}
