import { Type, type Static } from 'typebox';
import { PageLimit, PageOffset, Timestamp } from '../../shared/schemas.js';
import { CAUSES } from './domain/codes.js';
import { CaseSeriesSchema, DisaggregationSchema } from './domain/schemas.js';
import { CASE_STATUSES } from './domain/statuses.js';
import { IMPORT_FORMATS, RELEASE_FORMATS, RELEASE_SIDES } from './tables.js';

export const CaseStatusSchema = Type.Enum([...CASE_STATUSES.codes]);
export const CauseSchema = Type.Enum([...CAUSES.codes]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ToleranceSchema = Type.Object({ kind: Type.Enum(['absolute', 'relative']), value: Type.Number({ minimum: 0 }) });
export const DifferenceSchema = Type.Object({ absolute: Type.Number(), relative: Nullable(Type.Number()) });

export const ReleaseSummarySchema = Type.Object({
  observations: Type.Integer(),
  skipped: Type.Integer(),
  casesOpened: Type.Integer(),
  /** Per kind of change to the open cases: value_changed, nature_changed, now_within_tolerance... */
  changes: Type.Record(Type.String(), Type.Integer()),
});

export const ReleaseSchema = Type.Object({
  id: Type.String(),
  side: Type.Enum([...RELEASE_SIDES]),
  format: Type.Enum([...RELEASE_FORMATS]),
  agencyId: Nullable(Type.String()),
  country: Nullable(Type.String()),
  title: Type.String(),
  releaseDate: Nullable(Type.String()),
  link: Nullable(Type.String()),
  fileName: Type.String(),
  rowCount: Type.Integer(),
  summary: ReleaseSummarySchema,
  createdAt: Timestamp,
});
export type ReleaseView = Static<typeof ReleaseSchema>;

export const ImportQuerySchema = Type.Object({
  side: Type.Enum([...RELEASE_SIDES]),
  format: Type.Enum([...IMPORT_FORMATS]),
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  agencyId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  releaseDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  link: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
  fileName: Type.Optional(Type.String({ maxLength: 255 })),
});

export const RowErrorSchema = Type.Object({ row: Type.Integer(), code: Type.String(), message: Type.String(), column: Type.Optional(Type.String()), value: Type.Optional(Type.String()) });

export const ImportAnswerSchema = Type.Object({ release: ReleaseSchema });

const ObservationViewSchema = Type.Object({
  value: Type.Number(),
  unit: Type.String(),
  unitMult: Type.Integer(),
  nature: Nullable(Type.String()),
  source: Nullable(Type.String()),
  footnote: Nullable(Type.String()),
  sourceType: Nullable(Type.String()),
});

const PersonRefSchema = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
const AgreementSchema = Nullable(Type.Object({ at: Timestamp, by: PersonRefSchema }));

export const CaseSummarySchema = Type.Object({
  id: Type.String(),
  series: Type.String(),
  indicator: Type.String(),
  country: Type.String(),
  countryId: Type.String(),
  year: Type.Integer(),
  disaggregation: DisaggregationSchema,
  unit: Type.String(),
  unitMult: Type.Integer(),
  nationalValue: Type.Number(),
  internationalValue: Type.Number(),
  nature: Nullable(Type.String()),
  difference: DifferenceSchema,
  status: CaseStatusSchema,
  primaryCause: Nullable(CauseSchema),
  published: Type.Boolean(),
  agencyIds: Type.Array(Type.String()),
  updatedAt: Timestamp,
});
export type CaseSummary = Static<typeof CaseSummarySchema>;

export const CaseDetailSchema = Type.Object({
  ...CaseSummarySchema.properties,
  version: Type.Integer(),
  tolerance: ToleranceSchema,
  national: ObservationViewSchema,
  international: ObservationViewSchema,
  secondaryCauses: Type.Array(CauseSchema),
  explanation: Nullable(
    Type.Object({ text: Type.String(), agreedByCountry: AgreementSchema, agreedByAgency: AgreementSchema, updatedAt: Timestamp, updatedBy: PersonRefSchema }),
  ),
  publishedAt: Nullable(Timestamp),
  history: Type.Array(
    Type.Object({ from: CaseStatusSchema, to: CaseStatusSchema, at: Timestamp, by: PersonRefSchema, relation: Type.String(), note: Nullable(Type.String()), withdrewPublication: Type.Boolean() }),
  ),
  changes: Type.Array(Type.Object({ at: Timestamp, releaseId: Type.String(), change: Type.String(), before: Nullable(Type.Number()), after: Nullable(Type.Number()) })),
  /** The caller's relations to the case (country_delegation, coordinator, secretariat, agency_observer); empty for a reader of a published case. */
  relations: Type.Array(Type.String()),
  /** What the caller may do now, so the page offers only that. */
  allowed: Type.Object({ transitions: Type.Array(CaseStatusSchema), causes: Type.Boolean(), explanation: Type.Boolean(), agree: Type.Boolean(), publish: Type.Boolean(), comment: Type.Boolean() }),
});
export type CaseDetail = Static<typeof CaseDetailSchema>;

/** A post of the case's discussion (a debates thread): sanitized HTML, null for a hidden post. */
export const CasePostSchema = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  seq: Type.Integer(),
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  html: Nullable(Type.String()),
  hidden: Type.Boolean(),
  createdAt: Timestamp,
});
export type CasePostView = Static<typeof CasePostSchema>;
/** The case's thread (opened by its first comment): its page, and how many posts it holds. */
export const CaseThreadSchema = Type.Object({ id: Type.String(), href: Type.String(), postCount: Type.Integer() });
/** The discussion as the case page shows it: the thread, or null before the first comment, and its latest posts, oldest first. */
export const CaseDiscussionSchema = Type.Object({ thread: Nullable(CaseThreadSchema), posts: Type.Array(CasePostSchema) });
export type CaseDiscussion = Static<typeof CaseDiscussionSchema>;

export const CasePageSchema = Type.Object({ case: CaseDetailSchema, series: CaseSeriesSchema, discussion: CaseDiscussionSchema });
export const CaseAnswerSchema = Type.Object({ case: CaseDetailSchema });

/** Filters the lists, the matrix and the exports share. */
export const CaseFilterProperties = {
  /** A goal: "4" holds the indicators 4.1, 4.2... */
  goal: Type.Optional(Type.String({ minLength: 1, maxLength: 8, pattern: '^[0-9A-Za-z]+$' })),
  /** Primary or secondary cause. */
  cause: Type.Optional(CauseSchema),
  /** The agency whose international value the case compares. */
  agencyId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

export const CaseListQuerySchema = Type.Object({
  indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  countryId: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })),
  status: Type.Optional(CaseStatusSchema),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
  ...CaseFilterProperties,
  limit: PageLimit(200, 50),
  offset: PageOffset(),
});
export const CaseListSchema = Type.Object({ items: Type.Array(CaseSummarySchema), total: Type.Integer() });

export const MatrixQuerySchema = Type.Object({
  /** For one indicator, the matrix is country × year. */
  indicator: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  status: Type.Optional(CaseStatusSchema),
  ...CaseFilterProperties,
});
export const MatrixSchema = Type.Object({
  by: Type.Enum(['indicator', 'year']),
  rows: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  cells: Type.Array(
    Type.Object({ row: Type.String(), countryId: Type.String(), cases: Type.Integer(), status: CaseStatusSchema, gap: Type.Number(), published: Type.Integer() }),
  ),
});
export type Matrix = Static<typeof MatrixSchema>;

export const CaseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const TransitionBody = Type.Object({ to: CaseStatusSchema, note: Type.Optional(Type.String({ maxLength: 5000 })), version: Type.Optional(Type.Integer({ minimum: 0 })) });
export const CausesBody = Type.Object({ primary: CauseSchema, secondary: Type.Array(CauseSchema, { maxItems: 12, default: [] }) });
export const ExplanationBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 20000 }) });
export const CommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S' }) });
export const CommentAnswerSchema = Type.Object({ post: CasePostSchema, thread: CaseThreadSchema });
export const ToleranceParams = Type.Object({ series: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_.-]+$' }) });
export const ReleaseListSchema = Type.Object({ items: Type.Array(ReleaseSchema), total: Type.Integer() });
export const TemplateQuerySchema = Type.Object({ lang: Type.Optional(Type.Enum(['en', 'es'])), format: Type.Optional(Type.Enum(['csv', 'xlsx'])) });
