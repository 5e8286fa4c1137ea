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
  /** Channels that batch write out what waits (before reads, and at shutdown). */
  flush?(): Promise<void>;
}

/**
 * Stores the rows (what GET /notifications lists) and tells connected clients with the new unread
 * count. Every post tells each of its watchers (forty or more in a busy thread), and each person's
 * notifications and live events sit on that person's index pages, so a transaction per post
 * rewrote hundreds of pages for a few rows each. Deliveries that arrive in the same turn of the
 * event loop (concurrent posts) therefore share one transaction; each caller still waits until its
 * own items are stored and published.
 */
export class InAppChannel implements DeliveryChannel {
  readonly name = 'in-app';
  private pending: Array<{ items: NewNotification[]; now: Date; done: () => void; failed: (error: unknown) => void }> = [];
  private pendingCount = 0;
  private scheduled: NodeJS.Immediate | null = null;

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly hub: LiveHub,
  ) {}

  deliver(items: NewNotification[], now: Date): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((done, failed) => {
      this.pending.push({ items, now, done, failed });
      this.pendingCount += items.length;
      if (this.pendingCount >= MAX_PENDING) void this.flush();
      else this.scheduled ??= setImmediate(() => void this.flush());
    });
  }

  /** Writes and publishes everything waiting, in order; resolves once the rows are stored (not yet published). */
  async flush(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingCount = 0;
    const settle = (error?: unknown) => {
      for (const entry of batch) if (error === undefined) entry.done();
      else entry.failed(error);
    };
    try {
      // Rows come back in the order of the batch's items, less those the repository left out.
      const rows = await this.repository.insertBatches(batch);
      const unread = await Promise.all(rows.map((row) => this.repository.unreadCount(row.userId)));
      const events = rows.map((row, i) => ({
        topic: `user:${row.userId}`,
        type: 'notification.created',
        payload: { notification: toNotificationView(row), unreadCount: unread[i]! },
      }));
      const published = this.hub.publishMany ? this.hub.publishMany(events) : Promise.all(events.map((event) => this.hub.publish(event)));
      published.then(() => settle(), settle);
    } catch (error) {
      settle(error);
    }
  }
}

const MAX_PENDING = 5_000;
