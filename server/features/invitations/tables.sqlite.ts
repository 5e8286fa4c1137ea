import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { groups, users, countries, organizations } from '../../plugins/identity/tables.sqlite.js';

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    /** SHA-256 of the token in the acceptance URL. */
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'coordinator', 'secretariat', 'member', 'observer'] }).notNull(),
    countryId: text('country_id').references(() => countries.id),
    organizationId: text('organization_id').references(() => organizations.id),
    invitedBy: text('invited_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
    acceptedBy: text('accepted_by').references(() => users.id),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('invitations_group_created').on(table.groupId, table.createdAt)],
);
