import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../../features/people/tables.js';

export type NotificationKind = 'reply' | 'mention' | 'country_mention' | 'new_thread' | 'new_post';

/**
 * In-app notifications. Thread and post are plain ids, not foreign keys: this plugin is shared by
 * features (debates now, meetings and documents later) and must not depend on their tables.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    kind: text('kind', { enum: ['reply', 'mention', 'country_mention', 'new_thread', 'new_post'] }).notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    threadId: text('thread_id'),
    threadTitle: text('thread_title'),
    postId: text('post_id'),
    excerpt: text('excerpt').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('notifications_user_created').on(table.userId, table.createdAt, table.id), index('notifications_user_unread').on(table.userId, table.readAt)],
);
