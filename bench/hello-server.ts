import Fastify from 'fastify';

/** The ceiling: the same Fastify, logger and machine, answering a constant. */
const fastify = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
fastify.get('/hello', async () => ({ hello: 'world' }));
await fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void fastify.close().then(() => process.exit(0)));
