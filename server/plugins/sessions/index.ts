import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runPeriodically } from '../../shared/periodic.js';
import { SessionStore, type SessionUser, type ValidatedSession } from './session-store.js';

export type { SessionUser, SessionsEnded } from './session-store.js';
export { endsSession } from './session-store.js';

export const SESSION_COOKIE = 'concilia_session';

/**
 * On `user:<id>`, for no socket (an internal event): the person's profile, role, affiliation or
 * state changed. Validated sessions remember people, so other processes forget theirs.
 */
export const USER_CHANGED = 'user.changed';
/** The live channel's signals on `user:<id>` that also make remembered sessions stale (features/live/channel.ts). */
const SESSIONS_ENDED = 'user.sessions-ended';
const RIGHTS_CHANGED = 'user.rights-changed';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionStore;
    /** Opens a session for the user and sets its cookie; returns the new session's id. */
    startSession(reply: FastifyReply, userId: string): Promise<string>;
    /** Ends the request's session, if any, and clears the cookie. */
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
  }
}

/**
 * Cookie sessions after Lucia's design (lucia-auth.com): random token in an HttpOnly, SameSite=Lax cookie,
 * SHA-256 of it in the database, 30-day sliding expiry. Resolves `request.user` on every request.
 */
export default fp<{ secureCookies: boolean }>(
  async (fastify, options) => {
    await fastify.register(cookie);
    const store = new SessionStore(fastify.db, (err) => fastify.log.error({ err }, 'a listener of ended sessions failed'));
    fastify.decorate('sessions', store);
    // Sessions ended and people changed by other processes (server/plugins/live/caches.ts).
    fastify.caches.register({
      name: 'sessions: validated sessions and their people',
      types: [SESSIONS_ENDED, RIGHTS_CHANGED, USER_CHANGED],
      invalidate: (event) => store.forgetUser(event.topic.slice(event.topic.indexOf(':') + 1)),
    });
    runPeriodically(fastify, 'delete expired sessions', 60 * 60_000, () => store.deleteExpired());
    fastify.decorateRequest('user', null);
    fastify.decorateRequest('sessionId', null);

    const cookieOptions = (expires: Date) =>
      ({ path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, expires }) as const;

    fastify.decorate('startSession', async (reply: FastifyReply, userId: string) => {
      const { token, sessionId, expiresAt } = await store.create(userId);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(expiresAt));
      return sessionId;
    });

    fastify.decorate('endSession', async (request, reply) => {
      if (request.sessionId) await store.invalidate(request.sessionId);
      request.user = null;
      request.sessionId = null;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });

    const apply = (request: FastifyRequest, reply: FastifyReply, token: string, session: ValidatedSession | null) => {
      if (!session) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.user = session.user;
      request.sessionId = session.sessionId;
      if (session.renewed) reply.setCookie(SESSION_COOKIE, token, cookieOptions(session.expiresAt));
    };
    // Callback style: on every request, a session remembered from the last minute is answered
    // synchronously, without the promise and the extra turn an async hook costs; only the others
    // wait for validate().
    fastify.addHook('onRequest', (request, reply, done) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return done();
      const remembered = store.validateRemembered(token);
      if (remembered) {
        request.user = remembered.user;
        request.sessionId = remembered.sessionId;
        return done();
      }
      store.validate(token).then((session) => {
        apply(request, reply, token, session);
        done();
      }, done);
    });
  },
  { name: 'sessions', dependencies: ['db', 'live-hub'] },
);
