import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { populate, type People, type Participant } from '../debates/support.js';
import { personOfAnotherGroup } from '../support.js';
import { metadata, multipart, upload } from './support.js';

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

type Who = keyof People | 'anonymous';
type Visibility = 'draft' | 'group' | 'public' | 'instance';
type Action = 'list' | 'read' | 'download' | 'upload' | 'edit' | 'add version' | 'delete' | 'restore' | 'audit' | 'trash';

const PUBLISHERS: Who[] = ['admin', 'coordinator', 'secretariat'];
const READERS_OF: Record<Visibility, Who[]> = {
  draft: PUBLISHERS,
  group: [...PUBLISHERS, 'member', 'otherMember', 'observer'],
  public: [...PUBLISHERS, 'member', 'otherMember', 'observer', 'anonymous'],
  // Shared with every group: within its own group, as a group document.
  instance: [...PUBLISHERS, 'member', 'otherMember', 'observer'],
};

/** The rules of docs/documents-api.md as a table: may `who` do `action` on a document of `visibility`? */
function allowed(who: Who, action: Action, visibility: Visibility): boolean {
  switch (action) {
    case 'list':
      return who !== 'anonymous' && READERS_OF[visibility].includes(who);
    case 'read':
    case 'download':
      return READERS_OF[visibility].includes(who);
    case 'upload':
    case 'edit':
    case 'add version':
    case 'delete':
    case 'audit':
      return PUBLISHERS.includes(who);
    case 'restore':
    case 'trash':
      return who === 'admin';
  }
}

/** The status a refusal gives: no session 401; a role that may never do this 403; a document it may not see 404. */
function refusal(who: Who, action: Action): number {
  if (who === 'anonymous') return action === 'read' || action === 'download' ? 404 : 401;
  if (action === 'read' || action === 'download') return 404;
  return 403;
}

const WHO: Who[] = ['anonymous', 'admin', 'coordinator', 'secretariat', 'member', 'observer'];
const ACTIONS: Action[] = ['list', 'read', 'download', 'upload', 'edit', 'add version', 'delete', 'restore', 'audit', 'trash'];
const VISIBILITIES: Visibility[] = ['draft', 'group', 'public', 'instance'];
const cases = WHO.flatMap((who) => ACTIONS.flatMap((action) => VISIBILITIES.map((visibility) => [who, action, visibility] as const)));

let serial = 0;
async function documentFor(visibility: Visibility, deleted = false): Promise<string> {
  serial += 1;
  const created = await upload(t.app, people.secretariat, { name: `permiso-${serial}.pdf`, bytes: minimalPdf(`permiso ${serial}`) }, metadata({ title: { es: `Permiso ${serial}`, en: '' }, visibility, tags: [`permiso-${serial}`] }));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().document.id as string;
  if (deleted) expect((await request(t.app, { method: 'DELETE', url: `/api/documents/${id}`, cookie: people.admin.cookie })).statusCode).toBe(204);
  return id;
}

async function attempt(who: Who, action: Action, visibility: Visibility): Promise<{ status: number; succeeded: boolean }> {
  const cookie = who === 'anonymous' ? undefined : (people[who] as Participant).cookie;
  const as = (options: Parameters<typeof request>[1]) => request(t.app, { ...options, ...(cookie ? { cookie } : {}) });
  const id = await documentFor(visibility, action === 'restore');
  switch (action) {
    case 'list': {
      const response = await as({ method: 'GET', url: `/api/documents?tag=permiso-${serial}` });
      return { status: response.statusCode, succeeded: response.statusCode === 200 && response.json().items.some((item: { id: string }) => item.id === id) };
    }
    case 'read':
    case 'download':
    case 'audit': {
      const suffix = action === 'read' ? '' : `/${action}`;
      const response = await as({ method: 'GET', url: `/api/documents/${id}${suffix}` });
      return { status: response.statusCode, succeeded: response.statusCode === 200 };
    }
    case 'trash': {
      const response = await as({ method: 'GET', url: '/api/documents/trash' });
      return { status: response.statusCode, succeeded: response.statusCode === 200 };
    }
    case 'upload': {
      const body = await multipart({ metadata: JSON.stringify(metadata({ visibility })) }, { name: 'nuevo.pdf', bytes: minimalPdf('nuevo') });
      const response = await as({ method: 'POST', url: '/api/documents', payload: body.payload, headers: { 'content-type': body.contentType } });
      return { status: response.statusCode, succeeded: response.statusCode === 201 };
    }
    case 'add version': {
      const body = await multipart({ changeNote: 'v2' }, { name: 'v2.pdf', bytes: minimalPdf(`v2 ${serial}`) });
      const response = await as({ method: 'POST', url: `/api/documents/${id}/versions`, payload: body.payload, headers: { 'content-type': body.contentType } });
      return { status: response.statusCode, succeeded: response.statusCode === 201 };
    }
    case 'edit': {
      const response = await as({ method: 'PATCH', url: `/api/documents/${id}`, payload: { tags: ['cambiado'] } });
      return { status: response.statusCode, succeeded: response.statusCode === 200 };
    }
    case 'delete': {
      const response = await as({ method: 'DELETE', url: `/api/documents/${id}` });
      return { status: response.statusCode, succeeded: response.statusCode === 204 };
    }
    case 'restore': {
      const response = await as({ method: 'POST', url: `/api/documents/${id}/restore`, payload: {} });
      return { status: response.statusCode, succeeded: response.statusCode === 200 };
    }
  }
}

describe('who may do what with a library document', () => {
  it.each(cases)('%s: %s a %s document', async (who, action, visibility) => {
    const outcome = await attempt(who, action, visibility);
    if (allowed(who, action, visibility)) expect(outcome).toEqual({ status: outcome.status, succeeded: true });
    else {
      expect(outcome.succeeded).toBe(false);
      // For people with a session, a list that leaves the document out is the refusal (200 without it).
      expect(outcome.status).toBe(action === 'list' && who !== 'anonymous' ? 200 : refusal(who, action));
    }
  });
});

describe('a document in the trash', () => {
  it('is shown to admins, and changed by nobody until it is restored', async () => {
    const id = await documentFor('group', true);
    const detail = await request(t.app, { url: `/api/documents/${id}`, cookie: people.admin.cookie });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().document).toMatchObject({ id, mayEdit: false });
    expect(detail.json().document.deletedAt).not.toBeNull();
    for (const who of [people.admin, people.coordinator, people.secretariat]) {
      const edit = await request(t.app, { method: 'PATCH', url: `/api/documents/${id}`, cookie: who.cookie, payload: { tags: ['en-la-papelera'] } });
      const body = await multipart({ changeNote: 'v2' }, { name: 'v2.pdf', bytes: minimalPdf(`trashed ${id}`) });
      const version = await request(t.app, { method: 'POST', url: `/api/documents/${id}/versions`, cookie: who.cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
      const again = await request(t.app, { method: 'DELETE', url: `/api/documents/${id}`, cookie: who.cookie });
      // Admins see the trashed document and are told no; for the others it does not exist.
      const status = who === people.admin ? 403 : 404;
      expect([edit.statusCode, version.statusCode, again.statusCode], `${edit.body} ${version.body} ${again.body}`).toEqual([status, status, status]);
    }
    const restored = await request(t.app, { method: 'POST', url: `/api/documents/${id}/restore`, cookie: people.admin.cookie, payload: {} });
    expect(restored.json().document).toMatchObject({ mayEdit: true, deletedAt: null, tags: [`permiso-${serial}`] });
  });

  it('does not exist for anyone else, signed in or not, even when it was public', async () => {
    const id = await documentFor('public', true);
    for (const cookie of [undefined, people.coordinator.cookie, people.member.cookie]) {
      for (const suffix of ['', '/download']) {
        const response = await request(t.app, { url: `/api/documents/${id}${suffix}`, ...(cookie ? { cookie } : {}) });
        expect(response.statusCode, `${suffix} ${response.body}`).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
    }
  });
});

describe('the mayEdit flag of a document', () => {
  it('is true for publishers of the group only', async () => {
    const id = await documentFor('group');
    const flags: Record<string, boolean> = {};
    for (const who of ['admin', 'coordinator', 'secretariat', 'member', 'otherMember', 'observer'] as const) {
      const response = await request(t.app, { url: `/api/documents/${id}`, cookie: people[who].cookie });
      flags[who] = response.json().document.mayEdit;
    }
    expect(flags).toEqual({ admin: true, coordinator: true, secretariat: true, member: false, otherMember: false, observer: false });
  });
});

describe('a document of another working group', () => {
  it('is read and listed by people of that group only when it is public or shared with all groups, and changed by none of them', async () => {
    const outsiders = {
      admin: await personOfAnotherGroup(t, 'admin'),
      coordinator: await personOfAnotherGroup(t, 'coordinator'),
      secretariat: await personOfAnotherGroup(t, 'secretariat'),
      member: await personOfAnotherGroup(t, 'member', { countryId: 'cl' }),
    };
    const outcomes: Record<string, number[]> = {};
    const expected: Record<string, number[]> = {};
    for (const visibility of VISIBILITIES) {
      const id = await documentFor(visibility);
      for (const [role, outsider] of Object.entries(outsiders)) {
        const read = await request(t.app, { url: `/api/documents/${id}`, cookie: outsider.cookie });
        const listed = await request(t.app, { url: `/api/documents?tag=permiso-${serial}`, cookie: outsider.cookie });
        const edit = await request(t.app, { method: 'PATCH', url: `/api/documents/${id}`, cookie: outsider.cookie, payload: { tags: ['ajeno'] } });
        const remove = await request(t.app, { method: 'DELETE', url: `/api/documents/${id}`, cookie: outsider.cookie });
        outcomes[`${role} ${visibility}`] = [read.statusCode, listed.json().items?.length ?? listed.statusCode, edit.statusCode, remove.statusCode];
        const publisher = role !== 'member';
        // A public document is anyone's to read, as it is for people who are not signed in; one
        // shared with all groups is every signed-in person's, in their library too.
        const readable = visibility === 'public' || visibility === 'instance';
        const readStatus = readable ? 200 : 404;
        const writeStatus = !publisher ? 403 : readable ? 403 : 404;
        expected[`${role} ${visibility}`] = [readStatus, visibility === 'instance' ? 1 : 0, writeStatus, writeStatus];
        if (read.statusCode === 200) expect(read.json().document.mayEdit).toBe(false);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('stays out of reach of that group\'s admins once in the trash', async () => {
    const outsider = await personOfAnotherGroup(t, 'admin');
    for (const visibility of VISIBILITIES) {
      const id = await documentFor(visibility, true);
      expect((await request(t.app, { url: `/api/documents/${id}`, cookie: outsider.cookie })).statusCode).toBe(404);
      expect((await request(t.app, { method: 'POST', url: `/api/documents/${id}/restore`, cookie: outsider.cookie, payload: {} })).statusCode).toBe(404);
      const trash = await request(t.app, { url: '/api/documents/trash', cookie: outsider.cookie });
      expect(trash.json().items.map((item: { id: string }) => item.id)).not.toContain(id);
    }
  });
});
