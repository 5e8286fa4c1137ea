import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import sessions, { endsSession, type SessionsEnded } from '../../server/plugins/sessions/index.js';
import { minimalPdf } from '../fixtures/documents.js';
import { ADMIN, addPerson, buildTestApp, request, sessionCookie, setUpGroup, type TestApp } from '../helper.js';
import { metadata, upload } from './documents/support.js';
import { DAY_MS, login, me, openTestDb, rawSessionSetCookie, sha256Hex, tokenOf, type TestDb } from './support.js';
import { untypedStored } from './untyped-events.js';

/**
 * The session cookie and the session store, beyond signing in and out (tests/server/auth.test.ts):
 * the cookie's attributes on every way it is set or cleared, the hourly purge of expired sessions,
 * and the store's expiry and renewal limits, on the real app and its SQLite file.
 */

let t: TestApp;
let db: TestDb;
let adminCookie: string;

beforeAll(async () => {
  // Only the intervals are faked: the hourly purge is started with setInterval when the app is ready.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  t = await buildTestApp();
  db = openTestDb(t);
  adminCookie = await setUpGroup(t.app);
});
afterAll(async () => {
  vi.useRealTimers();
  await db.close();
  await t.close();
});

const HOUR_MS = 60 * 60_000;
const sessionExists = async (token: string) => (await db.prepare('select 1 from sessions where id = ?').get(sha256Hex(token))) !== undefined;
const setExpiry = async (token: string, expiresAt: number) => expect((await db.prepare('update sessions set expires_at = ? where id = ?').run(expiresAt, sha256Hex(token))).changes).toBe(1);
/** The hourly purge runs on a timer and, on PostgreSQL, its statements answer after the timer has fired. */
const purgedSoon = (token: string) => vi.waitFor(async () => expect(await sessionExists(token)).toBe(false));
const freshToken = async () => tokenOf(sessionCookie(await login(t.app, ADMIN.email, ADMIN.password)));

/** The attributes of a Set-Cookie line, lower-cased names. */
function attributes(line: string): Record<string, string> {
  const [, ...parts] = line.split(';').map((part) => part.trim());
  return Object.fromEntries(parts.map((part) => {
    const [name, ...value] = part.split('=');
    return [name!.toLowerCase(), value.join('=')];
  }));
}

describe('the session cookie', () => {
  it('is set for the whole site, HttpOnly, SameSite=Lax, for 30 days, and not Secure on plain http', async () => {
    const before = Date.now();
    const line = rawSessionSetCookie(await login(t.app, ADMIN.email, ADMIN.password))!;
    const cookie = attributes(line);
    expect(cookie).toMatchObject({ path: '/', httponly: '', samesite: 'Lax' });
    expect(cookie).not.toHaveProperty('secure');
    const expires = Date.parse(cookie.expires!);
    expect(expires).toBeGreaterThanOrEqual(Math.floor((before + 30 * DAY_MS) / 1000) * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
  });

  it('is renewed with the same attributes', async () => {
    const token = await freshToken();
    await setExpiry(token, Date.now() + 2 * DAY_MS);
    const cookie = attributes(rawSessionSetCookie(await me(t.app, `concilia_session=${token}`))!);
    expect(cookie).toMatchObject({ path: '/', httponly: '', samesite: 'Lax' });
    expect(Date.parse(cookie.expires!)).toBeGreaterThan(Date.now() + 29 * DAY_MS);
  });

  it('is cleared for the whole site: on sign-out, and when the session is unknown or expired', async () => {
    // Cleared without Path=/, a browser would keep the real cookie and drop only one for the request's folder.
    const logout = await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: `concilia_session=${await freshToken()}` });
    const unknown = await me(t.app, 'concilia_session=abcdefghijklmnopqrstuvwxyzabcdef');
    const expiredToken = await freshToken();
    await setExpiry(expiredToken, Date.now() - 1000);
    const expired = await me(t.app, `concilia_session=${expiredToken}`);
    for (const response of [logout, unknown, expired]) {
      const line = rawSessionSetCookie(response)!;
      expect(line.startsWith('concilia_session=;'), line).toBe(true);
      const cookie = attributes(line);
      expect(cookie.path, line).toBe('/');
      expect(Date.parse(cookie.expires!), line).toBeLessThan(Date.now());
    }
  });

  it('is cleared by a sign-out without a session too, and nothing else is ended', async () => {
    const other = await freshToken();
    const response = await request(t.app, { method: 'POST', url: '/api/auth/logout' });
    expect(response.statusCode).toBe(200);
    expect(attributes(rawSessionSetCookie(response)!).path).toBe('/');
    expect(await sessionExists(other)).toBe(true);
    expect((await me(t.app, adminCookie)).statusCode).toBe(200);
  });

  it('is not set at all for a request without one', async () => {
    const response = await request(t.app, { url: '/api/health' });
    expect(rawSessionSetCookie(response)).toBeUndefined();
  });
});

describe('the session cookie on a site served over https', () => {
  let secure: TestApp;
  const origin = 'https://concilia.example.org';
  beforeAll(async () => {
    secure = await buildTestApp({ PUBLIC_URL: origin });
  });
  afterAll(async () => secure.close());

  it('is Secure, when set, renewed and cleared', async () => {
    const setup = await secure.app.inject({
      method: 'POST',
      url: '/api/setup',
      headers: { origin },
      payload: { groupName: 'Grupo', displayName: 'Ana Admin', email: ADMIN.email, password: ADMIN.password, locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' },
    });
    expect(setup.statusCode, setup.body).toBe(201);
    const set = rawSessionSetCookie(setup)!;
    expect(attributes(set)).toHaveProperty('secure');
    const cookie = sessionCookie(setup);
    const secureDb = openTestDb(secure);
    try {
      await secureDb.prepare('update sessions set expires_at = ?').run(Date.now() + DAY_MS);
    } finally {
      await secureDb.close();
    }
    const renewed = await secure.app.inject({ url: '/api/me', headers: { cookie } });
    expect(attributes(rawSessionSetCookie(renewed)!)).toHaveProperty('secure');
    const logout = await secure.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { origin, cookie } });
    expect(attributes(rawSessionSetCookie(logout)!)).toMatchObject({ path: '/' });
  });
});

describe('a request without a session', () => {
  it('has no user: a public document is shown to it, not editable', async () => {
    const created = await upload(t.app, { id: '', cookie: adminCookie }, { name: 'publico.pdf', bytes: minimalPdf('público') }, metadata({ visibility: 'public' }));
    expect(created.statusCode, created.body).toBe(201);
    const response = await request(t.app, { url: `/api/documents/${created.json().document.id}` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().document.mayEdit).toBe(false);
  });
});

describe('the sessions plugin', () => {
  it('does not load without the database plugin', async () => {
    const bare = Fastify({ logger: false });
    await expect(bare.register(sessions, { secureCookies: false })).rejects.toThrow(/dependency 'db'/);
    await bare.close().catch(() => undefined);
  });

  it('logs a listener of ended sessions that fails, and the sign-out still happens', async () => {
    const failure = new Error('listener failed');
    const stop = t.app.sessions.onEnded(() => {
      throw failure;
    });
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      const token = await freshToken();
      const logout = await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: `concilia_session=${token}` });
      expect(logout.statusCode).toBe(200);
      expect(await sessionExists(token)).toBe(false);
      expect(logged).toHaveBeenCalledWith({ err: failure }, 'a listener of ended sessions failed');
    } finally {
      logged.mockRestore();
      stop();
    }
  });

  it("forgets the sessions it remembers of a person another process changed or signed out, and only that person's", async () => {
    expect(t.app.caches.names()).toContain('sessions: validated sessions and their people');
    const roleOf = async (token: string) => (await t.app.sessions.validate(token))!.user.role;
    for (const type of ['user.sessions-ended', 'user.rights-changed', 'user.changed']) {
      const changed = await addPerson(t.app, adminCookie, 'member');
      const bystander = await addPerson(t.app, adminCookie, 'member');
      const [token, bystanderToken] = [tokenOf(changed.cookie), tokenOf(bystander.cookie)];
      expect([await roleOf(token), await roleOf(bystanderToken)], type).toEqual(['member', 'member']);
      // As another process would: straight into the shared file, which this one remembers for a minute.
      await db.prepare("update memberships set role = 'coordinator' where user_id in (?, ?)").run(changed.id, bystander.id);
      expect(await roleOf(token), type).toBe('member');
      t.app.caches.invalidate(untypedStored({ id: 0, createdAt: new Date().toISOString(), topic: `user:${changed.id}`, type, payload: null }));
      expect([await roleOf(token), await roleOf(bystanderToken)], type).toEqual(['coordinator', 'member']);
    }
  });
});

describe('expired sessions', () => {
  it('are deleted every hour, and only they', async () => {
    const expired = await freshToken();
    const valid = await freshToken();
    await setExpiry(expired, Date.now() - 1000);
    const ended: SessionsEnded[] = [];
    const stop = t.app.sessions.onEnded((signal) => ended.push(signal));
    try {
      await vi.advanceTimersByTimeAsync(HOUR_MS - 1000);
      expect(await sessionExists(expired)).toBe(true);
      await vi.advanceTimersByTimeAsync(1000);
      await purgedSoon(expired);
      expect(await sessionExists(valid)).toBe(true);
      await vi.waitFor(() => expect(ended).toEqual([{ userId: expect.any(String), sessionIds: [sha256Hex(expired)] }]));
    } finally {
      stop();
    }
  });

  it('are announced once per person, with all of theirs', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', { countryId: 'cl' });
    const second = tokenOf(sessionCookie(await login(t.app, person.email, person.password)));
    const mine = [tokenOf(person.cookie), second];
    const admins = await freshToken();
    for (const token of [...mine, admins]) await setExpiry(token, Date.now() - 1000);
    const ended: SessionsEnded[] = [];
    const stop = t.app.sessions.onEnded((signal) => ended.push(signal));
    try {
      expect(await t.app.sessions.deleteExpired()).toBe(3);
    } finally {
      stop();
    }
    expect(ended).toHaveLength(2);
    expect(ended.find((signal) => signal.userId === person.id)!.sessionIds!.sort()).toEqual(mine.map(sha256Hex).sort());
    expect(ended.find((signal) => signal.userId !== person.id)!.sessionIds).toEqual([sha256Hex(admins)]);
    expect(await t.app.sessions.deleteExpired()).toBe(0);
    // A listener that stopped listening hears of nothing more.
    await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: `concilia_session=${await freshToken()}` });
    expect(ended).toHaveLength(2);
  });

  it('are tried again the next hour when deleting them fails, and the failure is logged by name', async () => {
    const failure = new Error('disk I/O error');
    const purge = vi.spyOn(t.app.sessions, 'deleteExpired').mockRejectedValueOnce(failure);
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      vi.advanceTimersByTime(HOUR_MS);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith({ err: failure, task: 'delete expired sessions' }, 'housekeeping failed'));
      const expired = await freshToken();
      await setExpiry(expired, Date.now() - 1000);
      vi.advanceTimersByTime(HOUR_MS);
      await purgedSoon(expired);
      expect(purge).toHaveBeenCalledTimes(2);
    } finally {
      purge.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('the limits of a session', () => {
  it('ends at its expiry instant exactly, for a request and for a socket', async () => {
    const token = await freshToken();
    const id = sha256Hex(token);
    const expiresAt = Date.now() + 20 * DAY_MS;
    await setExpiry(token, expiresAt);
    t.app.sessions.forgetUser((await t.app.sessions.validate(token))!.user.id);
    expect(await t.app.sessions.current(id, expiresAt - 1)).toMatchObject({ email: ADMIN.email });
    expect(await t.app.sessions.current(id, expiresAt)).toBeNull();
    expect(await t.app.sessions.validate(token, new Date(expiresAt))).toBeNull();
    expect(await sessionExists(token)).toBe(false);
    expect(await t.app.sessions.current(id, expiresAt - 1)).toBeNull();
  });

  it('is pushed back only once less than 15 days are left', async () => {
    const token = await freshToken();
    const expiresAt = Date.now() + 20 * DAY_MS;
    await setExpiry(token, expiresAt);
    t.app.sessions.forgetUser((await t.app.sessions.validate(token))!.user.id);
    const fifteenDaysBefore = expiresAt - 15 * DAY_MS;
    expect(await t.app.sessions.validate(token, new Date(fifteenDaysBefore))).toMatchObject({ renewed: false, expiresAt: new Date(expiresAt) });
    const renewed = await t.app.sessions.validate(token, new Date(fifteenDaysBefore + 1));
    expect(renewed).toMatchObject({ renewed: true, expiresAt: new Date(fifteenDaysBefore + 1 + 30 * DAY_MS) });
  });

  it('that is already gone is invalidated quietly: no error, nothing announced', async () => {
    const token = await freshToken();
    await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie: `concilia_session=${token}` });
    const ended: SessionsEnded[] = [];
    const stop = t.app.sessions.onEnded((signal) => ended.push(signal));
    try {
      await expect(t.app.sessions.invalidate(sha256Hex(token))).resolves.toBeUndefined();
    } finally {
      stop();
    }
    expect(ended).toEqual([]);
  });
});

describe('what a signal of ended sessions ends', () => {
  const signal = (ended: Omit<SessionsEnded, 'userId'>): SessionsEnded => ({ userId: 'someone', ...ended });
  it.each([
    ['the sessions it names', signal({ sessionIds: ['a', 'b'] }), { a: true, b: true, c: false }],
    ['every session but those it keeps', signal({ kept: ['b'] }), { a: true, b: false, c: true }],
    ['every session when it names none', signal({}), { a: true, b: true, c: true }],
    ['not the session it replaces, which moves to its successor', signal({ kept: ['b'], replaced: { from: 'a', to: 'b' } }), { a: false, b: false, c: true }],
    ['a replaced session even when also named', signal({ sessionIds: ['a'], replaced: { from: 'a', to: 'b' } }), { a: false, b: false, c: false }],
  ])('%s', (_name, ended, expected) => {
    expect({ a: endsSession(ended, 'a'), b: endsSession(ended, 'b'), c: endsSession(ended, 'c') }).toEqual(expected);
  });
});
