import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/tables.js';

export const NOTIFICATION_KINDS = [
  'reply', 'mention', 'country_mention', 'new_thread', 'new_post', 'document',
  'meeting_invited', 'meeting_poll', 'meeting_poll_reminder', 'meeting_poll_deadline', 'meeting_scheduled', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_minutes',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a meeting notification says beyond its kind (docs/meetings-api.md, "Notifications"). */
export interface MeetingNoticeDetails {
  startsAt?: string;
  previousStartsAt?: string;
  occurrenceId?: string;
  changed?: string[];
  reminder?: '24h' | '1h';
  deadline?: string;
}

/**
 * In-app notifications. Thread and post are plain ids, not foreign keys: this plugin is shared by
 * features (debates and documents now, meetings later) and must not depend on their tables.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    threadId: text('thread_id'),
    threadTitle: text('thread_title'),
    postId: text('post_id'),
    /** A library document newly published (kind 'document'). */
    documentId: text('document_id'),
    documentTitle: text('document_title'),
    /** A meeting scheduled, changed, cancelled or about to start (kinds 'meeting_*'), and what about it. */
    meetingId: text('meeting_id'),
    meetingTitle: text('meeting_title'),
    meetingDetails: text('meeting_details', { mode: 'json' }).$type<MeetingNoticeDetails | null>(),
    excerpt: text('excerpt').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
  },
  // One index per person serves both the newest-first list and the unread count (read_at is in it,
  // so counting reads no rows): each notification costs one per-person index page, not two.
  (table) => [
    index('notifications_user_created_read').on(table.userId, table.createdAt, table.id, table.readAt),
    // Who still has an unread "new posts" notice for a thread (they get no second one): small,
    // as it holds only unread notices of that kind.
    index('notifications_unread_new_post').on(table.threadId, table.userId).where(sql`${table.kind} = 'new_post' and ${table.readAt} is null`),
  ],
);
