import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, addPerson, buildTestApp, request, sessionCookie, setUpGroup, type TestApp } from '../helper.js';
import {
  DAY_MS,
  detailFields,
  expectError,
  lastSegment,
  login,
  me,
  openTestDb,
  randomToken,
  rawSessionSetCookie,
  sessionCookieOf,
  sha256Hex,
  tokenOf,
  type TestDb,
} from './support.js';

let t: TestApp;
let db: TestDb;
let adminCookie: string;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  adminCookie = await setUpGroup(t.app);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const sessionRow = (token: string) =>
  db.prepare<{ id: string; userId: string; expiresAt: number }>('select id, user_id as "userId", expires_at as "expiresAt" from sessions where id = ?').get(sha256Hex(token));

const setSessionExpiry = async (token: string, expiresAt: number) =>
  expect((await db.prepare('update sessions set expires_at = ? where id = ?').run(expiresAt, sha256Hex(token))).changes).toBe(1);

describe('login, /api/me and logout', () => {
  it('signs in with the right password (e-mail in any case), sets the cookie, and /api/me returns the user', async () => {
    const response = await login(t.app, ADMIN.email.toUpperCase(), ADMIN.password);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const raw = rawSessionSetCookie(response)!;
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*SameSite=Lax/i);

    const current = await me(t.app, sessionCookie(response));
    expect(current.statusCode).toBe(200);
    expect(current.json().user).toEqual(response.json().user);
  });

  it('answers 401 unauthenticated without a cookie, and clears a cookie it does not know', async () => {
    expectError(await request(t.app, { url: '/api/me' }), 401, 'unauthenticated');
    const unknown = await me(t.app, `concilia_session=${randomToken()}`);
    expectError(unknown, 401, 'unauthenticated');
    const cleared = sessionCookieOf(unknown)!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThan(Date.now());
  });

  it('GET /api/session says who is signed in without an error status: the same user as /api/me, or null', async () => {
    const signedOut = await request(t.app, { url: '/api/session' });
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.json()).toEqual({ user: null });
    expect(signedOut.headers['cache-control']).toBe('no-store');

    const signedIn = await request(t.app, { url: '/api/session', cookie: adminCookie });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toEqual((await me(t.app, adminCookie)).json());

    // A cookie the server does not know (expired, ended elsewhere) is signed out, and cleared.
    const unknown = await request(t.app, { url: '/api/session', cookie: `concilia_session=${randomToken()}` });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ user: null });
    expect(sessionCookieOf(unknown)!.value).toBe('');

    // /api/me keeps answering API clients 401 when nobody is signed in.
    expectError(await request(t.app, { url: '/api/me' }), 401, 'unauthenticated');
  });

  it('logout ends the session: the old cookie then gets 401 and the row is gone', async () => {
    const cookie = sessionCookie(await login(t.app, ADMIN.email, ADMIN.password));
    expect((await me(t.app, cookie)).statusCode).toBe(200);
    expect(await sessionRow(tokenOf(cookie))).toBeDefined();

    const logout = await request(t.app, { method: 'POST', url: '/api/auth/logout', cookie });
    expect(logout.statusCode).toBe(200);
    expect(logout.json()).toEqual({ ok: true });
    expect(sessionCookieOf(logout)!.value).toBe('');

    expectError(await me(t.app, cookie), 401, 'unauthenticated');
    expect(await sessionRow(tokenOf(cookie))).toBeUndefined();
    // The administrator's other session is untouched.
    expect((await me(t.app, adminCookie)).statusCode).toBe(200);
  });

  it('gives the same status and body for a wrong password and an unknown e-mail', async () => {
    const wrongPassword = await login(t.app, ADMIN.email, 'not-the-password-at-all');
    const unknownEmail = await login(t.app, 'nobody-here@example.org', 'not-the-password-at-all');
    expectError(wrongPassword, 401, 'invalid_credentials');
    expect(unknownEmail.statusCode).toBe(wrongPassword.statusCode);
    expect(unknownEmail.body).toBe(wrongPassword.body);
    expect(sessionCookieOf(wrongPassword)).toBeUndefined();
    expect(sessionCookieOf(unknownEmail)).toBeUndefined();
  });
});

describe('stored sessions', () => {
  it('stores the SHA-256 of the token as the id, never the token itself', async () => {
    const response = await login(t.app, ADMIN.email, ADMIN.password);
    const token = tokenOf(sessionCookie(response));
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const row = await sessionRow(token);
    expect(row).toMatchObject({ id: sha256Hex(token), userId: response.json().user.id });
    const leaked = await db.prepare<{ n: number }>('select count(*) as n from sessions where id = ? or user_id = ?').get(token, token);
    expect(leaked!.n).toBe(0);
  });

  it('does not renew a session with more than 15 days left', async () => {
    const token = tokenOf(sessionCookie(await login(t.app, ADMIN.email, ADMIN.password)));
    const sixteenDays = Date.now() + 16 * DAY_MS;
    await setSessionExpiry(token, sixteenDays);
    const response = await me(t.app, `concilia_session=${token}`);
    expect(response.statusCode).toBe(200);
    expect(rawSessionSetCookie(response)).toBeUndefined();
    expect((await sessionRow(token))!.expiresAt).toBe(sixteenDays);
  });

  it('pushes a session within 15 days of expiry back to 30 days and sends the cookie again', async () => {
    const token = tokenOf(sessionCookie(await login(t.app, ADMIN.email, ADMIN.password)));
    await setSessionExpiry(token, Date.now() + 10 * DAY_MS);
    const before = Date.now();
    const response = await me(t.app, `concilia_session=${token}`);
    expect(response.statusCode).toBe(200);

    const cookie = sessionCookieOf(response)!;
    expect(cookie.value).toBe(token);
    expect(cookie.httpOnly).toBe(true);
    const thirtyDays = before + 30 * DAY_MS;
    expect(cookie.expires!.getTime()).toBeGreaterThanOrEqual(thirtyDays - 1000);
    expect(cookie.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect((await sessionRow(token))!.expiresAt).toBeGreaterThanOrEqual(thirtyDays);
  });

  it('refuses an expired session, deletes it and clears the cookie', async () => {
    const token = tokenOf(sessionCookie(await login(t.app, ADMIN.email, ADMIN.password)));
    await setSessionExpiry(token, Date.now() - 1000);
    const response = await me(t.app, `concilia_session=${token}`);
    expectError(response, 401, 'unauthenticated');
    expect(sessionCookieOf(response)!.value).toBe('');
    expect(await sessionRow(token)).toBeUndefined();
  });
});

describe('changing my password', () => {
  it('ends every other session but gives this client a fresh cookie', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const otherDevice = sessionCookie(await login(t.app, person.email, person.password));
    const newPassword = 'a-brand-new-passphrase';

    const response = await request(t.app, {
      method: 'POST',
      url: '/api/auth/password',
      cookie: person.cookie,
      payload: { currentPassword: person.password, newPassword },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    const fresh = sessionCookie(response);
    expect(fresh).not.toBe(person.cookie);

    expect((await me(t.app, fresh)).statusCode).toBe(200);
    expectError(await me(t.app, otherDevice), 401, 'unauthenticated');
    expectError(await me(t.app, person.cookie), 401, 'unauthenticated');
    expect((await db.prepare<{ n: number }>('select count(*) as n from sessions where user_id = ?').get(person.id))!.n).toBe(1);

    expectError(await login(t.app, person.email, person.password), 401, 'invalid_credentials');
    expect((await login(t.app, person.email, newPassword)).statusCode).toBe(200);
  });

  it('requires the current password, and a new one of at least 10 characters', async () => {
    const person = await addPerson(t.app, adminCookie, 'observer');
    const wrong = await request(t.app, {
      method: 'POST',
      url: '/api/auth/password',
      cookie: person.cookie,
      payload: { currentPassword: 'not-my-password', newPassword: 'another-good-passphrase' },
    });
    expect(detailFields(expectError(wrong, 400, 'wrong_current_password'))).toEqual(['currentPassword']);
    expect(sessionCookieOf(wrong)).toBeUndefined();

    const short = await request(t.app, {
      method: 'POST',
      url: '/api/auth/password',
      cookie: person.cookie,
      payload: { currentPassword: person.password, newPassword: 'short' },
    });
    expect(detailFields(expectError(short, 400, 'validation_failed'))).toEqual(['newPassword']);
    // Neither attempt changed anything.
    expect((await me(t.app, person.cookie)).statusCode).toBe(200);
    expect((await login(t.app, person.email, person.password)).statusCode).toBe(200);
  });
});

describe('password reset links made by an administrator', () => {
  const createLink = async (userId: string) => {
    const response = await request(t.app, { method: 'POST', url: `/api/admin/users/${userId}/password-reset`, cookie: adminCookie });
    expect(response.statusCode, response.body).toBe(201);
    const { url, expiresAt } = response.json();
    expect(url.startsWith(`${t.config.publicUrl}/reset-password/`)).toBe(true);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);
    return lastSegment(url);
  };
  const resetWith = (token: string, password: string) =>
    request(t.app, { method: 'POST', url: `/api/auth/password-resets/${token}`, payload: { password } });

  it('works once: shows who it is for, sets the password, ends every session; a second use is 410', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', {}, { displayName: 'Rosa Reset' });
    const token = await createLink(person.id);
    expect(await db.prepare('select count(*) as n from password_resets where token_hash = ?').get(sha256Hex(token))).toEqual({ n: 1 });

    const preview = await request(t.app, { url: `/api/auth/password-resets/${token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({ email: person.email, displayName: 'Rosa Reset' });

    const newPassword = 'reset-passphrase-1';
    const used = await resetWith(token, newPassword);
    expect(used.statusCode, used.body).toBe(200);
    expect(used.json()).toEqual({ ok: true });
    expect(sessionCookieOf(used)).toBeUndefined();

    expectError(await me(t.app, person.cookie), 401, 'unauthenticated');
    expectError(await login(t.app, person.email, person.password), 401, 'invalid_credentials');
    expect((await login(t.app, person.email, newPassword)).statusCode).toBe(200);

    expectError(await resetWith(token, 'second-try-passphrase'), 410, 'reset_link_invalid');
    expectError(await request(t.app, { url: `/api/auth/password-resets/${token}` }), 410, 'reset_link_invalid');
    expect((await login(t.app, person.email, newPassword)).statusCode).toBe(200);
  });

  it('supersedes an older link with a newer one', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const older = await createLink(person.id);
    const newer = await createLink(person.id);
    expectError(await resetWith(older, 'older-link-passphrase'), 410, 'reset_link_invalid');
    expect((await resetWith(newer, 'newer-link-passphrase')).statusCode).toBe(200);
  });

  it('refuses an expired link with 410 and leaves the password alone', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const token = await createLink(person.id);
    await db.prepare('update password_resets set expires_at = ? where token_hash = ?').run(Date.now() - 1000, sha256Hex(token));

    expectError(await request(t.app, { url: `/api/auth/password-resets/${token}` }), 410, 'reset_link_invalid');
    expectError(await resetWith(token, 'too-late-passphrase'), 410, 'reset_link_invalid');
    expect((await login(t.app, person.email, person.password)).statusCode).toBe(200);
  });

  it('refuses the link of a deactivated user, on both reading and using it', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    const token = await createLink(person.id);
    const deactivated = await request(t.app, { method: 'POST', url: `/api/admin/users/${person.id}/deactivate`, cookie: adminCookie });
    expect(deactivated.statusCode).toBe(200);

    expectError(await request(t.app, { url: `/api/auth/password-resets/${token}` }), 410, 'reset_link_invalid');
    expectError(await resetWith(token, 'while-deactivated-1'), 410, 'reset_link_invalid');
  });

  it('answers 410 for a token it never issued and 404 for an unknown user', async () => {
    expectError(await request(t.app, { url: `/api/auth/password-resets/${randomToken()}` }), 410, 'reset_link_invalid');
    const unknownUser = await request(t.app, { method: 'POST', url: '/api/admin/users/00000000-0000-4000-8000-000000000000/password-reset', cookie: adminCookie });
    expectError(unknownUser, 404, 'not_found');
  });
});
