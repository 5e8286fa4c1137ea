import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';

/** Largest client message: they are small commands, so anything bigger is a mistake or abuse. */
const MAX_MESSAGE_BYTES = 16 * 1024;
/** How long a closing peer gets to answer the close frame before its socket is cut. */
const CLOSE_GRACE_MS = 1_000;

/**
 * WebSocket routes (`wsHandler`) through the normal request lifecycle, so the session,
 * authorization and origin hooks guard upgrades exactly as they guard HTTP.
 * @see https://github.com/fastify/fastify-websocket#using-hooks
 */
export default fp(
  async (fastify) => {
    await fastify.register(websocket, {
      options: { maxPayload: MAX_MESSAGE_BYTES },
      // The default closes politely and then waits for each peer; a peer that never answers (a
      // paused tab, a dead network) would hold fastify.close() up for ws's 30 s close timeout.
      preClose(done) {
        const clients = this.websocketServer.clients;
        for (const client of clients) client.close(1001, 'server shutting down');
        if (clients.size === 0) return done();
        const finish = () => {
          clearTimeout(timer);
          clearInterval(check);
          done();
        };
        const timer = setTimeout(() => {
          for (const client of clients) client.terminate();
          finish();
        }, CLOSE_GRACE_MS);
        const check = setInterval(() => {
          if (clients.size === 0) finish();
        }, 20);
      },
    });
  },
  { name: 'websocket' },
);
