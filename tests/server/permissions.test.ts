import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app as concilia } from '../../server/app.js';
import authorization, { requireUser, type Access } from '../../server/plugins/authorization.js';
import errorHandling from '../../server/plugins/error-handling.js';
import { ROLES, type Role } from '../../server/shared/roles.js';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { myId, randomToken } from './support.js';

/**
 * The access policy, written out. The behavioural checks below prove each route enforces what it
 * declares; this list proves the declarations are the intended ones, so loosening a rule, or adding
 * a route without deciding who may call it, fails here.
 */
const POLICY: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'POST /api/auth/password': 'signed-in',
  'GET /api/auth/password-resets/:token': 'public',
  'POST /api/auth/password-resets/:token': 'public',
  'POST /api/auth/password-resets': 'public',
  'POST /api/auth/email': 'signed-in',
  'GET /api/auth/email-changes/:token': 'public',
  'POST /api/auth/email-changes/:token': 'public',
  'POST /api/admin/users/:id/password-reset': ['admin'],
  'GET /api/invitations': ['admin', 'coordinator'],
  'POST /api/invitations': ['admin', 'coordinator'],
  'POST /api/invitations/:id/revoke': ['admin', 'coordinator'],
  'GET /api/invitations/:token': 'public',
  'POST /api/invitations/:token/accept': 'public',
  'POST /api/invitations/:token/join': 'signed-in',
  'GET /api/session': 'public',
  'GET /api/me': 'signed-in',
  'PATCH /api/me': 'signed-in',
  'GET /api/people/:id': 'signed-in',
  'GET /api/directory': 'signed-in',
  'PUT /api/people/:id/delegation': ['admin', 'coordinator'],
  'GET /api/admin/users': ['admin'],
  'GET /api/admin/audit': ['admin'],
  'GET /api/admin/audit.csv': ['admin'],
  'PUT /api/admin/users/:id/role': ['admin'],
  'POST /api/admin/users/:id/deactivate': ['admin'],
  'POST /api/admin/users/:id/reactivate': ['admin'],
  'GET /api/countries': 'public',
  'GET /api/indicators/frameworks': 'signed-in',
  'GET /api/indicators/versions/:versionId': 'signed-in',
  'GET /api/indicators/versions/:versionId/indicators/:code': 'signed-in',
  'POST /api/indicators/suggest': 'signed-in',
  'GET /api/indicators/crosswalk': 'signed-in',
  'POST /api/indicators/frameworks': ['admin', 'secretariat'],
  'POST /api/indicators/frameworks/:frameworkId/versions': ['admin', 'secretariat'],
  'POST /api/indicators/versions/:versionId/indicators': ['admin', 'secretariat'],
  'POST /api/indicators/frameworks/:frameworkId/import': ['admin', 'secretariat'],
  'PUT /api/indicators/crosswalk': ['admin', 'secretariat'],
  'DELETE /api/indicators/crosswalk': ['admin', 'secretariat'],
  'GET /api/organizations': 'public',
  'GET /api/categories': 'signed-in',
  'POST /api/categories': ['admin'],
  'PATCH /api/categories/:id': ['admin'],
  'PUT /api/categories/:id/watch': 'signed-in',
  'GET /api/threads': 'signed-in',
  'POST /api/threads': 'signed-in',
  'GET /api/threads/:id': 'signed-in',
  'PATCH /api/threads/:id': 'signed-in',
  'POST /api/threads/:id/pin': ['admin', 'coordinator'],
  'POST /api/threads/:id/unpin': ['admin', 'coordinator'],
  'POST /api/threads/:id/lock': ['admin', 'coordinator'],
  'POST /api/threads/:id/unlock': ['admin', 'coordinator'],
  'POST /api/threads/:id/move': ['admin', 'coordinator'],
  'PUT /api/threads/:id/watch': 'signed-in',
  'PUT /api/threads/:id/read': 'signed-in',
  'POST /api/threads/read-all': 'signed-in',
  'GET /api/threads/:id/posts': 'signed-in',
  'POST /api/threads/:id/posts': 'signed-in',
  'GET /api/posts/:id/source': 'signed-in',
  'PATCH /api/posts/:id': 'signed-in',
  'GET /api/posts/:id/revisions': 'signed-in',
  'POST /api/posts/:id/withdraw': 'signed-in',
  'POST /api/posts/:id/hide': ['admin', 'coordinator'],
  'POST /api/posts/:id/unhide': ['admin', 'coordinator'],
  'PUT /api/posts/:id/agreement': 'signed-in',
  'DELETE /api/posts/:id/agreement': 'signed-in',
  'GET /api/posts/:id/agreements': 'signed-in',
  'POST /api/posts/:id/attachments': 'signed-in',
  'GET /api/attachments/:id/download': 'signed-in',
  'DELETE /api/attachments/:id': 'signed-in',
  'POST /api/markdown/preview': 'signed-in',
  'GET /api/indicators': 'signed-in',
  'GET /api/mentionable': 'signed-in',
  'GET /api/search': 'signed-in',
  'GET /api/notifications': 'signed-in',
  'GET /api/notifications/unread-count': 'signed-in',
  'POST /api/notifications/read': 'signed-in',
  'GET /api/home': 'signed-in',
  'GET /api/mail/preferences': 'signed-in',
  'PUT /api/mail/preferences': 'signed-in',
  // The link's token is its key: mail providers post the one click from their own servers, with no session.
  'GET /api/mail/unsubscribe/:token': 'public',
  'POST /api/mail/unsubscribe/:token': 'public',
  'GET /api/admin/mail/outbox': 'instance-admin',
  'GET /api/admin/mail/outbox/:id': 'instance-admin',
  'POST /api/admin/mail/outbox/:id/retry': 'instance-admin',
  'POST /api/admin/mail/outbox/retry-failed': 'instance-admin',
  'GET /api/instance/groups': 'instance-admin',
  'POST /api/instance/groups': 'instance-admin',
  'GET /api/live': 'signed-in',
  'GET /api/documents': 'signed-in',
  'POST /api/documents': ['admin', 'coordinator', 'secretariat'],
  'GET /api/documents/trash': ['admin'],
  'GET /api/documents/limits': 'signed-in',
  'GET /api/documents/:id': 'public',
  'PATCH /api/documents/:id': ['admin', 'coordinator', 'secretariat'],
  'POST /api/documents/:id/versions': ['admin', 'coordinator', 'secretariat'],
  'GET /api/documents/:id/download': 'public',
  'DELETE /api/documents/:id': ['admin', 'coordinator', 'secretariat'],
  'POST /api/documents/:id/restore': ['admin'],
  'GET /api/documents/:id/audit': ['admin', 'coordinator', 'secretariat'],
  // Consultations and the discrepancy register: signed-in routes check the case's or the answer's audience inside (tests/server/access-matrix.test.ts).
  'GET /api/consultations': 'signed-in',
  'POST /api/consultations': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id': 'signed-in',
  'PATCH /api/consultations/:id': ['admin', 'coordinator', 'secretariat'],
  'POST /api/consultations/:id/open': ['admin', 'coordinator', 'secretariat'],
  'POST /api/consultations/:id/close': ['admin', 'coordinator', 'secretariat'],
  'PUT /api/consultations/:id/summary': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/draft': 'signed-in',
  'PATCH /api/consultations/:id/draft': 'signed-in',
  'POST /api/consultations/:id/files': 'signed-in',
  'GET /api/consultations/:id/draft/history': 'signed-in',
  'POST /api/consultations/:id/submit': 'signed-in',
  'POST /api/consultations/:id/reopen': 'signed-in',
  'POST /api/consultations/:id/decline': 'signed-in',
  'DELETE /api/consultations/:id/decline': 'signed-in',
  'PUT /api/consultations/:id/submitter': 'signed-in',
  'GET /api/consultations/:id/matrix': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/respondents/:respondent': 'signed-in',
  'PUT /api/consultations/:id/respondents/:respondent/extension': ['admin', 'coordinator', 'secretariat'],
  'DELETE /api/consultations/:id/respondents/:respondent/extension': ['admin', 'coordinator', 'secretariat'],
  'POST /api/consultations/:id/respondents/:respondent/queries': ['admin', 'coordinator', 'secretariat'],
  'POST /api/consultations/:id/respondents/:respondent/queries/:queryId/messages': 'signed-in',
  'POST /api/consultations/:id/respondents/:respondent/queries/:queryId/resolve': ['admin', 'coordinator', 'secretariat'],
  'PUT /api/consultations/:id/respondents/:respondent/answers/:question/acceptance': ['admin', 'coordinator', 'secretariat'],
  'DELETE /api/consultations/:id/respondents/:respondent/answers/:question/acceptance': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/side-by-side': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/export.xlsx': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/report.html': ['admin', 'coordinator', 'secretariat'],
  'GET /api/consultations/:id/export.csv': ['admin', 'coordinator', 'secretariat'],
  'POST /api/discrepancies/releases': 'signed-in',
  'GET /api/discrepancies/releases': 'signed-in',
  'GET /api/discrepancies/template': 'signed-in',
  'PUT /api/discrepancies/tolerances/:series': ['coordinator', 'secretariat'],
  'GET /api/discrepancies/cases': 'signed-in',
  'GET /api/discrepancies/matrix': 'signed-in',
  'GET /api/discrepancies/cases/:id': 'signed-in',
  'POST /api/discrepancies/cases/:id/status': 'signed-in',
  'PUT /api/discrepancies/cases/:id/causes': 'signed-in',
  'PUT /api/discrepancies/cases/:id/explanation': 'signed-in',
  'POST /api/discrepancies/cases/:id/agreement': 'signed-in',
  'POST /api/discrepancies/cases/:id/publish': 'signed-in',
  'POST /api/discrepancies/cases/:id/comments': 'signed-in',
  'GET /api/discrepancies/exports/cases': 'signed-in',
  'GET /api/discrepancies/exports/matrix': 'signed-in',
  'GET /api/discrepancies/cases/:id/note': 'signed-in',
  'GET /api/rounds': 'signed-in',
  'POST /api/rounds': ['secretariat', 'coordinator'],
  'GET /api/rounds/:id': 'signed-in',
  'GET /api/rounds/:id/comments': 'signed-in',
  'POST /api/rounds/:id/open': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/close': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/publish': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/conclude': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/cancel': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/next-version': ['secretariat', 'coordinator'],
  'GET /api/rounds/:id/comparison': 'signed-in',
  'POST /api/rounds/:id/comments': ['member', 'coordinator', 'observer'],
  'PATCH /api/rounds/:id/comments/:commentId': ['member', 'coordinator', 'observer'],
  'DELETE /api/rounds/:id/comments/:commentId': ['member', 'coordinator', 'observer'],
  'POST /api/rounds/:id/submission': ['member', 'coordinator', 'observer'],
  'DELETE /api/rounds/:id/submission': ['member', 'coordinator', 'observer'],
  'PUT /api/rounds/:id/comments/:commentId/disposition': ['secretariat', 'coordinator'],
  'PUT /api/rounds/:id/comments/:commentId/applied-in': ['secretariat', 'coordinator'],
  'PUT /api/rounds/:id/comments/:commentId/reply': ['member', 'coordinator', 'observer'],
  'GET /api/rounds/:id/matrix': 'signed-in',
  'GET /api/rounds/:id/matrix.xlsx': 'signed-in',
  'GET /api/rounds/:id/matrix.html': 'signed-in',
  'POST /api/rounds/:id/silence': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/silence/break': ['member', 'coordinator'],
  'POST /api/rounds/:id/silence/settle': ['secretariat', 'coordinator'],
  'POST /api/rounds/:id/silence/cancel': ['secretariat', 'coordinator'],
  'GET /api/threads/:threadId/proposals': 'signed-in',
  'POST /api/threads/:threadId/proposals': 'signed-in',
  'GET /api/proposals/:id': 'signed-in',
  'GET /api/threads/:threadId/proposals/poll-choices': 'signed-in',
  'POST /api/threads/:threadId/proposals/from-poll': 'signed-in',
  'PUT /api/proposals/:id/position': 'signed-in',
  'POST /api/proposals/:id/close': 'signed-in',
  'PUT /api/proposals/:id/closing': 'signed-in',
  'PUT /api/proposals/:id/outcome': 'signed-in',
  'GET /api/meetings': 'signed-in',
  'POST /api/meetings': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/preferences': 'signed-in',
  'PUT /api/meetings/preferences': 'signed-in',
  'GET /api/meetings/:id': 'signed-in',
  'PATCH /api/meetings/:id': ['admin', 'coordinator', 'secretariat'],
  'POST /api/meetings/:id/cancel': ['admin', 'coordinator', 'secretariat'],
  'PATCH /api/meetings/:id/occurrences/:occurrenceId': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/history': 'signed-in',
  'GET /api/meetings/:id/calendar.ics': 'signed-in',
  'GET /api/meetings/:id/poll': 'signed-in',
  'PUT /api/meetings/:id/poll/answers': 'signed-in',
  'PATCH /api/meetings/:id/poll': ['admin', 'coordinator', 'secretariat'],
  'POST /api/meetings/:id/poll/close': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/invitees': 'signed-in',
  'GET /api/meetings/:id/attendance': 'signed-in',
  'PUT /api/meetings/:id/attendance': 'signed-in',
  'GET /api/calendar/feed': 'signed-in',
  'POST /api/calendar/feed': 'signed-in',
  'DELETE /api/calendar/feed': 'signed-in',
  // The feed's secret token is its key: calendar programs send no session.
  'GET /api/calendar/:token/meetings.ics': 'public',
  // The live room: everyone who sees the meeting takes part; its managers run it (the secretariat: workshops).
  'GET /api/meetings/:id/room': 'signed-in',
  'POST /api/meetings/:id/room/join': 'signed-in',
  'PUT /api/meetings/:id/room/agenda': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/room/messages': 'signed-in',
  'POST /api/meetings/:id/room/messages': 'signed-in',
  'POST /api/meetings/:id/room/polls': ['admin', 'coordinator', 'secretariat'],
  'PUT /api/meetings/:id/room/polls/:pollId/answer': 'signed-in',
  'POST /api/meetings/:id/room/polls/:pollId/close': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/room/attendance': 'signed-in',
  'PUT /api/meetings/:id/room/attendance/:userId': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/room/attendance.csv': 'signed-in',
  // Minutes: written by the coordinator, the secretariat and admins; published ones read by all who see the meeting.
  'GET /api/meetings/:id/minutes': 'signed-in',
  'PATCH /api/meetings/:id/minutes': ['admin', 'coordinator', 'secretariat'],
  'POST /api/meetings/:id/minutes/publish': ['admin', 'coordinator', 'secretariat'],
  'GET /api/meetings/:id/minutes.md': 'signed-in',
  'GET /api/meetings/:id/minutes.html': 'signed-in',
  'GET /api/action-items': 'signed-in',
  // Also the person or country responsible: decided per item.
  'PUT /api/action-items/:id/status': 'signed-in',
  'POST /api/meetings/:id/agenda/action-items': ['admin', 'coordinator', 'secretariat'],
};

const key = (route: { method: string; url: string }) => `${route.method} ${route.url}`;
const normalized = (access: Access) => (typeof access === 'string' ? access : [...access].sort());
// In this one-group world its administrator is the instance's.
const allowedRoles = (access: Access): readonly Role[] => (access === 'public' || access === 'signed-in' ? ROLES : access === 'instance-admin' ? ['admin'] : access);

/** Path parameters filled with values of a valid shape that match no row. */
const fillParams = (url: string) => url.replace(/:token\b/g, () => randomToken()).replace(/:(\w+)/g, () => randomUUID());

let t: TestApp;
const userIds = {} as Record<Role, string>;

beforeAll(async () => {
  t = await buildTestApp();
  const adminCookie = await setUpGroup(t.app);
  userIds.admin = await myId(t.app, adminCookie);
  for (const role of ROLES) {
    if (role !== 'admin') userIds[role] = (await addPerson(t.app, adminCookie, role)).id;
  }
});
afterAll(async () => t.close());

/**
 * A fresh session per request, opened directly in the store: a route that ends sessions
 * (logout, password change) must not sign the identity out for the next case.
 */
async function cookieFor(identity: Role | 'anonymous'): Promise<string | undefined> {
  if (identity === 'anonymous') return undefined;
  const { token } = await t.app.sessions.create(userIds[identity]);
  return `concilia_session=${token}`;
}

describe('the access table', () => {
  it('declares exactly the intended rule for every /api route', () => {
    const declared = Object.fromEntries(t.app.accessTable.map((route) => [key(route), normalized(route.access)]));
    const intended = Object.fromEntries(Object.entries(POLICY).map(([route, access]) => [route, normalized(access)]));
    expect(declared).toEqual(intended);
    expect(t.app.accessTable).toHaveLength(Object.keys(POLICY).length);
  });

  it('keeps everything under /api/admin for administrators only', () => {
    const adminRoutes = t.app.accessTable.filter((route) => route.url.startsWith('/api/admin/'));
    expect(adminRoutes.length).toBeGreaterThan(0);
    for (const route of adminRoutes) expect({ route: key(route), access: route.access }).toEqual({ route: key(route), access: route.access === 'instance-admin' ? 'instance-admin' : ['admin'] });
  });

  it('covers every route the app registers, as counted by an independent onRoute hook', async () => {
    // Registered before the app, at the root: it sees routes that a plugin loaded before
    // the authorization plugin (and so outside its onRoute hook) could add unchecked.
    const census = Fastify({ logger: false });
    const seen: string[] = [];
    census.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') seen.push(key({ method, url: route.url }));
    });
    await census.register(concilia, { config: { ...t.config, databaseFile: ':memory:' } });
    await census.ready();
    try {
      expect(seen.filter((route) => !route.includes(' /api/'))).toEqual([]);
      expect([...seen].sort()).toEqual(t.app.accessTable.map(key).sort());
      // printRoutes draws the router itself, independent of any hook: it holds no route the hook missed.
      const methodsInRouter = [...census.printRoutes().matchAll(/\(([A-Z, ]+)\)/g)].flatMap((match) => match[1]!.split(', ')).filter((method) => method !== 'HEAD');
      expect(methodsInRouter).toHaveLength(seen.length);
      for (const route of t.app.accessTable) expect(census.hasRoute({ method: route.method as 'GET', url: route.url }), key(route)).toBe(true);
    } finally {
      await census.close();
    }
  });
});

describe('a route without an access rule', () => {
  // The real sessions plugin needs a database; authorization only needs `request.user` to exist.
  const fakeSessions = fp(
    async (fastify) => {
      fastify.decorateRequest('user', null);
    },
    { name: 'sessions' },
  );

  it('stops the app from starting', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(fakeSessions);
    await bare.register(authorization);
    const starting = (async () => {
      bare.get('/api/forgotten', async () => ({ ok: true }));
      await bare.ready();
    })();
    await expect(starting).rejects.toThrow(/GET \/api\/forgotten declares no access rule/);
    await bare.close().catch(() => undefined);
  });

  it('is fine outside /api, and a declared rule is enforced', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(fakeSessions);
    await bare.register(authorization);
    bare.get('/not-api', async () => ({ ok: true }));
    bare.get('/api/open', { config: { access: 'public' } }, async () => ({ ok: true }));
    bare.get('/api/closed', { config: { access: 'signed-in' } }, async () => ({ ok: true }));
    await bare.ready();
    expect(bare.accessTable.map(key).sort()).toEqual(['GET /api/closed', 'GET /api/open']);
    expect((await bare.inject({ url: '/not-api' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/api/open' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/api/closed' })).statusCode).toBe(401);
    await bare.close();
  });

  it("keeps a route's own onRequest hooks (one or several), run only after its rule let the caller through", async () => {
    const bare = Fastify({ logger: false });
    await bare.register(fakeSessions);
    await bare.register(authorization);
    const ran: string[] = [];
    const hook = (name: string) => (request: { url: string }, _reply: unknown, next: () => void) => {
      ran.push(`${name} ${request.url}`);
      next();
    };
    bare.get('/api/one', { config: { access: 'public' }, onRequest: hook('one') }, async () => ({ ok: true }));
    bare.get('/api/two', { config: { access: 'public' }, onRequest: [hook('first'), hook('second')] }, async () => ({ ok: true }));
    bare.get('/api/guarded', { config: { access: 'signed-in' }, onRequest: hook('guarded') }, async () => ({ ok: true }));
    await bare.ready();
    expect((await bare.inject({ url: '/api/one' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/api/two' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/api/guarded' })).statusCode).toBe(401);
    expect(ran).toEqual(['one /api/one', 'first /api/two', 'second /api/two']);
    await bare.close();
  });

  it('does not load without the sessions plugin, which sets the user it checks', async () => {
    const bare = Fastify({ logger: false });
    await expect(bare.register(authorization)).rejects.toThrow(/sessions/);
    await bare.close().catch(() => undefined);
  });

  it('still refuses a handler that needs a user when its route was declared public by mistake', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(errorHandling);
    await bare.register(fakeSessions);
    await bare.register(authorization);
    bare.get('/api/mistake', { config: { access: 'public' } }, async (request) => ({ id: requireUser(request).id }));
    await bare.ready();
    const response = await bare.inject({ url: '/api/mistake' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    await bare.close();
  });
});

describe('every route, for every role and for strangers', () => {
  for (const identity of [...ROLES, 'anonymous'] as const) {
    it(`answers ${identity} as its rule says`, async () => {
      const problems: string[] = [];
      for (const route of t.app.accessTable) {
        const cookie = await cookieFor(identity);
        const response = await request(t.app, { method: route.method as 'GET', url: fillParams(route.url), ...(cookie ? { cookie } : {}) });
        const status = response.statusCode;
        const code = status >= 400 ? (response.json() as { error?: { code?: string } }).error?.code : undefined;
        const label = `${key(route)} as ${identity}: ${status} ${code ?? ''}`;

        if (identity === 'anonymous') {
          if (route.access === 'public') {
            if (status === 401 || status === 403) problems.push(`${label}, expected to be let through`);
          } else if (status !== 401 || code !== 'unauthenticated') {
            problems.push(`${label}, expected 401 unauthenticated`);
          }
        } else if (allowedRoles(route.access).includes(identity)) {
          if (status === 401 || status === 403) problems.push(`${label}, expected to be let through`);
        } else if (status !== 403 || code !== 'forbidden') {
          problems.push(`${label}, expected 403 forbidden`);
        }
        if (status >= 500) problems.push(`${label}, server error`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('refuses before looking at the body: a stranger gets 401, not a validation error', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/invitations', payload: { nonsense: true } });
    expect(response.statusCode).toBe(401);
    const member = await cookieFor('member');
    const forbidden = await request(t.app, { method: 'POST', url: '/api/invitations', cookie: member!, payload: { nonsense: true } });
    expect(forbidden.statusCode).toBe(403);
  });
});
