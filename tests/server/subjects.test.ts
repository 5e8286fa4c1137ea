import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/plugins/sessions/index.js';
import { SubjectRegistry } from '../../server/plugins/subjects/index.js';
import { buildTestApp, type TestApp } from '../helper.js';
import { api, categoryId, populate, reply, startThread, type People } from './debates/support.js';

let t: TestApp;
let people: People;

/** The person as a session carries them (what describe is given), read from the identity tables. */
function sessionUserOf(app: FastifyInstance, id: string): SessionUser {
  return app.db.$client
    .prepare(
      `select u.id, u.email, u.display_name as displayName, u.locale, u.time_zone as timeZone, m.group_id as groupId, m.role, m.country_id as countryId, m.organization_id as organizationId
         from users u join memberships m on m.user_id = u.id where u.id = ?`,
    )
    .get(id) as SessionUser;
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
    expect(() => t.app.subjects.assertKnown('consultation')).toThrow(/not defined/);
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
    const member = sessionUserOf(t.app, people.member.id);
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

    const asMember = await t.app.subjects.describe(sessionUserOf(t.app, people.member.id), refs, 'es');
    expect([...asMember.values()]).toEqual([
      { kind: 'thread', id: thread.id, title: 'Cobertura del censo', href: `/debates/t/${thread.id}`, groupId: expect.any(String) },
      { kind: 'post', id: post.id, title: 'Cobertura del censo', href: `/debates/t/${thread.id}#post-${post.id}`, groupId: expect.any(String) },
    ]);
    // The moderator and the hidden post's author still see it.
    expect((await t.app.subjects.describe(sessionUserOf(t.app, people.coordinator.id), refs, 'es')).has(`post:${hidden.id}`)).toBe(true);
    expect((await t.app.subjects.describe(sessionUserOf(t.app, people.otherMember.id), refs, 'es')).has(`post:${hidden.id}`)).toBe(true);
  });
});

describe('notification kinds', () => {
  it('are defined once by their feature; an undefined kind, or one about another kind of subject, is refused before anything is stored', async () => {
    expect(t.app.notifications.kindNames()).toEqual(expect.arrayContaining(['reply', 'new_post', 'document', 'meeting_invited', 'meeting_minutes']));
    expect(() => t.app.notifications.defineKind('reply', { subjects: ['thread'] })).toThrow(/defined twice/);
    const item = { userId: people.member.id, actorId: null, actorName: null, excerpt: '' };
    const before = t.app.db.$client.prepare('select count(*) from notifications').pluck().get();
    await expect(t.app.notifications.notify([{ ...item, kind: 'survey_opened', subject: { kind: 'thread', id: 'x', title: 'x' } }])).rejects.toThrow(/not defined/);
    await expect(t.app.notifications.notify([{ ...item, kind: 'reply', subject: { kind: 'document', id: 'x', title: 'x' } }])).rejects.toThrow(/not about subjects of kind "document"/);
    await expect(t.app.notifications.notify([{ ...item, kind: 'reply', subject: { kind: 'consultation', id: 'x', title: 'x' } }])).rejects.toThrow(/not defined/);
    expect(t.app.db.$client.prepare('select count(*) from notifications').pluck().get()).toBe(before);
  });

  it('are listed with their subject and details, in the one shape every kind shares', async () => {
    const general = await categoryId(t.app, people.member, 'general');
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Forma de las notificaciones' });
    const post = await reply(t.app, people.otherMember, thread.id, 'Respuesta @mara.member');
    const items = (await api(t.app, people.member, 'GET', '/notifications?limit=5')).json().items as Array<Record<string, unknown>>;
    const notice = items.find((item) => (item.details as { postId?: string }).postId === post.id)!;
    expect(Object.keys(notice).sort()).toEqual(['actor', 'createdAt', 'details', 'excerpt', 'id', 'kind', 'readAt', 'subject']);
    expect(notice).toMatchObject({ kind: 'reply', subject: { kind: 'thread', id: thread.id, title: 'Forma de las notificaciones' }, details: { postId: post.id } });
  });
});
