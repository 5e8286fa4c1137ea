import type { PendingCommit, UnitOfWork } from '../unit-of-work.js';
import type { LiveHub } from '../live/hub.js';
import type { NotificationRow, NotificationsRepository, NewNotification } from './repository.js';

/**
 * The JSON shape clients get (docs/notifications-api.md, `Notification`). A notice outlives the
 * reader's right to its subject (a document back in draft, a post hidden, a meeting they were
 * removed from): then it keeps only what it is and when, with `available: false`, and nothing of
 * the title, excerpt or details it was sent with.
 */
export function toNotificationView(row: NotificationRow, available = true) {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    actor: row.actorId ? { id: row.actorId, displayName: row.actorName ?? '' } : null,
    subject: { kind: row.subjectKind, id: row.subjectId, title: available ? row.subjectTitle : '', available },
    details: available ? row.details : {},
    excerpt: available ? row.excerpt : '',
  };
}
export type NotificationView = ReturnType<typeof toNotificationView>;

/**
 * A way of telling people. Each channel gets every notification of one event at once, so it can
 * batch (one transaction, one e-mail digest). A channel failing must not stop the others.
 *
 * A channel whose delivery is a database write (in-app) implements deliverWithin: it then writes
 * inside the transaction of the event itself, so the event and its notifications commit together
 * (nothing is lost in between). Others (e-mail) deliver after the commit, in the background.
 */
export interface DeliveryChannel {
  readonly name: string;
  deliver(items: NewNotification[], now: Date): Promise<void>;
  deliverWithin?(commit: PendingCommit, items: NewNotification[], now: Date): Promise<void>;
}

/**
 * Stores the rows (what GET /notifications lists) and tells connected clients with the new unread
 * count, as live events stored in the same write.
 */
export class InAppChannel implements DeliveryChannel {
  readonly name = 'in-app';

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly hub: LiveHub,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async deliver(items: NewNotification[], now: Date): Promise<void> {
    await this.unitOfWork.run((commit) => this.deliverWithin(commit, items, now));
  }

  async deliverWithin(commit: PendingCommit, items: NewNotification[], now: Date): Promise<void> {
    const rows = await this.repository.insertWithin(commit, items, now);
    if (rows.length === 0) return;
    const unreadCounts = new Map<string, number>();
    for (const row of rows) unreadCounts.set(row.userId, await this.repository.unreadCount(row.userId));
    await this.hub.publishWithin(
      commit,
      rows.map((row) => ({
        topic: `user:${row.userId}`,
        type: 'notification.created',
        payload: { notification: toNotificationView(row), unreadCount: unreadCounts.get(row.userId)! },
      })),
    );
  }
}
