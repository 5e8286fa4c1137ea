import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/tables.sqlite.js';

/**
 * Uploaded content, stored once per SHA-256 under DATA_DIR/files. A table whose rows use a stored
 * file refers to it with a foreign key (library versions, attachments): that is how the purge and
 * the backup find what is in use (repository.ts), so a feature storing files needs nothing more. `lastClaimedAt` is when an upload last relied on the file: the cleanup
 * never removes content claimed within the past hour, so an upload in flight keeps what it found.
 */
export const storedFiles = sqliteTable('stored_files', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  mime: text('mime').notNull(),
  lastClaimedAt: integer('last_claimed_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * Files attached to something people write (a debate post now; meeting minutes later), in the
 * same content store as the library. The thing is a subject (server/plugins/subjects): a kind the
 * subject registry knows and its feature allowed attachments on (`fastify.files.attachments.allowOn`),
 * and a plain id of it. Removing an attachment sets `removedAt`; the purge deletes it (and its
 * file, if nothing else uses it) later.
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    sha256: text('sha256').notNull().references(() => storedFiles.sha256),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    uploadedBy: text('uploaded_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('attachments_subject').on(table.subjectKind, table.subjectId, table.createdAt), index('attachments_sha256').on(table.sha256)],
);
