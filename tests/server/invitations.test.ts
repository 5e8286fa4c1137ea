import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, addPerson, buildTestApp, request, sessionCookie, setUpGroup, type TestApp } from '../helper.js';
import { DAY_MS, detailFields, expectError, lastSegment, me, openTestDb, randomToken, sha256Hex, type TestDb } from './support.js';

let t: TestApp;
let db: TestDb;
let adminCookie: string;
let coordinatorCookie: string;
let sequence = 0;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  adminCookie = await setUpGroup(t.app);
  coordinatorCookie = (await addPerson(t.app, adminCookie, 'coordinator')).cookie;
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const freshEmail = () => `invitee${++sequence}@example.org`;

const invite = (cookie: string, payload: Record<string, unknown>) => request(t.app, { method: 'POST', url: '/api/invitations', cookie, payload });

async function inviteOk(payload: Record<string, unknown>, cookie = adminCookie) {
  const response = await invite(cookie, payload);
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json() as { invitation: { id: string; status: string; expiresAt: string }; acceptUrl: string };
  return { ...body, token: lastSegment(body.acceptUrl) };
}

const preview = (token: string) => request(t.app, { url: `/api/invitations/${token}` });

const accept = (token: string, overrides: Record<string, unknown> = {}) =>
  request(t.app, {
    method: 'POST',
    url: `/api/invitations/${token}/accept`,
    payload: { displayName: 'Invited Person', password: 'invited-password-1', locale: 'en', timeZone: 'America/Bogota', ...overrides },
  });

const listAll = (query = '') => request(t.app, { url: `/api/invitations${query}`, cookie: adminCookie });

describe('creating and accepting an invitation', () => {
  it('gives a single-use link whose token is stored only as a hash', async () => {
    const email = freshEmail();
    const { invitation, acceptUrl, token } = await inviteOk({ email: email.toUpperCase(), role: 'member', countryId: 'AR' });
    expect(invitation).toMatchObject({ email, role: 'member', countryId: 'ar', organizationId: null, status: 'pending', invitedByName: 'Ana Admin' });
    expect(acceptUrl).toBe(`${t.config.publicUrl}/invitation/${token}`);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(6.9 * DAY_MS);

    const row = await db.prepare<{ tokenHash: string }>('select token_hash as "tokenHash" from invitations where id = ?').get(invitation.id);
    expect(row!.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(await db.prepare('select * from invitations where id = ?').get(invitation.id))).not.toContain(token);
  });

  it('previews, then accepts: the account has the invited role and country, and is signed in', async () => {
    const email = freshEmail();
    const { token } = await inviteOk({ email, role: 'member', countryId: 'pe' });

    const shown = await preview(token);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ email, role: 'member', countryId: 'pe', organizationId: null, groupName: 'Grupo de trabajo ODM' });

    const accepted = await accept(token, { displayName: '  Paula Pérez  ', locale: 'en', timeZone: 'America/Lima' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const expected = { email, displayName: 'Paula Pérez', role: 'member', countryId: 'pe', delegationRole: 'alternate', locale: 'en', timeZone: 'America/Lima' };
    expect(accepted.json().user).toMatchObject(expected);

    const current = await me(t.app, sessionCookie(accepted));
    expect(current.statusCode).toBe(200);
    expect(current.json().user).toMatchObject(expected);

    // Used: the link is dead for reading and for accepting.
    expectError(await preview(token), 410, 'invitation_used');
    expectError(await accept(token, { displayName: 'Someone Else' }), 410, 'invitation_used');
  });

  it('lets only one of two simultaneous acceptances of the same link succeed', async () => {
    const { token } = await inviteOk({ email: freshEmail(), role: 'observer', organizationId: 'unicef' });
    const results = await Promise.all([accept(token, { displayName: 'Tab One' }), accept(token, { displayName: 'Tab Two' })]);
    const statuses = results.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 410]);
    expectError(results.find((response) => response.statusCode === 410)!, 410, 'invitation_used');
  });

  it('keeps the link usable when the acceptance is invalid', async () => {
    const { token } = await inviteOk({ email: freshEmail(), role: 'member', countryId: 'cl' });
    expect(detailFields(expectError(await accept(token, { timeZone: 'Nowhere/Special' }), 400, 'invalid_time_zone'))).toEqual(['timeZone']);
    expect(detailFields(expectError(await accept(token, { password: 'short' }), 400, 'validation_failed'))).toEqual(['password']);
    expect((await preview(token)).statusCode).toBe(200);
    expect((await accept(token)).statusCode).toBe(201);
  });
});

describe('who may invite whom', () => {
  it('lets a coordinator invite a member, but not an administrator', async () => {
    const created = await inviteOk({ email: freshEmail(), role: 'member', countryId: 'mx' }, coordinatorCookie);
    expect(created.invitation.status).toBe('pending');
    const refused = await invite(coordinatorCookie, { email: freshEmail(), role: 'admin' });
    expectError(refused, 403, 'forbidden');
  });

  it('lets an administrator invite an administrator', async () => {
    const { token } = await inviteOk({ email: freshEmail(), role: 'admin' });
    const accepted = await accept(token);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().user).toMatchObject({ role: 'admin', countryId: null, organizationId: null });
  });

  it('refuses members', async () => {
    const member = await addPerson(t.app, adminCookie, 'member');
    expectError(await invite(member.cookie, { email: freshEmail(), role: 'member', countryId: 'cl' }), 403, 'forbidden');
  });
});

describe('invalid invitations', () => {
  it('requires a country for a member', async () => {
    const error = expectError(await invite(adminCookie, { email: freshEmail(), role: 'member' }), 400, 'country_required');
    expect(detailFields(error)).toEqual(['countryId']);
  });

  it('refuses a country outside the catalogue', async () => {
    const error = expectError(await invite(adminCookie, { email: freshEmail(), role: 'member', countryId: 'zz' }), 400, 'unknown_country');
    expect(detailFields(error)).toEqual(['countryId']);
  });

  it('requires an organization for an observer, and refuses a country and an organization together', async () => {
    expect(detailFields(expectError(await invite(adminCookie, { email: freshEmail(), role: 'observer' }), 400, 'organization_required'))).toEqual(['organizationId']);
    const both = await invite(adminCookie, { email: freshEmail(), role: 'coordinator', countryId: 'cl', organizationId: 'eclac' });
    expectError(both, 400, 'ambiguous_affiliation');
  });

  it("refuses the e-mail of a member of the group, in any case", async () => {
    const error = expectError(await invite(adminCookie, { email: ADMIN.email.toUpperCase(), role: 'observer', organizationId: 'ilo' }), 409, 'already_member');
    expect(error.message).toContain(ADMIN.email);
  });

  it('answers 404 for a token it never issued, and 400 for one of the wrong shape', async () => {
    expectError(await preview(randomToken()), 404, 'not_found');
    expectError(await accept(randomToken()), 404, 'not_found');
    expect(detailFields(expectError(await preview('NOT-A-TOKEN'), 400, 'validation_failed'))).toEqual(['token']);
  });
});

describe('revoked, superseded and expired invitations', () => {
  it('refuses a revoked link with 410 invitation_revoked', async () => {
    const { invitation, token } = await inviteOk({ email: freshEmail(), role: 'member', countryId: 'bo' });
    const revoked = await request(t.app, { method: 'POST', url: `/api/invitations/${invitation.id}/revoke`, cookie: coordinatorCookie });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().invitation).toMatchObject({ id: invitation.id, status: 'revoked' });
    expectError(await preview(token), 410, 'invitation_revoked');
    expectError(await accept(token), 410, 'invitation_revoked');
  });

  it('cannot revoke an invitation that was accepted', async () => {
    const { invitation, token } = await inviteOk({ email: freshEmail(), role: 'member', countryId: 'py' });
    expect((await accept(token)).statusCode).toBe(201);
    const response = await request(t.app, { method: 'POST', url: `/api/invitations/${invitation.id}/revoke`, cookie: adminCookie });
    expectError(response, 409, 'invitation_used');
  });

  it('supersedes a pending invitation with a new one to the same address', async () => {
    const email = freshEmail();
    const first = await inviteOk({ email, role: 'member', countryId: 'ec' });
    const second = await inviteOk({ email, role: 'observer', organizationId: 'unfpa' }, coordinatorCookie);

    expectError(await preview(first.token), 410, 'invitation_revoked');
    expect((await preview(second.token)).json()).toMatchObject({ email, role: 'observer', organizationId: 'unfpa' });
    const items: Array<{ id: string; email: string; status: string }> = (await listAll('?limit=100')).json().items;
    const statuses = Object.fromEntries(items.filter((item) => item.email === email).map((item) => [item.id, item.status]));
    expect(statuses).toEqual({ [first.invitation.id]: 'revoked', [second.invitation.id]: 'pending' });
  });

  it('refuses an expired link with 410 invitation_expired and lists it as expired', async () => {
    const { invitation, token } = await inviteOk({ email: freshEmail(), role: 'member', countryId: 'uy' });
    expect((await db.prepare('update invitations set expires_at = ? where id = ?').run(Date.now() - 1000, invitation.id)).changes).toBe(1);
    expectError(await preview(token), 410, 'invitation_expired');
    expectError(await accept(token), 410, 'invitation_expired');
    const listed = (await listAll('?limit=100')).json().items.find((item: { id: string }) => item.id === invitation.id);
    expect(listed.status).toBe('expired');
  });

  it('honours INVITATION_TTL_DAYS', async () => {
    const short = await buildTestApp({ INVITATION_TTL_DAYS: '2' });
    try {
      const cookie = await setUpGroup(short.app);
      const response = await request(short.app, { method: 'POST', url: '/api/invitations', cookie, payload: { email: freshEmail(), role: 'admin' } });
      const lifetime = new Date(response.json().invitation.expiresAt).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(2 * DAY_MS - 60_000);
      expect(lifetime).toBeLessThanOrEqual(2 * DAY_MS);
    } finally {
      await short.close();
    }
  });
});

describe('listing invitations', () => {
  it('pages through every invitation, newest first, without gaps or repeats', async () => {
    for (let i = 0; i < 3; i += 1) await inviteOk({ email: freshEmail(), role: 'observer', organizationId: 'unsd' });
    const everything = (await listAll('?limit=100')).json();
    expect(everything.total).toBe(everything.items.length);
    expect(everything.total).toBeGreaterThanOrEqual(3);

    const seen: Array<{ id: string; createdAt: string }> = [];
    for (let offset = 0; offset < everything.total; offset += 2) {
      const page = await listAll(`?limit=2&offset=${offset}`);
      expect(page.statusCode).toBe(200);
      expect(page.json().total).toBe(everything.total);
      expect(page.json().items.length).toBe(Math.min(2, everything.total - offset));
      seen.push(...page.json().items);
    }
    expect(seen.map((item) => item.id)).toEqual(everything.items.map((item: { id: string }) => item.id));
    expect(new Set(seen.map((item) => item.id)).size).toBe(everything.total);
    const times = seen.map((item) => Date.parse(item.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await listAll(`?limit=2&offset=${everything.total}`)).json().items).toEqual([]);
  });

  it('filters pending invitations', async () => {
    const all = (await listAll('?limit=100')).json();
    const pending = (await listAll('?status=pending&limit=100')).json();
    const expectedPending = all.items.filter((item: { status: string }) => item.status === 'pending');
    expect(pending.total).toBe(expectedPending.length);
    expect(pending.items.map((item: { id: string }) => item.id)).toEqual(expectedPending.map((item: { id: string }) => item.id));
    // The earlier tests left accepted, revoked and expired ones behind: the filter removed something.
    expect(pending.total).toBeLessThan(all.total);
  });

  it('refuses a page size over 100', async () => {
    expect(detailFields(expectError(await listAll('?limit=101'), 400, 'validation_failed'))).toEqual(['limit']);
  });
});
