import { Type, type Static, type TSchema } from 'typebox';
import { IdSchema, Timestamp } from '../../shared/schemas.js';
import {
  AnchorInputSchema,
  AnchorSchema,
  CommentInputSchema,
  ComparisonSchema,
  DispositionInputSchema,
  DispositionSchema,
  DocumentStructureSchema,
  EffectiveReplySchema,
  MatrixColumnsSchema,
  MatrixRowSchema,
  PartySchema,
  ReanchoredSchema,
  ReplyInputSchema,
  ReplySchema,
} from './domain/schemas.js';
import { COMMENT_TYPES } from './domain/comments.js';

/** The rounds' API shapes (docs/rounds-api.md), over the domain's schemas. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const CountryIds = Type.Array(Type.String({ minLength: 2, maxLength: 8 }), { maxItems: 100 });

export const RoundStatusSchema = Type.Enum(['draft', 'open', 'closed', 'dispositions', 'concluded', 'cancelled']);

export const NewRoundSchema = Type.Object(
  {
    documentId: IdSchema,
    version: Type.Integer({ minimum: 1, maximum: 100_000 }),
    consulted: Type.Object({ countryIds: CountryIds, organizationIds: CountryIds }, { additionalProperties: false }),
    deadline: Timestamp,
    instructions: Type.Optional(Type.String({ maxLength: 20_000 })),
    /** Open it at once (the usual case) rather than keep it as a draft to prepare. */
    open: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewRound = Static<typeof NewRoundSchema>;

export const PartyViewSchema = Type.Object(
  { party: PartySchema, key: Type.String(), name: Type.String(), submittedAt: Nullable(Timestamp), revision: Type.Integer({ minimum: 0 }), comments: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const SilenceSchema = Type.Object(
  {
    id: IdSchema,
    version: Type.Integer(),
    countryIds: Type.Array(Type.String()),
    deadline: Timestamp,
    startedAt: Timestamp,
    outcome: Type.Enum(['running', 'adopted', 'broken', 'cancelled']),
    breaks: Type.Array(Type.Object({ party: PartySchema, name: Type.String(), reason: Type.String(), at: Timestamp }, { additionalProperties: false })),
    mayBreak: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const RoundSummarySchema = Type.Object(
  {
    id: IdSchema,
    documentId: IdSchema,
    documentTitle: Type.Object({ es: Type.String(), en: Type.String() }, { additionalProperties: false }),
    version: Type.Integer(),
    nextVersion: Nullable(Type.Integer()),
    status: RoundStatusSchema,
    deadline: Timestamp,
    replyDeadline: Nullable(Timestamp),
    instructions: Type.String(),
    consulted: Type.Object({ countryIds: Type.Array(Type.String()), organizationIds: Type.Array(Type.String()) }, { additionalProperties: false }),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);

export const CommentViewSchema = Type.Object(
  {
    id: IdSchema,
    party: PartySchema,
    partyName: Type.String(),
    authorId: IdSchema,
    authorName: Type.String(),
    type: Type.Enum([...COMMENT_TYPES]),
    text: Type.String(),
    proposedText: Nullable(Type.String()),
    anchor: AnchorSchema,
    state: Type.Enum(['draft', 'submitted']),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    submittedAt: Nullable(Timestamp),
    mayEdit: Type.Boolean(),
    disposition: Nullable(DispositionSchema),
    reply: Nullable(ReplySchema),
    effectiveReply: EffectiveReplySchema,
    mayReply: Type.Boolean(),
    /** Where the comment's anchor is in the round's next version, once attached. */
    reanchored: Nullable(ReanchoredSchema),
  },
  { additionalProperties: false },
);
export type CommentView = Static<typeof CommentViewSchema>;

/**
 * Where the comments of an answer stop: the last block whose comments it carries and how many
 * comments further on the reader may read (GET /api/rounds/:id/comments?after=<after> gives the
 * next ones); null when it carries the rest.
 */
export const MoreCommentsSchema = Nullable(Type.Object({ after: Type.String(), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }));
export type MoreComments = Static<typeof MoreCommentsSchema>;

export const RoundDetailSchema = Type.Object(
  {
    round: RoundSummarySchema,
    structure: DocumentStructureSchema,
    nextStructure: Nullable(DocumentStructureSchema),
    versions: Type.Array(Type.Object({ number: Type.Integer(), fileName: Type.String(), uploadedAt: Timestamp }, { additionalProperties: false })),
    me: Type.Object(
      {
        party: Nullable(PartySchema),
        partyName: Nullable(Type.String()),
        isOrganizer: Type.Boolean(),
        maySubmit: Type.Boolean(),
        submission: Nullable(Type.Object({ revision: Type.Integer(), submittedAt: Timestamp }, { additionalProperties: false })),
        drafts: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    parties: Type.Array(PartyViewSchema),
    /** The comments on the document as a whole and on its opening blocks (see moreComments). */
    comments: Type.Array(CommentViewSchema),
    moreComments: MoreCommentsSchema,
    dispositionsVisible: Type.Boolean(),
    silence: Nullable(SilenceSchema),
  },
  { additionalProperties: false },
);
export type RoundDetail = Static<typeof RoundDetailSchema>;

export const RoundIdParams = Type.Object({ id: IdSchema });

export const LaterCommentsQuery = Type.Object({ after: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });
export const LaterCommentsSchema = Type.Object({ comments: Type.Array(CommentViewSchema), moreComments: MoreCommentsSchema }, { additionalProperties: false });
export type LaterComments = Static<typeof LaterCommentsSchema>;
export const CommentParams = Type.Object({ id: IdSchema, commentId: IdSchema });
export const ListRoundsQuery = Type.Object(
  { documentId: Type.Optional(IdSchema), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })) },
  { additionalProperties: false },
);

export const CommentUpdateSchema = Type.Partial(CommentInputSchema, { additionalProperties: false });
export { AnchorInputSchema, CommentInputSchema, DispositionInputSchema, ReplyInputSchema, ComparisonSchema, MatrixRowSchema, MatrixColumnsSchema };

export const PublishSchema = Type.Object({ replyDeadline: Timestamp }, { additionalProperties: false });
export const NextVersionSchema = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 100_000 }) }, { additionalProperties: false });
export const AppliedInSchema = Type.Object({ blockId: Nullable(Type.String({ minLength: 1, maxLength: 60 })) }, { additionalProperties: false });
export const SilenceStartSchema = Type.Object({ deadline: Timestamp, countryIds: Type.Optional(CountryIds) }, { additionalProperties: false });
export const SilenceBreakSchema = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 5_000 }) }, { additionalProperties: false });

export const MatrixSchema = Type.Object(
  {
    language: Type.Enum(['en', 'es', 'pt', 'fr']),
    documentTitle: Type.String(),
    versionName: Type.String(),
    columns: MatrixColumnsSchema,
    rows: Type.Array(MatrixRowSchema),
    generatedAt: Timestamp,
  },
  { additionalProperties: false },
);
