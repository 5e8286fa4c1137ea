import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { storedFiles } from '../../plugins/files/tables.sqlite.js';
import { groups, users, countries, organizations } from '../../plugins/identity/tables.sqlite.js';

export const DOCUMENT_TYPES = ['report', 'methodology_note', 'minutes', 'presentation', 'dataset', 'questionnaire', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/**
 * 'restricted': readable by the publishers and by the people of the countries and organizations in
 * its `audience` only. Another feature files such documents (fastify.documents.fileRestricted: a
 * consultation's answer, for the country that answered and the organizers); a publisher does not
 * choose it in the library.
 */
/** 'instance': every signed-in person of every group of this Concilia (a document shared with all groups). */
export const VISIBILITIES = ['draft', 'group', 'public', 'restricted', 'instance'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const DOCUMENT_LANGUAGES = ['es', 'en', 'pt', 'fr'] as const;
/** The library's actions in the audit log (server/plugins/audit), as "document.<action>". */
export const AUDIT_ACTIONS = ['uploaded', 'version_added', 'updated', 'deleted', 'restored', 'purged'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A library entry; its files are its versions. Deleting sets `deletedAt` (the trash). */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    titleEs: text('title_es').notNull(),
    titleEn: text('title_en').notNull(),
    descriptionEs: text('description_es').notNull(),
    descriptionEn: text('description_en').notNull(),
    type: text('type', { enum: DOCUMENT_TYPES }).notNull(),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull(),
    /** YYYY-MM-DD: a calendar date, not an instant. */
    publicationDate: text('publication_date').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    // Its indicators are tags of the catalogue (fastify.indicators: subject_indicators, kind 'document').
    visibility: text('visibility', { enum: VISIBILITIES }).notNull(),
    /** Country and organization ids whose people read a 'restricted' document; null for the others. */
    audience: text('audience', { mode: 'json' }).$type<string[]>(),
    authorCountryId: text('author_country_id').references(() => countries.id),
    authorOrganizationId: text('author_organization_id').references(() => organizations.id),
    // The related debate and meeting are links of the subject registry (subject_links, relation 'related').
    latestVersion: integer('latest_version').notNull(),
    downloadCount: integer('download_count').notNull().default(0),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    deletedBy: text('deleted_by').references(() => users.id),
  },
  (table) => [
    index('documents_group_published').on(table.groupId, table.publicationDate, table.id),
    index('documents_deleted').on(table.deletedAt).where(sql`${table.deletedAt} is not null`),
  ],
);

/** Every file a document has had; number 1 is the first upload. */
export const documentVersions = sqliteTable(
  'document_versions',
  {
    documentId: text('document_id').notNull().references(() => documents.id),
    number: integer('number').notNull(),
    sha256: text('sha256').notNull().references(() => storedFiles.sha256),
    /** The name it was uploaded with, for display and Content-Disposition only: never a path. */
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    changeNote: text('change_note').notNull(),
    uploadedBy: text('uploaded_by').notNull().references(() => users.id),
    uploadedAt: integer('uploaded_at', { mode: 'timestamp_ms' }).notNull(),
  },
  // By upload time: what is new in the library since a person's last visit (the home page).
  (table) => [primaryKey({ columns: [table.documentId, table.number] }), index('document_versions_sha256').on(table.sha256), index('document_versions_uploaded').on(table.uploadedAt)],
);
