import { AsyncResource } from 'node:async_hooks';
import Fastify from 'fastify';
import { untypedStored } from './untyped-events.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../server/plugins/live/hub.js';
import notificationsPlugin, { type NewNotification } from '../../server/plugins/notifications/index.js';
import type { SubjectSummary } from '../../server/plugins/subjects/index.js';
import { buildTestApp, type TestApp } from '../helper.js';
import { api, populate, type Participant, type People } from './debates/support.js';
import { expectError } from './support.js';

/**
 * The notifications plugin itself, with kinds of its own defined here (as a feature would, through
 * defineKind and a subject kind in the registry): the rules of defining kinds and of what a
 * notification may be about, storing in the write that caused it, the channels (failures logged
 * and contained, background deliveries waited for), "told once while unread", what the list shows
 * of a subject the person may no longer read (available: false), unread counts and answers kept
 * right as notices come and go (here and in other processes), and the routes' bounds. Who is
 * told about a post: tests/server/debates/notifications.test.ts. This file is what `npm run
 * mutate` tries the plugin's mutants against (tests/mutation/modules.ts).
 */

let t: TestApp;
let people: People;
/** The notes the test kind lets people read (by id); others are described to nobody. */
const readableNotes = new Set<string>();

/** A subject kind and three notification kinds of the test's own, defined as a feature defines them. */
function defineTestKinds(app: TestApp['app']): void {
  app.subjects.define({
    kind: 'test_note',
    describe: async (user, ids) => {
      const found = new Map<string, SubjectSummary>();
      for (const id of ids) if (readableNotes.has(id)) found.set(id, { kind: 'test_note', id, title: `now ${id}`, href: `/notes/${id}`, groupId: user.groupId });
      return found;
    },
  });
  app.notifications.defineKind('test_plain', { subjects: ['test_note'] });
  app.notifications.defineKind('test_other', { subjects: ['test_note', 'thread'] });
  app.notifications.defineKind('test_once', { subjects: ['test_note'], onceWhileUnread: true });
}

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  defineTestKinds(t.app);
});
afterAll(async () => t.close());

let serial = 0;
/** A notification for the person about a readable note, unique by its excerpt. */
function item(userId: string, overrides: Partial<NewNotification> = {}): NewNotification {
  serial += 1;
  const noteId = `note-${serial}`;
  readableNotes.add(noteId);
  return { userId, kind: 'test_plain', actorId: people.coordinator.id, actorName: 'Carla Coordinadora', subject: { kind: 'test_note', id: noteId, title: `Nota ${serial}` }, details: { n: serial }, excerpt: `aviso ${serial}`, ...overrides };
}

interface Listed {
  id: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  subject: { kind: string; id: string; title: string; available: boolean };
  details: Record<string, unknown>;
  excerpt: string;
}
async function page(who: Participant, query = 'limit=100'): Promise<{ items: Listed[]; nextCursor: string | null }> {
  const response = await api(t.app, who, 'GET', `/notifications?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const listOf = async (who: Participant) => (await page(who)).items;
const unread = async (who: Participant) => (await api(t.app, who, 'GET', '/notifications/unread-count')).json().count as number;
const storedWith = async (app: TestApp, excerpt: string) => Number(await app.app.database.statement('select count(*) from notifications where excerpt = ?').value(excerpt));
const byExcerpt = async (who: Participant, excerpt: string) => (await listOf(who)).find((entry) => entry.excerpt === excerpt);

describe('defining kinds', () => {
  it('takes lower-case names of up to 40 characters, once each, about at least one subject kind', () => {
    const { notifications } = t.app;
    for (const bad of ['Upper', '1st', '_x', 'with-dash', '', 'a'.repeat(41)]) expect(() => notifications.defineKind(bad, { subjects: ['test_note'] })).toThrow(`Notification kind "${bad}" is not a lower-case name`);
    notifications.defineKind(`a${'b'.repeat(39)}`, { subjects: ['test_note'] });
    expect(() => notifications.defineKind('test_plain', { subjects: ['test_note'] })).toThrow('Notification kind "test_plain" is defined twice');
    expect(() => notifications.defineKind('test_empty', { subjects: [] })).toThrow('Notification kind "test_empty" names no subject kind');
    expect(notifications.kindNames()).not.toContain('test_empty');
    const names = notifications.kindNames();
    expect(names.slice(names.indexOf('test_plain'), names.indexOf('test_once') + 1)).toEqual(['test_plain', 'test_other', 'test_once']);
    expect(names).toEqual(expect.arrayContaining(['reply', 'new_post', 'document']));
  });

  it('keeps its own copy of the subject kinds it was given', async () => {
    const subjects = ['test_note'];
    t.app.notifications.defineKind('test_copied', { subjects });
    subjects.push('thread');
    await expect(t.app.notifications.notify([item(people.member.id, { kind: 'test_copied', subject: { kind: 'thread', id: 'x', title: '' } })])).rejects.toThrow('Notification kind "test_copied" is not about subjects of kind "thread"');
  });
});

describe('what a notification may be about', () => {
  it('refuses, before storing anything, a kind nobody defined, a subject kind nobody defined, or a subject its kind is not about', async () => {
    const ok = item(people.member.id);
    await expect(t.app.notifications.notify([ok, item(people.member.id, { kind: 'never_defined' })])).rejects.toThrow('Notification kind "never_defined" is not defined (fastify.notifications.defineKind)');
    await expect(t.app.notifications.notify([ok, item(people.member.id, { subject: { kind: 'no_such_subject', id: 'x', title: '' } })])).rejects.toThrow('Subject kind "no_such_subject" is not defined');
    await expect(t.app.notifications.notify([ok, item(people.member.id, { subject: { kind: 'document', id: 'x', title: '' } })])).rejects.toThrow('Notification kind "test_plain" is not about subjects of kind "document"');
    expect(await storedWith(t, ok.excerpt)).toBe(0);
    // A kind about several subject kinds takes each of them.
    const aboutThread = item(people.member.id, { kind: 'test_other', subject: { kind: 'thread', id: 'some-thread', title: 'Hilo' } });
    await t.app.notifications.notify([aboutThread]);
    expect(await storedWith(t, aboutThread.excerpt)).toBe(1);
  });

  it('inside a write, logs the refusal with the context, stores nothing, and the write stands', async () => {
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      const ok = item(people.member.id);
      const outcome = await t.app.unitOfWork.run(async (commit) => {
        await t.app.notifications.notifyWithin(commit, () => [ok, item(people.member.id, { kind: 'never_defined' })], { noteId: 'n' });
        return 'written';
      });
      expect(outcome).toBe('written');
      expect(await storedWith(t, ok.excerpt)).toBe(0);
      expect(logged).toHaveBeenCalledWith({ err: expect.objectContaining({ message: expect.stringContaining('never_defined') }), noteId: 'n' }, 'working out notifications failed');
    } finally {
      logged.mockRestore();
    }
  });
});

describe('the notification service', () => {
  it('stores what it is given and gives it back as it was: subject, title, details, excerpt, actor, time', async () => {
    const now = new Date('2026-05-04T10:00:00.000Z');
    const plain = item(people.member.id, { details: { postId: 'p-1', nested: { a: [1, 2] } } });
    const nameless = item(people.member.id, { actorName: null });
    const anonymous = item(people.member.id, { actorId: null, actorName: null });
    const { details: _dropped, ...withoutDetails } = item(people.member.id);
    await t.app.notifications.notify([plain, nameless, anonymous, withoutDetails], now);
    expect(await byExcerpt(people.member, plain.excerpt)).toEqual({
      id: expect.any(String),
      kind: 'test_plain',
      createdAt: now.toISOString(),
      readAt: null,
      actor: { id: people.coordinator.id, displayName: 'Carla Coordinadora' },
      // The title as it was when the person was told, not as the subject kind describes it now.
      subject: { kind: 'test_note', id: plain.subject.id, title: plain.subject.title, available: true },
      details: { postId: 'p-1', nested: { a: [1, 2] } },
      excerpt: plain.excerpt,
      // The group whose subject it is (the bell spans the person's groups).
      group: { id: expect.any(String), slug: 'grupo-de-trabajo-odm', name: 'Grupo de trabajo ODM' },
    });
    // An actor whose name was not given shows with an empty name, never as nobody.
    expect((await byExcerpt(people.member, nameless.excerpt))!.actor).toEqual({ id: people.coordinator.id, displayName: '' });
    expect((await byExcerpt(people.member, anonymous.excerpt))!.actor).toBeNull();
    expect((await byExcerpt(people.member, withoutDetails.excerpt))!.details).toEqual({});
  });

  it('withholds title, details and excerpt of a subject the person may no longer read (available: false)', async () => {
    const notice = item(people.observer.id);
    await t.app.notifications.notify([notice]);
    expect((await byExcerpt(people.observer, notice.excerpt))!.subject.available).toBe(true);
    readableNotes.delete(notice.subject.id);
    const listed = (await listOf(people.observer)).find((entry) => entry.subject.id === notice.subject.id)!;
    expect(listed).toMatchObject({ kind: 'test_plain', subject: { kind: 'test_note', id: notice.subject.id, title: '', available: false }, details: {}, excerpt: '', readAt: null });
    expect(listed.actor).toEqual({ id: people.coordinator.id, displayName: 'Carla Coordinadora' });
    readableNotes.add(notice.subject.id);
    expect((await byExcerpt(people.observer, notice.excerpt))!.subject).toMatchObject({ title: notice.subject.title, available: true });
  });

  it('stores in-app notifications in the commit of the write that caused them, and tells the person live with the new count', async () => {
    const before = await unread(people.observer);
    const events: LiveEvent[] = [];
    const stop = t.app.liveHub.subscribe(`user:${people.observer.id}`, (event) => events.push(event));
    try {
      const notice = item(people.observer.id);
      await t.app.unitOfWork.run((commit) => t.app.notifications.notifyWithin(commit, () => [notice], { test: 'same commit' }));
      // No later turn has run: a row stored by another commit after this one would not be there yet.
      expect(await storedWith(t, notice.excerpt)).toBe(1);
      await vi.waitFor(() => expect(events).toHaveLength(1));
      expect(events[0]).toMatchObject({ type: 'notification.created', payload: { unreadCount: before + 1, notification: { kind: 'test_plain', excerpt: notice.excerpt, subject: { id: notice.subject.id, available: true } } } });
      expect(await unread(people.observer)).toBe(before + 1);
    } finally {
      stop();
    }
  });

  it('logs a computation of recipients that fails, and the write it was part of stands', async () => {
    const failure = new Error('no recipients today');
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      const outcome = await t.app.unitOfWork.run(async (commit) => {
        await t.app.notifications.notifyWithin(commit, () => {
          throw failure;
        }, { postId: 'post-that-stands' });
        return 'written';
      });
      expect(outcome).toBe('written');
      expect(logged).toHaveBeenCalledWith({ err: failure, postId: 'post-that-stands' }, 'working out notifications failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('undoes its notices, counts and once-while-unread holders when the write they were part of is undone', async () => {
    const before = await unread(people.secretariat);
    const subject = { kind: 'test_note', id: 'note-undone', title: 'Deshecha' };
    readableNotes.add(subject.id);
    await expect(
      t.app.unitOfWork.run(async (commit) => {
        await t.app.notifications.notifyWithin(commit, () => [item(people.secretariat.id, { kind: 'test_once', subject, excerpt: 'undone' })], {});
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await storedWith(t, 'undone')).toBe(0);
    expect(await unread(people.secretariat)).toBe(before);
    expect((await t.app.notifications.repository.unreadHoldersOf('test_once', subject)).has(people.secretariat.id)).toBe(false);
    // Nor does the undone notice count as one the person still holds.
    await t.app.notifications.notify([item(people.secretariat.id, { kind: 'test_once', subject, excerpt: 'kept' })]);
    expect(await storedWith(t, 'kept')).toBe(1);
    expect(await unread(people.secretariat)).toBe(before + 1);
  });

  it('keeps a count it already knew right as notices are stored in several writes', async () => {
    const who = people.otherMember;
    const before = await unread(who);
    await t.app.notifications.notify([item(who.id), item(who.id)]);
    await t.app.notifications.notify([item(who.id)]);
    expect(await unread(who)).toBe(before + 3);
    expect(await t.app.notifications.repository.unreadCount(who.id)).toBe(before + 3);
  });

  it('remembers no count or answers read outside a write while it stores the person a notice, which that read may not see', async () => {
    const who = people.admin;
    const { repository } = t.app.notifications;
    await api(t.app, who, 'POST', '/notifications/read', { all: true });
    // Bound here, so that it runs as a request's read does: outside the write's transaction (on
    // PostgreSQL it does not see the open write's row; on SQLite's one connection it does).
    const readOutside = AsyncResource.bind(async () => {
      await repository.unreadCount(who.id);
      await repository.unreadOfKinds(who.id, ['test_plain'], 5);
    });
    await t.app.unitOfWork.run(async (commit) => {
      // Dated before the other tests' notices of this person, which go by the newest.
      await repository.insertWithin(commit, [item(who.id, { excerpt: 'stored while read' })], new Date('2025-01-01T00:00:00Z'));
      await readOutside();
    });
    expect(await repository.unreadCount(who.id)).toBe(1);
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).rows.map((row) => row.excerpt)).toEqual(['stored while read']);
    expect(await unread(who)).toBe(1);
  });
});

describe('kinds told once while unread', () => {
  it('never store a second unread notice of the kind about the subject, whoever sends it, until the first is read', async () => {
    const who = people.coordinator;
    const subject = { kind: 'test_note', id: 'note-busy', title: 'Concurrida' };
    const otherSubject = { kind: 'test_note', id: 'note-quiet', title: 'Tranquila' };
    readableNotes.add(subject.id).add(otherSubject.id);
    const once = (excerpt: string, about = subject, userId = who.id) => item(userId, { kind: 'test_once', subject: about, excerpt });
    await t.app.notifications.notify([once('first'), once('first again, same batch')]);
    await t.app.unitOfWork.run((commit) => t.app.notifications.notifyWithin(commit, () => [once('second')], {}));
    await t.app.notifications.notify([once('third'), item(who.id, { subject, excerpt: 'a plain one' }), once('other subject', otherSubject), once('someone else', subject, people.member.id)]);
    const about = (await listOf(who)).filter((entry) => entry.subject.id === subject.id).map((entry) => entry.excerpt);
    expect(about.sort()).toEqual(['a plain one', 'first']);
    expect(await storedWith(t, 'other subject')).toBe(1);
    expect(await storedWith(t, 'someone else')).toBe(1);
    expect([...(await t.app.notifications.repository.unreadHoldersOf('test_once', subject))].sort()).toEqual([who.id, people.member.id].sort());
    // Reading something else frees nothing; reading the notice does.
    const [plain] = (await listOf(who)).filter((entry) => entry.excerpt === 'a plain one');
    await api(t.app, who, 'POST', '/notifications/read', { ids: [plain!.id] });
    await t.app.notifications.notify([once('still held')]);
    expect(await storedWith(t, 'still held')).toBe(0);
    await api(t.app, who, 'POST', '/notifications/read', { all: true });
    await t.app.notifications.notify([once('after reading')]);
    expect(await storedWith(t, 'after reading')).toBe(1);
  });
});

describe('unread notices of some kinds (the home page)', () => {
  it('counts and lists a person\'s unread notices of the kinds asked, newest first, up to the limit, and stays right as they come and go', async () => {
    const who = people.admin;
    const { repository } = t.app.notifications;
    await api(t.app, who, 'POST', '/notifications/read', { all: true });
    expect(await repository.unreadOfKinds(who.id, ['test_plain'], 5)).toEqual({ count: 0, rows: [] });
    const a = item(who.id, { details: { k: 'a' } });
    const b = item(who.id, { kind: 'test_other' });
    const c = item(who.id);
    await t.app.notifications.notify([a], new Date('2026-01-01T00:00:00Z'));
    await t.app.notifications.notify([b], new Date('2026-01-02T00:00:00Z'));
    await t.app.notifications.notify([c], new Date('2026-01-03T00:00:00Z'));
    expect(await repository.unreadOfKinds(who.id, [], 5)).toEqual({ count: 0, rows: [] });
    const plain = await repository.unreadOfKinds(who.id, ['test_plain'], 1);
    expect(plain.count).toBe(2);
    expect(plain.rows).toEqual([{ id: expect.any(String), kind: 'test_plain', actorName: 'Carla Coordinadora', subject: c.subject, details: c.details, excerpt: c.excerpt, createdAt: Date.parse('2026-01-03T00:00:00Z') }]);
    const both = await repository.unreadOfKinds(who.id, ['test_plain', 'test_other'], 5);
    expect(both.count).toBe(3);
    expect(both.rows.map((row) => row.excerpt)).toEqual([c.excerpt, b.excerpt, a.excerpt]);
    expect(both.rows[2]!.details).toEqual({ k: 'a' });
    // A new notice, and reading some, are seen at once by the remembered answers.
    const d = item(who.id);
    await t.app.notifications.notify([d], new Date('2026-01-04T00:00:00Z'));
    expect(await repository.unreadOfKinds(who.id, ['test_plain'], 1)).toMatchObject({ count: 3, rows: [{ excerpt: d.excerpt }] });
    const [newest] = await listOf(who);
    await api(t.app, who, 'POST', '/notifications/read', { ids: [newest!.id] });
    expect(await repository.unreadOfKinds(who.id, ['test_plain'], 1)).toMatchObject({ count: 2, rows: [{ excerpt: c.excerpt }] });
    // A moderated excerpt is seen too.
    await repository.setExcerptByDetail('k', 'a', 'hidden');
    expect((await repository.unreadOfKinds(who.id, ['test_plain', 'test_other'], 5)).rows.map((row) => row.excerpt)).toEqual([c.excerpt, b.excerpt, 'hidden']);
    expect(await repository.recipientsByDetail('k', 'a')).toEqual([who.id]);
    expect(await repository.recipientsByDetail('k', 'nobody')).toEqual([]);
  });
});

describe('changes made by another process', () => {
  /** A row as another process would store it: straight into the shared database, past the repository. */
  async function storedElsewhere(userId: string, kind: string, subjectId: string, excerpt: string): Promise<void> {
    await t.app.database
      .statement("insert into notifications (id, user_id, kind, actor_id, actor_name, subject_kind, subject_id, subject_title, details, excerpt, created_at) values (?, ?, ?, null, null, 'test_note', ?, 'T', '{}', ?, ?)")
      .run(`elsewhere-${excerpt}`, userId, kind, subjectId, excerpt, Date.now());
  }
  const event = (type: string, userId: string, payload: unknown = {}): LiveEvent => untypedStored({ id: 0, createdAt: new Date().toISOString(), topic: `user:${userId}`, type, payload });

  it('are taken in when the live log brings a new notice: count, answers, and its holders', async () => {
    const who = people.member;
    const { repository } = t.app.notifications;
    const subject = { kind: 'test_note', id: 'note-elsewhere', title: 'T' };
    const before = await unread(who);
    const onceBefore = (await repository.unreadOfKinds(who.id, ['test_once'], 5)).count;
    expect((await repository.unreadHoldersOf('test_once', subject)).has(who.id)).toBe(false);
    await storedElsewhere(who.id, 'test_once', subject.id, 'from the other process');
    // Until told, this process answers what it knew.
    expect(await unread(who)).toBe(before);
    t.app.caches.invalidate(event('notification.created', who.id, { notification: { kind: 'test_once', subject } }));
    expect(await unread(who)).toBe(before + 1);
    expect((await repository.unreadOfKinds(who.id, ['test_once'], 5)).count).toBe(onceBefore + 1);
    expect((await repository.unreadHoldersOf('test_once', subject)).has(who.id)).toBe(true);
  });

  it('are taken in when the live log says a person read some elsewhere: every holder is read again', async () => {
    const who = people.observer;
    const { repository } = t.app.notifications;
    const subject = { kind: 'test_note', id: 'note-read-elsewhere', title: 'T' };
    readableNotes.add(subject.id);
    await t.app.notifications.notify([item(who.id, { kind: 'test_once', subject })]);
    expect((await repository.unreadHoldersOf('test_once', subject)).has(who.id)).toBe(true);
    const count = await unread(who);
    await t.app.database.statement('update notifications set read_at = ? where user_id = ? and read_at is null').run(Date.now(), who.id);
    expect(await unread(who)).toBe(count);
    t.app.caches.invalidate(event('notifications.read', who.id, { unreadCount: 0 }));
    expect(await unread(who)).toBe(0);
    expect((await repository.unreadHoldersOf('test_once', subject)).has(who.id)).toBe(false);
  });

  it('a notice event without its notification still makes the count read again', async () => {
    const who = people.secretariat;
    const before = await unread(who);
    await storedElsewhere(who.id, 'test_plain', 'note-x', 'no payload');
    t.app.caches.invalidate(event('notification.created', who.id, {}));
    expect(await unread(who)).toBe(before + 1);
  });

  it('an excerpt changed elsewhere (a moderation) is seen by the remembered answers', async () => {
    const who = people.otherMember;
    const { repository } = t.app.notifications;
    await api(t.app, who, 'POST', '/notifications/read', { all: true });
    const notice = item(who.id, { details: { postId: 'moderated-elsewhere' } });
    await t.app.notifications.notify([notice]);
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).rows.map((row) => row.excerpt)).toEqual([notice.excerpt]);
    await t.app.database.statement("update notifications set excerpt = '' where excerpt = ?").run(notice.excerpt);
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).rows.map((row) => row.excerpt)).toEqual([notice.excerpt]);
    t.app.caches.invalidate(untypedStored({ id: 0, createdAt: new Date().toISOString(), topic: 'thread:t', type: 'post.updated', payload: {} }));
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).rows.map((row) => row.excerpt)).toEqual(['']);
  });
});

describe('delivery channels', () => {
  // An app of its own: channels cannot be taken off an app, and this one is closed by the last test.
  let own: TestApp;
  let admin: Participant;
  const slowlyDelivered: string[] = [];
  const failure = new Error('the mail server is down');
  let deliveries = 0;
  beforeAll(async () => {
    own = await buildTestApp();
    const populated = await populate(own.app);
    admin = populated.admin;
    own.app.subjects.define({ kind: 'test_note', describe: async () => new Map() });
    own.app.notifications.defineKind('test_plain', { subjects: ['test_note'] });
    own.app.notifications.addChannel({
      name: 'slow-mail',
      deliver: async (items) => {
        deliveries += 1;
        await new Promise((resolve) => setTimeout(resolve, 30));
        slowlyDelivered.push(...items.map((entry) => entry.excerpt));
      },
    });
    own.app.notifications.addChannel({
      name: 'failing-mail',
      deliver: async () => {
        throw failure;
      },
    });
  });
  afterAll(async () => own.close());

  const notice = (excerpt: string): NewNotification => ({ userId: admin.id, kind: 'test_plain', actorId: null, actorName: null, subject: { kind: 'test_note', id: 'n', title: 'N' }, excerpt });

  it('tell no channel anything when nobody is to be told', async () => {
    await own.app.unitOfWork.run((commit) => own.app.notifications.notifyWithin(commit, () => [], {}));
    await own.app.notifications.notify([]);
    await own.app.notifications.settled();
    expect(deliveries).toBe(0);
  });

  it('deliver after the commit in the background, logging a failure with its channel; settled() waits for them', async () => {
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.unitOfWork.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('background')], { postId: 'post-1' }));
      expect(await storedWith(own, 'background')).toBe(1);
      expect(slowlyDelivered).toEqual([]);
      await own.app.notifications.settled();
      expect(slowlyDelivered).toEqual(['background']);
      expect(logged).toHaveBeenCalledWith({ err: failure, channel: 'failing-mail', postId: 'post-1' }, 'notification delivery failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('deliver nothing in the background when the write is undone', async () => {
    await expect(
      own.app.unitOfWork.run(async (commit) => {
        await own.app.notifications.notifyWithin(commit, () => [notice('never sent')], {});
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    await own.app.notifications.settled();
    expect(slowlyDelivered).not.toContain('never sent');
  });

  it('deliver to every channel in turn when told after the write, logging the ones that fail', async () => {
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.notifications.notify([notice('told after')]);
      expect(await storedWith(own, 'told after')).toBe(1);
      expect(slowlyDelivered).toContain('told after');
      expect(logged).toHaveBeenCalledWith({ err: failure, channel: 'failing-mail' }, 'notification delivery failed');
      // The in-app channel failing (here: a person who does not exist) is logged the same way, and the others still deliver.
      logged.mockClear();
      await own.app.notifications.notify([{ ...notice('for nobody'), userId: 'no-such-person' }]);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ channel: 'in-app' }), 'notification delivery failed');
      expect(slowlyDelivered).toContain('for nobody');
    } finally {
      logged.mockRestore();
    }
  });

  it('log a storing channel that fails with its name and the event, and undo only its writes', async () => {
    const broken = new Error('the broken channel failed');
    own.app.notifications.addChannel({
      name: 'broken',
      deliver: async () => {},
      deliverWithin: async (commit, items, now) => {
        // What it wrote before failing is undone with it; the in-app rows stand.
        await own.app.notifications.repository.insertWithin(commit, items.map((entry) => ({ ...entry, excerpt: `${entry.excerpt} (broken copy)` })), now);
        throw broken;
      },
    });
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.unitOfWork.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('despite broken')], { postId: 'post-2' }));
      expect(await storedWith(own, 'despite broken')).toBe(1);
      expect(await storedWith(own, 'despite broken (broken copy)')).toBe(0);
      expect(logged).toHaveBeenCalledWith({ err: broken, channel: 'broken', postId: 'post-2' }, 'notification delivery failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('are waited for when the app closes', async () => {
    await own.app.unitOfWork.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('at closing')], {}));
    expect(slowlyDelivered).not.toContain('at closing');
    await own.app.close();
    expect(slowlyDelivered).toContain('at closing');
  });
});

describe('the notifications plugin', () => {
  it('does not load without the database', async () => {
    const bare = Fastify({ logger: false });
    await expect(bare.register(notificationsPlugin)).rejects.toThrow(/dependency 'db'/);
    await bare.close().catch(() => undefined);
  });

  it('registers its cache with the events that make it stale', () => {
    expect(t.app.caches.names()).toContain('notifications: unread counts and answers, holders of unread "new posts" notices');
  });
});

describe('the notification routes', () => {
  it('page newest first with a cursor, without repeating or skipping', async () => {
    const who = people.secretariat;
    for (const day of [5, 6, 7, 8, 9]) await t.app.notifications.notify([item(who.id)], new Date(`2026-02-0${day}T00:00:00Z`));
    const all = (await listOf(who)).map((entry) => entry.id);
    // At least these five (more when the file's earlier tests ran too): three pages of two.
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next: { items: Listed[]; nextCursor: string | null } = await page(who, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(next.items.length).toBeLessThanOrEqual(2);
      seen.push(...next.items.map((entry) => entry.id));
      cursor = next.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const times = (await listOf(who)).map((entry) => entry.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    // Several notices of one instant are ordered by id, and the cursor goes through them.
    const at = new Date('2030-01-01T00:00:00Z');
    await t.app.notifications.notify([item(who.id), item(who.id), item(who.id)], at);
    const first = await page(who, 'limit=1');
    const second = await page(who, `limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(first.nextCursor).toBe(`${at.getTime()}:${first.items[0]!.id}`);
    expect(second.items.map((entry) => entry.createdAt)).toEqual([at.toISOString(), at.toISOString()]);
    expect(second.items[0]!.id < first.items[0]!.id).toBe(true);
    expect(second.items[1]!.id < second.items[0]!.id).toBe(true);
  });

  it('refuse a cursor they did not give, and take one of the right shape', async () => {
    for (const cursor of ['abc', ':123', 'x:abc', `${'9'.repeat(30)}:id`]) {
      expectError(await api(t.app, people.member, 'GET', `/notifications?cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_cursor');
    }
    const shortest = await api(t.app, people.member, 'GET', '/notifications?cursor=5:zzz');
    expect(shortest.statusCode, shortest.body).toBe(200);
    expect(shortest.json()).toEqual({ items: [], nextCursor: null });
    expectError(await api(t.app, people.member, 'GET', `/notifications?cursor=${'1'.repeat(101)}`), 400, 'validation_failed');
    expectError(await api(t.app, people.member, 'GET', '/notifications?unknown=1'), 400, 'validation_failed');
  });

  it('refuse a request to mark read with fields they do not know, ids too long, or too many', async () => {
    expectError(await api(t.app, people.member, 'POST', '/notifications/read', { all: true, everyone: true }), 400, 'validation_failed');
    expectError(await api(t.app, people.member, 'POST', '/notifications/read', { ids: ['x'.repeat(65)] }), 400, 'validation_failed');
    expectError(await api(t.app, people.member, 'POST', '/notifications/read', { ids: Array.from({ length: 501 }, (_, i) => `id-${i}`) }), 400, 'validation_failed');
    expect((await api(t.app, people.member, 'POST', '/notifications/read', { ids: Array.from({ length: 500 }, (_, i) => `id-${i}`) })).statusCode).toBe(200);
  });

  it('mark read only the person\'s own notifications, the ones named, with the time they were read', async () => {
    const mine = item(people.observer.id);
    const theirs = item(people.member.id);
    await t.app.notifications.notify([mine, item(people.observer.id), theirs]);
    const myId = (await byExcerpt(people.observer, mine.excerpt))!.id;
    const theirId = (await byExcerpt(people.member, theirs.excerpt))!.id;
    const theirUnread = await unread(people.member);
    const myUnread = await unread(people.observer);
    const before = Date.now();
    const response = await api(t.app, people.observer, 'POST', '/notifications/read', { ids: [myId, theirId] });
    expect(response.json()).toEqual({ unreadCount: myUnread - 1 });
    const readAt = (await byExcerpt(people.observer, mine.excerpt))!.readAt!;
    expect(Date.parse(readAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(readAt)).toBeLessThanOrEqual(Date.now());
    expect((await byExcerpt(people.member, theirs.excerpt))!.readAt).toBeNull();
    expect(await unread(people.member)).toBe(theirUnread);
    // Marking it again keeps the first time; an empty list and "all: false" mark nothing.
    await api(t.app, people.observer, 'POST', '/notifications/read', { ids: [myId] });
    expect((await byExcerpt(people.observer, mine.excerpt))!.readAt).toBe(readAt);
    expect((await api(t.app, people.observer, 'POST', '/notifications/read', { ids: [] })).json()).toEqual({ unreadCount: myUnread - 1 });
    expect((await api(t.app, people.observer, 'POST', '/notifications/read', { all: false })).json()).toEqual({ unreadCount: myUnread - 1 });
    expect((await api(t.app, people.observer, 'POST', '/notifications/read', {})).json()).toEqual({ unreadCount: myUnread - 1 });
    // All: every one of the person's, nobody else's.
    expect((await api(t.app, people.observer, 'POST', '/notifications/read', { all: true })).json()).toEqual({ unreadCount: 0 });
    expect((await listOf(people.observer)).every((entry) => entry.readAt !== null)).toBe(true);
    expect(await unread(people.member)).toBe(theirUnread);
  });

  it('tell the person\'s own live topic the new unread count when they mark read', async () => {
    await t.app.notifications.notify([item(people.observer.id), item(people.observer.id)]);
    const count = await unread(people.observer);
    const mine: LiveEvent[] = [];
    const others: LiveEvent[] = [];
    const stopMine = t.app.liveHub.subscribe(`user:${people.observer.id}`, (event) => mine.push(event));
    const stopOthers = t.app.liveHub.subscribe(`user:${people.member.id}`, (event) => others.push(event));
    try {
      const [first] = await listOf(people.observer);
      expect((await api(t.app, people.observer, 'POST', '/notifications/read', { ids: [first!.id] })).json()).toEqual({ unreadCount: count - 1 });
      await vi.waitFor(() => expect(mine.map((event) => [event.type, event.payload])).toEqual([['notifications.read', { unreadCount: count - 1 }]]));
      expect(others).toEqual([]);
    } finally {
      stopMine();
      stopOthers();
    }
  });

  it('answer only signed-in people', async () => {
    for (const [method, url] of [['GET', '/api/notifications'], ['GET', '/api/notifications/unread-count'], ['POST', '/api/notifications/read']] as const) {
      const response = await t.app.inject({ method, url, headers: { origin: 'http://127.0.0.1:3000' }, ...(method === 'POST' ? { payload: { all: true } } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('what is remembered, exactly', () => {
  it('forgets the answers a write saw of its own notices when that write is undone', async () => {
    const who = people.coordinator;
    const { repository } = t.app.notifications;
    await api(t.app, who, 'POST', '/notifications/read', { all: true });
    const before = (await repository.unreadOfKinds(who.id, ['test_plain'], 5)).count;
    await expect(
      t.app.unitOfWork.run(async (commit) => {
        await t.app.notifications.notifyWithin(commit, () => [item(who.id, { excerpt: 'seen, then undone' })], {});
        // Asked inside the write: the answer counts the write's own notice, and is remembered.
        expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).count).toBe(before + 1);
        expect(await repository.unreadCount(who.id)).toBe(before + 1);
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).count).toBe(before);
    expect(await repository.unreadCount(who.id)).toBe(before);
  });

  it('keeps the answers of different lists of kinds apart, however their names run together', async () => {
    const who = people.member;
    const { repository } = t.app.notifications;
    // Two of its own: a mutant is tried against this test alone, without the earlier tests' notices.
    await t.app.notifications.notify([item(who.id), item(who.id)]);
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 5)).count).toBeGreaterThan(1);
    expect(await repository.unreadOfKinds(who.id, ['test_pl', 'ain'], 5)).toEqual({ count: 0, rows: [] });
    expect((await repository.unreadOfKinds(who.id, ['test_plain'], 1)).rows).toHaveLength(1);
  });

  it('an event from another process that names no notice fails no cache', async () => {
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      t.app.caches.invalidate(untypedStored({ id: 0, createdAt: new Date().toISOString(), topic: `user:${people.member.id}`, type: 'notification.created', payload: {} }));
      t.app.caches.invalidate(untypedStored({ id: 0, createdAt: new Date().toISOString(), topic: `user:${people.member.id}`, type: 'notifications.read', payload: {} }));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe('the notification routes in the OpenAPI document', () => {
  interface JsonSchema {
    type?: string;
    description?: string;
    properties?: Record<string, JsonSchema>;
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    maxItems?: number;
    maxLength?: number;
    additionalProperties?: boolean;
  }
  type Operation = { tags: string[]; summary: string; parameters?: Array<{ name: string; schema: JsonSchema }>; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> };

  it('are tagged, summarized, bounded, and describe a notification', async () => {
    const document = (await api(t.app, people.member, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const list = document.paths['/api/notifications']!.get!;
    const count = document.paths['/api/notifications/unread-count']!.get!;
    const read = document.paths['/api/notifications/read']!.post!;
    expect([list, count, read].map((operation) => [operation.tags, operation.summary])).toEqual([
      [['notifications'], 'My notifications, newest first'],
      [['notifications'], 'How many of my notifications are unread'],
      [['notifications'], 'Mark some or all of my notifications read'],
    ]);
    expect(list.parameters!.find((parameter) => parameter.name === 'cursor')!.schema).toMatchObject({ type: 'string', maxLength: 100 });
    const listed = list.responses['200']!.content!['application/json']!.schema;
    expect(Object.keys(listed.properties!).sort()).toEqual(['items', 'nextCursor']);
    const notification = listed.properties!.items!.items!;
    expect(Object.keys(notification.properties!).sort()).toEqual(['actor', 'createdAt', 'details', 'excerpt', 'group', 'id', 'kind', 'readAt', 'subject'].sort());
    expect(notification.properties!.kind!.description).toMatch(/^A kind a feature defined/);
    expect(notification.properties!.details!.description).toMatch(/^The kind's particulars/);
    expect(Object.keys(notification.properties!.subject!.properties!).sort()).toEqual(['available', 'id', 'kind', 'title']);
    expect(notification.properties!.subject!.properties!.title!.description).toMatch(/^As it was when the person was told/);
    expect(notification.properties!.subject!.properties!.available!.description).toMatch(/^False when the person may no longer read the subject/);
    expect(count.responses['200']!.content!['application/json']!.schema.properties!.count!.type).toBe('integer');
    const body = read.requestBody!.content['application/json']!.schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties!.ids).toMatchObject({ maxItems: 500, items: { maxLength: 64 } });
    expect(read.responses['200']!.content!['application/json']!.schema.properties!.unreadCount!.type).toBe('integer');
  });
});

describe('a notification told the usual way', () => {
  it('logs no error on any channel, inside a write or after it', async () => {
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      await t.app.notifications.notify([item(people.member.id)]);
      await t.app.unitOfWork.run((commit) => t.app.notifications.notifyWithin(commit, () => [item(people.member.id)], {}));
      await t.app.notifications.settled();
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});
