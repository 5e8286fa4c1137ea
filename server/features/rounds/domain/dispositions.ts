import type { Comment, DelegationState } from './comments.js';
import { isOrganizer, maySubmitFor, type Person } from './participants.js';
import type { Reanchored } from './reanchor.js';
import { accept, refuse, type Result } from '../../../shared/result.js';
import { phase, type RoundState } from './round.js';
import { blockById, type DocumentStructure } from './structure.js';

/**
 * The secretariat's answer to each submitted comment (W3C's disposition of comments, ISO's
 * "observations of the secretariat"), and the commenter's reply.
 *
 * - Dispositions are recorded while the round is closed (seen by organizers only) and published all
 *   at once (round.publishDispositions); they may still be revised until the round concludes. Each
 *   change of decision raises its revision, and a reply answers one revision: a revised decision
 *   needs a new reply.
 * - A rationale is required where the commenter does not get what they asked for in full
 *   (partially accepted, not accepted, deferred).
 * - The reply ("satisfied", or "objects" with a reason) is the commenting party's: its submitter
 *   answers, changeably, until the reply deadline. No reply by then counts as acceptance
 *   (effectiveReply: "accepted_by_silence").
 * - Once the next version is attached, an accepted or partially accepted disposition links to where
 *   it was applied: a paragraph of that version, or the version as a whole.
 */

export const DISPOSITION_KINDS = ['accepted', 'partially_accepted', 'not_accepted', 'noted', 'deferred'] as const;
export type DispositionKind = (typeof DISPOSITION_KINDS)[number];
export const RATIONALE_REQUIRED: ReadonlySet<DispositionKind> = new Set<DispositionKind>(['partially_accepted', 'not_accepted', 'deferred']);
const APPLIES: ReadonlySet<DispositionKind> = new Set<DispositionKind>(['accepted', 'partially_accepted']);
export const RATIONALE_MAX_LENGTH = 10_000;

export const REPLY_KINDS = ['satisfied', 'objects'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
export const REPLY_MAX_LENGTH = 5_000;

export interface AppliedIn {
  versionId: string;
  /** Null: applied throughout the version. */
  blockId: string | null;
  label: string | null;
}

export interface Disposition {
  commentId: string;
  kind: DispositionKind;
  rationale: string | null;
  appliedIn: AppliedIn | null;
  revision: number;
  decidedAt: string;
  decidedBy: string;
}

export interface Reply {
  commentId: string;
  kind: ReplyKind;
  text: string | null;
  /** The disposition revision this reply answers. */
  toRevision: number;
  at: string;
  by: string;
}

/** What stands for a comment: no disposition yet, awaiting a reply, the reply, or silence taken as acceptance. */
export type EffectiveReply = 'none' | 'pending' | ReplyKind | 'accepted_by_silence';

export function recordDisposition(current: Disposition | null, comment: Comment, input: { kind: string; rationale?: string | null }, actor: Person, round: RoundState, now: Date): Result<Disposition> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator record dispositions.');
  if (comment.roundId !== round.id || comment.state !== 'submitted') return refuse(409, 'comment_not_submitted', 'Only a submitted comment of this round gets a disposition.');
  const current_phase = phase(round, now);
  if (current_phase !== 'closed' && current_phase !== 'dispositions') return refuse(409, 'round_not_closed', 'Dispositions are recorded once commenting is over and until the round concludes.');
  if (!(DISPOSITION_KINDS as readonly string[]).includes(input.kind)) return refuse(400, 'unknown_disposition', `A disposition is ${DISPOSITION_KINDS.join(', ')}.`);
  const kind = input.kind as DispositionKind;
  const rationale = input.rationale?.trim() || null;
  if (rationale && rationale.length > RATIONALE_MAX_LENGTH) return refuse(400, 'rationale_too_long', `A rationale has at most ${RATIONALE_MAX_LENGTH} characters.`);
  if (!rationale && RATIONALE_REQUIRED.has(kind)) return refuse(400, 'rationale_required', 'Say why: a rationale is required when a comment is not accepted in full.');
  if (current && current.kind === kind && current.rationale === rationale) return accept(current);
  return accept({
    commentId: comment.id,
    kind,
    rationale,
    appliedIn: APPLIES.has(kind) ? (current?.appliedIn ?? null) : null,
    revision: (current?.revision ?? 0) + 1,
    decidedAt: now.toISOString(),
    decidedBy: actor.id,
  });
}

export function setAppliedIn(disposition: Disposition, link: { versionId: string; blockId: string | null }, next: DocumentStructure, round: RoundState, actor: Person): Result<Disposition> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator link where a comment was applied.');
  if (round.nextVersionId === null) return refuse(409, 'next_version_missing', 'Attach the next version first.');
  if (link.versionId !== round.nextVersionId) return refuse(400, 'not_the_next_version', 'Link to a paragraph of the round’s next version.');
  if (!APPLIES.has(disposition.kind)) return refuse(409, 'nothing_applied', 'Only an accepted or partially accepted comment was applied somewhere.');
  if (link.blockId === null) return accept({ ...disposition, appliedIn: { versionId: link.versionId, blockId: null, label: null } });
  const block = blockById(next, link.blockId);
  if (!block) return refuse(400, 'unknown_paragraph', `The next version has no paragraph "${link.blockId}".`);
  return accept({ ...disposition, appliedIn: { versionId: link.versionId, blockId: block.id, label: block.label } });
}

/** Where the comment's passage went in the next version: the secretariat's default "applied in". */
export function suggestAppliedIn(reanchored: Reanchored, versionId: string): AppliedIn | null {
  if (reanchored.status === 'orphaned' || !reanchored.anchor) return null;
  if (reanchored.anchor.kind === 'document') return { versionId, blockId: null, label: null };
  return { versionId, blockId: reanchored.anchor.blockId, label: reanchored.anchor.label };
}

export function replyToDisposition(
  existing: Reply | null,
  comment: Comment,
  disposition: Disposition,
  input: { kind: string; text?: string | null },
  actor: Person,
  delegation: DelegationState,
  round: RoundState,
  now: Date,
): Result<Reply> {
  if (!maySubmitFor(actor, comment.party, delegation)) return refuse(403, 'not_submitter', 'The delegation’s focal point, or the alternate it named, replies for it.');
  const current = phase(round, now);
  if (current === 'closed') return refuse(409, 'dispositions_not_published', 'The dispositions are not published yet.');
  if (current !== 'dispositions') return refuse(409, 'replies_closed', 'Replies are closed.');
  if (!(REPLY_KINDS as readonly string[]).includes(input.kind)) return refuse(400, 'unknown_reply', 'A reply is "satisfied" or "objects".');
  const text = input.text?.trim() || null;
  if (input.kind === 'objects' && !text) return refuse(400, 'reason_required', 'Say why the delegation objects.');
  if (text && text.length > REPLY_MAX_LENGTH) return refuse(400, 'reply_too_long', `A reply has at most ${REPLY_MAX_LENGTH} characters.`);
  // A reply replaces the previous one (the repository keeps one per comment); the same answer again changes nothing.
  if (existing && existing.kind === input.kind && existing.text === text && existing.toRevision === disposition.revision) return accept(existing);
  return accept({ commentId: comment.id, kind: input.kind as ReplyKind, text, toRevision: disposition.revision, at: now.toISOString(), by: actor.id });
}

export function effectiveReply(disposition: Disposition | null, reply: Reply | null, round: RoundState, now: Date): EffectiveReply {
  if (!disposition) return 'none';
  if (reply && reply.toRevision === disposition.revision) return reply.kind;
  return phase(round, now) === 'concluded' ? 'accepted_by_silence' : 'pending';
}

/** Recorded dispositions are the organizers' work until published. */
export function mayReadDispositions(round: RoundState, viewer: Person, now: Date): boolean {
  const current = phase(round, now);
  return current === 'dispositions' || current === 'concluded' || isOrganizer(viewer);
}
