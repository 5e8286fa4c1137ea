import type { FastifyInstance } from 'fastify';

/**
 * Runs housekeeping on an interval while the server is up. The timer does not keep the
 * process alive and stops when the app closes; failures are logged, never thrown.
 */
export function runPeriodically(fastify: FastifyInstance, name: string, intervalMs: number, task: () => Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined;
  fastify.addHook('onReady', async () => {
    timer = setInterval(() => {
      task().catch((err: unknown) => fastify.log.error({ err, task: name }, 'housekeeping failed'));
    }, intervalMs);
    timer.unref();
  });
  fastify.addHook('onClose', async () => clearInterval(timer));
}

/**
 * Resolves in the next turn of the event loop, after the requests and timers waiting. Background
 * work over a backlog awaits it between items: a write submitted by code that a commit resumed
 * commits in that same turn (the group commit's), so a loop of awaited writes alone never lets a
 * request in.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
