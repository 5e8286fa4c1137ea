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
