import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../authorization.js';
import { badRequest, errorResponses } from '../../shared/errors.js';
import { PageLimit, Timestamp } from '../../shared/schemas.js';
import type { Database } from '../database.js';
import type { PendingCommit } from '../unit-of-work.js';
import { contentLocaleOf, refKey, type SubjectRegistry } from '../subjects/index.js';
import { InAppChannel, toNotificationView, type DeliveryChannel } from './channels.js';
import { NotificationsRepository, type NewNotification } from './repository.js';

export type { NewNotification, UnreadNotice } from './repository.js';
export type { NotificationDetails } from './tables.js';
export type { DeliveryChannel } from './channels.js';

/** What a feature says of a notification kind it defines. */
export interface NotificationKindDefinition {
  /** The subject kinds (server/plugins/subjects) its notifications are about. */
  subjects: readonly string[];
  /**
   * Told once while unread: a person holding an unread notice of this kind about a subject gets
   * no second one about it (the debates' "new posts": it leads to the first of them).
   */
  onceWhileUnread?: boolean;
}

const KIND_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Fan-out of notifications to delivery channels. Features compute who is told what, and either
 * hand it over inside their own write (notifyWithin: stored in the same commit) or after it
 * (notify); this service stores and delivers.
 */
export class NotificationService {
  private readonly channels: DeliveryChannel[] = [];
  private readonly kinds = new Map<string, NotificationKindDefinition>();
  readonly repository: NotificationsRepository;

  constructor(
    database: Database,
    private readonly subjects: SubjectRegistry,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repository = new NotificationsRepository(database, (kind) => this.kinds.get(kind)?.onceWhileUnread === true);
  }

  /** Each feature defines its kinds once, at start ('reply', 'meeting_invited', ...). */
  defineKind(kind: string, definition: NotificationKindDefinition): void {
    if (!KIND_NAME.test(kind)) throw new Error(`Notification kind "${kind}" is not a lower-case name`);
    if (this.kinds.has(kind)) throw new Error(`Notification kind "${kind}" is defined twice`);
    if (definition.subjects.length === 0) throw new Error(`Notification kind "${kind}" names no subject kind`);
    this.kinds.set(kind, { ...definition, subjects: [...definition.subjects] });
  }

  /** The kinds defined so far, in order of definition. */
  kindNames(): string[] {
    return [...this.kinds.keys()];
  }

  /** A notification of an undefined kind, or about a subject its kind does not name, is a programming error: refused before anything is stored. */
  private check(items: NewNotification[]): void {
    for (const item of items) {
      const definition = this.kinds.get(item.kind);
      if (!definition) throw new Error(`Notification kind "${item.kind}" is not defined (fastify.notifications.defineKind)`);
      this.subjects.assertKnown(item.subject.kind);
      if (!definition.subjects.includes(item.subject.kind)) throw new Error(`Notification kind "${item.kind}" is not about subjects of kind "${item.subject.kind}"`);
    }
  }

  addChannel(channel: DeliveryChannel): void {
    this.channels.push(channel);
  }

  private readonly inFlight = new Set<Promise<void>>();

  /**
   * Inside the caller's unit of work. `compute` works out who is told; channels that store
   * (in-app) write in the same transaction, so the event and its notifications commit together;
   * the others deliver once it has committed, in the background. A failure is logged and its
   * writes undone (a savepoint per channel): the caller's write stands. The caller awaits it
   * before its piece goes on.
   */
  async notifyWithin(
    commit: PendingCommit,
    compute: () => NewNotification[] | Promise<NewNotification[]>,
    context: Record<string, unknown>,
    now = new Date(),
  ): Promise<void> {
    let items: NewNotification[];
    try {
      items = await compute();
      this.check(items);
    } catch (err) {
      this.log.error({ err, ...context }, 'working out notifications failed');
      return;
    }
    if (items.length === 0) return;
    for (const channel of this.channels) {
      if (channel.deliverWithin) {
        try {
          await commit.savepoint((inner) => channel.deliverWithin!(inner, items, now));
        } catch (err) {
          this.log.error({ err, channel: channel.name, ...context }, 'notification delivery failed');
        }
      } else {
        commit.afterCommit(() => this.track(channel.deliver(items, now), { channel: channel.name, ...context }));
      }
    }
  }

  private track(delivery: Promise<void>, context: Record<string, unknown>): void {
    const tracked: Promise<void> = delivery
      .catch((err: unknown) => this.log.error({ err, ...context }, 'notification delivery failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Every delivery started so far has finished: read-your-writes, and shutdown. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  async notify(items: NewNotification[], now = new Date()): Promise<void> {
    if (items.length === 0) return;
    this.check(items);
    for (const channel of this.channels) {
      try {
        await channel.deliver(items, now);
      } catch (error) {
        // The triggering write has committed; a failed delivery is logged, not turned into a failed request.
        this.log.error({ err: error, channel: channel.name }, 'notification delivery failed');
      }
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationService;
  }
}

export default fp(
  async (fastify) => {
    const service = new NotificationService(fastify.database, fastify.subjects, fastify.log);
    const { repository } = service;
    service.addChannel(new InAppChannel(repository, fastify.liveHub, fastify.unitOfWork));
    fastify.decorate('notifications', service);
    // What other processes store or read (server/plugins/live/caches.ts).
    fastify.caches.register({
      name: 'notifications: unread counts and answers, holders of unread "new posts" notices',
      types: ['notification.created', 'notifications.read', 'post.updated'],
      invalidate: (event) => {
        if (event.type === 'post.updated') repository.excerptsChangedElsewhere();
        else {
          const userId = event.topic.slice(event.topic.indexOf(':') + 1);
          const notice = event.type === 'notifications.read' ? 'any' : ((event.payload as { notification?: { kind: string; subject: { kind: string; id: string } } }).notification ?? null);
          repository.changedElsewhere(userId, notice);
        }
      },
    });
    // Registered after the db plugin, so it runs before the database closes.
    fastify.addHook('onClose', async () => service.settled());
  },
  { name: 'notifications', dependencies: ['db', 'live-hub', 'subjects'] },
);

export const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'A kind a feature defined: reply, mention, country_mention, new_thread, new_post (debates), document (documents), meeting_* (meetings)' }),
  createdAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  subject: Type.Object({
    kind: Type.String(),
    id: Type.String(),
    title: Type.String({ description: 'As it was when the person was told, in their content language; empty when not available' }),
    available: Type.Boolean({ description: 'False when the person may no longer read the subject: title, excerpt and details are then withheld' }),
  }),
  details: Type.Record(Type.String(), Type.Unknown(), { description: "The kind's particulars: postId for the debates' kinds, startsAt, previousStartsAt, occurrenceId, changed, reminder or deadline for the meetings'" }),
  excerpt: Type.String(),
  group: Type.Optional(
    Type.Union([Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }), Type.Null()], {
      description: 'The group the subject belongs to (the list spans every group of the person); null when the subject is no longer available. Absent from the notification.created live event',
    }),
  ),
});

const encodeCursor = (row: { createdAt: Date; id: string }) => `${row.createdAt.getTime()}:${row.id}`;
function decodeCursor(cursor: string | undefined) {
  if (!cursor) return null;
  const separator = cursor.indexOf(':');
  const ms = Number(cursor.slice(0, separator));
  if (separator < 1 || !Number.isSafeInteger(ms)) throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
  return { createdAt: new Date(ms), id: cursor.slice(separator + 1) };
}

/** The signed-in user's own notifications. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repository } = fastify.notifications;
  // Read-your-writes: notifications still being delivered are stored before anyone reads.
  fastify.addHook('onRequest', async () => fastify.notifications.settled());

  fastify.get(
    '/notifications',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first',
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 100 })), limit: PageLimit(100, 25) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(NotificationSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const rows = await repository.list(user.id, decodeCursor(request.query.cursor), request.query.limit + 1);
      const page = rows.slice(0, request.query.limit);
      // Rights are read now, not when the person was told: the owning feature's describe decides,
      // for the person as they are in each of their groups (one bell across groups).
      const refs = page.map((row) => ({ kind: row.subjectKind, id: row.subjectId }));
      const readable = await fastify.subjects.describeAcross(request.memberships ?? [user], refs, contentLocaleOf(user.locale));
      const items = page.map((row) => {
        const of = readable.get(refKey({ kind: row.subjectKind, id: row.subjectId }))?.reader;
        return { ...toNotificationView(row, of !== undefined), group: of ? { id: of.groupId, slug: of.groupSlug, name: of.groupName } : null };
      });
      return { items, nextCursor: rows.length > page.length ? encodeCursor(page[page.length - 1]!) : null };
    },
  );

  fastify.get(
    '/notifications/unread-count',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses } },
    },
    async (request) => ({ count: await repository.unreadCount(requireUser(request).id) }),
  );

  fastify.post(
    '/notifications/read',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark some or all of my notifications read',
        body: Type.Object({ ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })), all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ unreadCount: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await repository.markRead(user.id, request.body.all ? 'all' : (request.body.ids ?? []), new Date());
      const unreadCount = await repository.unreadCount(user.id);
      await fastify.liveHub.publish({ topic: `user:${user.id}`, type: 'notifications.read', payload: { unreadCount } });
      return { unreadCount };
    },
  );
};
