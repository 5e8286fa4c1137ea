import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../server/plugins/live/hub.js';
import notificationsPlugin, { type NewNotification } from '../../server/plugins/notifications/index.js';
import { buildTestApp, type TestApp } from '../helper.js';
import { api, populate, type Participant, type People } from './debates/support.js';
import { expectError } from './support.js';

/**
 * The notifications plugin itself: the service features hand their recipients to (stored in the
 * write that caused them, delivered to every channel, failures logged and contained), the rules of
 * what is stored (no second unread "new posts" notice of a thread), and the routes that list and
 * mark a person's own notifications. Who is told about a post: tests/server/debates/notifications.test.ts.
 */

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

let serial = 0;
/** A notification for the person, unique by its excerpt. */
function item(userId: string, overrides: Partial<NewNotification> = {}): NewNotification {
  serial += 1;
  return { userId, kind: 'mention', actorId: people.coordinator.id, actorName: 'Carla Coordinadora', threadId: null, threadTitle: null, postId: null, excerpt: `aviso ${serial}`, ...overrides };
}

interface Listed {
  id: string;
  kind: string;
  readAt: string | null;
  actor: { id: string; displayName: string } | null;
  threadId: string | null;
  postId: string | null;
  documentId: string | null;
  documentTitle: string | null;
  meetingId: string | null;
  meetingTitle: string | null;
  meetingDetails: Record<string, unknown> | null;
  excerpt: string;
}
const listOf = async (who: Participant): Promise<Listed[]> => {
  const response = await api(t.app, who, 'GET', '/notifications?limit=100');
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
};
const unread = async (who: Participant) => (await api(t.app, who, 'GET', '/notifications/unread-count')).json().count as number;
const storedWith = (app: TestApp, excerpt: string) => app.app.db.$client.prepare('select count(*) from notifications where excerpt = ?').pluck().get(excerpt) as number;

describe('the notification service', () => {
  it('stores what it is given, document and meeting fields included, and gives it back as it was', async () => {
    const documentNotice = item(people.member.id, { kind: 'document', documentId: 'doc-1', documentTitle: 'Informe regional', excerpt: 'Un informe' });
    const meetingNotice = item(people.member.id, {
      kind: 'meeting_reminder',
      actorId: null,
      actorName: null,
      meetingId: 'meeting-1',
      meetingTitle: 'Reunión mensual',
      meetingDetails: { reminder: '24h', startsAt: '2026-06-09T14:00:00.000Z', occurrenceId: 'single' },
      excerpt: '',
    });
    // An actor whose name was not given shows with an empty name, never as nobody.
    const plain = item(people.member.id, { actorName: null, threadId: 'thread-1', threadTitle: 'Hilo', postId: 'post-1' });
    await t.app.notifications.notify([documentNotice, meetingNotice, plain]);
    const listed = await listOf(people.member);
    expect(listed.find((entry) => entry.documentId === 'doc-1')).toMatchObject({ kind: 'document', documentTitle: 'Informe regional', meetingId: null, meetingTitle: null, meetingDetails: null, excerpt: 'Un informe' });
    expect(listed.find((entry) => entry.meetingId === 'meeting-1')).toMatchObject({
      kind: 'meeting_reminder',
      actor: null,
      meetingTitle: 'Reunión mensual',
      meetingDetails: { reminder: '24h', startsAt: '2026-06-09T14:00:00.000Z', occurrenceId: 'single' },
      documentId: null,
      documentTitle: null,
    });
    expect(listed.find((entry) => entry.postId === 'post-1')).toMatchObject({ actor: { id: people.coordinator.id, displayName: '' }, threadId: 'thread-1', documentId: null, meetingDetails: null });
  });

  it('stores in-app notifications in the commit of the write that caused them', async () => {
    const notice = item(people.observer.id);
    await t.app.groupCommit.run((commit) => t.app.notifications.notifyWithin(commit, () => [notice], { test: 'same commit' }));
    // No later turn has run: a row stored by another commit after this one would not be there yet.
    expect(storedWith(t, notice.excerpt)).toBe(1);
  });

  it('logs a computation of recipients that fails, and the write it was part of stands', async () => {
    const failure = new Error('no recipients today');
    const logged = vi.spyOn(t.app.log, 'error');
    try {
      const outcome = await t.app.groupCommit.run((commit) => {
        t.app.notifications.notifyWithin(
          commit,
          () => {
            throw failure;
          },
          { postId: 'post-that-stands' },
        );
        return 'written';
      });
      expect(outcome).toBe('written');
      expect(logged).toHaveBeenCalledWith({ err: failure, postId: 'post-that-stands' }, 'working out notifications failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('undoes its notices and counts when the write they were part of is undone', async () => {
    const before = await unread(people.secretariat);
    const threadId = 'thread-undone';
    await expect(
      t.app.groupCommit.run((commit) => {
        t.app.notifications.notifyWithin(commit, () => [item(people.secretariat.id, { kind: 'new_post', threadId, excerpt: 'undone' })], {});
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(storedWith(t, 'undone')).toBe(0);
    expect(await unread(people.secretariat)).toBe(before);
    // Nor does the undone notice count as one the person still holds.
    await t.app.notifications.notify([item(people.secretariat.id, { kind: 'new_post', threadId, excerpt: 'kept' })]);
    expect(storedWith(t, 'kept')).toBe(1);
    expect(await unread(people.secretariat)).toBe(before + 1);
  });

  it('never stores a second unread "new posts" notice of a thread, whoever sends it, until the first is read', async () => {
    const threadId = 'thread-busy';
    const newPost = (excerpt: string) => item(people.otherMember.id, { kind: 'new_post', threadId, excerpt });
    await t.app.notifications.notify([newPost('first')]);
    await t.app.groupCommit.run((commit) => t.app.notifications.notifyWithin(commit, () => [newPost('second')], {}));
    await t.app.notifications.notify([newPost('third'), item(people.otherMember.id, { kind: 'reply', threadId, excerpt: 'a reply' })]);
    expect((await listOf(people.otherMember)).filter((entry) => entry.threadId === threadId).map((entry) => entry.excerpt)).toEqual(['a reply', 'first']);
    await api(t.app, people.otherMember, 'POST', '/notifications/read', { all: true });
    await t.app.notifications.notify([newPost('after reading')]);
    expect(storedWith(t, 'after reading')).toBe(1);
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

  const notice = (excerpt: string): NewNotification => ({ userId: admin.id, kind: 'mention', actorId: null, actorName: null, threadId: null, threadTitle: null, postId: null, excerpt });

  it('tell no channel anything when nobody is to be told', async () => {
    await own.app.groupCommit.run((commit) => own.app.notifications.notifyWithin(commit, () => [], {}));
    await own.app.notifications.notify([]);
    await own.app.notifications.settled();
    expect(deliveries).toBe(0);
  });

  it('deliver after the commit in the background, logging a failure with its channel; settled() waits for them', async () => {
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.groupCommit.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('background')], { postId: 'post-1' }));
      expect(storedWith(own, 'background')).toBe(1);
      expect(slowlyDelivered).toEqual([]);
      await own.app.notifications.settled();
      expect(slowlyDelivered).toEqual(['background']);
      expect(logged).toHaveBeenCalledWith({ err: failure, channel: 'failing-mail', postId: 'post-1' }, 'notification delivery failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('deliver to every channel in turn when told after the write, logging the ones that fail', async () => {
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.notifications.notify([notice('told after')]);
      expect(storedWith(own, 'told after')).toBe(1);
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
      deliverWithin: () => {
        throw broken;
      },
    });
    const logged = vi.spyOn(own.app.log, 'error');
    try {
      await own.app.groupCommit.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('despite broken')], { postId: 'post-2' }));
      expect(storedWith(own, 'despite broken')).toBe(1);
      expect(logged).toHaveBeenCalledWith({ err: broken, channel: 'broken', postId: 'post-2' }, 'notification delivery failed');
    } finally {
      logged.mockRestore();
    }
  });

  it('are waited for when the app closes', async () => {
    await own.app.groupCommit.run((commit) => own.app.notifications.notifyWithin(commit, () => [notice('at closing')], {}));
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
});

describe('the notification routes', () => {
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

  it('are described in the OpenAPI document: tag, summary, bounds and the shape of a notification', async () => {
    const document = (await api(t.app, people.member, 'GET', '/openapi.json')).json() as {
      paths: Record<string, Record<string, { tags: string[]; summary: string; parameters?: Array<{ name: string; schema: Record<string, unknown> }>; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;
    };
    interface JsonSchema {
      type?: string;
      properties?: Record<string, JsonSchema>;
      items?: JsonSchema;
      enum?: string[];
      anyOf?: JsonSchema[];
      maxItems?: number;
      maxLength?: number;
      additionalProperties?: boolean;
    }
    const list = document.paths['/api/notifications']!.get!;
    const count = document.paths['/api/notifications/unread-count']!.get!;
    const read = document.paths['/api/notifications/read']!.post!;
    for (const operation of [list, count, read]) {
      expect(operation.tags).toEqual(['notifications']);
      expect(operation.summary.length).toBeGreaterThan(10);
    }
    expect(list.parameters!.find((parameter) => parameter.name === 'cursor')!.schema).toMatchObject({ type: 'string', maxLength: 100 });
    const listed = list.responses['200']!.content!['application/json']!.schema;
    expect(Object.keys(listed.properties!).sort()).toEqual(['items', 'nextCursor']);
    const notification = listed.properties!.items!.items!;
    expect(Object.keys(notification.properties!).sort()).toEqual(
      ['actor', 'createdAt', 'documentId', 'documentTitle', 'excerpt', 'id', 'kind', 'meetingDetails', 'meetingId', 'meetingTitle', 'postId', 'readAt', 'threadId', 'threadTitle'].sort(),
    );
    const details = notification.properties!.meetingDetails!.anyOf!.find((option) => option.type === 'object')!;
    expect(details.properties!.reminder!.enum).toEqual(['24h', '1h']);
    expect(count.responses['200']!.content!['application/json']!.schema.properties!.count!.type).toBe('integer');
    const body = read.requestBody!.content['application/json']!.schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties!.ids).toMatchObject({ maxItems: 500, items: { maxLength: 64 } });
    expect(read.responses['200']!.content!['application/json']!.schema.properties!.unreadCount!.type).toBe('integer');
  });
});
