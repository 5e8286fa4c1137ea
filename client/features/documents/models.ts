/**
 * Shapes of the document library API (docs/documents-api.md). Kept by hand: the client must
 * not import server code.
 */

export const DOCUMENT_TYPES = ['report', 'methodology_note', 'minutes', 'presentation', 'dataset', 'questionnaire', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_LANGUAGES = ['es', 'en', 'pt', 'fr'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export const VISIBILITIES = ['draft', 'group', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const SORTS = ['published', 'title', 'updated', 'downloads'] as const;
export type DocumentSort = (typeof SORTS)[number];

/** Either language may be empty, not both for a title. */
export interface LocalizedText {
  es: string;
  en: string;
}

export interface PersonRef {
  id: string;
  displayName: string;
}

export interface FileInfo {
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface Version extends FileInfo {
  number: number;
  changeNote: string;
  uploadedAt: string;
  uploadedBy: PersonRef;
}

export interface DocumentSummary extends DocumentMetadata {
  id: string;
  relatedMeetingId: string | null;
  latestVersion: Version;
  versionCount: number;
  downloadCount: number;
  createdAt: string;
  updatedAt: string;
  /** Only with a search: server-escaped text whose only markup is <mark>. */
  snippetHtml: string | null;
  /** Only with a search: the earlier version whose text matched, when the latest did not. */
  matchedVersion?: number | null;
}

export interface DocumentDetail extends DocumentSummary {
  /** Newest first. */
  versions: Version[];
  mayEdit: boolean;
  deletedAt: string | null;
}

export interface TrashedDocument extends DocumentSummary {
  deletedAt: string;
  /** null once the person who deleted it is gone. */
  deletedBy: PersonRef | null;
  purgeAfter: string;
}

export type AuditAction = 'uploaded' | 'version_added' | 'updated' | 'deleted' | 'restored' | 'purged';

export interface AuditEntry {
  action: AuditAction;
  actor: PersonRef | null;
  at: string;
  details: unknown;
}

/** What an upload or an edit sends (`metadata`). */
export interface DocumentMetadata {
  title: LocalizedText;
  description: LocalizedText;
  type: DocumentType;
  languages: DocumentLanguage[];
  /** YYYY-MM-DD: a calendar date, not an instant. */
  publicationDate: string;
  tags: string[];
  indicatorCodes: string[];
  visibility: Visibility;
  authorCountryId: string | null;
  authorOrganizationId: string | null;
  relatedThreadId: string | null;
}

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
