import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/shared/passwords.js';
import { addPerson, buildTestApp, request, sessionCookie, setUpGroup, type TestApp } from '../helper.js';
import { login, openTestDb } from './support.js';

/** A further group, made as the product makes one: createGroup on `fastify.groups`, then invitations by its administrator. */

let t: TestApp;
let firstAdminCookie: string;
const PASSWORD = 'censos-password-2026';

const admin = async (email: string) => ({ email, displayName: 'Beatriz Censal', passwordHash: await hashPassword(PASSWORD), locale: 'es', timeZone: 'America/Santiago', countryId: null, organizationId: 'eclac' });

beforeAll(async () => {
  t = await buildTestApp();
  firstAdminCookie = await setUpGroup(t.app);
});
afterAll(async () => t?.close());

describe('createGroup', () => {
  it('makes the group and its first administrator, who signs in to it and invites people into it', async () => {
    const created = await t.app.groups.createGroup({ slug: 'censos', name: 'Grupo de censos' }, await admin('beatriz@censos.example.org'));
    expect((await t.app.groups.find(created.groupId))).toMatchObject({ slug: 'censos', name: 'Grupo de censos', description: '' });
    const signedIn = await login(t.app, 'beatriz@censos.example.org', PASSWORD);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json().user).toMatchObject({ id: created.userId, groupId: created.groupId, groupName: 'Grupo de censos', role: 'admin' });
    const cookie = sessionCookie(signedIn);
    expect((await request(t.app, { url: '/api/session', cookie })).json().user).toMatchObject({ groupId: created.groupId });

    const invited = await request(t.app, { method: 'POST', url: '/api/invitations', cookie, payload: { email: 'benito@censos.example.org', role: 'member', countryId: 'cl' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const token = new URL(invited.json().acceptUrl).pathname.split('/').pop()!;
    // The link names the group that invites, not the instance's first.
    expect((await request(t.app, { url: `/api/invitations/${token}` })).json()).toMatchObject({ groupName: 'Grupo de censos' });
    const member = await addPerson(t.app, cookie, 'member', { countryId: 'cl' });
    expect((await request(t.app, { url: '/api/me', cookie: member.cookie })).json().user).toMatchObject({ groupId: created.groupId, role: 'member' });
    const db = openTestDb(t);
    try {
      expect(await db.prepare('select group_id as "groupId", role from memberships where user_id = ?').all(member.id)).toEqual([{ groupId: created.groupId, role: 'member' }]);
    } finally {
      await db.close();
    }
    // The first group still is the default, and its administrator is not the new group's.
    expect((await t.app.groups.findDefault())?.id).not.toBe(created.groupId);
    expect((await request(t.app, { url: `/api/people/${created.userId}`, cookie: firstAdminCookie })).statusCode).toBe(404);
  });

  it('refuses a taken address or e-mail with a 409, and leaves nothing half made', async () => {
    await expect(t.app.groups.createGroup({ slug: 'censos', name: 'Otro' }, await admin('otra@censos.example.org'))).rejects.toMatchObject({ statusCode: 409, code: 'slug_taken' });
    await expect(t.app.groups.createGroup({ slug: 'genero', name: 'Género' }, await admin('beatriz@censos.example.org'))).rejects.toMatchObject({ statusCode: 409, code: 'email_taken' });
    const db = openTestDb(t);
    try {
      expect(await db.prepare("select count(*) as n from users where email = 'otra@censos.example.org'").get()).toEqual({ n: 0 });
      expect(await db.prepare("select count(*) as n from groups where slug = 'genero'").get()).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  });
});

describe("the mail outbox (every group's mail)", () => {
  it("is the first group's administrators', not another group's", async () => {
    expect((await request(t.app, { url: '/api/admin/mail/outbox', cookie: firstAdminCookie })).statusCode).toBe(200);
    const other = sessionCookie(await login(t.app, 'beatriz@censos.example.org', PASSWORD));
    for (const [method, url] of [['GET', '/api/admin/mail/outbox'], ['POST', '/api/admin/mail/outbox/retry-failed']] as const) {
      const response = await request(t.app, { method, url, cookie: other });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });
});
