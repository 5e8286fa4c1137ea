import { Type, type Static } from 'typebox';
import { PageLimit, PageOffset, Timestamp } from '../../shared/schemas.js';
import { DOCUMENT_LANGUAGES, DOCUMENT_TYPES, VISIBILITIES } from './tables.js';
import { INDICATOR_REF_MAX_LENGTH, INDICATOR_REF_PATTERN } from '../indicators/public.js';

/** The library's request and response shapes (docs/documents-api.md). */

const LocalizedText = (maxLength: number) => Type.Object({ es: Type.String({ maxLength }), en: Type.String({ maxLength }) }, { additionalProperties: false });
// An MDG 2008 code ("4.1"), or any indicator of the catalogue as `<version id>:<code>` (server/features/indicators).
const IndicatorCode = Type.String({ minLength: 3, maxLength: INDICATOR_REF_MAX_LENGTH, pattern: INDICATOR_REF_PATTERN });
const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });
const OptionalId = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]);

export const DocumentTypeSchema = Type.Enum([...DOCUMENT_TYPES]);
export const VisibilitySchema = Type.Enum([...VISIBILITIES]);
export const LanguageSchema = Type.Enum([...DOCUMENT_LANGUAGES]);

const metadataFields = {
  title: LocalizedText(300),
  description: Type.Optional(LocalizedText(5000)),
  type: DocumentTypeSchema,
  languages: Type.Array(LanguageSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
  publicationDate: Type.String({ format: 'date' }),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  indicatorCodes: Type.Optional(Type.Array(IndicatorCode, { maxItems: 30 })),
  // 'restricted' only stays what it was (assertValid): another feature files such documents.
  visibility: VisibilitySchema,
  authorCountryId: Type.Optional(OptionalId),
  authorOrganizationId: Type.Optional(OptionalId),
  relatedThreadId: Type.Optional(OptionalId),
  relatedMeetingId: Type.Optional(OptionalId),
};

/** The `metadata` part of an upload. */
export const NewDocumentMetadata = Type.Object({ ...metadataFields, changeNote: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type NewDocumentMetadata = Static<typeof NewDocumentMetadata>;

export const DocumentChanges = Type.Partial(Type.Object(metadataFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
export type DocumentChanges = Static<typeof DocumentChanges>;

const PersonRef = Type.Object({ id: Type.String(), displayName: Type.String() });

export const VersionSchema = Type.Object({
  number: Type.Integer(),
  fileName: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  changeNote: Type.String(),
  uploadedAt: Timestamp,
  uploadedBy: PersonRef,
});

const summaryFields = {
  id: Type.String(),
  title: LocalizedText(300),
  description: LocalizedText(5000),
  type: DocumentTypeSchema,
  languages: Type.Array(Type.String()),
  publicationDate: Type.String(),
  tags: Type.Array(Type.String()),
  indicatorCodes: Type.Array(Type.String()),
  visibility: VisibilitySchema,
  authorCountryId: Type.Union([Type.String(), Type.Null()]),
  authorOrganizationId: Type.Union([Type.String(), Type.Null()]),
  relatedThreadId: Type.Union([Type.String(), Type.Null()]),
  relatedMeetingId: Type.Union([Type.String(), Type.Null()]),
  latestVersion: VersionSchema,
  versionCount: Type.Integer(),
  downloadCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  snippetHtml: Type.Union([Type.String(), Type.Null()]),
};

export const DocumentSummarySchema = Type.Object({
  ...summaryFields,
  /** Null unless the words were found only in an earlier version's text: then that version's number (the newest such). */
  matchedVersion: Type.Union([Type.Integer(), Type.Null()]),
});

export const DocumentDetailSchema = Type.Object({
  ...summaryFields,
  versions: Type.Array(VersionSchema),
  mayEdit: Type.Boolean(),
  deletedAt: Type.Union([Timestamp, Type.Null()]),
});

export const TrashItemSchema = Type.Object({
  ...summaryFields,
  deletedAt: Timestamp,
  deletedBy: Type.Union([PersonRef, Type.Null()]),
  purgeAfter: Timestamp,
});

export const AuditEntrySchema = Type.Object({
  action: Type.String(),
  actor: Type.Union([PersonRef, Type.Null()]),
  at: Timestamp,
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Optional(DocumentTypeSchema),
    language: Type.Optional(LanguageSchema),
    year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2200 })),
    tag: Type.Optional(Tag),
    indicator: Type.Optional(IndicatorCode),
    threadId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    meetingId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sort: Type.Optional(Type.Enum(['relevance', 'published', 'title', 'updated', 'downloads'])),
    offset: PageOffset(),
    limit: PageLimit(50, 20),
  },
  { additionalProperties: false },
);

export const DownloadQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })), disposition: Type.Optional(Type.Enum(['attachment', 'inline'])) },
  { additionalProperties: false },
);
