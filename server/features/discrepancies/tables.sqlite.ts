import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, organizations, users } from '../../plugins/identity/tables.sqlite.js';
import type { Observation } from './domain/observations.js';
import type { Difference, RepairChange, Tolerance } from './domain/pairing.js';
import type { Explanation, StatusChange } from './domain/statuses.js';

export const RELEASE_SIDES = ['national', 'international'] as const;
/** The formats a file is imported in. */
export const IMPORT_FORMATS = ['unsd_csv', 'national_csv', 'national_xlsx'] as const;
/** A release's origin: an imported file, or the national values a delegation gave in a consultation's validation round. */
export const RELEASE_FORMATS = [...IMPORT_FORMATS, 'consultation'] as const;

/**
 * One import: a release of the international side (a UNSD SDG Global Database export) or a
 * national file. Provenance belongs here, not to each observation.
 */
export const discrepancyReleases = sqliteTable(
  'discrepancy_releases',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    side: text('side', { enum: RELEASE_SIDES }).notNull(),
    format: text('format', { enum: RELEASE_FORMATS }).notNull(),
    /** The agency that publishes the international values (an organization of the group), or null for national files. */
    agencyId: text('agency_id').references(() => organizations.id),
    /** ISO alpha-3 of the producing country, for national files. */
    country: text('country'),
    /** "SDG Global Database 2026.Q2", "Estadísticas vitales 2024". */
    title: text('title').notNull(),
    releaseDate: text('release_date'),
    link: text('link'),
    fileName: text('file_name').notNull(),
    rowCount: integer('row_count').notNull(),
    /** What the import did to the cases: opened, changed per kind. */
    summary: text('summary', { mode: 'json' }).$type<ReleaseSummary>().notNull(),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('discrepancy_releases_group').on(table.groupId, table.createdAt)],
);

export interface ReleaseSummary {
  observations: number;
  skipped: number;
  casesOpened: number;
  changes: Record<string, number>;
}

/** Where an observation stands, computed once at import: the same columns in the staging table and in place. */
const observationKeyColumns = () => ({
  obsKey: text('obs_key').notNull(),
  /** Series × country × disaggregation: a case's chart reads every year of one. */
  seriesKey: text('series_key').notNull(),
  series: text('series').notNull(),
  country: text('country').notNull(),
  year: integer('year').notNull(),
  /** '' when the row gives none; the Global Database may hold a G and an N figure under one key. */
  reportingType: text('reporting_type').notNull(),
});

/**
 * The current values of each side: a new international release replaces the values of the series
 * it holds; a national file replaces the values of the keys it holds. `obs_key` is the pairing key.
 */
export const discrepancyObservations = sqliteTable(
  'discrepancy_observations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupId: text('group_id').notNull().references(() => groups.id),
    releaseId: text('release_id').notNull().references(() => discrepancyReleases.id),
    side: text('side', { enum: RELEASE_SIDES }).notNull(),
    /** The release's agency, for international values: whose observers a case on this value concerns. */
    agencyId: text('agency_id'),
    ...observationKeyColumns(),
    data: text('data', { mode: 'json' }).$type<Observation>().notNull(),
  },
  (table) => [
    uniqueIndex('discrepancy_observations_key').on(table.groupId, table.side, table.obsKey, table.reportingType),
    index('discrepancy_observations_series').on(table.groupId, table.side, table.series),
    index('discrepancy_observations_series_key').on(table.groupId, table.seriesKey),
  ],
);

/**
 * An import's accepted rows while the rest of its file is still being read and checked: written in
 * small chunks as the file streams in, so a 50,000-row release is never held in memory; moved into
 * `discrepancy_observations` in the import's one transaction once every row passed, deleted when
 * any row is refused. Rows left by a process that stopped mid-import are deleted by the next import
 * once they are an hour old. The columns are those the observations table needs, computed once.
 */
export const discrepancyImportRows = sqliteTable(
  'discrepancy_import_rows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The release the rows will belong to (no reference: the release row is written at the end). */
    importId: text('import_id').notNull(),
    ...observationKeyColumns(),
    data: text('data').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** The process staging them (server/shared/process-identity.ts): one that starts drops only rows of processes that ended. */
    owner: text('owner').notNull().default(''),
  },
  (table) => [index('discrepancy_import_rows_import').on(table.importId, table.series), index('discrepancy_import_rows_created').on(table.createdAt)],
);

/** A tolerance per series, set by the staff; series without one use the default (5 % relative). */
export const discrepancyTolerances = sqliteTable('discrepancy_tolerances', {
  groupId: text('group_id').notNull().references(() => groups.id),
  series: text('series').notNull(),
  kind: text('kind', { enum: ['absolute', 'relative'] }).notNull(),
  value: real('value').notNull(),
}, (table) => [uniqueIndex('discrepancy_tolerances_series').on(table.groupId, table.series)]);

/** A case: national against international beyond the tolerance, for one key. */
export const discrepancyCases = sqliteTable(
  'discrepancy_cases',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    obsKey: text('obs_key').notNull(),
    series: text('series').notNull(),
    /** The indicator code (3.2.1, 4.1), or the series when no file named one: the matrix's row. */
    indicator: text('indicator').notNull(),
    /** ISO alpha-3, and the platform's country id ("cl") for visibility. */
    country: text('country').notNull(),
    countryId: text('country_id').notNull(),
    year: integer('year').notNull(),
    agencyIds: text('agency_ids', { mode: 'json' }).$type<string[]>().notNull(),
    national: text('national', { mode: 'json' }).$type<Observation>().notNull(),
    international: text('international', { mode: 'json' }).$type<Observation>().notNull(),
    unit: text('unit').notNull(),
    unitMult: integer('unit_mult').notNull(),
    nationalValue: real('national_value').notNull(),
    internationalValue: real('international_value').notNull(),
    difference: text('difference', { mode: 'json' }).$type<Difference>().notNull(),
    /** |relative difference| (or |absolute| without one), for colouring and sorting by size of the gap. */
    gap: real('gap').notNull(),
    tolerance: text('tolerance', { mode: 'json' }).$type<Tolerance>().notNull(),
    status: text('status').notNull(),
    primaryCause: text('primary_cause'),
    secondaryCauses: text('secondary_causes', { mode: 'json' }).$type<string[]>().notNull(),
    explanation: text('explanation', { mode: 'json' }).$type<Explanation | null>(),
    publishedAt: text('published_at'),
    publishedBy: text('published_by'),
    history: text('history', { mode: 'json' }).$type<StatusChange[]>().notNull(),
    /** What the releases since it opened changed, oldest first. */
    changes: text('changes', { mode: 'json' }).$type<Array<{ at: string; releaseId: string; change: RepairChange['change']; before: number | null; after: number | null }>>().notNull(),
    version: integer('version').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [
    uniqueIndex('discrepancy_cases_key').on(table.groupId, table.obsKey),
    // Covers the matrix's query: its cells are counted from the index alone, never from the rows
    // (whose observations, stored as JSON, spill onto overflow pages).
    index('discrepancy_cases_matrix').on(table.groupId, table.indicator, table.countryId, table.year, table.status, table.gap, table.publishedAt, table.agencyIds),
    index('discrepancy_cases_country').on(table.groupId, table.countryId, table.status),
  ],
);

/**
 * Legacy: a case's comments from before its discussion became a debates thread (read by exactly the
 * case's audience, server/features/debates' subject threads). Nothing writes here any more; what is
 * left is moved into the cases' threads at start (legacy-comments.ts), so the table stays empty.
 */
export const discrepancyComments = sqliteTable(
  'discrepancy_comments',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull().references(() => discrepancyCases.id),
    authorId: text('author_id').notNull().references(() => users.id),
    body: text('body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('discrepancy_comments_case').on(table.caseId, table.createdAt)],
);
