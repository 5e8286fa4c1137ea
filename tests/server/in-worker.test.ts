import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { inWorker } from '../../server/shared/in-worker.js';

/** server/shared/in-worker.ts: a module's function run in a worker thread, its result handed back. */
const job = new URL('../fixtures/worker-job.ts', import.meta.url);

describe('inWorker', () => {
  it('runs the function in another thread and hands back its result, a Buffer as a Buffer', async () => {
    const worker = await inWorker<undefined, number>(job, 'thread', undefined);
    expect(worker).not.toBe(threadId);
    const bytes = await inWorker<{ text: string }, Buffer>(job, 'upper', { text: 'cifra' });
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString()).toBe('CIFRA');
    // Calls close together share the worker.
    expect(await inWorker<undefined, number>(job, 'thread', undefined)).toBe(worker);
  });

  it("rejects with the function's error, and the next call still runs", async () => {
    await expect(inWorker(job, 'refuse', { why: 'sin datos' })).rejects.toThrow('refused: sin datos');
    expect((await inWorker<{ text: string }, Buffer>(job, 'upper', { text: 'ok' })).toString()).toBe('OK');
  });
});
