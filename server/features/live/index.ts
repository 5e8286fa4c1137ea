import type { FastifyPluginAsync } from 'fastify';
import type { RawData } from 'ws';
import { AppError, ErrorResponse, errorResponses } from '../../shared/errors.js';
import { CLOSE_SESSION_ENDED, LiveChannel, sessionsEndedSignal, type LiveOptions } from './channel.js';

export type { LiveOptions } from './channel.js';
export { CLOSE_RIGHTS_CHANGED, CLOSE_SESSION_ENDED, CLOSE_SLOW_CONSUMER } from './channel.js';

/**
 * `GET /api/live`: the live channel. The upgrade goes through the normal hooks (session,
 * `access: 'signed-in'`), then the Origin check, since browsers let any site open a WebSocket
 * to us with our cookies.
 * @see ../../../docs/debates-api.md, "Live channel"
 */
const liveRoutes: FastifyPluginAsync<LiveOptions> = async (fastify, options) => {
  const channel = new LiveChannel(fastify.liveHub, fastify.liveTopics, fastify.log, options);

  // Every session that ends (sign-out, expiry, password change or reset, deactivation) becomes a
  // stored signal on the person's topic, submitted in the same turn as the delete: anything
  // published after the session ended fans out after the signal, so it never reaches the
  // session's sockets.
  const stopWatchingSessions = fastify.sessions.onEnded((ended) => {
    fastify.liveHub.publish(sessionsEndedSignal(ended)).catch((err: unknown) => {
      // The sessions have ended all the same: at least this process's sockets of them close.
      fastify.log.error({ err, userId: ended.userId }, 'live: could not store the end of sessions');
      channel.sessionsEnded(ended);
    });
  });

  let heartbeat: NodeJS.Timeout | undefined;
  let presenceSweep: NodeJS.Timeout | undefined;
  fastify.addHook('onReady', async () => {
    heartbeat = setInterval(() => channel.heartbeat(), options.heartbeatSeconds * 1000);
    presenceSweep = setInterval(() => channel.expirePresence(), Math.min(5_000, ((options.presenceSeconds ?? 60) * 1000) / 4));
    heartbeat.unref();
    presenceSweep.unref();
  });
  fastify.addHook('preClose', async () => {
    stopWatchingSessions();
    clearInterval(heartbeat);
    clearInterval(presenceSweep);
    channel.closeAll();
  });

  fastify.route({
    method: 'GET',
    url: '/live',
    config: { access: 'signed-in' },
    schema: {
      tags: ['live'],
      summary: 'The live channel: a WebSocket (see docs/debates-api.md, "Live channel"); a plain GET answers 426',
      response: { 426: ErrorResponse, ...errorResponses },
    },
    handler: async () => {
      throw new AppError(426, 'upgrade_required', 'This address is a WebSocket: open it with a WebSocket client.', undefined, { upgrade: 'websocket' });
    },
    wsHandler: (socket, request) => {
      // The authorization hook has already refused anonymous upgrades. The session is looked up
      // again here, in the group the hook admitted the upgrade to: it may have ended, or its person
      // changed role, since the hook validated it (the upgrade passed through awaits), and that
      // signal would have found no socket to close.
      const sessionId = request.sessionId;
      if (!sessionId) return void socket.close(CLOSE_SESSION_ENDED, 'session ended');
      // What the client sends while the session is read is kept, and handed to the channel after.
      const early: Array<[RawData, boolean]> = [];
      const hold = (data: RawData, isBinary: boolean) => early.push([data, isBinary]);
      socket.on('message', hold);
      fastify.sessions.current(sessionId, Date.now(), request.user?.groupSlug).then(
        (user) => {
          socket.off('message', hold);
          if (!user) return void socket.close(CLOSE_SESSION_ENDED, 'session ended');
          channel.accept(socket, user, sessionId);
          for (const [data, isBinary] of early) socket.emit('message', data, isBinary);
        },
        (err: unknown) => {
          fastify.log.error({ err }, 'live: reading the session failed');
          socket.close(1011, 'server error');
        },
      );
    },
  });
};

export default liveRoutes;
