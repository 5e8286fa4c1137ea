import { Worker } from 'node:worker_threads';

/**
 * Runs one exported function of a module in a worker thread of its own, which ends with it, and
 * hands back its result (structured-cloned; a Buffer comes back as a Buffer). For work that loads
 * a large library and leaves much garbage for the little it returns: a workbook export grew the
 * server's RSS by about 46 MB over twenty exports (exceljs loaded for good, and a heap grown to
 * build workbooks that V8 keeps), while a worker's isolate and heap go when it ends (about a
 * third of that stays, in the allocator's arenas). Started per call: exports are rare, and a
 * worker costs some 30 ms to start.
 *
 * From TypeScript sources (the tests) the worker registers tsx's loader first: worker threads do
 * not inherit the parent's loaders on Node 20.
 */
const RUNNER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.typescript) (await import('tsx/esm/api')).register();
  const module = await import(workerData.url);
  parentPort.postMessage(await module[workerData.name](workerData.input));
})().catch((error) => { throw error; });
`;

export function inWorker<Input, Output>(moduleUrl: URL, name: string, input: Input): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    const worker = new Worker(RUNNER, { eval: true, workerData: { url: moduleUrl.href, name, input, typescript: moduleUrl.pathname.endsWith('.ts') } });
    let answered = false;
    worker.once('message', (result: unknown) => {
      answered = true;
      resolve((result instanceof Uint8Array && !Buffer.isBuffer(result) ? Buffer.from(result.buffer, result.byteOffset, result.byteLength) : result) as Output);
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The worker for ${name} ended (code ${code}) without an answer`));
    });
  });
}
