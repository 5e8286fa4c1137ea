import type { Anchor } from './anchors.js';
import { affiliation, isOrganizer, maySubmitFor, partyOf, sameParty, type Party, type Person } from './participants.js';
import { accept, refuse, type Result } from '../../../shared/result.js';
import { phase, type RoundState } from './round.js';

/**
 * Comments and national consolidation.
 *
 * A comment is written by one person for their party (country or agency) and starts as a **draft**,
 * readable by that party only: a delegation consolidates its position in private. Its author and the
 * party's submitter may edit or delete it while the round is open. The submitter then **submits**
 * the party's drafts, all of them, as its position: they become readable by the whole group.
 *
 * One submission per party: a party holds at most one standing submission. Before the deadline its
 * submitter may **withdraw** it to amend it (the comments go back to drafts, unseen by others again;
 * the organizers are told) and submit again: revision 2, 3 … While a submission stands, no new draft
 * is accepted (withdraw to amend). A withdrawn submission that is not submitted again by the
 * deadline leaves the party without a position, as if it never submitted: the withdrawal is the
 * submitter's deliberate act. An empty submission is a position too: "no comments".
 *
 * The repository enforces "one" with a unique key: (round_id, party_key, revision) on the submissions
 * table plus a partial unique index on (round_id, party_key) where withdrawn_at is null; two
 * submitters racing from the same state compute the same revision, and the second insert fails.
 */

export const COMMENT_TYPES = ['general', 'technical', 'editorial'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];
export const COMMENT_MAX_LENGTH = 10_000;

export interface Comment {
  id: string;
  roundId: string;
  party: Party;
  authorId: string;
  type: CommentType;
  text: string;
  proposedText: string | null;
  anchor: Anchor;
  state: 'draft' | 'submitted';
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
}

export interface CommentInput {
  type: string;
  text: string;
  proposedText?: string | null;
  anchor: Anchor;
}

export interface Submission {
  revision: number;
  submittedAt: string;
  submittedBy: string;
  commentIds: string[];
}

/** A party's standing in a round: who may submit for it, and its submission. */
export interface DelegationState {
  party: Party;
  /** From the directory: the country's focal point (null for an agency, or a country with none). */
  focalPointId: string | null;
  /** The alternate the focal point named to submit for this round. */
  designatedId: string | null;
  submission: Submission | null;
  /** Submissions made so far, withdrawn ones included: the next one is revision `revisions + 1`. */
  revisions: number;
}

export const newDelegation = (party: Party, focalPointId: string | null): DelegationState => ({ party, focalPointId, designatedId: null, submission: null, revisions: 0 });

const iso = (date: Date) => date.toISOString();

function checkInput(input: Partial<CommentInput>): Result<Partial<Pick<Comment, 'type' | 'text' | 'proposedText'>>> {
  const out: Partial<Pick<Comment, 'type' | 'text' | 'proposedText'>> = {};
  if (input.type !== undefined) {
    if (!(COMMENT_TYPES as readonly string[]).includes(input.type)) return refuse(400, 'unknown_type', `A comment is ${COMMENT_TYPES.join(', ')}.`);
    out.type = input.type as CommentType;
  }
  if (input.text !== undefined) {
    const text = input.text.trim();
    if (!text) return refuse(400, 'text_required', 'The comment is empty.');
    if (text.length > COMMENT_MAX_LENGTH) return refuse(400, 'text_too_long', `A comment has at most ${COMMENT_MAX_LENGTH} characters.`);
    out.text = text;
  }
  if (input.proposedText !== undefined) {
    const proposed = input.proposedText?.trim() || null;
    if (proposed && proposed.length > COMMENT_MAX_LENGTH) return refuse(400, 'proposed_text_too_long', `A proposed text has at most ${COMMENT_MAX_LENGTH} characters.`);
    out.proposedText = proposed;
  }
  return accept(out);
}

const roundOpen = (round: RoundState, now: Date) => (phase(round, now) === 'open' ? null : refuse(409, 'round_not_open', 'The round is not open for comments.'));

/** `id` is the new comment's id (the caller makes ids). */
export function createComment(round: RoundState, delegation: DelegationState, author: Person, input: CommentInput, now: Date, id: string): Result<Comment> {
  const party = partyOf(author, round.consulted);
  if (!party) return refuse(403, 'not_consulted', 'Only the consulted countries and agencies comment in this round.');
  if (!sameParty(party, delegation.party)) return refuse(400, 'wrong_delegation', 'The delegation given is not the author’s.');
  const closed = roundOpen(round, now);
  if (closed) return closed;
  if (delegation.submission) return refuse(409, 'already_submitted', 'Your delegation has submitted its comments; its submitter may withdraw them to amend them.');
  const checked = checkInput({ proposedText: null, ...input });
  if (!checked.ok) return checked;
  return accept({
    id,
    roundId: round.id,
    party,
    authorId: author.id,
    type: checked.value.type!,
    text: checked.value.text!,
    proposedText: checked.value.proposedText ?? null,
    anchor: input.anchor,
    state: 'draft',
    createdAt: iso(now),
    updatedAt: iso(now),
    updatedBy: author.id,
    submittedAt: null,
  });
}

function mayChange(comment: Comment, delegation: DelegationState, actor: Person, round: RoundState, now: Date): Result<null> {
  if (!sameParty(affiliation(actor), comment.party)) return refuse(403, 'not_yours', 'Only the comment’s author or the delegation’s submitter may change it.');
  if (actor.id !== comment.authorId && !maySubmitFor(actor, comment.party, delegation)) return refuse(403, 'not_yours', 'Only the comment’s author or the delegation’s submitter may change it.');
  const closed = roundOpen(round, now);
  if (closed) return closed;
  if (comment.state !== 'draft') return refuse(409, 'comment_submitted', 'A submitted comment cannot change; the submitter may withdraw the submission to amend it.');
  return accept(null);
}

export function updateComment(comment: Comment, delegation: DelegationState, actor: Person, changes: Partial<CommentInput>, round: RoundState, now: Date): Result<Comment> {
  const allowed = mayChange(comment, delegation, actor, round, now);
  if (!allowed.ok) return allowed;
  const checked = checkInput(changes);
  if (!checked.ok) return checked;
  return accept({ ...comment, ...checked.value, ...(changes.anchor ? { anchor: changes.anchor } : {}), updatedAt: iso(now), updatedBy: actor.id });
}

export function deleteComment(comment: Comment, delegation: DelegationState, actor: Person, round: RoundState, now: Date): Result<null> {
  return mayChange(comment, delegation, actor, round, now);
}

export function designateSubmitter(delegation: DelegationState, actor: Person, designee: Person | null, round: RoundState, now: Date): Result<DelegationState> {
  if (delegation.party.kind !== 'country' || delegation.focalPointId === null || actor.id !== delegation.focalPointId) return refuse(403, 'focal_point_only', 'Only the country’s focal point names who submits for it.');
  const current = phase(round, now);
  if (current === 'concluded' || current === 'cancelled') return refuse(409, 'round_over', 'The round is over.');
  if (designee && !(designee.delegationRole === 'alternate' && sameParty(affiliation(designee), delegation.party))) return refuse(400, 'designee_not_alternate', 'Name an alternate of your own delegation.');
  return accept({ ...delegation, designatedId: designee?.id ?? null });
}

/** Submits every draft of the party (the caller passes them all) as its position. */
export function submitPosition(delegation: DelegationState, drafts: readonly Comment[], actor: Person, round: RoundState, now: Date): Result<{ delegation: DelegationState; comments: Comment[] }> {
  if (!maySubmitFor(actor, delegation.party, delegation)) return refuse(403, 'not_submitter', 'Only the focal point, or the alternate it named, submits the delegation’s comments.');
  const closed = roundOpen(round, now);
  if (closed) return closed;
  if (delegation.submission) return refuse(409, 'already_submitted', 'The delegation has submitted already; withdraw the submission to amend it.');
  if (drafts.some((comment) => !sameParty(comment.party, delegation.party) || comment.roundId !== round.id || comment.state !== 'draft')) {
    return refuse(400, 'not_a_draft_of_this_party', 'Only the delegation’s own drafts in this round are submitted.');
  }
  const at = iso(now);
  const submission: Submission = { revision: delegation.revisions + 1, submittedAt: at, submittedBy: actor.id, commentIds: drafts.map((comment) => comment.id) };
  return accept({
    delegation: { ...delegation, submission, revisions: submission.revision },
    comments: drafts.map((comment) => ({ ...comment, state: 'submitted', submittedAt: at })),
  });
}

export function withdrawSubmission(delegation: DelegationState, submitted: readonly Comment[], actor: Person, round: RoundState, now: Date): Result<{ delegation: DelegationState; comments: Comment[] }> {
  if (!maySubmitFor(actor, delegation.party, delegation)) return refuse(403, 'not_submitter', 'Only the focal point, or the alternate it named, withdraws the delegation’s submission.');
  const closed = roundOpen(round, now);
  if (closed) return closed;
  if (!delegation.submission) return refuse(409, 'not_submitted', 'The delegation has no submission to withdraw.');
  return accept({
    delegation: { ...delegation, submission: null },
    comments: submitted.filter((comment) => sameParty(comment.party, delegation.party)).map((comment) => ({ ...comment, state: 'draft', submittedAt: null })),
  });
}

/**
 * Who reads a comment: a submitted one, everyone who sees the round (the route checks that first,
 * mayViewRound); a draft, only the members of its party (organizers included only as members of
 * their own country's delegation).
 */
export function mayRead(comment: Pick<Comment, 'state' | 'party'>, viewer: Person): boolean {
  if (comment.state === 'submitted') return true;
  return sameParty(affiliation(viewer), comment.party);
}

/** A draft round is the organizers' preparation; from its opening on the group sees it. */
export function mayViewRound(round: Pick<RoundState, 'status'>, viewer: Person): boolean {
  return round.status !== 'draft' || isOrganizer(viewer);
}
