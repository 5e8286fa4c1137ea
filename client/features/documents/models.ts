/**
 * Shapes of the document library API (docs/documents-api.md), derived from the server's schemas
 * through type-only imports: no server code reaches the bundle (tests/client/bundle.test.ts).
 */
import type { Static } from 'typebox';
import type { AuditEntrySchema, DocumentDetailSchema, DocumentSummarySchema, DocumentTypeSchema, LanguageSchema, NewDocumentMetadata, TrashItemSchema, VersionSchema, VisibilitySchema } from '../../../server/features/documents/schemas.js';
import type { DOCUMENT_LANGUAGES as SERVER_LANGUAGES, DOCUMENT_TYPES as SERVER_TYPES, VISIBILITIES as SERVER_VISIBILITIES } from '../../../server/features/documents/tables.js';

// Copies for the bundle (menus list them); `satisfies` says when they differ from the server's.
export const DOCUMENT_TYPES = ['report', 'methodology_note', 'minutes', 'presentation', 'dataset', 'questionnaire', 'other'] as const satisfies typeof SERVER_TYPES;
export type DocumentType = Static<typeof DocumentTypeSchema>;

export const DOCUMENT_LANGUAGES = ['es', 'en', 'pt', 'fr'] as const satisfies typeof SERVER_LANGUAGES;
export type DocumentLanguage = Static<typeof LanguageSchema>;

export const VISIBILITIES = ['draft', 'group', 'public', 'restricted', 'instance'] as const satisfies typeof SERVER_VISIBILITIES;
/** What a publisher chooses; 'restricted' (a consultation answer's file) is only kept as it is. */
export const CHOSEN_VISIBILITIES = VISIBILITIES.filter((visibility) => visibility !== 'restricted');
export type Visibility = Static<typeof VisibilitySchema>;

/** The orders the library offers (the server also sorts by relevance, with a search). */
export const SORTS = ['published', 'title', 'updated', 'downloads'] as const;
export type DocumentSort = (typeof SORTS)[number];

export type Version = Static<typeof VersionSchema>;
export type FileInfo = Pick<Version, 'fileName' | 'mime' | 'size' | 'sha256'>;
export type PersonRef = Version['uploadedBy'];

/**
 * A document as listed. `snippetHtml` (only with a search) is server-escaped text whose only
 * markup is <mark>; `matchedVersion` the earlier version whose text matched, when the latest did not.
 */
export type DocumentSummary = Static<typeof DocumentSummarySchema>;
/** Either language may be empty, not both for a title. */
export type LocalizedText = DocumentSummary['title'];
/** A document with its versions, newest first. */
export type DocumentDetail = Static<typeof DocumentDetailSchema>;
/** In the trash; `deletedBy` is null once the person who deleted it is gone. */
export type TrashedDocument = Static<typeof TrashItemSchema>;

export type AuditEntry = Static<typeof AuditEntrySchema>;
/** What an upload or an edit sends (`metadata`); `publicationDate` is YYYY-MM-DD, a calendar date, not an instant. */
export type DocumentMetadata = Omit<Static<typeof NewDocumentMetadata>, 'changeNote'>;

/** The library's filters as the address holds them (strings, as typed in the address bar). */
export interface DocumentQuery {
  q?: string;
  type?: string;
  language?: string;
  year?: string;
  tag?: string;
  indicator?: string;
  threadId?: string;
  meetingId?: string;
  sort?: string;
  offset?: number;
  limit?: number;
}
