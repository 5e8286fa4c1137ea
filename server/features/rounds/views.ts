import { mayRead, type Comment, type DelegationState } from './domain/comments.js';
import { effectiveReply, mayReadDispositions, type Disposition, type Reply } from './domain/dispositions.js';
import { affiliation, isOrganizer, maySubmitFor, partyKey, sameParty, type Party, type Person } from './domain/participants.js';
import type { Reanchored } from './domain/reanchor.js';
import { phase, type RoundState } from './domain/round.js';
import { silenceOutcome, type SilenceState } from './domain/silence.js';
import type { CommentView } from './schemas.js';

/** Pure: rows and states in, the API's views out (docs/rounds-api.md). */

export function roundSummary(round: RoundState, documentTitle: { es: string; en: string }, now: Date) {
  return {
    id: round.id,
    documentId: round.documentId,
    documentTitle,
    version: Number(round.versionId),
    nextVersion: round.nextVersionId === null ? null : Number(round.nextVersionId),
    status: phase(round, now),
    deadline: round.deadline,
    replyDeadline: round.replyDeadline,
    instructions: round.instructions,
    consulted: { countryIds: [...round.consulted.countryIds], organizationIds: [...round.consulted.organizationIds] },
    createdAt: round.createdAt,
  };
}

export interface CommentContext {
  round: RoundState;
  viewer: Person;
  now: Date;
  dispositions: ReadonlyMap<string, Disposition>;
  replies: ReadonlyMap<string, Reply>;
  reanchors: ReadonlyMap<string, Reanchored>;
  names: ReadonlyMap<string, string>;
  partyNames: ReadonlyMap<string, string>;
  /** The viewer's own delegation, when they belong to a consulted party. */
  delegation: DelegationState | null;
}

/** The comments the viewer may read, each with what the viewer may see of its disposition and reply. */
export function commentViews(comments: readonly Comment[], context: CommentContext): CommentView[] {
  const { round, viewer, now, delegation } = context;
  const showDispositions = mayReadDispositions(round, viewer, now);
  const open = phase(round, now) === 'open';
  const submitter = delegation !== null && maySubmitFor(viewer, delegation.party, delegation);
  return comments
    .filter((comment) => mayRead(comment, viewer))
    .map((comment) => {
      const disposition = showDispositions ? (context.dispositions.get(comment.id) ?? null) : null;
      const reply = showDispositions ? (context.replies.get(comment.id) ?? null) : null;
      const own = sameParty(affiliation(viewer), comment.party);
      return {
        id: comment.id,
        party: comment.party,
        partyName: context.partyNames.get(partyKey(comment.party)) ?? comment.party.id,
        authorId: comment.authorId,
        authorName: context.names.get(comment.authorId) ?? '',
        type: comment.type,
        text: comment.text,
        proposedText: comment.proposedText,
        anchor: comment.anchor,
        state: comment.state,
        createdAt: comment.createdAt,
        updatedAt: comment.updatedAt,
        submittedAt: comment.submittedAt,
        mayEdit: open && comment.state === 'draft' && own && (comment.authorId === viewer.id || submitter),
        disposition,
        reply,
        effectiveReply: showDispositions ? effectiveReply(context.dispositions.get(comment.id) ?? null, context.replies.get(comment.id) ?? null, round, now) : 'none',
        mayReply: own && submitter && disposition !== null && phase(round, now) === 'dispositions',
        reanchored: context.reanchors.get(comment.id) ?? null,
      };
    });
}

export function silenceView(state: SilenceState, viewer: Person, delegationOfViewer: { focalPointId: string | null; designatedId: string | null } | null, partyNames: ReadonlyMap<string, string>, now: Date) {
  const outcome = silenceOutcome(state, now);
  const party: Party | null = affiliation(viewer);
  const underIt = party?.kind === 'country' && state.countryIds.includes(party.id);
  const broke = party !== null && state.breaks.some((entry) => sameParty(entry.party, party));
  return {
    id: state.id,
    version: Number(state.versionId),
    countryIds: state.countryIds,
    deadline: state.deadline,
    startedAt: state.startedAt,
    outcome,
    breaks: state.breaks.map((entry) => ({ party: entry.party, name: partyNames.get(partyKey(entry.party)) ?? entry.party.id, reason: entry.reason, at: entry.at })),
    mayBreak: Boolean(underIt && !broke && party && delegationOfViewer && maySubmitFor(viewer, party, delegationOfViewer) && (outcome === 'running' || outcome === 'broken') && now.getTime() < Date.parse(state.deadline)),
  };
}

export const viewerIsOrganizer = (viewer: Person) => isOrganizer(viewer);

/** How many comments an answer carries at least before it stops at a block's end (see commentWindow). */
export const COMMENTS_PER_ANSWER = 40;

/**
 * The comments of one answer of a round's page, in the order given: from the block after `after`
 * (from the start, with the comments on the document as a whole, when null), block by block in
 * reading order, until at least `size` comments, never splitting a block's; and where the next
 * answer starts. A round's page opens at its text's start, so its first answer need not carry the
 * comments of all its paragraphs (188 comments were 130 KB of 244); the rest come as the reader
 * reaches them. A comment whose block the text no longer has goes with the first answer.
 * Undefined when `after` is no block of the text.
 */
export function commentWindow<C extends { anchor: { kind: string; blockId?: string } }>(comments: readonly C[], blocks: readonly { id: string }[], after: string | null, size = COMMENTS_PER_ANSWER): { comments: C[]; moreComments: { after: string; count: number } | null } | undefined {
  const index = new Map(blocks.map((block, i) => [block.id, i]));
  const start = after === null ? -1 : index.get(after);
  if (start === undefined) return undefined;
  const at = (comment: C) => (comment.anchor.kind === 'document' || comment.anchor.blockId === undefined ? -1 : (index.get(comment.anchor.blockId) ?? -1));
  const perBlock = new Map<number, number>();
  for (const comment of comments) {
    const position = at(comment);
    if (after === null ? true : position > start) perBlock.set(position, (perBlock.get(position) ?? 0) + 1);
  }
  const positions = [...perBlock.keys()].sort((a, b) => a - b);
  let taken = 0;
  let last = after === null ? -1 : start;
  for (const position of positions) {
    // Stops after a block once enough are taken (the document-wide ones alone never end an answer).
    if (taken >= size && last >= 0 && last > start) break;
    taken += perBlock.get(position)!;
    last = position;
  }
  const within = (comment: C) => {
    const position = at(comment);
    return (after === null || position > start) && position <= last;
  };
  const carried = comments.filter(within);
  const remaining = positions.filter((position) => position > last).reduce((sum, position) => sum + perBlock.get(position)!, 0);
  return { comments: carried, moreComments: remaining > 0 ? { after: blocks[last]!.id, count: remaining } : null };
}
