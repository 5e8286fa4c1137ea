import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { newId } from '../../shared/ids.js';
import { notifications, type NotificationKind } from './tables.js';

export type NotificationRow = typeof notifications.$inferSelect;

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actorId: string | null;
  actorName: string | null;
  threadId: string | null;
  threadTitle: string | null;
  postId: string | null;
  excerpt: string;
}

/** Stored in-app notifications: newest first, unread when read_at is null. */
export class NotificationsRepository {
  private readonly unreadCountQuery;
  private readonly insertQuery;

  constructor(private readonly db: Db) {
    const p = sql.placeholder;
    this.insertQuery = db
      .insert(notifications)
      .values({
        id: p('id'),
        userId: p('userId'),
        kind: p('kind'),
        actorId: p('actorId'),
        actorName: p('actorName'),
        threadId: p('threadId'),
        threadTitle: p('threadTitle'),
        postId: p('postId'),
        excerpt: p('excerpt'),
        createdAt: p('createdAt'),
      })
      .prepare();
    this.unreadCountQuery = db
      .select({ n: sql<number>`count(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
      .prepare();
  }

  /** One transaction for every recipient of one event. */
  insertMany(items: NewNotification[], now: Date): NotificationRow[] {
    const rows = items.map((item) => ({ ...item, id: newId(), createdAt: now, readAt: null }));
    if (rows.length === 0) return [];
    this.db.transaction(() => {
      for (const row of rows) this.insertQuery.run(row);
    });
    return rows;
  }

  unreadCount(userId: string): number {
    return this.unreadCountQuery.get({ userId })?.n ?? 0;
  }

  /** Newest first; the cursor is "<createdAt ms>:<id>" of the last item seen. */
  list(userId: string, cursor: { createdAt: Date; id: string } | null, limit: number): NotificationRow[] {
    const after = cursor
      ? or(lt(notifications.createdAt, cursor.createdAt), and(eq(notifications.createdAt, cursor.createdAt), lt(notifications.id, cursor.id)))
      : undefined;
    return this.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), after))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit)
      .all();
  }

  markRead(userId: string, ids: string[] | 'all', now: Date): void {
    const which = ids === 'all' ? undefined : inArray(notifications.id, ids);
    if (ids !== 'all' && ids.length === 0) return;
    this.db
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), which))
      .run();
  }
}
