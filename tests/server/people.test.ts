import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { detailFields, expectError, login, me, myId, openTestDb, type TestDb } from './support.js';

let t: TestApp;
let db: TestDb;
let adminCookie: string;
let adminId: string;
let coordinatorCookie: string;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  adminCookie = await setUpGroup(t.app);
  adminId = await myId(t.app, adminCookie);
  coordinatorCookie = (await addPerson(t.app, adminCookie, 'coordinator')).cookie;
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const admin = (method: 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
  request(t.app, { method, url, cookie: adminCookie, ...(payload ? { payload } : {}) });

const sessionsOf = async (userId: string) => (await db.prepare<{ n: number }>('select count(*) as n from sessions where user_id = ?').get(userId))!.n;

interface Person {
  id: string;
  displayName: string;
  delegationRole: string | null;
}
interface Delegation {
  countryId: string;
  focalPoint: Person | null;
  alternates: Person[];
}

async function directory(cookie = adminCookie) {
  const response = await request(t.app, { url: '/api/directory', cookie });
  expect(response.statusCode).toBe(200);
  return response.json() as { countries: Delegation[]; organizations: Array<{ organizationId: string; people: Person[] }>; others: Person[] };
}
const delegationOf = async (countryId: string) => (await directory()).countries.find((country) => country.countryId === countryId)!;

const setDelegation = (cookie: string, userId: string, delegationRole: string) =>
  request(t.app, { method: 'PUT', url: `/api/people/${userId}/delegation`, cookie, payload: { delegationRole } });

describe('changes to a signed-in person', () => {
  it('apply from their very next request, though their session was just validated', async () => {
    const person = await addPerson(t.app, adminCookie, 'member');
    expect((await me(t.app, person.cookie)).json().user.role).toBe('member');
    expect((await request(t.app, { url: '/api/admin/users', cookie: person.cookie })).statusCode).toBe(403);

    expect((await admin('PUT', `/api/admin/users/${person.id}/role`, { role: 'admin' })).statusCode).toBe(200);
    expect((await me(t.app, person.cookie)).json().user.role).toBe('admin');
    expect((await request(t.app, { url: '/api/admin/users', cookie: person.cookie })).statusCode).toBe(200);
    expect((await admin('PUT', `/api/admin/users/${person.id}/role`, { role: 'member' })).statusCode).toBe(200);
    expect((await request(t.app, { url: '/api/admin/users', cookie: person.cookie })).statusCode).toBe(403);

    const renamed = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: person.cookie, payload: { displayName: 'Nombre nuevo', locale: 'en' } });
    expect(renamed.statusCode).toBe(200);
    expect((await me(t.app, person.cookie)).json().user).toMatchObject({ displayName: 'Nombre nuevo', locale: 'en' });
  });
});

describe('deactivating and reactivating a user', () => {
  it('ends their sessions at once and refuses their sign-in; reactivating lets them sign in again', async () => {
    const member = await addPerson(t.app, adminCookie, 'member');
    expect((await me(t.app, member.cookie)).statusCode).toBe(200);
    expect(await sessionsOf(member.id)).toBe(1);

    const deactivated = await admin('POST', `/api/admin/users/${member.id}/deactivate`);
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().user).toMatchObject({ id: member.id, active: false });
    expect(Date.parse(deactivated.json().user.deactivatedAt)).toBeLessThanOrEqual(Date.now());

    expectError(await me(t.app, member.cookie), 401, 'unauthenticated');
    expect(await sessionsOf(member.id)).toBe(0);
    expectError(await login(t.app, member.email, member.password), 401, 'invalid_credentials');
    // Gone from what other participants see.
    expectError(await request(t.app, { url: `/api/people/${member.id}`, cookie: adminCookie }), 404, 'not_found');
    const everyone = (await directory()).countries.flatMap((country) => [country.focalPoint, ...country.alternates]);
    expect(everyone.map((person) => person?.id)).not.toContain(member.id);
    const listed = await request(t.app, { url: '/api/admin/users?status=deactivated', cookie: adminCookie });
    expect(listed.json().items.map((user: { id: string }) => user.id)).toContain(member.id);

    const reactivated = await admin('POST', `/api/admin/users/${member.id}/reactivate`);
    expect(reactivated.statusCode).toBe(200);
    expect(reactivated.json().user).toMatchObject({ id: member.id, active: true, deactivatedAt: null });
    // The old session stays dead; a new sign-in works.
    expectError(await me(t.app, member.cookie), 401, 'unauthenticated');
    expect((await login(t.app, member.email, member.password)).statusCode).toBe(200);
  });

  it('does not let an administrator deactivate themself', async () => {
    expectError(await admin('POST', `/api/admin/users/${adminId}/deactivate`), 409, 'cannot_deactivate_self');
    expect((await me(t.app, adminCookie)).statusCode).toBe(200);
  });

  it('answers 404 for someone who is not in the group', async () => {
    expectError(await admin('POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/deactivate'), 404, 'not_found');
  });
});

describe('the last administrator', () => {
  it('cannot be demoted, while another active administrator can', async () => {
    expectError(await admin('PUT', `/api/admin/users/${adminId}/role`, { role: 'coordinator' }), 409, 'last_admin');

    const second = await addPerson(t.app, adminCookie, 'admin');
    const demoted = await admin('PUT', `/api/admin/users/${second.id}/role`, { role: 'coordinator' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(demoted.json().user.role).toBe('coordinator');
    expectError(await admin('PUT', `/api/admin/users/${adminId}/role`, { role: 'coordinator' }), 409, 'last_admin');
    expect((await me(t.app, adminCookie)).json().user.role).toBe('admin');
  });

  it('is counted among active administrators only', async () => {
    const dormant = await addPerson(t.app, adminCookie, 'admin');
    expect((await admin('POST', `/api/admin/users/${dormant.id}/deactivate`)).statusCode).toBe(200);
    // A deactivated admin is no safety net for demoting the only active one...
    expectError(await admin('PUT', `/api/admin/users/${adminId}/role`, { role: 'coordinator' }), 409, 'last_admin');
    // ...and demoting the deactivated one leaves the active one in place, so it is allowed.
    const demoted = await admin('PUT', `/api/admin/users/${dormant.id}/role`, { role: 'observer', organizationId: 'ilo' });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect(demoted.json().user).toMatchObject({ role: 'observer', organizationId: 'ilo', active: false });
  });
});

describe('directory and delegations', () => {
  it('lists every one of the 33 ECLAC countries, the same as the catalogue', async () => {
    const { countries } = await directory();
    const catalogue = (await request(t.app, { url: '/api/countries' })).json().items.map((country: { id: string }) => country.id);
    expect(countries).toHaveLength(33);
    expect(new Set(countries.map((country) => country.countryId))).toEqual(new Set(catalogue));
  });

  it('puts an accepted member under their country as an alternate, and lets a coordinator make them focal point', async () => {
    const first = await addPerson(t.app, adminCookie, 'member', { countryId: 'uy' }, { displayName: 'Uruguay One' });
    const before = await delegationOf('uy');
    expect(before.focalPoint).toBeNull();
    expect(before.alternates.map((person) => [person.id, person.delegationRole])).toEqual([[first.id, 'alternate']]);

    const marked = await setDelegation(coordinatorCookie, first.id, 'focal_point');
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json().person).toMatchObject({ id: first.id, delegationRole: 'focal_point' });
    const after = await delegationOf('uy');
    expect(after.focalPoint?.id).toBe(first.id);
    expect(after.alternates).toEqual([]);

    // A second focal point for the same country demotes the first to alternate.
    const second = await addPerson(t.app, adminCookie, 'member', { countryId: 'uy' }, { displayName: 'Uruguay Two' });
    expect((await setDelegation(adminCookie, second.id, 'focal_point')).statusCode).toBe(200);
    const swapped = await delegationOf('uy');
    expect(swapped.focalPoint?.id).toBe(second.id);
    expect(swapped.alternates.map((person) => [person.id, person.delegationRole])).toEqual([[first.id, 'alternate']]);
    const firstNow = await request(t.app, { url: `/api/people/${first.id}`, cookie: second.cookie });
    expect(firstNow.json().person.delegationRole).toBe('alternate');

    // Other countries are untouched.
    expect((await delegationOf('ar')).focalPoint).toBeNull();

    // Marking the focal point an alternate leaves the country without one.
    expect((await setDelegation(coordinatorCookie, second.id, 'alternate')).statusCode).toBe(200);
    const none = await delegationOf('uy');
    expect(none.focalPoint).toBeNull();
    expect(none.alternates.map((person) => person.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('refuses to make someone who is not a country member a focal point (409)', async () => {
    const observer = await addPerson(t.app, adminCookie, 'observer', { organizationId: 'unicef' });
    expectError(await setDelegation(coordinatorCookie, observer.id, 'focal_point'), 409, 'not_a_country_member');
    expectError(await setDelegation(coordinatorCookie, adminId, 'focal_point'), 409, 'not_a_country_member');
    const { organizations } = await directory();
    const unicef = organizations.find((organization) => organization.organizationId === 'unicef');
    expect(unicef?.people.map((person) => person.id)).toContain(observer.id);
  });

  it('refuses members changing delegations, and answers 404 for an unknown person', async () => {
    const member = await addPerson(t.app, adminCookie, 'member', { countryId: 'py' });
    expectError(await setDelegation(member.cookie, member.id, 'focal_point'), 403, 'forbidden');
    expectError(await setDelegation(coordinatorCookie, '00000000-0000-4000-8000-000000000000', 'focal_point'), 404, 'not_found');
    const invalid = expectError(await setDelegation(coordinatorCookie, member.id, 'president'), 400, 'validation_failed');
    expect(new Set(detailFields(invalid))).toEqual(new Set(['delegationRole']));
  });

  it('is open to every signed-in participant, not to strangers', async () => {
    const member = await addPerson(t.app, adminCookie, 'member', { countryId: 'cr' });
    const seenByMember = await directory(member.cookie);
    expect(seenByMember.countries.find((country) => country.countryId === 'cr')!.alternates.map((person) => person.id)).toContain(member.id);
    expectError(await request(t.app, { url: '/api/directory' }), 401, 'unauthenticated');
  });
});

describe('my profile', () => {
  it('updates profile and preferences, visible to others', async () => {
    const person = await addPerson(t.app, adminCookie, 'member', { countryId: 'br' });
    const changes = { displayName: '  Beatriz Souza ', jobTitle: 'Head of national accounts', bio: 'Works on SDG indicator 17.18.', locale: 'pt', timeZone: 'America/Sao_Paulo' };
    const response = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: person.cookie, payload: changes });
    expect(response.statusCode, response.body).toBe(200);
    const expected = { ...changes, displayName: 'Beatriz Souza' };
    expect(response.json().user).toMatchObject(expected);
    expect((await me(t.app, person.cookie)).json().user).toMatchObject(expected);
    const seen = await request(t.app, { url: `/api/people/${person.id}`, cookie: coordinatorCookie });
    expect(seen.json().person).toMatchObject(expected);
  });

  it('refuses an unknown time zone with 400 naming timeZone, and changes nothing', async () => {
    const person = await addPerson(t.app, adminCookie, 'observer');
    const before = (await me(t.app, person.cookie)).json().user;
    const response = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: person.cookie, payload: { jobTitle: 'Changed', timeZone: 'Mars/Olympus_Mons' } });
    expect(detailFields(expectError(response, 400, 'invalid_time_zone'))).toEqual(['timeZone']);
    expect((await me(t.app, person.cookie)).json().user).toEqual(before);
  });

  it('refuses fields that are not part of the profile, such as role or e-mail', async () => {
    const person = await addPerson(t.app, adminCookie, 'observer');
    for (const field of ['role', 'email'] as const) {
      const response = await request(t.app, { method: 'PATCH', url: '/api/me', cookie: person.cookie, payload: { [field]: field === 'role' ? 'admin' : 'boss@example.org' } });
      expect(detailFields(expectError(response, 400, 'validation_failed'))).toEqual([field]);
    }
    expect((await me(t.app, person.cookie)).json().user).toMatchObject({ role: 'observer', email: person.email });
  });
});

describe('the administrators\' user list', () => {
  it('searches names literally, so "_" and "%" are not wildcards', async () => {
    const underscore = await addPerson(t.app, adminCookie, 'observer', {}, { displayName: 'Ana_María Ruiz' });
    const lookalike = await addPerson(t.app, adminCookie, 'observer', {}, { displayName: 'AnaXMaría Ruiz' });
    const percent = await addPerson(t.app, adminCookie, 'observer', {}, { displayName: 'Quota 100% Team' });

    const search = async (q: string) => {
      const response = await request(t.app, { url: `/api/admin/users?q=${encodeURIComponent(q)}`, cookie: adminCookie });
      expect(response.statusCode).toBe(200);
      return response.json().items.map((user: { id: string }) => user.id) as string[];
    };
    expect(await search('ana_mar')).toEqual([underscore.id]);
    expect((await search('anaxmar')).sort()).toEqual([lookalike.id]);
    expect(await search('100%')).toEqual([percent.id]);
    expect(await search('0% T')).toEqual([percent.id]);
    expect(await search(underscore.email)).toEqual([underscore.id]);
  });

  it('filters by role and pages with a stable total', async () => {
    const observers = await request(t.app, { url: '/api/admin/users?role=observer&limit=100', cookie: adminCookie });
    const all = observers.json();
    expect(all.items.length).toBeGreaterThan(2);
    expect(all.items.every((user: { role: string }) => user.role === 'observer')).toBe(true);
    const firstPage = (await request(t.app, { url: '/api/admin/users?role=observer&limit=2', cookie: adminCookie })).json();
    const secondPage = (await request(t.app, { url: '/api/admin/users?role=observer&limit=2&offset=2', cookie: adminCookie })).json();
    expect(firstPage.total).toBe(all.total);
    expect([...firstPage.items, ...secondPage.items].map((user: { id: string }) => user.id)).toEqual(all.items.slice(0, 4).map((user: { id: string }) => user.id));
  });
});
