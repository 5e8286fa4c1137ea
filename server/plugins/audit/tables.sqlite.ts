import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The audit log: administrative, moderation and access-relevant actions, who did them, to what,
 * when and from where. One table for every feature: the subject is named by kind and id as text
 * ("document", "<uuid>"), not by a foreign key, so that the log outlives what it tells of (a
 * purged document, a removed post) and this plugin depends on no feature. Kept for
 * AUDIT_RETENTION_DAYS, on its own clock, whatever the subject's own retention.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupId: text('group_id').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Null for what the system did on its own (a purge). Not a foreign key: people are never deleted, and the log must not stop that if they were. */
    actorId: text('actor_id'),
    /** "<kind>.<verb>": document.deleted, user.role_changed, post.hidden, session.new_address. */
    action: text('action').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** The client's address as the server saw it (behind a proxy: TRUST_PROXY), or null for the system. */
    ip: text('ip'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    index('audit_log_group').on(table.groupId, table.id),
    index('audit_log_subject').on(table.subjectKind, table.subjectId, table.id),
    index('audit_log_actor').on(table.actorId, table.id),
    index('audit_log_created').on(table.createdAt),
  ],
);
