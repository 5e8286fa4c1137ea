import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Every live event, kept for a retention window so a client that reconnects with its last id
 * gets exactly what it missed, in order, even after a restart. The id is the replay cursor.
 */
export const liveEvents = sqliteTable(
  'live_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    topic: text('topic').notNull(),
    type: text('type').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    /** Null: everyone who may read the topic. Otherwise only these users or roles (e.g. a hidden post). */
    audience: text('audience', { mode: 'json' }).$type<{ userIds?: string[]; roles?: string[] } | null>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('live_events_topic_id').on(table.topic, table.id), index('live_events_created').on(table.createdAt)],
);
