import { Type, type TSchema } from 'typebox';
import { COMMENT_MAX_LENGTH, COMMENT_TYPES } from './comments.js';
import { DISPOSITION_KINDS, RATIONALE_MAX_LENGTH, REPLY_KINDS, REPLY_MAX_LENGTH } from './dispositions.js';
import { MAX_PASSAGE_LENGTH } from './anchors.js';
import { MATRIX_COLUMNS } from './matrix.js';

/**
 * TypeBox schemas of what the comment rounds send and receive, next to the domain so that the
 * routes, the OpenAPI document and the client share one definition. Each matches the domain type of
 * the same name (tests/server/rounds/schemas.test.ts checks the domain's output against them).
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });
const BlockId = Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9.]+$' });
const Instant = Type.String({ format: 'date-time' });
const Offset = Type.Integer({ minimum: 0, maximum: 10_000_000 });

export const AnchorInputSchema = Type.Union([
  Type.Object({ kind: Type.Literal('document') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('paragraph'), blockId: BlockId }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('passage'), blockId: BlockId, exact: Type.String({ minLength: 1, maxLength: MAX_PASSAGE_LENGTH * 2 }), start: Type.Optional(Offset), end: Type.Optional(Offset) },
    { additionalProperties: false },
  ),
]);

export const AnchorSchema = Type.Union([
  Type.Object({ kind: Type.Literal('document') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('paragraph'), blockId: BlockId, label: Type.String() }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('passage'),
      blockId: BlockId,
      label: Type.String(),
      quote: Type.Object({ exact: Type.String({ minLength: 1 }), prefix: Type.String(), suffix: Type.String() }, { additionalProperties: false }),
      position: Type.Object({ start: Offset, end: Offset }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
]);

const BlockKindSchema = Type.Enum(['title', 'heading', 'paragraph']);
const BlockRoleSchema = Type.Enum(['text', 'list-item', 'table-row', 'quote', 'code']);

export const BlockSchema = Type.Object(
  { id: BlockId, kind: BlockKindSchema, section: Type.String(), paragraph: Type.Integer({ minimum: 0 }), level: Type.Integer({ minimum: 0, maximum: 9 }), label: Type.String(), role: BlockRoleSchema, text: Type.String() },
  { additionalProperties: false },
);

export const DocumentStructureSchema = Type.Object(
  { format: Type.Enum(['markdown', 'docx', 'pdf', 'text']), title: Nullable(Type.String()), blocks: Type.Array(BlockSchema) },
  { additionalProperties: false },
);

const AlignmentKindSchema = Type.Enum(['kept', 'changed', 'moved', 'inserted', 'deleted']);
const ComparedBlockSchema = Type.Object({ id: BlockId, label: Type.String(), kind: BlockKindSchema, role: BlockRoleSchema, text: Type.String() }, { additionalProperties: false });
export const WordChangeSchema = Type.Object({ op: Type.Enum(['equal', 'insert', 'delete']), text: Type.String() }, { additionalProperties: false });

export const ComparisonSchema = Type.Object(
  {
    rows: Type.Array(
      Type.Object(
        { kind: AlignmentKindSchema, old: Nullable(ComparedBlockSchema), new: Nullable(ComparedBlockSchema), similarity: Type.Number({ minimum: 0, maximum: 1 }), words: Nullable(Type.Array(WordChangeSchema)) },
        { additionalProperties: false },
      ),
    ),
    counts: Type.Object({ kept: Type.Integer(), changed: Type.Integer(), moved: Type.Integer(), inserted: Type.Integer(), deleted: Type.Integer() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const ReanchoredSchema = Type.Object(
  {
    status: Type.Enum(['kept', 'drifted', 'orphaned']),
    anchor: Nullable(AnchorSchema),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    reason: Type.Enum(['unchanged', 'paragraph_changed', 'paragraph_moved', 'passage_changed', 'passage_elsewhere', 'paragraph_deleted', 'passage_not_found']),
    from: Nullable(Type.Object({ blockId: BlockId, label: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const PartySchema = Type.Object({ kind: Type.Enum(['country', 'organization']), id: Id }, { additionalProperties: false });

export const CommentInputSchema = Type.Object(
  {
    type: Type.Enum([...COMMENT_TYPES]),
    text: Type.String({ minLength: 1, maxLength: COMMENT_MAX_LENGTH }),
    proposedText: Type.Optional(Nullable(Type.String({ maxLength: COMMENT_MAX_LENGTH }))),
    anchor: AnchorInputSchema,
  },
  { additionalProperties: false },
);

export const CommentSchema = Type.Object(
  {
    id: Id,
    roundId: Id,
    party: PartySchema,
    authorId: Id,
    type: Type.Enum([...COMMENT_TYPES]),
    text: Type.String(),
    proposedText: Nullable(Type.String()),
    anchor: AnchorSchema,
    state: Type.Enum(['draft', 'submitted']),
    createdAt: Instant,
    updatedAt: Instant,
    updatedBy: Id,
    submittedAt: Nullable(Instant),
  },
  { additionalProperties: false },
);

export const DispositionInputSchema = Type.Object(
  { kind: Type.Enum([...DISPOSITION_KINDS]), rationale: Type.Optional(Nullable(Type.String({ maxLength: RATIONALE_MAX_LENGTH }))) },
  { additionalProperties: false },
);

export const DispositionSchema = Type.Object(
  {
    commentId: Id,
    kind: Type.Enum([...DISPOSITION_KINDS]),
    rationale: Nullable(Type.String()),
    appliedIn: Nullable(Type.Object({ versionId: Id, blockId: Nullable(BlockId), label: Nullable(Type.String()) }, { additionalProperties: false })),
    revision: Type.Integer({ minimum: 1 }),
    decidedAt: Instant,
    decidedBy: Id,
  },
  { additionalProperties: false },
);

export const ReplyInputSchema = Type.Object({ kind: Type.Enum([...REPLY_KINDS]), text: Type.Optional(Nullable(Type.String({ maxLength: REPLY_MAX_LENGTH }))) }, { additionalProperties: false });

export const ReplySchema = Type.Object(
  { commentId: Id, kind: Type.Enum([...REPLY_KINDS]), text: Nullable(Type.String()), toRevision: Type.Integer({ minimum: 1 }), at: Instant, by: Id },
  { additionalProperties: false },
);

export const EffectiveReplySchema = Type.Enum(['none', 'pending', 'satisfied', 'objects', 'accepted_by_silence']);

export const MatrixRowSchema = Type.Object(
  {
    number: Type.Integer({ minimum: 1 }),
    commentId: Id,
    party: Type.String(),
    anchor: Type.String(),
    quote: Nullable(Type.String()),
    type: Type.String(),
    comment: Type.String(),
    proposedChange: Type.String(),
    disposition: Type.String(),
    rationale: Type.String(),
    reply: Type.String(),
    appliedIn: Type.String(),
  },
  { additionalProperties: false },
);

export const MatrixColumnsSchema = Type.Object(Object.fromEntries(MATRIX_COLUMNS.map((key) => [key, Type.String()])), { additionalProperties: false });
