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

/** Stores the rows (what GET /notifications lists) and tells connected clients with the new unread count. */
export class InAppChannel implements DeliveryChannel {
  readonly name = 'in-app';

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly hub: LiveHub,
  ) {}

  async deliver(items: NewNotification[], now: Date): Promise<void> {
    const rows = this.repository.insertMany(items, now);
    for (const row of rows) {
      await this.hub.publish({
        topic: `user:${row.userId}`,
        type: 'notification.created',
        payload: { notification: toNotificationView(row), unreadCount: this.repository.unreadCount(row.userId) },
      });
    }
  }
}
