import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import { users } from '../../plugins/identity/tables.sqlite.js';

/** Single-use password reset links; only the token's hash is kept. */
export const passwordResets = sqliteTable('password_resets', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
});

/**
 * Failed login counters per account ("account:<email>") and per address ("address:<ip>").
 * Kept in the database so that a restart or a second instance does not reset them.
 */
export const loginThrottles = sqliteTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: integer('window_started_at', { mode: 'timestamp_ms' }).notNull(),
  blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' }),
});

/**
 * Changes of e-mail address waiting for the new address to confirm (a link mailed there); only
 * the token's hash is kept. The address changes when the link is used, if nobody took it meanwhile.
 */
export const emailChanges = sqliteTable('email_changes', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  newEmail: text('new_email').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
});
