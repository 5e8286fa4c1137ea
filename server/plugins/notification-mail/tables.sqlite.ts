import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/tables.sqlite.js';

/**
 * Notifications waiting to be mailed: written in the commit of the notification itself, taken
 * when due (a short delay for "immediately", so that what the person reads in the forum meanwhile
 * is not mailed; the person's digest hour for "digest") and deleted in the commit that queues
 * the mail, so a crash neither loses nor repeats one. No foreign key to the notification: it is
 * the notifications plugin's row, read by id (gone or read: nothing is mailed).
 */
export const mailNotices = sqliteTable(
  'mail_notices',
  {
    notificationId: text('notification_id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    delivery: text('delivery', { enum: ['immediately', 'digest'] }).notNull(),
    dueAt: integer('due_at').notNull(),
  },
  (table) => [index('mail_notices_due').on(table.delivery, table.dueAt), index('mail_notices_user').on(table.userId, table.delivery)],
);

/** The local day of each person's last digest, so that one goes out at most once a day. */
export const mailDigests = sqliteTable('mail_digests', {
  userId: text('user_id').primaryKey().references(() => users.id),
  lastLocalDate: text('last_local_date').notNull(),
});
