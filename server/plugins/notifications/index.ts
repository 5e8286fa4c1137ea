import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../authorization.js';
import { badRequest, errorResponses } from '../../shared/errors.js';
import { PageLimit, Timestamp } from '../../shared/schemas.js';
import type { PendingCommit } from '../unit-of-work.js';
import { InAppChannel, toNotificationView, type DeliveryChannel } from './channels.js';
import { NotificationsRepository, type NewNotification } from './repository.js';
import { NOTIFICATION_KINDS } from './tables.js';

export type { NewNotification } from './repository.js';
export type { DeliveryChannel } from './channels.js';

/**
 * Fan-out of notifications to delivery channels. Features compute who is told what, and either
 * hand it over inside their own write (notifyWithin: stored in the same commit) or after it
 * (notify); this service stores and delivers.
 */
export class NotificationService {
  private readonly channels: DeliveryChannel[] = [];

  constructor(
    readonly repository: NotificationsRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  addChannel(channel: DeliveryChannel): void {
    this.channels.push(channel);
  }

  private readonly inFlight = new Set<Promise<void>>();

  /**
   * Inside the caller's write (a group-commit piece). `compute` works out who is told; channels
   * that store (in-app) write in the same transaction, so the event and its notifications commit
   * together; the others deliver once it has committed, in the background. A failure is logged
   * and its writes undone (a savepoint per channel): the caller's write stands.
   */
  notifyWithin(commit: PendingCommit, compute: () => NewNotification[], context: Record<string, unknown>, now = new Date()): void {
    let items: NewNotification[];
    try {
      items = compute();
    } catch (err) {
      this.log.error({ err, ...context }, 'working out notifications failed');
      return;
    }
    if (items.length === 0) return;
    for (const channel of this.channels) {
      if (channel.deliverWithin) {
        try {
          commit.savepoint((inner) => channel.deliverWithin!(inner, items, now));
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
    const repository = new NotificationsRepository(fastify.db);
    const service = new NotificationService(repository, fastify.log);
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
          const threadId = event.type === 'notifications.read' ? 'any' : ((event.payload as { notification?: { threadId?: string | null } }).notification?.threadId ?? null);
          repository.changedElsewhere(userId, threadId);
        }
      },
    });
    // Registered after the db plugin, so it runs before the database closes.
    fastify.addHook('onClose', async () => service.settled());
  },
  { name: 'notifications', dependencies: ['db', 'live-hub'] },
);

const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...NOTIFICATION_KINDS]),
  createdAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
  actor: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String() }), Type.Null()]),
  threadId: Type.Union([Type.String(), Type.Null()]),
  threadTitle: Type.Union([Type.String(), Type.Null()]),
  postId: Type.Union([Type.String(), Type.Null()]),
  documentId: Type.Union([Type.String(), Type.Null()]),
  documentTitle: Type.Union([Type.String(), Type.Null()]),
  meetingId: Type.Union([Type.String(), Type.Null()]),
  meetingTitle: Type.Union([Type.String(), Type.Null()]),
  meetingDetails: Type.Union([
    Type.Object({
      startsAt: Type.Optional(Type.String()),
      previousStartsAt: Type.Optional(Type.String()),
      occurrenceId: Type.Optional(Type.String()),
      changed: Type.Optional(Type.Array(Type.String())),
      reminder: Type.Optional(Type.Enum(['24h', '1h'])),
      deadline: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  excerpt: Type.String(),
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
      return { items: page.map(toNotificationView), nextCursor: rows.length > page.length ? encodeCursor(page[page.length - 1]!) : null };
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
