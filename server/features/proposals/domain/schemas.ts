import { Type, type TSchema } from 'typebox';
import { ELIGIBILITIES, OUTCOME_MAX_LENGTH, POSITIONS, REASON_MAX_LENGTH, STATEMENT_MAX_LENGTH } from './proposal.js';

/**
 * TypeBox schemas of what the proposals send and receive, next to the domain so that the routes,
 * the OpenAPI document and the client share one definition.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });

export const NewProposalSchema = Type.Object(
  { statement: Type.String({ minLength: 1, maxLength: STATEMENT_MAX_LENGTH }), closesAt: Instant, eligibility: Type.Enum([...ELIGIBILITIES]) },
  { additionalProperties: false },
);

export const ProposalSchema = Type.Object(
  {
    id: Id,
    threadId: Id,
    proposerId: Id,
    statement: Type.String(),
    eligibility: Type.Enum([...ELIGIBILITIES]),
    closesAt: Instant,
    createdAt: Instant,
    closedAt: Nullable(Instant),
    closedBy: Nullable(Id),
    outcome: Nullable(Type.Object({ markdown: Type.String(), by: Id, at: Instant, editedAt: Nullable(Instant) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const PositionInputSchema = Type.Object(
  {
    position: Type.Enum([...POSITIONS]),
    reason: Type.Optional(Nullable(Type.String({ maxLength: REASON_MAX_LENGTH }))),
    /** The revision of the stored position this one replaces (null: none was seen). */
    replaces: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  { additionalProperties: false },
);

export const PositionSchema = Type.Object(
  {
    proposalId: Id,
    voterKey: Type.String({ pattern: '^[pc]:.+$' }),
    countryId: Nullable(Id),
    position: Type.Enum([...POSITIONS]),
    reason: Nullable(Type.String()),
    by: Id,
    at: Instant,
    revision: Type.Integer({ minimum: 1 }),
    fromPoll: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ResultsSchema = Type.Object(
  {
    counts: Type.Object({ agree: Type.Integer(), abstain: Type.Integer(), disagree: Type.Integer(), block: Type.Integer(), none: Type.Integer() }, { additionalProperties: false }),
    eligible: Type.Integer({ minimum: 0 }),
    grid: Nullable(
      Type.Array(
        Type.Object(
          { countryId: Id, name: Type.String(), position: Nullable(Type.Enum([...POSITIONS])), reason: Nullable(Type.String()), by: Nullable(Id), at: Nullable(Instant) },
          { additionalProperties: false },
        ),
      ),
    ),
    pending: Type.Array(Id),
  },
  { additionalProperties: false },
);

export const OutcomeInputSchema = Type.Object(
  { markdown: Type.String({ minLength: 1, maxLength: OUTCOME_MAX_LENGTH }), concludeThread: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
