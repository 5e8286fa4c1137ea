import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, request, type TestApp } from '../helper.js';
import { DAY_MS, expectError, detailFields, me, openTestDb, rawSessionSetCookie, sessionCookieOf, type TestDb } from './support.js';

const HTTPS_ORIGIN = 'https://forum.example.org';

const setupBody = (overrides: Record<string, unknown> = {}) => ({
  groupName: 'Grupo de trabajo ODS',
  displayName: 'Ana Admin',
  email: ADMIN.email,
  password: ADMIN.password,
  locale: 'es',
  timeZone: 'America/Santiago',
  organizationId: 'eclac',
  ...overrides,
});

const countRows = async (db: TestDb, table: 'users' | 'groups' | 'memberships') => (await db.prepare<{ n: number }>(`select count(*) as n from ${table}`).get())!.n;

describe('first set-up over http', () => {
  let t: TestApp;
  let db: TestDb;
  beforeAll(async () => {
    t = await buildTestApp();
    db = openTestDb(t);
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  it('is needed on an empty database', async () => {
    const response = await request(t.app, { url: '/api/setup' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ needed: true });
  });

  it('refuses an unknown time zone and leaves the database empty', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/setup', payload: setupBody({ timeZone: 'Mars/Olympus_Mons' }) });
    expect(detailFields(expectError(response, 400, 'invalid_time_zone'))).toEqual(['timeZone']);
    expect(await countRows(db, 'users')).toBe(0);
    expect((await request(t.app, { url: '/api/setup' })).json()).toEqual({ needed: true });
  });

  it('creates the group and its administrator, and signs the administrator in', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/setup', payload: setupBody({ email: 'Ana.Admin@CEPAL.org' }) });
    expect(response.statusCode, response.body).toBe(201);
    const { user } = response.json();
    expect(user).toMatchObject({ displayName: 'Ana Admin', email: 'ana.admin@cepal.org', role: 'admin', organizationId: 'eclac', countryId: null, groupName: 'Grupo de trabajo ODS' });

    const raw = rawSessionSetCookie(response)!;
    expect(raw).toBeDefined();
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*SameSite=Lax/i);
    expect(raw).toMatch(/;\s*Path=\/(;|$)/);
    expect(raw).not.toMatch(/;\s*Secure/i);
    const cookie = sessionCookieOf(response)!;
    expect(cookie.expires!.getTime() - Date.now()).toBeGreaterThan(29 * DAY_MS);

    const signedIn = await me(t.app, `concilia_session=${cookie.value}`);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.id).toBe(user.id);

    expect((await request(t.app, { url: '/api/setup' })).json()).toEqual({ needed: false });
    expect(await countRows(db, 'groups')).toBe(1);
    expect(await countRows(db, 'memberships')).toBe(1);
  });

  it('is refused once done, with 409 already_set_up, and changes nothing', async () => {
    const response = await request(t.app, { method: 'POST', url: '/api/setup', payload: setupBody({ email: 'intruder@example.org', groupName: 'Another group' }) });
    expectError(response, 409, 'already_set_up');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await countRows(db, 'users')).toBe(1);
    expect(await countRows(db, 'groups')).toBe(1);
  });

  it('sends no Strict-Transport-Security over http', async () => {
    const response = await request(t.app, { url: '/api/health' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('first set-up behind https (PUBLIC_URL https://…)', () => {
  let t: TestApp;
  let db: TestDb;
  beforeAll(async () => {
    t = await buildTestApp({ PUBLIC_URL: HTTPS_ORIGIN });
    db = openTestDb(t);
  });
  afterAll(async () => {
    await db.close();
    await t.close();
  });

  it('lets exactly one of several concurrent set-ups win, and marks its cookie Secure', async () => {
    const attempts = ['one', 'two', 'three', 'four'].map((name) =>
      t.app.inject({
        method: 'POST',
        url: '/api/setup',
        headers: { origin: HTTPS_ORIGIN },
        payload: setupBody({ email: `${name}@example.org`, groupName: `Group ${name}` }),
      }),
    );
    const responses = await Promise.all(attempts);
    const winners = responses.filter((response) => response.statusCode === 201);
    const losers = responses.filter((response) => response.statusCode !== 201);
    expect(winners).toHaveLength(1);
    for (const loser of losers) expectError(loser, 409, 'already_set_up');

    expect(rawSessionSetCookie(winners[0]!)).toMatch(/;\s*Secure/i);
    expect(await countRows(db, 'users')).toBe(1);
    expect(await countRows(db, 'groups')).toBe(1);
    const winnerEmail = winners[0]!.json().user.email;
    expect(await db.prepare('select email from users').get()).toEqual({ email: winnerEmail });
  });

  it('sends Strict-Transport-Security', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
