import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** A working group. One is created at set-up; every piece of content belongs to one. */
export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});
