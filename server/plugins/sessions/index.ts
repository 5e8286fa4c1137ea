import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runPeriodically } from '../../shared/periodic.js';
import { AppError } from '../../shared/errors.js';
import { inGroup, SessionStore, type RememberedSession, type SessionUser } from './session-store.js';

export type { SessionUser, SessionsEnded } from './session-store.js';
export { endsSession } from './session-store.js';

export const SESSION_COOKIE = 'concilia_session';
/** The working group of a request, by its slug (the client sends the group of its `/g/<slug>/` address). */
export const GROUP_HEADER = 'x-concilia-group';

/**
 * The group a request names: the header, or for what the browser opens by itself and cannot give
 * a header to (a WebSocket upgrade, a download or export link: GET and HEAD) the `group` query
 * parameter. Undefined: the person's home group (the session store's HOME_GROUP_FIRST).
 */
export function requestedGroup(request: FastifyRequest): string | undefined {
  const header = request.headers[GROUP_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const group = (request.query as { group?: unknown }).group;
  return typeof group === 'string' && group !== '' ? group : undefined;
}

/**
 * The `group` parameter is the session layer's, read by requestedGroup: taken out of the query
 * (whatever the method) before the route validates it, so routes that refuse unknown parameters
 * accept a link with it.
 */
function takeGroupParameter(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown>;
  // Deleted only when present: a delete changes the object's shape, which every later read of the
  // query would pay for.
  if ('group' in query) delete query.group;
}

const notAMember = () => new AppError(403, 'not_a_member', 'You are not a member of this group.');

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
    /**
     * Opens a session for the user and sets its cookie; returns the new session's id and its
     * person in each of their groups (their home group first: where a request naming no group works).
     */
    startSession(reply: FastifyReply, userId: string): Promise<{ sessionId: string; memberships: ReadonlyArray<Readonly<SessionUser>> }>;
    /** Ends the request's session, if any, and clears the cookie. */
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    /** The person as they work in the request's group (GROUP_HEADER), or null for a visitor. */
    user: SessionUser | null;
    /** The person in every group they belong to, their home group first (null for a visitor): for what spans groups, as the bell. */
    memberships: ReadonlyArray<Readonly<SessionUser>> | null;
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
    // On PostgreSQL other instances end sessions too: each request confirms its own (SessionStore).
    const store = new SessionStore(fastify.database, (err) => fastify.log.error({ err }, 'a listener of ended sessions failed'), fastify.database.kind === 'postgres');
    fastify.decorate('sessions', store);
    // Sessions ended and people changed by other processes (server/plugins/live/caches.ts).
    fastify.caches.register({
      name: 'sessions: validated sessions and their people',
      types: [SESSIONS_ENDED, RIGHTS_CHANGED, USER_CHANGED],
      invalidate: (event) => store.forgetUser(event.topic.slice(event.topic.indexOf(':') + 1)),
    });
    runPeriodically(fastify, 'delete expired sessions', 60 * 60_000, () => store.deleteExpired());
    fastify.decorateRequest('user', null);
    fastify.decorateRequest('memberships', null);
    fastify.decorateRequest('sessionId', null);

    const cookieOptions = (expires: Date) =>
      ({ path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, expires }) as const;

    fastify.decorate('startSession', async (reply: FastifyReply, userId: string) => {
      const { token, sessionId, expiresAt } = await store.create(userId);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(expiresAt));
      return { sessionId, memberships: await store.membershipsOf(sessionId) };
    });

    fastify.decorate('endSession', async (request, reply) => {
      if (request.sessionId) await store.invalidate(request.sessionId);
      request.user = null;
      request.memberships = null;
      request.sessionId = null;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });

    /** Sets the request's person in the group it names; an error when they are not a member of it. */
    const enter = (request: FastifyRequest, session: Pick<RememberedSession, 'sessionId' | 'user' | 'memberships'>): AppError | undefined => {
      const user = inGroup(session, requestedGroup(request));
      takeGroupParameter(request);
      if (!user) return notAMember();
      request.user = user;
      request.memberships = session.memberships;
      request.sessionId = session.sessionId;
      return undefined;
    };
    // Callback style: on every request, a session remembered from the last minute is answered
    // synchronously, without the promise and the extra turn an async hook costs; only the others
    // wait for validate().
    fastify.addHook('onRequest', (request, reply, done) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) {
        takeGroupParameter(request);
        return done();
      }
      const remembered = store.validateRemembered(token);
      if (remembered) return done(enter(request, remembered));
      store.validate(token).then((session) => {
        if (!session) {
          takeGroupParameter(request);
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
          return done();
        }
        // Renewed whatever the group answer: the session itself is valid.
        if (session.renewed) reply.setCookie(SESSION_COOKIE, token, cookieOptions(session.expiresAt));
        done(enter(request, session));
      }, done);
    });
  },
  { name: 'sessions', dependencies: ['db', 'live-hub'] },
);
