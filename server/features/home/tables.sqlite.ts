import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import { users } from '../../plugins/identity/tables.sqlite.js';

/**
 * Each person's visits to the home page, for "new since your last visit". `seenAt` is when they
 * last opened it (kept to the minute); `since` is where the current visit's "new" begins: the
 * previous visit's last look. A visit ends after an hour without opening the home page.
 */
export const homeVisits = sqliteTable('home_visits', {
  userId: text('user_id').primaryKey().references(() => users.id),
  seenAt: integer('seen_at', { mode: 'timestamp_ms' }).notNull(),
  since: integer('since', { mode: 'timestamp_ms' }).notNull(),
});
