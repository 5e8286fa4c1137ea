import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/**
 * Who is who: working groups, people, their memberships, and the countries and organizations
 * members speak for. Infrastructure rather than a feature's own, because the sessions, the
 * notifications and every feature refer to people (a membership refers to its country or
 * organization, so those come along); the people, groups and reference features keep the routes
 * and repositories over these tables. Moved here from those features' tables.ts without changing
 * a column (drizzle-kit generates no migration for the move).
 */
/** A working group. One is created at set-up; every piece of content belongs to one. */
export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

/** ECLAC member states of Latin America and the Caribbean; seeded from countries.json at start. */
export const countries = sqliteTable('countries', {
  id: text('id').primaryKey(), // lower-case ISO 3166-1 alpha-2
  iso2: text('iso2').notNull().unique(),
  iso3: text('iso3').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameEs: text('name_es').notNull(),
  language: text('language').notNull(),
  /** The capital's IANA zone: the clock shown for the country in meeting times. */
  timeZone: text('time_zone').notNull(),
  /** Shown beside the country's local time of a meeting ("10:00 Santiago"). Filled from the catalogue at start. */
  capitalEn: text('capital_en').notNull().default(''),
  capitalEs: text('capital_es').notNull().default(''),
});

/** Organizations taking part: the secretariat (ECLAC) and international agencies. */
export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  acronymEn: text('acronym_en').notNull(),
  acronymEs: text('acronym_es').notNull(),
  nameEn: text('name_en').notNull(),
  nameEs: text('name_es').notNull(),
});

/** A person's identity and preferences, shared by every group they belong to. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Stored lower-cased; unique. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** Lower-case, unique, for @mentions ("ana.gomez"); set by insertPerson. Nullable only so the column could be added to existing rows. */
    handle: text('handle'),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('es'),
    timeZone: text('time_zone').notNull().default('America/Santiago'),
    /** Public profile. */
    jobTitle: text('job_title').notNull().default(''),
    bio: text('bio').notNull().default(''),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    deactivatedAt: integer('deactivated_at', { mode: 'timestamp_ms' }),
  },
  (table) => [uniqueIndex('users_email_unique').on(table.email), uniqueIndex('users_handle_unique').on(table.handle)],
);

/** A person's place in a group: role, and the country or organization they speak for. */
export const memberships = sqliteTable(
  'memberships',
  {
    groupId: text('group_id').notNull().references(() => groups.id),
    userId: text('user_id').notNull().references(() => users.id),
    role: text('role', { enum: ['admin', 'coordinator', 'secretariat', 'member', 'observer'] }).notNull(),
    countryId: text('country_id').references(() => countries.id),
    organizationId: text('organization_id').references(() => organizations.id),
    /** Within the country's delegation: the official contact, or an alternate. Only for members. */
    delegationRole: text('delegation_role', { enum: ['focal_point', 'alternate'] }),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    uniqueIndex('memberships_group_user').on(table.groupId, table.userId),
    index('memberships_group_country').on(table.groupId, table.countryId),
    // Session validation (every request) reads every membership of the user.
    index('memberships_user_joined').on(table.userId, table.joinedAt),
    // One focal point per country and group.
    uniqueIndex('memberships_one_focal_point')
      .on(table.groupId, table.countryId)
      .where(sql`${table.delegationRole} = 'focal_point'`),
  ],
);
