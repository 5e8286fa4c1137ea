import { accept, refuse, type Result } from '../../../shared/result.js';

/**
 * A proposal put to a debate thread (Loomio's proposals): a statement in Markdown, a closing time,
 * and who may take a position: every participant (anyone who may post in the thread, one position
 * each), or one position per country delegation (any delegate of a country answers for it).
 * Positions are agree, abstain, disagree or block, with an optional reason (required for a block:
 * a block stops a consensus and must say why), changeable until the close. Everything runs on an
 * injected clock (`now`).
 *
 * One position per voter key, which the repository makes a unique key (proposal_id, voter_key):
 * "p:<userId>" for a participant, "c:<countryId>" for a country, as meeting quick polls key their
 * answers. Two delegates answering for the same country at once both compute revision 1 against
 * "no position"; the insert of the second fails on the key and it is answered 409 with the stored
 * position. A delegate who replaces a position someone else of the delegation took must name the
 * revision it replaces (`replaces`), so nobody overwrites a colleague's answer unseen; the
 * repository updates WHERE revision = replaces.
 *
 * At the close (the closing time, or earlier by the proposer or a moderator) the proposer or a
 * moderator writes the outcome.
 */

export const POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
export type PositionKind = (typeof POSITIONS)[number];
export const ELIGIBILITIES = ['participants', 'one_per_country'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

export const STATEMENT_MAX_LENGTH = 20_000;
export const REASON_MAX_LENGTH = 2_000;
export const OUTCOME_MAX_LENGTH = 5_000;
const HOUR = 3_600_000;
export const MIN_LEAD_MS = HOUR;
export const MAX_LEAD_MS = 366 * 24 * HOUR;

/** A person as the thread sees them: the route works out mayPost (thread, category, lock) and isModerator. */
export interface Participant {
  id: string;
  role: 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
  countryId: string | null;
  organizationId: string | null;
  delegationRole: 'focal_point' | 'alternate' | null;
  mayPost: boolean;
  isModerator: boolean;
}

export interface Outcome {
  markdown: string;
  by: string;
  at: string;
  editedAt: string | null;
}

export interface ProposalState {
  id: string;
  threadId: string;
  proposerId: string;
  statement: string;
  eligibility: Eligibility;
  closesAt: string;
  createdAt: string;
  /** Set when closed before its closing time. */
  closedAt: string | null;
  closedBy: string | null;
  outcome: Outcome | null;
}

export interface Position {
  proposalId: string;
  voterKey: string;
  countryId: string | null;
  position: PositionKind;
  reason: string | null;
  by: string;
  at: string;
  revision: number;
  /** Carried over from a meeting's quick poll (quick-poll.ts). */
  fromPoll: boolean;
}

function checkClosingTime(closesAt: Date, now: Date): Result<null> {
  const lead = closesAt.getTime() - now.getTime();
  if (Number.isNaN(lead) || lead < MIN_LEAD_MS) return refuse(400, 'closes_too_soon', 'A proposal stays open at least an hour.');
  if (lead > MAX_LEAD_MS) return refuse(400, 'closes_too_far', 'A proposal closes within a year.');
  return accept(null);
}

export function newProposal(input: { id: string; threadId: string; statement: string; closesAt: Date; eligibility: Eligibility }, actor: Participant, now: Date): Result<ProposalState> {
  if (!actor.mayPost) return refuse(403, 'may_not_post', 'Only people who may post in the thread put a proposal to it.');
  const statement = input.statement.trim();
  if (!statement) return refuse(400, 'statement_required', 'The proposal’s statement is empty.');
  if (statement.length > STATEMENT_MAX_LENGTH) return refuse(400, 'statement_too_long', `A statement has at most ${STATEMENT_MAX_LENGTH} characters.`);
  if (!(ELIGIBILITIES as readonly string[]).includes(input.eligibility)) return refuse(400, 'unknown_eligibility', 'Positions are taken by every participant or one per country delegation.');
  const closing = checkClosingTime(input.closesAt, now);
  if (!closing.ok) return closing;
  return accept({ id: input.id, threadId: input.threadId, proposerId: actor.id, statement, eligibility: input.eligibility, closesAt: input.closesAt.toISOString(), createdAt: now.toISOString(), closedAt: null, closedBy: null, outcome: null });
}

export function isOpen(proposal: Pick<ProposalState, 'closesAt' | 'closedAt'>, now: Date): boolean {
  return proposal.closedAt === null && now.getTime() < new Date(proposal.closesAt).getTime();
}

/** The instant the proposal closed or will close. */
export const closingInstant = (proposal: Pick<ProposalState, 'closesAt' | 'closedAt'>) => proposal.closedAt ?? proposal.closesAt;

export function mayTakePosition(proposal: Pick<ProposalState, 'eligibility'>, person: Participant): boolean {
  if (!person.mayPost) return false;
  if (proposal.eligibility === 'participants') return true;
  return (person.role === 'member' || person.role === 'coordinator') && person.countryId !== null;
}

export function voterKey(proposal: Pick<ProposalState, 'eligibility'>, person: Participant): string | null {
  if (!mayTakePosition(proposal, person)) return null;
  return proposal.eligibility === 'one_per_country' ? `c:${person.countryId}` : `p:${person.id}`;
}

/**
 * `current` is the stored position under the actor's voter key (null if none). `replaces` is the
 * revision the actor saw (null: it saw none); left out, the actor may only change its own position.
 */
export function takePosition(current: Position | null, proposal: ProposalState, actor: Participant, input: { position: string; reason?: string | null; replaces?: number | null }, now: Date): Result<Position> {
  const key = voterKey(proposal, actor);
  if (key === null) return refuse(403, 'not_eligible', proposal.eligibility === 'one_per_country' ? 'Only country delegations take a position on this proposal.' : 'Only participants of the thread take a position.');
  if (current && (current.voterKey !== key || current.proposalId !== proposal.id)) return refuse(400, 'wrong_position', 'The stored position given is not this voter’s.');
  if (!isOpen(proposal, now)) return refuse(409, 'proposal_closed', 'The proposal is closed.');
  if (!(POSITIONS as readonly string[]).includes(input.position)) return refuse(400, 'unknown_position', `A position is ${POSITIONS.join(', ')}.`);
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > REASON_MAX_LENGTH) return refuse(400, 'reason_too_long', `A reason has at most ${REASON_MAX_LENGTH} characters.`);
  if (input.position === 'block' && !reason) return refuse(400, 'reason_required', 'A block says why.');
  const stored = current?.revision ?? null;
  if (input.replaces !== undefined ? input.replaces !== stored : current !== null && current.by !== actor.id) {
    return refuse(409, 'position_changed', 'Someone of your delegation has taken a position meanwhile: look at it before replacing it.');
  }
  return accept({ proposalId: proposal.id, voterKey: key, countryId: actor.countryId, position: input.position as PositionKind, reason, by: actor.id, at: now.toISOString(), revision: (stored ?? 0) + 1, fromPoll: false });
}

const mayManage = (proposal: ProposalState, actor: Participant) => actor.id === proposal.proposerId || actor.isModerator;

export function closeEarly(proposal: ProposalState, actor: Participant, now: Date): Result<ProposalState> {
  if (!mayManage(proposal, actor)) return refuse(403, 'proposer_or_moderator', 'Only the proposer or a moderator closes a proposal.');
  if (!isOpen(proposal, now)) return refuse(409, 'proposal_closed', 'The proposal is closed.');
  return accept({ ...proposal, closedAt: now.toISOString(), closedBy: actor.id });
}

export function changeClosingTime(proposal: ProposalState, actor: Participant, closesAt: Date, now: Date): Result<ProposalState> {
  if (!mayManage(proposal, actor)) return refuse(403, 'proposer_or_moderator', 'Only the proposer or a moderator changes the closing time.');
  if (!isOpen(proposal, now)) return refuse(409, 'proposal_closed', 'The proposal is closed.');
  const closing = checkClosingTime(closesAt, now);
  if (!closing.ok) return closing;
  return accept({ ...proposal, closesAt: closesAt.toISOString() });
}

/**
 * The outcome, after the close, by the proposer or a moderator. `notify` is true the first time (the
 * participants are told); `concludeThread` passes the writer's choice to mark the thread concluded.
 */
export function setOutcome(proposal: ProposalState, actor: Participant, input: { markdown: string; concludeThread?: boolean }, now: Date): Result<{ proposal: ProposalState; notify: boolean; concludeThread: boolean }> {
  if (!mayManage(proposal, actor)) return refuse(403, 'proposer_or_moderator', 'Only the proposer or a moderator writes the outcome.');
  if (isOpen(proposal, now)) return refuse(409, 'proposal_open', 'The outcome is written once the proposal has closed.');
  const markdown = input.markdown.trim();
  if (!markdown) return refuse(400, 'outcome_required', 'The outcome is empty.');
  if (markdown.length > OUTCOME_MAX_LENGTH) return refuse(400, 'outcome_too_long', `An outcome has at most ${OUTCOME_MAX_LENGTH} characters.`);
  const outcome: Outcome = proposal.outcome ? { ...proposal.outcome, markdown, editedAt: now.toISOString() } : { markdown, by: actor.id, at: now.toISOString(), editedAt: null };
  return accept({ proposal: { ...proposal, outcome }, notify: proposal.outcome === null, concludeThread: input.concludeThread === true });
}
