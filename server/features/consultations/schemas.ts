import { Type, type Static, type TSchema } from 'typebox';
import { IdSchema, Timestamp } from '../../shared/schemas.js';
import { RESPONDENT_STATUSES } from './domain/lifecycle.js';
import { REVIEW_STATUSES } from './domain/review.js';
import { AnswerProblemSchema, AnswerSaveSchema, AnswerValueSchema, QuestionnaireSchema, IdSchema as QuestionIdSchema } from './domain/schemas.js';

/** The consultations' request and response shapes (docs/consultations-api.md). */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Bilingual = (maxLength: number, minLength = 0) => Type.Object({ es: Type.String({ maxLength, minLength }), en: Type.String({ maxLength, minLength }) }, { additionalProperties: false });

export { AnswerSaveSchema, QuestionnaireSchema };

export const TitleInput = Bilingual(200);
export const PurposeInput = Bilingual(20_000);
export const RespondentIdSchema = Type.String({ pattern: '^[a-z0-9_-]{2,40}$', description: 'A country id (cl) or an organization id (unicef)' });

export const DeadlineSchema = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD in the organizer zone' }),
    time: Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:mm, 24-hour' }),
    zone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the organizer' }),
  },
  { additionalProperties: false },
);

/** What the consultation is about: library documents and meetings (by id), indicators (by code). */
export const RelatedInput = Type.Object(
  {
    documents: Type.Optional(Type.Array(IdSchema, { maxItems: 50, uniqueItems: true })),
    meetings: Type.Optional(Type.Array(IdSchema, { maxItems: 50, uniqueItems: true })),
    indicators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 16 }), { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type RelatedInput = Static<typeof RelatedInput>;

export const NewConsultationBody = Type.Object(
  {
    title: TitleInput,
    purpose: Type.Optional(PurposeInput),
    deadline: DeadlineSchema,
    /** Country ids and organization ids; absent: every country. */
    targets: Type.Optional(Type.Array(RespondentIdSchema, { maxItems: 100, uniqueItems: true })),
    questionnaire: Type.Optional(QuestionnaireSchema),
    /** An earlier consultation with the same questionnaire: each delegation's draft is pre-filled from its answer to it. */
    earlierRoundId: Type.Optional(IdSchema),
    related: Type.Optional(RelatedInput),
  },
  { additionalProperties: false },
);
export type NewConsultationBody = Static<typeof NewConsultationBody>;

export const ConsultationPatch = Type.Object(
  {
    /** The version the editor loaded: refused with 409 stale_version when someone changed it since. */
    version: Type.Integer({ minimum: 1 }),
    title: Type.Optional(TitleInput),
    purpose: Type.Optional(PurposeInput),
    deadline: Type.Optional(DeadlineSchema),
    targets: Type.Optional(Type.Array(RespondentIdSchema, { maxItems: 100, uniqueItems: true })),
    questionnaire: Type.Optional(QuestionnaireSchema),
    /** Replaces what is given: each list given becomes exactly the related ones of its kind. */
    related: Type.Optional(RelatedInput),
  },
  { additionalProperties: false },
);
export type ConsultationPatch = Static<typeof ConsultationPatch>;

const StatusSchema = Type.Enum(['draft', 'open', 'closed']);
const RespondentStatusSchema = Type.Enum([...RESPONDENT_STATUSES]);
const ReviewStatusSchema = Type.Enum([...REVIEW_STATUSES]);

const ZonedSchema = Type.Object({ date: Type.String(), time: Type.String(), zone: Type.String(), offset: Type.String() });

const Person = Type.Object({ id: Type.String(), displayName: Type.String() });

export const RespondentRefSchema = Type.Object({ id: Type.String(), kind: Type.Enum(['country', 'organization']), name: Bilingual(500), code: Type.String() });

/** What a delegate sees of its own delegation's position in a consultation. */
export const MyPositionSchema = Type.Object({
  respondent: RespondentRefSchema,
  status: RespondentStatusSchema,
  writableUntil: Timestamp,
  maySubmit: Type.Boolean(),
  submissions: Type.Integer(),
  reopened: Type.Boolean(),
  declinedReason: Nullable(Type.String()),
  openQueries: Type.Integer(),
});

export const ConsultationSummarySchema = Type.Object({
  id: Type.String(),
  title: Bilingual(200),
  status: StatusSchema,
  deadline: DeadlineSchema,
  deadlineAt: Timestamp,
  /** The deadline in the reader's own time zone. */
  deadlineForReader: ZonedSchema,
  openedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  questionCount: Type.Integer(),
  targetCount: Type.Integer(),
  mine: Nullable(MyPositionSchema),
});

export const ConsultationDetailSchema = Type.Object({
  ...ConsultationSummarySchema.properties,
  purpose: Bilingual(20_000),
  version: Type.Integer(),
  targets: Type.Array(RespondentRefSchema),
  questionnaire: QuestionnaireSchema,
  summary: Nullable(Type.Object({ text: Bilingual(20_000), publishedAt: Timestamp })),
  createdBy: Person,
  createdAt: Timestamp,
  mayManage: Type.Boolean(),
  earlierRoundId: Nullable(Type.String()),
  /** Related documents and meetings the reader may read (others are left out), and indicator codes. */
  related: Type.Object({
    items: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), title: Type.String(), href: Type.String() })),
    indicators: Type.Array(Type.String()),
  }),
});

export const ListResponse = Type.Object({
  items: Type.Array(ConsultationSummarySchema),
  /** What my delegation still has to answer, the nearest deadline first. */
  waiting: Type.Array(ConsultationSummarySchema),
});

const FieldMetaSchema = Type.Object({ revision: Type.Integer(), by: Nullable(Type.String()), at: Type.Number(), prefilled: Nullable(Type.Object({ from: Type.String() })) });

export const DraftSchema = Type.Object({
  revision: Type.Integer(),
  answers: Type.Record(Type.String(), AnswerValueSchema),
  fields: Type.Record(Type.String(), FieldMetaSchema),
  /** The people named in `fields`. */
  people: Type.Record(Type.String(), Type.String()),
});

/** The library documents file answers name, by id, as the reader may see them: their titles (the file's name). */
export const AnswerDocumentsSchema = Type.Record(Type.String(), Type.Object({ title: Type.Object({ es: Type.String(), en: Type.String() }) }));
/** A file a delegate uploaded for a file question: a library document restricted to the delegation and the organizers. */
export const AnswerFileResponse = Type.Object({ document: Type.Object({ id: Type.String(), title: Type.Object({ es: Type.String(), en: Type.String() }) }) });
/** A delegate's reply by mail that answered no query, kept beside the draft (never one of the answers). */
export const MailNoteSchema = Type.Object({ id: Type.String(), by: Person, at: Timestamp, text: Type.String() });

export const DraftResponse = Type.Object({
  draft: DraftSchema,
  position: MyPositionSchema,
  generatedRows: Type.Record(Type.String(), Type.Array(Type.Unknown())),
  /** The delegation's replies by mail kept as notes, oldest first. */
  mailNotes: Type.Array(MailNoteSchema),
  documents: AnswerDocumentsSchema,
});

export const ChangeSchema = Type.Object({
  id: Type.Integer(),
  field: Type.String(),
  kind: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  by: Nullable(Person),
  at: Timestamp,
  revision: Type.Integer(),
});

export const SubmitBody = Type.Object({ revision: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export const DeclineBody = Type.Object({ reason: Type.String({ maxLength: 4_000 }) }, { additionalProperties: false });
export const SubmitterBody = Type.Object({ userId: Nullable(IdSchema) }, { additionalProperties: false });
export const ExtensionBody = Type.Object({ until: Timestamp, reason: Type.Optional(Type.String({ maxLength: 4_000 })) }, { additionalProperties: false });
export const SummaryBody = Type.Object({ text: PurposeInput }, { additionalProperties: false });
export const QueryBody = Type.Object({ question: QuestionIdSchema, text: Type.String({ maxLength: 20_000 }) }, { additionalProperties: false });
export const MessageBody = Type.Object({ text: Type.String({ maxLength: 20_000 }) }, { additionalProperties: false });

export const MatrixRowSchema = Type.Object({
  respondent: RespondentRefSchema,
  status: RespondentStatusSchema,
  submissions: Type.Integer(),
  lastSubmittedAt: Nullable(Timestamp),
  submittedLate: Type.Boolean(),
  reopened: Type.Boolean(),
  lastWriteAt: Nullable(Timestamp),
  declinedReason: Nullable(Type.String()),
  extensionUntil: Nullable(Timestamp),
  writableUntil: Timestamp,
  openQueries: Type.Integer(),
});
export const MatrixResponse = Type.Object({ rows: Type.Array(MatrixRowSchema), counts: Type.Record(Type.String(), Type.Integer()), total: Type.Integer() });

const QueryMessageSchema = Type.Object({ id: Type.String(), by: Nullable(Person), side: Type.Enum(['organizer', 'respondent']), at: Timestamp, text: Type.String() });
export const QuerySchema = Type.Object({ id: Type.String(), openedBy: Nullable(Person), openedAt: Timestamp, resolvedAt: Nullable(Timestamp), messages: Type.Array(QueryMessageSchema) });
export const ReviewSchema = Type.Object({ question: Type.String(), status: ReviewStatusSchema, acceptedAt: Nullable(Timestamp), queries: Type.Array(QuerySchema) });

export const SubmissionSchema = Type.Object({
  number: Type.Integer(),
  at: Timestamp,
  by: Nullable(Person),
  late: Type.Boolean(),
  answers: Type.Record(Type.String(), AnswerValueSchema),
  /** What changed since the previous submission, one sentence each, in the reader's language. */
  changes: Type.Array(Type.String()),
  /** A data validation round: per answered row, what the register made of it (the case opened or updated). */
  validation: Nullable(
    Type.Array(
      Type.Object({
        question: Type.String(),
        row: Type.String(),
        action: Type.Enum(['confirm', 'correct', 'explain']),
        outcome: Type.String(),
        caseId: Nullable(Type.String()),
      }),
    ),
  ),
});

export const RespondentResponse = Type.Object({
  respondent: RespondentRefSchema,
  status: RespondentStatusSchema,
  submissions: Type.Array(SubmissionSchema),
  reviews: Type.Array(ReviewSchema),
  documents: AnswerDocumentsSchema,
});

export const ReviewResponse = Type.Object({ review: ReviewSchema });

export const SideBySideResponse = Type.Object({ sections: Type.Array(Type.Unknown()) });

export const ExportQuery = Type.Object(
  {
    layout: Type.Optional(Type.Enum(['wide', 'long'], { default: 'wide' })),
    separator: Type.Optional(Type.Enum(['comma', 'semicolon'])),
    /** For the wide CSV: which of its files (the by-country one first, then one per table). */
    file: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  },
  { additionalProperties: false },
);

export { AnswerProblemSchema };
