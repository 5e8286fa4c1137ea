import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/tables.sqlite.js';

/** What a notification says beyond its kind and subject (a post's id, a meeting's new time...): the feature's own, as JSON. */
export type NotificationDetails = Record<string, unknown>;

/**
 * In-app notifications. Each is about one subject (server/plugins/subjects: a thread, a document,
 * a meeting...), stored as a kind and an id, with its title as it was when the person was told;
 * `kind` is one the owning feature defined (`fastify.notifications.defineKind`). No foreign key
 * to the subject: this plugin is shared by features and depends on none of their tables.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    kind: text('kind').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    /** The subject's title when the notification was made, in the recipient's content language. */
    subjectTitle: text('subject_title').notNull(),
    details: text('details', { mode: 'json' }).$type<NotificationDetails>().notNull(),
    excerpt: text('excerpt').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
  },
  // One index per person serves both the newest-first list and the unread count (read_at is in it,
  // so counting reads no rows): each notification costs one per-person index page, not two.
  (table) => [
    index('notifications_user_created_read').on(table.userId, table.createdAt, table.id, table.readAt),
    // Who still holds an unread notice of a kind about a subject (a kind told once while unread,
    // as the debates' "new posts", gives them no second one): unread rows only, so it stays small.
    index('notifications_unread_subject').on(table.subjectKind, table.subjectId, table.kind, table.userId).where(sql`${table.readAt} is null`),
  ],
);
