import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../server/plugins/live/hub.js';
import { addPerson, buildTestApp, type TestApp } from '../../helper.js';
import { openTestDb } from '../support.js';
import { api, categoryId, populate, reply, startThread, type Participant, type People } from './support.js';

let t: TestApp;
let people: People;
let general: string;
let training: string;
let chileanColleague: Participant;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  general = await categoryId(t.app, people.member, 'general');
  training = await categoryId(t.app, people.member, 'training');
  const added = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'cl' }, { displayName: 'Camila Chile' });
  chileanColleague = { id: added.id, cookie: added.cookie };
});
afterAll(async () => t.close());

interface Notification {
  id: string;
  kind: string;
  subject: { kind: string; id: string; title: string };
  details: { postId?: string };
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  excerpt: string;
}

const notificationsOf = async (who: Participant): Promise<Notification[]> => {
  const response = await api(t.app, who, 'GET', '/notifications?limit=100');
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
};
const aboutPost = async (who: Participant, postId: string) => (await notificationsOf(who)).filter((item) => item.details.postId === postId);
const kindsFor = async (who: Participant, postId: string) => (await aboutPost(who, postId)).map((item) => item.kind);

describe('mentions', () => {
  it('@CL notifies every member of Chile, and not the author nor other countries', async () => {
    const { thread } = await startThread(t.app, people.otherMember, { categoryId: general, title: 'Consulta a Chile' });
    const post = await reply(t.app, people.member, thread.id, '¿Qué opina @CL sobre la encuesta?');
    expect(post.html).toContain('data-mention="CL"');
    expect(await kindsFor(chileanColleague, post.id)).toEqual(['country_mention']);
    // The author is a Chilean member too, but is not told about their own post.
    expect(await kindsFor(people.member, post.id)).toEqual([]);
    // Mexico's member started the thread: answering the thread answers their opening post.
    expect(await kindsFor(people.otherMember, post.id)).toEqual(['reply']);
    expect(await kindsFor(people.observer, post.id)).toEqual([]);
    const [notification] = await aboutPost(chileanColleague, post.id);
    expect(notification).toMatchObject({ subject: { kind: 'thread', id: thread.id, title: 'Consulta a Chile' }, actor: { id: people.member.id, displayName: 'Mara Member' }, readAt: null });
    expect(notification!.excerpt).toContain('@CL');
  });

  it('@handle notifies that person once, with the most specific kind when several apply', async () => {
    const { thread } = await startThread(t.app, people.observer, { categoryId: general, title: 'Handles' });
    const mention = await reply(t.app, people.member, thread.id, 'Hola @oscar.perez y @nadie.conocido');
    expect(await kindsFor(people.otherMember, mention.id)).toEqual(['mention']);
    // A reply to Óscar that also mentions him and his country: one notification, "reply".
    const answer = await reply(t.app, people.coordinator, thread.id, 'Sí @oscar.perez, y @MX también', mention.id);
    expect(await kindsFor(people.member, answer.id)).toEqual(['reply']);
    const direct = await reply(t.app, people.coordinator, thread.id, 'Para @oscar.perez y @MX', undefined);
    expect(await kindsFor(people.otherMember, direct.id)).toEqual(['mention']);
  });

  it('an edit tells only the people and countries it newly mentions, once', async () => {
    const { thread } = await startThread(t.app, people.observer, { categoryId: general, title: 'Menciones al editar' });
    const post = await reply(t.app, people.member, thread.id, 'Primera versión, sin menciones');
    const edit = async (body: string) => expect((await api(t.app, people.member, 'PATCH', `/posts/${post.id}`, { body })).statusCode).toBe(200);
    const toldTheWatcher = await kindsFor(people.observer, post.id);
    await edit('Segunda versión: @oscar.perez y @CL, ¿lo confirman?');
    expect(await kindsFor(people.otherMember, post.id)).toEqual(['mention']);
    expect(await kindsFor(chileanColleague, post.id)).toEqual(['country_mention']);
    // The thread's author watches it, but an edit is not a new post: nothing more for them.
    expect(await kindsFor(people.observer, post.id)).toEqual(toldTheWatcher);
    await edit('Tercera versión: @oscar.perez y @CL, ¿lo confirman hoy?');
    expect(await kindsFor(people.otherMember, post.id)).toEqual(['mention']);
    expect(await kindsFor(chileanColleague, post.id)).toEqual(['country_mention']);
  });

  it('lists mentionable people by handle or name prefix, and countries', async () => {
    const response = await api(t.app, people.member, 'GET', '/mentionable?q=osc');
    expect(response.json().people).toEqual([{ id: people.otherMember.id, handle: 'oscar.perez', displayName: 'Óscar Pérez', countryId: 'mx' }]);
    const countries = (await api(t.app, people.member, 'GET', '/mentionable?q=CL')).json().countries;
    expect(countries.map((country: { code: string }) => country.code)).toContain('CL');
  });
});

describe('watch levels', () => {
  it('muted gets nothing, watching gets every new post, normal only replies and mentions', async () => {
    const { thread, post: opening } = await startThread(t.app, people.member, { categoryId: training, title: 'Levels' });
    await api(t.app, people.observer, 'PUT', `/threads/${thread.id}/watch`, { level: 'watching' });
    await api(t.app, people.secretariat, 'PUT', `/threads/${thread.id}/watch`, { level: 'normal' });
    // The author watches automatically; muting overrides it.
    await api(t.app, people.member, 'PUT', `/threads/${thread.id}/watch`, { level: 'muted' });

    const plain = await reply(t.app, people.coordinator, thread.id, 'Plain reply to the thread');
    expect(await kindsFor(people.observer, plain.id)).toEqual(['new_post']);
    expect(await kindsFor(people.secretariat, plain.id)).toEqual([]);
    // A reply to the muted author's opening post: still nothing.
    expect(await kindsFor(people.member, plain.id)).toEqual([]);
    const mentioning = await reply(t.app, people.coordinator, thread.id, '@mara.member @sergio.secretaria', opening.id);
    expect(await kindsFor(people.member, mentioning.id)).toEqual([]);
    expect(await kindsFor(people.secretariat, mentioning.id)).toEqual(['mention']);

    // Answering a thread makes you watch it (unless you chose a level before).
    const byOscar = await reply(t.app, people.otherMember, thread.id, 'I join in');
    const later = await reply(t.app, people.admin, thread.id, 'Later post');
    expect(await kindsFor(people.otherMember, later.id)).toEqual(['new_post']);
    expect(await kindsFor(people.secretariat, later.id)).toEqual([]);
    expect(byOscar.id).not.toBe(later.id);
    const detail = (await api(t.app, people.otherMember, 'GET', `/threads/${thread.id}`)).json().thread;
    expect(detail.watchLevel).toBe('watching');
  });

  it('a watcher gets one "new posts" notice per thread until they read it, then the next post tells them again', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: training, title: 'Busy thread' });
    const fresh = await addPerson(t.app, people.admin.cookie, 'observer', { organizationId: 'unicef' }, { displayName: 'Willa Watcher' });
    const watcher: Participant = { id: fresh.id, cookie: fresh.cookie };
    await api(t.app, watcher, 'PUT', `/threads/${thread.id}/watch`, { level: 'watching' });
    const inThread = async () => (await notificationsOf(watcher)).filter((item) => item.subject.id === thread.id);

    const first = await reply(t.app, people.coordinator, thread.id, 'Primera respuesta');
    await reply(t.app, people.secretariat, thread.id, 'Segunda respuesta');
    await reply(t.app, people.coordinator, thread.id, 'Tercera respuesta');
    expect((await inThread()).map((item) => [item.kind, item.details.postId])).toEqual([['new_post', first.id]]);
    expect((await api(t.app, watcher, 'GET', '/notifications/unread-count')).json()).toEqual({ count: 1 });

    // A reply to the watcher is not a "new post": it always tells them.
    const mine = await reply(t.app, watcher, thread.id, 'Mi aporte');
    const answer = await reply(t.app, people.coordinator, thread.id, 'Respuesta a Willa', mine.id);
    expect(await kindsFor(watcher, answer.id)).toEqual(['reply']);

    await api(t.app, watcher, 'POST', '/notifications/read', { all: true });
    const after = await reply(t.app, people.secretariat, thread.id, 'Después de leer');
    expect(await kindsFor(watcher, after.id)).toEqual(['new_post']);
    expect((await api(t.app, watcher, 'GET', '/notifications/unread-count')).json()).toEqual({ count: 1 });
  });

  it('a thread set back to normal stays quiet for someone who watches its category', async () => {
    const fresh = await addPerson(t.app, people.admin.cookie, 'observer', { organizationId: 'unicef' }, { displayName: 'Nora Normal' });
    const nora: Participant = { id: fresh.id, cookie: fresh.cookie };
    await api(t.app, nora, 'PUT', `/categories/${training}/watch`, { level: 'watching' });
    const { thread: quiet } = await startThread(t.app, people.member, { categoryId: training, title: 'Quiet for Nora' });
    const { thread: watched } = await startThread(t.app, people.member, { categoryId: training, title: 'Watched by Nora' });
    await api(t.app, nora, 'PUT', `/threads/${quiet.id}/watch`, { level: 'normal' });
    const inQuiet = await reply(t.app, people.coordinator, quiet.id, 'Nothing for Nora');
    const inWatched = await reply(t.app, people.coordinator, watched.id, 'Something for Nora');
    expect(await kindsFor(nora, inQuiet.id)).toEqual([]);
    expect(await kindsFor(nora, inWatched.id)).toEqual(['new_post']);
  });

  it('a watched category announces new threads; a muted category silences its threads', async () => {
    await api(t.app, people.observer, 'PUT', `/categories/${general}/watch`, { level: 'watching' });
    await api(t.app, chileanColleague, 'PUT', `/categories/${general}/watch`, { level: 'muted' });
    const { thread, post } = await startThread(t.app, people.member, { categoryId: general, title: 'New in general', body: 'Aviso a @CL' });
    expect(await kindsFor(people.observer, post.id)).toEqual(['new_thread']);
    expect(await kindsFor(chileanColleague, post.id)).toEqual([]);
    const answer = await reply(t.app, people.coordinator, thread.id, 'Answer');
    expect(await kindsFor(people.observer, answer.id)).toEqual(['new_post']);
    const categories = (await api(t.app, people.observer, 'GET', '/categories')).json().items as Array<{ id: string; watchLevel: string }>;
    expect(categories.find((category) => category.id === general)!.watchLevel).toBe('watching');
    await api(t.app, people.observer, 'PUT', `/categories/${general}/watch`, { level: 'normal' });
    await api(t.app, chileanColleague, 'PUT', `/categories/${general}/watch`, { level: 'normal' });
  });
});

describe('excerpts', () => {
  it('quote a post of up to 160 characters whole, and cut a longer one at 159, without trailing space, with an ellipsis', async () => {
    const { thread, post: opening } = await startThread(t.app, people.member, { categoryId: training, title: 'Excerpts' });
    const exact = 'x'.repeat(160);
    // The 159th character is a space: the cut drops it.
    const long = `${'a'.repeat(158)} ${'b'.repeat(41)}`;
    const whole = await reply(t.app, people.coordinator, thread.id, exact, opening.id);
    const cut = await reply(t.app, people.coordinator, thread.id, long, opening.id);
    expect((await aboutPost(people.member, whole.id)).map((item) => item.excerpt)).toEqual([exact]);
    expect((await aboutPost(people.member, cut.id)).map((item) => item.excerpt)).toEqual([`${'a'.repeat(158)}…`]);
  });
});

describe('notification routes', () => {
  it('count unread, mark some or all read, page newest first, and tell the live channel', async () => {
    const fresh = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'ar' }, { displayName: 'Ana Argentina' });
    const ana: Participant = { id: fresh.id, cookie: fresh.cookie };
    const events: LiveEvent[] = [];
    const unsubscribe = t.app.liveHub.subscribe(`user:${ana.id}`, (event) => events.push(event));
    const { thread } = await startThread(t.app, people.coordinator, { categoryId: general, title: 'Para Argentina' });
    for (let i = 0; i < 3; i++) await reply(t.app, people.coordinator, thread.id, `@AR aviso ${i}`);
    // Stored and announced in each reply's own commit: by its answer they are out, nothing to wait for.
    unsubscribe();
    expect((await api(t.app, ana, 'GET', '/notifications/unread-count')).json()).toEqual({ count: 3 });
    expect(events.map((event) => [event.type, (event.payload as { unreadCount: number }).unreadCount])).toEqual([
      ['notification.created', 1],
      ['notification.created', 2],
      ['notification.created', 3],
    ]);

    const first = await api(t.app, ana, 'GET', '/notifications?limit=2');
    expect(first.json().items.map((item: Notification) => item.excerpt)).toEqual(['@AR aviso 2', '@AR aviso 1']);
    const second = await api(t.app, ana, 'GET', `/notifications?limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toMatchObject({ items: [{ excerpt: '@AR aviso 0' }], nextCursor: null });

    const someone = first.json().items[0].id;
    expect((await api(t.app, ana, 'POST', '/notifications/read', { ids: [someone] })).json()).toEqual({ unreadCount: 2 });
    // Someone else's ids are not theirs to mark, named or as "all".
    const anothers = first.json().items[1].id;
    expect((await api(t.app, people.member, 'POST', '/notifications/read', { ids: [anothers] })).statusCode).toBe(200);
    await api(t.app, people.member, 'POST', '/notifications/read', { all: true });
    expect((await api(t.app, ana, 'GET', '/notifications/unread-count')).json()).toEqual({ count: 2 });
    expect((await api(t.app, ana, 'GET', '/notifications?limit=3')).json().items.map((item: Notification) => item.readAt === null)).toEqual([false, true, true]);
    expect((await api(t.app, ana, 'POST', '/notifications/read', { all: true })).json()).toEqual({ unreadCount: 0 });
  });
});

describe('unread', () => {
  it('counts unread per viewer, lands on the first unread post, never moves back, and marks all read', async () => {
    const { thread, post: opening } = await startThread(t.app, people.member, { categoryId: training, title: 'Unread' });
    const second = await reply(t.app, people.otherMember, thread.id, 'two');
    const third = await reply(t.app, people.otherMember, thread.id, 'three');
    const fourth = await reply(t.app, people.otherMember, thread.id, 'four');

    const observerView = (await api(t.app, people.observer, 'GET', `/threads/${thread.id}`)).json().thread;
    expect(observerView).toMatchObject({ unreadCount: 4, lastReadSeq: 0, firstUnreadPostId: opening.id, postCount: 4 });
    // The author has read up to their own post.
    expect((await api(t.app, people.member, 'GET', `/threads/${thread.id}`)).json().thread).toMatchObject({ unreadCount: 3, firstUnreadPostId: second.id });
    expect((await api(t.app, people.otherMember, 'GET', `/threads/${thread.id}`)).json().thread).toMatchObject({ unreadCount: 0, firstUnreadPostId: null });

    expect((await api(t.app, people.observer, 'PUT', `/threads/${thread.id}/read`, { seq: 2 })).json()).toEqual({ lastReadSeq: 2, unreadCount: 2 });
    expect((await api(t.app, people.observer, 'PUT', `/threads/${thread.id}/read`, { seq: 1 })).json()).toEqual({ lastReadSeq: 2, unreadCount: 2 });
    expect((await api(t.app, people.observer, 'GET', `/threads/${thread.id}`)).json().thread.firstUnreadPostId).toBe(third.id);
    const listed = (await api(t.app, people.observer, 'GET', `/threads?categoryId=${training}`)).json().items.find((item: { id: string }) => item.id === thread.id);
    expect(listed.unreadCount).toBe(2);

    expect((await api(t.app, people.observer, 'POST', '/threads/read-all', { categoryId: training })).json()).toEqual({ ok: true });
    const after = (await api(t.app, people.observer, 'GET', `/threads?categoryId=${training}`)).json().items as Array<{ unreadCount: number }>;
    expect(after.every((item) => item.unreadCount === 0)).toBe(true);
    expect((await api(t.app, people.observer, 'GET', `/threads/${thread.id}`)).json().thread).toMatchObject({ lastReadSeq: 4, firstUnreadPostId: null });
    expect(fourth.seq).toBe(4);
    // Other categories are untouched by a category's read-all; the group-wide form clears them.
    const generalItems = (await api(t.app, people.observer, 'GET', `/threads?categoryId=${general}`)).json().items as Array<{ unreadCount: number }>;
    expect(generalItems.some((item) => item.unreadCount > 0)).toBe(true);
    await api(t.app, people.observer, 'POST', '/threads/read-all', {});
    const cleared = (await api(t.app, people.observer, 'GET', `/threads?limit=50`)).json().items as Array<{ unreadCount: number }>;
    expect(cleared.every((item) => item.unreadCount === 0)).toBe(true);
  });
});

describe('deactivated people', () => {
  it('are told nothing: not as watchers, not when answered', async () => {
    const leaving = await addPerson(t.app, people.admin.cookie, 'member', { countryId: 'pe' }, { displayName: 'Pedro Perú' });
    const pedro: Participant = { id: leaving.id, cookie: leaving.cookie };
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Antes de irse' });
    // Answering watches the thread; a second person stays as a control.
    const pedrosPost = await reply(t.app, pedro, thread.id, 'Mi última respuesta');
    await reply(t.app, people.otherMember, thread.id, 'También sigo este hilo');
    expect((await api(t.app, people.admin, 'POST', `/admin/users/${pedro.id}/deactivate`, {})).statusCode).toBe(200);
    const answer = await reply(t.app, people.coordinator, thread.id, 'Respuesta a Pedro', pedrosPost.id);
    expect(await kindsFor(people.otherMember, answer.id)).toEqual(['new_post']);
    const db = openTestDb(t);
    try {
      const stored = await db
        .prepare({
          sqlite: "select count(*) from notifications where user_id = ? and json_extract(details, '$.postId') = ?",
          postgres: "select count(*) from notifications where user_id = $1 and details->>'postId' = $2",
        })
        .value(pedro.id, answer.id);
      expect(stored).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('excerpts of hidden and withdrawn posts', () => {
  it('are emptied while the post is hidden or withdrawn, and come back when a moderator shows it again', async () => {
    const { thread, post } = await startThread(t.app, people.member, { categoryId: general, title: 'Extractos' });
    const hiddenLater = await reply(t.app, people.coordinator, thread.id, 'Cifra confidencial del censo', post.id);
    const withdrawnLater = await reply(t.app, people.coordinator, thread.id, 'Me equivoqué de hilo', post.id);
    const excerpts = async () => (await notificationsOf(people.member)).filter((item) => item.subject.id === thread.id).map((item) => [item.details.postId, item.excerpt]);
    expect(await excerpts()).toEqual([
      [withdrawnLater.id, 'Me equivoqué de hilo'],
      [hiddenLater.id, 'Cifra confidencial del censo'],
    ]);

    expect((await api(t.app, people.admin, 'POST', `/posts/${hiddenLater.id}/hide`, { reason: 'datos no publicados' })).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${withdrawnLater.id}/withdraw`, {})).statusCode).toBe(200);
    expect(await excerpts()).toEqual([
      [withdrawnLater.id, ''],
      [hiddenLater.id, ''],
    ]);
    // Nor do the events kept for a reconnecting page carry the text any more.
    const replayed = (await t.app.liveHub.replay([`user:${people.member.id}`], 0, 1000))
      .filter((event) => event.type === 'notification.created')
      .map((event) => (event.payload as { notification: Notification }).notification)
      .filter((notification) => notification.details.postId === hiddenLater.id || notification.details.postId === withdrawnLater.id);
    expect(replayed.map((notification) => notification.excerpt)).toEqual(['', '']);

    expect((await api(t.app, people.admin, 'POST', `/posts/${hiddenLater.id}/unhide`, {})).statusCode).toBe(200);
    expect(await excerpts()).toEqual([
      [withdrawnLater.id, ''],
      [hiddenLater.id, 'Cifra confidencial del censo'],
    ]);
  });
});

// Last in the file: the channels added here stay on the app.
describe('delivery channels', () => {
  it('a storing channel that fails is logged and undone while the post stands; a non-storing channel gets the items after the commit', async () => {
    const announcedByBroken: string[] = [];
    t.app.notifications.addChannel({
      name: 'broken',
      deliver: async () => {},
      deliverWithin: (commit, items) => {
        commit.afterCommit(() => announcedByBroken.push(...items.map((item) => item.userId)));
        throw new Error('the broken channel failed');
      },
    });
    const mailed: Array<{ userId: string; kind: string }> = [];
    t.app.notifications.addChannel({ name: 'mail', deliver: async (items) => void mailed.push(...items.map(({ userId, kind }) => ({ userId, kind }))) });

    const { thread, post } = await startThread(t.app, people.member, { categoryId: general, title: 'Canales de aviso' });
    const answer = await reply(t.app, people.coordinator, thread.id, 'Respuesta con canales', post.id);
    expect(await kindsFor(people.member, answer.id)).toEqual(['reply']);
    expect(announcedByBroken).toEqual([]);
    await t.app.notifications.settled();
    expect(mailed).toContainEqual({ userId: people.member.id, kind: 'reply' });
  });
});
