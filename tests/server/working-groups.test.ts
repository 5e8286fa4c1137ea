import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { LiveClient, listen } from './live-support.js';
import { expectError, openTestDb } from './support.js';
import { metadata, multipart, upload } from './documents/support.js';
import { minimalPdf } from '../fixtures/documents.js';
import { sessionCookie } from '../helper.js';

/**
 * Several working groups on one instance: the instance administrators' groups, and a person of
 * two groups working in either, chosen per request by the group's slug (x-concilia-group).
 */

let t: TestApp;
/** The set-up administrator: the first group's, so the instance's. */
let ana: string;
/** A coordinator of the first group, who becomes an administrator of the second. */
let carla: { id: string; cookie: string };
/** A member of the first group only. */
let mateo: { id: string; cookie: string };

const GROUP = 'x-concilia-group';

beforeAll(async () => {
  t = await buildTestApp();
  ana = await setUpGroup(t.app);
  carla = await addPerson(t.app, ana, 'coordinator', { countryId: 'mx' }, { displayName: 'Carla Coordinadora' });
  mateo = await addPerson(t.app, ana, 'member', { countryId: 'cl' }, { displayName: 'Mateo Miembro' });
});
afterAll(async () => {
  await LiveClient.closeAll();
  await t?.close();
});

const categoryOf = async (cookie: string, group?: string) => {
  const response = await request(t.app, { url: '/api/categories', cookie, headers: group ? { [GROUP]: group } : {} });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items[0].id as string;
};

describe('the instance administrators create groups', () => {
  it('lists the groups with their members, to the instance administrators only', async () => {
    const listed = await request(t.app, { url: '/api/instance/groups', cookie: ana });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([expect.objectContaining({ slug: 'grupo-de-trabajo-odm', name: 'Grupo de trabajo ODM', memberCount: 3 })]);
    expectError(await request(t.app, { url: '/api/instance/groups', cookie: carla.cookie }), 403, 'forbidden');
    expectError(await request(t.app, { url: '/api/instance/groups' }), 401, 'unauthenticated');
  });

  it('creates a group whose administrators are its creator and the existing person named', async () => {
    const carlaEmail = (await request(t.app, { url: '/api/me', cookie: carla.cookie })).json().user.email as string;
    const created = await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: ana, payload: { slug: 'censos', name: 'Grupo de censos', description: 'Rondas 2030', adminEmail: carlaEmail.toUpperCase() } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ slug: 'censos', name: 'Grupo de censos', description: 'Rondas 2030', memberCount: 2 });
    const db = openTestDb(t);
    try {
      const rows = await db.prepare('select m.user_id as "userId", m.role, m.country_id as "countryId" from memberships m join groups g on g.id = m.group_id where g.slug = ? order by m.user_id').all('censos');
      // Carla speaks for Mexico there too; Ana, for her organization.
      expect(rows).toEqual(expect.arrayContaining([{ userId: carla.id, role: 'admin', countryId: 'mx' }]));
      expect(rows).toHaveLength(2);
    } finally {
      await db.close();
    }
    expect((await request(t.app, { url: '/api/instance/groups', cookie: ana })).json().items.map((group: { slug: string; memberCount: number }) => [group.slug, group.memberCount])).toEqual([
      ['grupo-de-trabajo-odm', 3],
      ['censos', 2],
    ]);
  });

  it('refuses a taken address, a malformed one, and an e-mail of nobody, creating nothing', async () => {
    expectError(await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: ana, payload: { slug: 'censos', name: 'Otro grupo' } }), 409, 'slug_taken');
    for (const slug of ['Censos', 'a', '-censos', 'censos-', 'cen sos', 'x'.repeat(41)]) {
      expect((await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: ana, payload: { slug, name: 'Otro grupo' } })).statusCode, slug).toBe(400);
    }
    expectError(await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: ana, payload: { slug: 'genero', name: 'Género', adminEmail: 'nadie@example.org' } }), 400, 'no_such_account');
    expectError(await request(t.app, { method: 'POST', url: '/api/instance/groups', cookie: carla.cookie, payload: { slug: 'genero', name: 'Género' } }), 403, 'forbidden');
    const db = openTestDb(t);
    try {
      expect(await db.prepare("select count(*) as n from groups where slug = 'genero'").get()).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  });
});

describe('a person of two groups', () => {
  it('works in the group each request names, and in their first group when it names none', async () => {
    const first = (await request(t.app, { url: '/api/me', cookie: carla.cookie })).json().user;
    expect(first).toMatchObject({ groupSlug: 'grupo-de-trabajo-odm', role: 'coordinator', instanceAdmin: false });
    expect(first.groups.map((group: { slug: string; role: string }) => [group.slug, group.role])).toEqual([
      ['grupo-de-trabajo-odm', 'coordinator'],
      ['censos', 'admin'],
    ]);
    const second = (await request(t.app, { url: '/api/me', cookie: carla.cookie, headers: { [GROUP]: 'censos' } })).json().user;
    expect(second).toMatchObject({ groupSlug: 'censos', groupName: 'Grupo de censos', role: 'admin', countryId: 'mx' });

    // What she writes in one group is of that group only.
    const thread = await request(t.app, { method: 'POST', url: '/api/threads', cookie: carla.cookie, headers: { [GROUP]: 'censos' }, payload: { categoryId: await categoryOf(carla.cookie, 'censos'), title: 'Boletas del censo', body: 'Propuesta de cuestionario.' } });
    expect(thread.statusCode, thread.body).toBe(201);
    const threadId = thread.json().thread.id as string;
    const titles = async (cookie: string, group?: string) =>
      (await request(t.app, { url: '/api/threads', cookie, headers: group ? { [GROUP]: group } : {} })).json().items.map((item: { title: string }) => item.title);
    expect(await titles(carla.cookie, 'censos')).toEqual(['Boletas del censo']);
    expect(await titles(carla.cookie)).not.toContain('Boletas del censo');
    expect(await titles(mateo.cookie)).not.toContain('Boletas del censo');
    expect((await request(t.app, { url: `/api/threads/${threadId}`, cookie: carla.cookie })).statusCode).toBe(404);
    expect((await request(t.app, { url: `/api/threads/${threadId}`, cookie: carla.cookie, headers: { [GROUP]: 'censos' } })).statusCode).toBe(200);
  });

  it('names the group of a link the browser opens itself (a download, an export) by its group parameter', async () => {
    const titles = async (url: string) => (await request(t.app, { url, cookie: carla.cookie })).json().items.map((item: { title: string }) => item.title);
    // A list whose query refuses unknown parameters takes it: the parameter is the session's.
    expect(await titles('/api/threads?group=censos&limit=5')).toContain('Boletas del censo');
    expect(await titles('/api/threads?limit=5')).not.toContain('Boletas del censo');
    // A document of the census group, which is not her home group.
    const body = await multipart({ metadata: JSON.stringify(metadata({ title: { es: 'Notas del censo', en: '' } })) }, { name: 'censo.pdf', bytes: minimalPdf('Notas censales') });
    const inCensos = await request(t.app, { method: 'POST', url: '/api/documents', cookie: carla.cookie, headers: { [GROUP]: 'censos', 'content-type': body.contentType }, payload: body.payload });
    expect(inCensos.statusCode, inCensos.body).toBe(201);
    const id = inCensos.json().document.id as string;
    expect((await request(t.app, { url: `/api/documents/${id}/download?disposition=attachment&group=censos`, cookie: carla.cookie })).statusCode).toBe(200);
    expect((await request(t.app, { url: `/api/documents/${id}/download?disposition=attachment`, cookie: carla.cookie })).statusCode).toBe(404);
    expectError(await request(t.app, { url: `/api/documents/${id}/download?group=censos`, cookie: mateo.cookie }), 403, 'not_a_member');
    expect((await request(t.app, { method: 'HEAD', url: `/api/documents/${id}/download?disposition=attachment&group=censos`, cookie: carla.cookie })).statusCode).toBe(200);
    // An empty or repeated parameter names no group: the home group answers.
    expect(await titles('/api/threads?group=&limit=5')).not.toContain('Boletas del censo');
    expect(await titles('/api/threads?group=censos&group=censos&limit=5')).not.toContain('Boletas del censo');
    // Without a session (a public document's link), or with an unknown one, the parameter is set aside alike.
    const open = await multipart({ metadata: JSON.stringify(metadata({ title: { es: 'Boletín público del censo', en: '' }, visibility: 'public' })) }, { name: 'boletin.pdf', bytes: minimalPdf('Boletín') });
    const published = await request(t.app, { method: 'POST', url: '/api/documents', cookie: carla.cookie, headers: { [GROUP]: 'censos', 'content-type': open.contentType }, payload: open.payload });
    expect(published.statusCode, published.body).toBe(201);
    const publicLink = `/api/documents/${published.json().document.id}/download?disposition=attachment&group=censos`;
    expect((await request(t.app, { url: publicLink })).statusCode).toBe(200);
    expect((await request(t.app, { url: publicLink, cookie: 'concilia_session=unknown-token' })).statusCode).toBe(200);
    // A write names its group by the header alone: the parameter of a POST is not read.
    const written = await request(t.app, { method: 'POST', url: '/api/threads?group=censos', cookie: carla.cookie, payload: { categoryId: await categoryOf(carla.cookie), title: 'Escrito en el grupo de siempre', body: 'Sin cabecera.' } });
    expect(written.statusCode, written.body).toBe(201);
    expect(await titles('/api/threads?limit=5')).toContain('Escrito en el grupo de siempre');
  });

  it('is refused a group they are not of, and an unknown one, alike', async () => {
    for (const group of ['censos', 'no-such-group']) {
      const refused = await request(t.app, { url: '/api/threads', cookie: mateo.cookie, headers: { [GROUP]: group } });
      expectError(refused, 403, 'not_a_member');
    }
    // A visitor's header changes nothing: the route's own rule answers.
    expectError(await request(t.app, { url: '/api/threads', headers: { [GROUP]: 'censos' } }), 401, 'unauthenticated');
    expect((await request(t.app, { url: '/api/session', headers: { [GROUP]: 'censos' } })).json()).toEqual({ user: null });
  });

  it('gets one bell across their groups, each notification labelled with its group', async () => {
    const thread = await request(t.app, {
      method: 'POST',
      url: '/api/threads',
      cookie: ana,
      headers: { [GROUP]: 'censos' },
      payload: { categoryId: await categoryOf(ana, 'censos'), title: 'Cartografía censal', body: 'Carla, ¿puedes revisar? @carla.coordinadora' },
    });
    expect(thread.statusCode, thread.body).toBe(201);
    await t.app.notifications.settled();
    // Asked while working in the first group.
    const listed = await request(t.app, { url: '/api/notifications', cookie: carla.cookie });
    expect(listed.statusCode, listed.body).toBe(200);
    const mention = listed.json().items.find((item: { subject: { id: string } }) => item.subject.id === thread.json().thread.id);
    expect(mention).toMatchObject({ kind: 'mention', subject: { available: true, title: 'Cartografía censal' }, group: { slug: 'censos', name: 'Grupo de censos' } });
    expect((await request(t.app, { url: '/api/notifications/unread-count', cookie: carla.cookie })).json().count).toBeGreaterThanOrEqual(1);
  });

  it('opens the live channel in the group its address names', async () => {
    const url = await listen(t.app);
    const censos = (await request(t.app, { url: '/api/me', cookie: carla.cookie, headers: { [GROUP]: 'censos' } })).json().user.groupId as string;
    const inCensos = await LiveClient.connect(`${url}?group=censos`, carla.cookie);
    expect(await inCensos.subscribe([`group:${censos}`])).toMatchObject({ type: 'subscribed', topics: [`group:${censos}`] });
    const inFirst = await LiveClient.connect(url, carla.cookie);
    expect(await inFirst.subscribe([`group:${censos}`])).toMatchObject({ type: 'error', code: 'forbidden_topic' });
    await expect(LiveClient.connect(`${url}?group=censos`, mateo.cookie)).rejects.toThrow('upgrade refused: 403');
  });

  it("shows on the home page what waits in the other groups, by group, and keeps each group's mentions to its own home", async () => {
    const home = async (cookie: string, group?: string) => {
      const response = await request(t.app, { url: '/api/home', cookie, headers: group ? { [GROUP]: group } : {} });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { sections: Array<{ id: string; count: number; items: Array<{ path: string; title: string }> }>; elsewhere: Array<{ group: { slug: string; name: string }; sections: Array<{ id: string; count: number }> }> };
    };
    const inFirst = await home(carla.cookie);
    // Ana's thread in the census group mentioned Carla: counted there, not on the first group's home.
    expect(inFirst.elsewhere).toEqual([{ group: expect.objectContaining({ slug: 'censos', name: 'Grupo de censos' }), sections: expect.arrayContaining([{ id: 'debates.mentions', count: 1 }]) }]);
    expect(inFirst.sections.find((section) => section.id === 'debates.mentions')!.items.map((item) => item.title)).not.toContain('Cartografía censal');
    const inCensos = await home(carla.cookie, 'censos');
    expect(inCensos.sections.find((section) => section.id === 'debates.mentions')).toMatchObject({ count: 1, items: [expect.objectContaining({ title: 'Cartografía censal' })] });
    expect(inCensos.elsewhere.map((other) => other.group.slug)).toEqual(['grupo-de-trabajo-odm']);
    expect((await home(mateo.cookie)).elsewhere).toEqual([]);
  });

  it("gives one calendar feed with their meetings of every group, each linked under its group's address", async () => {
    const meeting = (group: string | undefined, title: string) =>
      request(t.app, {
        method: 'POST',
        url: '/api/meetings',
        cookie: ana,
        headers: group ? { [GROUP]: group } : {},
        payload: { title, kind: 'virtual_meeting', timeZone: 'America/Santiago', startsAt: '2030-06-09T14:00:00.000Z', endsAt: '2030-06-09T15:30:00.000Z', invitees: { everyone: true } },
      });
    const inCensos = await meeting('censos', 'Taller de cartografía censal');
    const inFirst = await meeting(undefined, 'Reunión de coordinación ODM');
    expect([inCensos.statusCode, inFirst.statusCode], inCensos.body + inFirst.body).toEqual([201, 201]);
    const feed = await request(t.app, { method: 'POST', url: '/api/calendar/feed', cookie: carla.cookie, payload: {} });
    expect(feed.statusCode, feed.body).toBe(201);
    const ics = await request(t.app, { url: new URL(feed.json().feed.url).pathname });
    expect(ics.statusCode).toBe(200);
    const unfolded = ics.body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('SUMMARY:Taller de cartografía censal');
    expect(unfolded).toContain('SUMMARY:Reunión de coordinación ODM');
    expect(unfolded).toContain(`/g/censos/meetings/${inCensos.json().meeting.id}`);
    expect(unfolded).toContain(`/meetings/${inFirst.json().meeting.id}`);
    expect(unfolded).not.toContain(`/g/grupo-de-trabajo-odm/`);
    // Mateo, of the first group only, has only its meeting.
    const his = await request(t.app, { method: 'POST', url: '/api/calendar/feed', cookie: mateo.cookie, payload: {} });
    const hisIcs = (await request(t.app, { url: new URL(his.json().feed.url).pathname })).body;
    expect(hisIcs).toContain('Reunión de coordinación ODM');
    expect(hisIcs).not.toContain('cartografía');
  });

  it("keeps the instance's outbox to its administrators, whichever group they work in", async () => {
    expect((await request(t.app, { url: '/api/admin/mail/outbox', cookie: ana, headers: { [GROUP]: 'censos' } })).statusCode).toBe(200);
    expectError(await request(t.app, { url: '/api/admin/mail/outbox', cookie: carla.cookie, headers: { [GROUP]: 'censos' } }), 403, 'forbidden');
  });
});

describe('an invitation to a person who has an account', () => {
  it('is joined with that account, signed in, and makes a membership in the inviting group only', async () => {
    const mateoEmail = (await request(t.app, { url: '/api/me', cookie: mateo.cookie })).json().user.email as string;
    const invited = await request(t.app, { method: 'POST', url: '/api/invitations', cookie: carla.cookie, headers: { [GROUP]: 'censos' }, payload: { email: mateoEmail, role: 'observer', organizationId: 'unicef' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const token = new URL(invited.json().acceptUrl).pathname.split('/').pop()!;
    expect((await request(t.app, { url: `/api/invitations/${token}` })).json()).toMatchObject({ groupName: 'Grupo de censos', existingAccount: true });
    // No second account for the address.
    expectError(await request(t.app, { method: 'POST', url: `/api/invitations/${token}/accept`, payload: { displayName: 'Otro Mateo', password: 'otra-clave-2026', locale: 'es', timeZone: 'America/Santiago' } }), 409, 'email_taken');
    // Another person's session does not take it.
    expectError(await request(t.app, { method: 'POST', url: `/api/invitations/${token}/join`, cookie: carla.cookie }), 403, 'forbidden');
    expectError(await request(t.app, { method: 'POST', url: `/api/invitations/${token}/join` }), 401, 'unauthenticated');

    const joined = await request(t.app, { method: 'POST', url: `/api/invitations/${token}/join`, cookie: mateo.cookie });
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json().user).toMatchObject({ groupSlug: 'censos', role: 'observer', organizationId: 'unicef' });
    expect(joined.json().user.groups.map((group: { slug: string; role: string }) => [group.slug, group.role])).toEqual([
      ['grupo-de-trabajo-odm', 'member'],
      ['censos', 'observer'],
    ]);
    // His session works in the new group at once; in the first, he is what he was.
    expect((await request(t.app, { url: '/api/me', cookie: mateo.cookie, headers: { [GROUP]: 'censos' } })).json().user).toMatchObject({ role: 'observer' });
    expect((await request(t.app, { url: '/api/me', cookie: mateo.cookie })).json().user).toMatchObject({ groupSlug: 'grupo-de-trabajo-odm', role: 'member', countryId: 'cl' });
    expectError(await request(t.app, { method: 'POST', url: `/api/invitations/${token}/join`, cookie: mateo.cookie }), 410, 'invitation_used');
    // Inviting a member of the group again is refused before any mail goes.
    expectError(await request(t.app, { method: 'POST', url: '/api/invitations', cookie: carla.cookie, headers: { [GROUP]: 'censos' }, payload: { email: mateoEmail, role: 'member', countryId: 'cl' } }), 409, 'already_member');
  });
});

describe('a document shared with the whole instance', () => {
  it("is in every group's library and readable by everyone signed in, but edited only by its own group", async () => {
    // Someone of the census group only.
    const invited = await request(t.app, { method: 'POST', url: '/api/invitations', cookie: carla.cookie, headers: { [GROUP]: 'censos' }, payload: { email: 'solo@censos.example.org', role: 'secretariat', organizationId: 'eclac' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const token = new URL(invited.json().acceptUrl).pathname.split('/').pop()!;
    const accepted = await request(t.app, { method: 'POST', url: `/api/invitations/${token}/accept`, payload: { displayName: 'Sol Censal', password: 'sol-censal-2026', locale: 'es', timeZone: 'America/Santiago' } });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const sol = { cookie: sessionCookie(accepted) };
    expect(accepted.json().user.groups.map((group: { slug: string }) => group.slug)).toEqual(['censos']);

    const admin = { id: (await request(t.app, { url: '/api/me', cookie: ana })).json().user.id as string, cookie: ana };
    const shared = await upload(t.app, admin, { name: 'guia.pdf', bytes: minimalPdf('Guía común') }, metadata({ title: { es: 'Guía común de metadatos', en: '' }, visibility: 'instance' }));
    const own = await upload(t.app, admin, { name: 'interno.pdf', bytes: minimalPdf('Interno') }, metadata({ title: { es: 'Nota interna del grupo ODM', en: '' }, visibility: 'group' }));
    expect([shared.statusCode, own.statusCode], shared.body + own.body).toEqual([201, 201]);
    const sharedId = shared.json().document.id as string;
    const ownId = own.json().document.id as string;

    const titles = (await request(t.app, { url: '/api/documents', cookie: sol.cookie })).json().items.map((item: { title: { es: string } }) => item.title.es);
    expect(titles).toContain('Guía común de metadatos');
    expect(titles).not.toContain('Nota interna del grupo ODM');
    expect((await request(t.app, { url: `/api/documents/${sharedId}`, cookie: sol.cookie })).statusCode).toBe(200);
    expect((await request(t.app, { url: `/api/documents/${ownId}`, cookie: sol.cookie })).statusCode).toBe(404);
    // A publisher of another group reads it, and does not edit it.
    const edit = await request(t.app, { method: 'PATCH', url: `/api/documents/${sharedId}`, cookie: sol.cookie, payload: metadata({ title: { es: 'Cambiado', en: '' }, visibility: 'instance' }) });
    expect([403, 404]).toContain(edit.statusCode);
    // Nobody without a session.
    expect((await request(t.app, { url: `/api/documents/${sharedId}` })).statusCode).toBe(404);
  });
});
