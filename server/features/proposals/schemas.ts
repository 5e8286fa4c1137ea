import { Type, type Static } from 'typebox';
import { IdSchema } from '../../shared/schemas.js';
import { NewProposalSchema, OutcomeInputSchema, PositionInputSchema, PositionSchema, ProposalSchema, ResultsSchema } from './domain/schemas.js';
import { POSITIONS } from './domain/proposal.js';

/** What the proposals' routes send and receive (docs/proposals-api.md), over the domain's schemas. */

export { NewProposalSchema, OutcomeInputSchema, PositionInputSchema };

export const ProposalViewSchema = Type.Object(
  {
    ...ProposalSchema.properties,
    statementHtml: Type.String(),
    outcomeHtml: Type.Union([Type.String(), Type.Null()]),
    /** Before the closing time and not closed early (on the server's clock). */
    open: Type.Boolean(),
    fromPollId: Type.Union([IdSchema, Type.Null()]),
    results: ResultsSchema,
    /** Every position taken, newest last. */
    positions: Type.Array(PositionSchema),
    /** Display names of the people named (proposer, positions' authors, pending participants). */
    names: Type.Record(Type.String(), Type.String()),
    /** The reader's part: whether and under which key they take a position, and the one stored there. */
    mine: Type.Object(
      { mayTakePosition: Type.Boolean(), voterKey: Type.Union([Type.String(), Type.Null()]), position: Type.Union([PositionSchema, Type.Null()]), mayManage: Type.Boolean() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ProposalView = Static<typeof ProposalViewSchema>;

export const ProposalAnswer = Type.Object({ proposal: ProposalViewSchema });
export const ProposalListAnswer = Type.Object({ items: Type.Array(ProposalViewSchema), mayPropose: Type.Boolean() });

export const ClosingInputSchema = Type.Object({ closesAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false });

export const FromPollInputSchema = Type.Object(
  {
    pollId: IdSchema,
    closesAt: Type.String({ format: 'date-time' }),
    statement: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
    /** Which position each option's answers carry over as (null: not carried). */
    optionPositions: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.Enum([...POSITIONS]), Type.Null()]), { maxProperties: 50 })),
  },
  { additionalProperties: false },
);

/** A closed quick poll the reader may turn into a proposal to the thread (not taken yet). */
export const PollChoiceSchema = Type.Object({
  id: Type.String(),
  meetingId: Type.String(),
  meetingTitle: Type.String(),
  question: Type.String(),
  scope: Type.Union([Type.Literal('person'), Type.Literal('country')]),
  answerCount: Type.Integer(),
  closedAt: Type.String({ format: 'date-time' }),
  occurrenceStartsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  /** Its meeting links this thread: such polls come first. */
  linked: Type.Boolean(),
});
export const PollChoicesAnswer = Type.Object({ items: Type.Array(PollChoiceSchema) });
export type PollChoice = Static<typeof PollChoiceSchema>;

export const ThreadParams = Type.Object({ threadId: IdSchema });
export const ProposalParams = Type.Object({ id: IdSchema });
