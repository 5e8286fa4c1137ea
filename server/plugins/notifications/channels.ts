import type { LiveHub } from '../live/hub.js';
import type { NotificationRow, NotificationsRepository, NewNotification } from './repository.js';

/** The JSON shape clients get (docs/debates-api.md, `Notification`). */
export function toNotificationView(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    actor: row.actorId ? { id: row.actorId, displayName: row.actorName ?? '' } : null,
    threadId: row.threadId,
    threadTitle: row.threadTitle,
    postId: row.postId,
    excerpt: row.excerpt,
  };
}
export type NotificationView = ReturnType<typeof toNotificationView>;

/**
 * A way of telling people. Each channel gets every notification of one event at once, so it can
 * batch (one transaction, one e-mail digest). A channel failing must not stop the others.
 */
export interface DeliveryChannel {
  readonly name: string;
  deliver(items: NewNotification[], now: Date): Promise<void>;
}

/**
 * Stores the rows (what GET /notifications lists) and tells connected clients with the new unread
 * count. Both writes go through the group commit, so the notifications of posts written at the
 * same moment share one transaction; the caller waits until its items are stored and published.
 */
export class InAppChannel implements DeliveryChannel {
  readonly name = 'in-app';

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly hub: LiveHub,
  ) {}

  async deliver(items: NewNotification[], now: Date): Promise<void> {
    const rows = await this.repository.insert(items, now);
    if (rows.length === 0) return;
    const unread = await Promise.all(rows.map((row) => this.repository.unreadCount(row.userId)));
    const events = rows.map((row, i) => ({
      topic: `user:${row.userId}`,
      type: 'notification.created',
      payload: { notification: toNotificationView(row), unreadCount: unread[i]! },
    }));
    if (this.hub.publishMany) await this.hub.publishMany(events);
    else for (const event of events) await this.hub.publish(event);
  }
}
