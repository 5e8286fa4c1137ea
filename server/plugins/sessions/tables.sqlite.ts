import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/tables.sqlite.js';

/**
 * Lucia's session design: the id is the SHA-256 of the secret token held in the cookie,
 * so a leaked database does not leak usable sessions.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('sessions_user').on(table.userId)],
);
