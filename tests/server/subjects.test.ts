import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/plugins/sessions/index.js';
import { SubjectRegistry } from '../../server/plugins/subjects/index.js';
import { buildTestApp, request, type TestApp } from '../helper.js';
import { api, categoryId, populate, reply, startThread, type People } from './debates/support.js';
import { metadata, multipart, upload } from './documents/support.js';
import { createMeeting } from './meetings/support.js';
import { minimalPdf } from '../fixtures/documents.js';

let t: TestApp;
let people: People;

/** The person as a session carries them (what describe is given), read from the identity tables. */
async function sessionUserOf(app: FastifyInstance, id: string): Promise<SessionUser> {
  return (await app.database
    .statement(
      `select u.id, u.email, u.display_name as "displayName", u.locale, u.time_zone as "timeZone", m.group_id as "groupId", m.role, m.country_id as "countryId", m.organization_id as "organizationId"
         from users u join memberships m on m.user_id = u.id where u.id = ?`,
    )
    .get(id)) as unknown as SessionUser;
}

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

describe('the subject registry', () => {
  it('knows the kinds the features registered, and refuses a kind defined twice or never', () => {
    expect(t.app.subjects.list()).toEqual(expect.arrayContaining(['thread', 'post', 'document', 'meeting', 'minutes']));
    expect(() => t.app.subjects.define({ kind: 'thread', describe: async () => new Map() })).toThrow(/defined twice/);
    expect(() => t.app.subjects.assertKnown('survey_never_defined')).toThrow(/not defined/);
    expect(() => t.app.subjects.define({ kind: 'Not A Name', describe: async () => new Map() })).toThrow(/lower-case/);
  });

  it('describes a batch in one call per kind, leaving out what the reader may not read', async () => {
    const registry = new SubjectRegistry();
    const calls: string[][] = [];
    registry.define({
      kind: 'note',
      describe: async (user, ids, locale) => {
        calls.push([...ids]);
        // Only notes whose id starts with the reader's role are theirs to read.
        return new Map(ids.filter((id) => id.startsWith(user.role)).map((id) => [id, { kind: 'note', id, title: `${locale}:${id}`, href: `/notes/${id}`, groupId: user.groupId }]));
      },
    });
    const member = await sessionUserOf(t.app, people.member.id);
    const found = await registry.describe(member, [{ kind: 'note', id: 'member-1' }, { kind: 'note', id: 'admin-1' }, { kind: 'note', id: 'member-2' }, { kind: 'note', id: 'member-1' }], 'es');
    expect(calls).toEqual([['member-1', 'admin-1', 'member-2']]);
    expect([...found.keys()]).toEqual(['note:member-1', 'note:member-2']);
    expect(found.get('note:member-1')).toMatchObject({ title: 'es:member-1', href: '/notes/member-1' });
    await expect(registry.describe(member, [{ kind: 'unknown', id: 'x' }], 'es')).rejects.toThrow(/not defined/);
  });

  it("gives a thread's and a post's title and page, and hides a hidden post from those who may not see it", async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Cobertura del censo' });
    const post = await reply(t.app, people.otherMember, thread.id, 'Una respuesta');
    const hidden = await reply(t.app, people.otherMember, thread.id, 'Otra respuesta');
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${hidden.id}/hide`, { reason: 'x' })).statusCode).toBe(200);
    const refs = [{ kind: 'thread', id: thread.id }, { kind: 'post', id: post.id }, { kind: 'post', id: hidden.id }, { kind: 'thread', id: 'no-such-thread' }];

    const asMember = await t.app.subjects.describe(await sessionUserOf(t.app, people.member.id), refs, 'es');
    expect([...asMember.values()]).toEqual([
      { kind: 'thread', id: thread.id, title: 'Cobertura del censo', href: `/debates/t/${thread.id}`, groupId: expect.any(String) },
      { kind: 'post', id: post.id, title: 'Cobertura del censo', href: `/debates/t/${thread.id}#post-${post.id}`, groupId: expect.any(String) },
    ]);
    // The moderator and the hidden post's author still see it.
    expect((await t.app.subjects.describe(await sessionUserOf(t.app, people.coordinator.id), refs, 'es')).has(`post:${hidden.id}`)).toBe(true);
    expect((await t.app.subjects.describe(await sessionUserOf(t.app, people.otherMember.id), refs, 'es')).has(`post:${hidden.id}`)).toBe(true);
  });
});

describe('notification kinds', () => {
  it('are defined once by their feature; an undefined kind, or one about another kind of subject, is refused before anything is stored', async () => {
    expect(t.app.notifications.kindNames()).toEqual(expect.arrayContaining(['reply', 'new_post', 'document', 'meeting_invited', 'meeting_minutes']));
    expect(() => t.app.notifications.defineKind('reply', { subjects: ['thread'] })).toThrow(/defined twice/);
    const item = { userId: people.member.id, actorId: null, actorName: null, excerpt: '' };
    const before = await t.app.database.statement('select count(*) from notifications').value();
    await expect(t.app.notifications.notify([{ ...item, kind: 'survey_opened', subject: { kind: 'thread', id: 'x', title: 'x' } }])).rejects.toThrow(/not defined/);
    await expect(t.app.notifications.notify([{ ...item, kind: 'reply', subject: { kind: 'document', id: 'x', title: 'x' } }])).rejects.toThrow(/not about subjects of kind "document"/);
    await expect(t.app.notifications.notify([{ ...item, kind: 'reply', subject: { kind: 'survey_never_defined', id: 'x', title: 'x' } }])).rejects.toThrow(/not defined/);
    expect(await t.app.database.statement('select count(*) from notifications').value()).toBe(before);
  });

  it('are listed with their subject and details, in the one shape every kind shares', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Forma de las notificaciones' });
    const post = await reply(t.app, people.otherMember, thread.id, 'Respuesta @mara.member');
    const items = (await api(t.app, people.member, 'GET', '/notifications?limit=5')).json().items as Array<Record<string, unknown>>;
    const notice = items.find((item) => (item.details as { postId?: string }).postId === post.id)!;
    expect(Object.keys(notice).sort()).toEqual(['actor', 'createdAt', 'details', 'excerpt', 'group', 'id', 'kind', 'readAt', 'subject']);
    expect(notice).toMatchObject({ kind: 'reply', subject: { kind: 'thread', id: thread.id, title: 'Forma de las notificaciones' }, details: { postId: post.id } });
  });
});

describe('links between subjects (fastify.links)', () => {
  it('keeps the order given, replaces per kind of target, and shows each reader only what they may read, both ways', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Hilo enlazado' });
    const group = (await sessionUserOf(t.app, people.member.id)).groupId;
    const hidden = await reply(t.app, people.otherMember, thread.id, 'Respuesta que se oculta');
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${hidden.id}/hide`, { reason: 'x' })).statusCode).toBe(200);
    const visible = await reply(t.app, people.otherMember, thread.id, 'Respuesta visible');
    const from = { kind: 'thread', id: thread.id, groupId: group };
    const now = new Date();
    await t.app.links.set(from, 'cites', 'post', [visible.id, hidden.id, 'no-such-post'], people.member.id, now);
    await t.app.links.set(from, 'cites', 'thread', [thread.id], people.member.id, now);
    expect(await t.app.links.targets(from, 'cites')).toEqual([
      { kind: 'post', id: visible.id },
      { kind: 'thread', id: thread.id },
      { kind: 'post', id: hidden.id },
      { kind: 'post', id: 'no-such-post' },
    ]);
    // A member sees neither the hidden post nor one that does not exist; its author and moderators see the hidden one.
    const asMember = await t.app.links.list(await sessionUserOf(t.app, people.member.id), from);
    expect(asMember.map((link) => [link.kind, link.id, link.relation])).toEqual([['post', visible.id, 'cites'], ['thread', thread.id, 'cites']]);
    const asModerator = await t.app.links.list(await sessionUserOf(t.app, people.coordinator.id), from, 'cites');
    expect(asModerator.map((link) => link.id)).toEqual([visible.id, thread.id, hidden.id]);
    // Backlinks, filtered the same way.
    expect((await t.app.links.listTo(await sessionUserOf(t.app, people.member.id), { kind: 'post', id: visible.id })).map((link) => [link.kind, link.id, link.title])).toEqual([['thread', thread.id, 'Hilo enlazado']]);

    // Replacing the posts leaves the thread link; an empty list removes that kind's links.
    await t.app.links.set(from, 'cites', 'post', [hidden.id], people.member.id, now);
    expect(await t.app.links.targets(from, 'cites')).toEqual([{ kind: 'post', id: hidden.id }, { kind: 'thread', id: thread.id }]);
    await t.app.links.set(from, 'cites', 'post', [], people.member.id, now);
    expect(await t.app.links.targets(from, 'cites')).toEqual([{ kind: 'thread', id: thread.id }]);
    await expect(t.app.links.set(from, 'cites', 'survey_never_defined', ['x'], null, now)).rejects.toThrow(/not defined/);
  });

  it("hold a meeting's linked debates and documents and a document's related debate and meeting, written by their routes", async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { thread: first } = await startThread(t.app, people.member, { categoryId: general, title: 'Primero' });
    const { thread: second } = await startThread(t.app, people.member, { categoryId: general, title: 'Segundo' });
    const meeting = await createMeeting(t.app, people.coordinator, { threadIds: [second.id, first.id] });
    const uploaded = await upload(t.app, people.secretariat, { name: 'acta.pdf', bytes: minimalPdf('Acta') }, metadata({ relatedThreadId: first.id, relatedMeetingId: meeting.id }));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const documentId = uploaded.json().document.id as string;
    expect((await api(t.app, people.coordinator, 'PATCH', `/meetings/${meeting.id}`, { documentIds: [documentId] })).statusCode).toBe(200);

    const rows = await t.app.database
      .statement('select from_kind as "fromKind", relation, to_kind as "toKind", to_id as "toId", position from subject_links where from_id in (?, ?) order by from_kind, to_kind, position')
      .all(meeting.id, documentId);
    expect(rows).toEqual([
      { fromKind: 'document', relation: 'related', toKind: 'meeting', toId: meeting.id, position: 0 },
      { fromKind: 'document', relation: 'related', toKind: 'thread', toId: first.id, position: 0 },
      { fromKind: 'meeting', relation: 'linked', toKind: 'document', toId: documentId, position: 0 },
      { fromKind: 'meeting', relation: 'linked', toKind: 'thread', toId: second.id, position: 0 },
      { fromKind: 'meeting', relation: 'linked', toKind: 'thread', toId: first.id, position: 1 },
    ]);
    // Backlinks: the documents related to the meeting, as a member sees them; the meeting's own links.
    const member = await sessionUserOf(t.app, people.member.id);
    expect((await t.app.links.listTo(member, { kind: 'meeting', id: meeting.id }, 'related')).map((link) => [link.kind, link.id, link.href])).toEqual([['document', documentId, `/documents/${documentId}`]]);
    expect((await t.app.links.list(member, { kind: 'meeting', id: meeting.id })).map((link) => link.id)).toEqual([documentId, second.id, first.id]);
    // Unlinking through the routes removes the rows.
    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${documentId}`, { relatedMeetingId: null })).statusCode).toBe(200);
    expect((await t.app.links.listTo(member, { kind: 'meeting', id: meeting.id }, 'related'))).toEqual([]);
  });
});

describe('attachments on subjects', () => {
  it("are taken only on a known subject kind whose feature allowed them, and are found by the subject's kind and id", async () => {
    const { attachments } = t.app.files;
    const file = { sha256: 'f'.repeat(64), fileName: 'x.txt', mime: 'text/plain', size: 1 };
    const now = new Date();
    await expect(attachments.add({ subject: { kind: 'survey_never_defined', id: 'c1' }, file, uploadedBy: people.member.id, now })).rejects.toThrow(/not defined/);
    await expect(attachments.add({ subject: { kind: 'meeting', id: 'm1' }, file, uploadedBy: people.member.id, now })).rejects.toThrow(/not allowed/);
    expect(() => attachments.allowOn('post')).toThrow(/already allowed/);
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Con adjunto' });
    const post = await reply(t.app, people.member, thread.id, 'Adjunto las cifras');
    const { payload, contentType } = await multipart({}, { name: 'cifras.csv', bytes: Buffer.from('a;b\n1;2\n') });
    const added = await request(t.app, { method: 'POST', url: `/api/posts/${post.id}/attachments`, cookie: people.member.cookie, payload, headers: { 'content-type': contentType } });
    expect(added.statusCode, added.body).toBe(201);
    const stored = (await attachments.of('post', [post.id])).get(post.id)!;
    expect(stored.map((row) => [row.subjectKind, row.subjectId, row.fileName])).toEqual([['post', post.id, 'cifras.csv']]);
    expect(await attachments.count('post', post.id)).toBe(1);
  });
});
