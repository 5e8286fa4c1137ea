import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../identity/tables.sqlite.js';

/**
 * Links between things of any feature (server/plugins/subjects): a meeting's linked debates and
 * documents ('linked'), a document's related debate and meeting ('related'), and whatever the next
 * feature links. One table instead of a column or table per pair of features. `position` keeps the
 * order the person gave (a meeting's documents are listed as the organizer ordered them).
 */
export const subjectLinks = sqliteTable(
  'subject_links',
  {
    groupId: text('group_id').notNull().references(() => groups.id),
    fromKind: text('from_kind').notNull(),
    fromId: text('from_id').notNull(),
    relation: text('relation').notNull(),
    toKind: text('to_kind').notNull(),
    toId: text('to_id').notNull(),
    position: integer('position').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.fromKind, table.fromId, table.relation, table.toKind, table.toId] }),
    // Backlinks: what links to this (the documents related to a meeting).
    index('subject_links_to').on(table.toKind, table.toId, table.relation),
  ],
);
