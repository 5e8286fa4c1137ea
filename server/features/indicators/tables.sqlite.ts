import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';

/**
 * The indicator catalogue (issue 14): frameworks (a family such as MDG, SDG or a regional list),
 * each with versions (the MDG list of 2008, the SDG list of 2025), each version with its goals,
 * targets and indicators; the crosswalk between indicators of different frameworks; and the tags
 * that attach any subject (a thread, a document, ...) to indicators.
 *
 * The catalogue is shared by every group of the instance (the official lists are the same for
 * everyone); tags belong to a group through their subject.
 */

export const FRAMEWORK_KINDS = ['global', 'regional'] as const;
export type FrameworkKind = (typeof FRAMEWORK_KINDS)[number];

export const indicatorFrameworks = sqliteTable('indicator_frameworks', {
  /** The family's code, which crosswalks and code mentions name: "MDG", "SDG", "REG-ALC". */
  id: text('id').primaryKey(),
  kind: text('kind', { enum: FRAMEWORK_KINDS }).notNull(),
  titleEn: text('title_en').notNull(),
  titleEs: text('title_es').notNull(),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
});

export const indicatorFrameworkVersions = sqliteTable(
  'indicator_framework_versions',
  {
    /** Stable id of this version: "mdg-2008", "sdg-2025". Indicator ids start with it. */
    id: text('id').primaryKey(),
    frameworkId: text('framework_id').notNull().references(() => indicatorFrameworks.id),
    version: text('version').notNull(),
    titleEn: text('title_en').notNull(),
    titleEs: text('title_es').notNull(),
    effectiveDate: text('effective_date'),
    createdBy: text('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [uniqueIndex('indicator_framework_versions_version').on(table.frameworkId, table.version)],
);

export const indicatorGoals = sqliteTable(
  'indicator_goals',
  {
    versionId: text('version_id').notNull().references(() => indicatorFrameworkVersions.id),
    code: text('code').notNull(),
    titleEn: text('title_en'),
    titleEs: text('title_es'),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.code] })],
);

export const indicatorTargets = sqliteTable(
  'indicator_targets',
  {
    versionId: text('version_id').notNull().references(() => indicatorFrameworkVersions.id),
    code: text('code').notNull(),
    goalCode: text('goal_code').notNull(),
    titleEn: text('title_en'),
    titleEs: text('title_es'),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.code] })],
);

export const indicators = sqliteTable(
  'indicators',
  {
    /** `<version id>:<code>`: "mdg-2008:4.1", "sdg-2025:3.2.1". */
    id: text('id').primaryKey(),
    versionId: text('version_id').notNull().references(() => indicatorFrameworkVersions.id),
    code: text('code').notNull(),
    goalCode: text('goal_code').notNull(),
    /** Every target it serves (some MDG indicators serve several), the first one its home. */
    targets: text('targets', { mode: 'json' }).$type<string[]>().notNull(),
    titleEn: text('title_en').notNull(),
    titleEs: text('title_es').notNull(),
    tier: text('tier'),
    custodians: text('custodians', { mode: 'json' }).$type<string[]>().notNull(),
    unit: text('unit'),
    seriesCodes: text('series_codes', { mode: 'json' }).$type<string[]>().notNull(),
    groupEn: text('group_en'),
    groupEs: text('group_es'),
    /** A complementary indicator added to a list by the group (a regional one), not in the official text. */
    complementary: integer('complementary', { mode: 'boolean' }).notNull().default(false),
    createdBy: text('created_by').references(() => users.id),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [uniqueIndex('indicators_version_code').on(table.versionId, table.code)],
);

export const CROSSWALK_RELATIONS = ['equivalent', 'related'] as const;

/**
 * Links between indicators of two frameworks, stored once, read both ways. They name a family and
 * a code, not a version, so they hold across versions of a list (domain/crosswalk.ts).
 */
export const indicatorCrosswalk = sqliteTable(
  'indicator_crosswalk',
  {
    fromFamily: text('from_family').notNull(),
    fromCode: text('from_code').notNull(),
    toFamily: text('to_family').notNull(),
    toCode: text('to_code').notNull(),
    relation: text('relation', { enum: CROSSWALK_RELATIONS }).notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.fromFamily, table.fromCode, table.toFamily, table.toCode] }),
    index('indicator_crosswalk_to').on(table.toFamily, table.toCode),
  ],
);

/**
 * What is tagged with which indicator: any subject of the registry (server/plugins/subjects), one
 * row per tag. Replaces the JSON `indicator_codes` columns of threads and documents: "everything
 * about 4.1" and a list filtered by indicator are index lookups.
 */
export const subjectIndicators = sqliteTable(
  'subject_indicators',
  {
    groupId: text('group_id').notNull().references(() => groups.id),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    indicatorId: text('indicator_id').notNull().references(() => indicators.id),
    /** The order the person gave (the subject shows its indicators in it). */
    position: integer('position').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.subjectKind, table.subjectId, table.indicatorId] }),
    index('subject_indicators_by_indicator').on(table.indicatorId, table.groupId, table.subjectKind, table.subjectId),
    index('subject_indicators_by_group').on(table.groupId, table.indicatorId),
  ],
);
