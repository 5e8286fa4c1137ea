/**
 * The organizer's review of one answer (one respondent's answer to one question), as the WHO/UNICEF
 * Joint Reporting Form and KoboToolbox do it: a status per answer, and queries sent back to the
 * respondent about that answer, each a thread of messages between the organizer and the
 * delegation.
 *
 * The status is derived, never stored apart from its reasons, so it cannot disagree with them:
 * `query_open` while any query is open; otherwise `accepted` once the organizer accepted the answer;
 * otherwise `resolved` when every query was resolved; otherwise `pending`.
 *
 *   pending ──query──► query_open ──resolve (last open query)──► resolved ──accept──► accepted
 *   pending ──accept──► accepted ──query──► query_open                        (a new question on it)
 *   accepted ──unaccept, or the answer changed in a new submission──► pending or resolved
 */

export type ReviewStatus = 'pending' | 'accepted' | 'query_open' | 'resolved';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'accepted', 'query_open', 'resolved'];

export type ReviewSide = 'organizer' | 'respondent';

export interface QueryMessage {
  id: string;
  by: string | null;
  side: ReviewSide;
  at: number;
  text: string;
}

export interface Query {
  id: string;
  openedBy: string | null;
  openedAt: number;
  resolved: { at: number; by: string | null } | null;
  /** Oldest first; the first is the organizer's question. */
  messages: QueryMessage[];
}

export interface AnswerReview {
  accepted: { at: number; by: string | null } | null;
  queries: Query[];
}

/** Who acts: the organizer (coordinator, secretariat), the answering delegation, or anyone else (no say). */
export interface ReviewActor {
  id: string | null;
  side: ReviewSide | null;
}

export interface ReviewRefusal {
  code: string;
  message: string;
  status: 400 | 403 | 404 | 409;
}
export type ReviewOutcome = { ok: true; state: AnswerReview } | { ok: false; error: ReviewRefusal };

export const MESSAGE_MAX_LENGTH = 10_000;

export const newReview = (): AnswerReview => ({ accepted: null, queries: [] });

export function reviewStatus(review: AnswerReview): ReviewStatus {
  if (review.queries.some((query) => query.resolved === null)) return 'query_open';
  if (review.accepted) return 'accepted';
  if (review.queries.length > 0) return 'resolved';
  return 'pending';
}

const refuse = (status: ReviewRefusal['status'], code: string, message: string): { ok: false; error: ReviewRefusal } => ({ ok: false, error: { code, message, status } });

function checkText(text: string): ReviewRefusal | null {
  const trimmed = text.trim();
  if (!trimmed) return { code: 'text_required', message: 'The message is empty.', status: 400 };
  if (trimmed.length > MESSAGE_MAX_LENGTH) return { code: 'text_too_long', message: `A message has at most ${MESSAGE_MAX_LENGTH} characters.`, status: 400 };
  return null;
}

/** The organizer asks the respondent about this answer; an accepted answer is no longer accepted. */
export function openQuery(review: AnswerReview, actor: ReviewActor, text: string, now: number, ids: { query: string; message: string }): ReviewOutcome {
  if (actor.side !== 'organizer') return refuse(403, 'role_not_allowed', 'Only the coordinator or the secretariat sends queries.');
  const problem = checkText(text);
  if (problem) return { ok: false, error: problem };
  const query: Query = { id: ids.query, openedBy: actor.id, openedAt: now, resolved: null, messages: [{ id: ids.message, by: actor.id, side: 'organizer', at: now, text: text.trim() }] };
  return { ok: true, state: { accepted: null, queries: [...review.queries, query] } };
}

/** Either side writes in an open query's thread. */
export function replyToQuery(review: AnswerReview, queryId: string, actor: ReviewActor, text: string, now: number, messageId: string): ReviewOutcome {
  if (actor.side === null) return refuse(403, 'role_not_allowed', 'Only the organizer and the answering delegation write in a query.');
  const index = review.queries.findIndex((query) => query.id === queryId);
  if (index < 0) return refuse(404, 'unknown_query', 'No such query on this answer.');
  const query = review.queries[index]!;
  if (query.resolved) return refuse(409, 'query_resolved', 'The query is resolved; the organizer may open a new one.');
  const problem = checkText(text);
  if (problem) return { ok: false, error: problem };
  const queries = [...review.queries];
  queries[index] = { ...query, messages: [...query.messages, { id: messageId, by: actor.id, side: actor.side, at: now, text: text.trim() }] };
  return { ok: true, state: { ...review, queries } };
}

export function resolveQuery(review: AnswerReview, queryId: string, actor: ReviewActor, now: number): ReviewOutcome {
  if (actor.side !== 'organizer') return refuse(403, 'role_not_allowed', 'Only the coordinator or the secretariat resolves a query.');
  const index = review.queries.findIndex((query) => query.id === queryId);
  if (index < 0) return refuse(404, 'unknown_query', 'No such query on this answer.');
  if (review.queries[index]!.resolved) return refuse(409, 'query_resolved', 'The query is already resolved.');
  const queries = [...review.queries];
  queries[index] = { ...queries[index]!, resolved: { at: now, by: actor.id } };
  return { ok: true, state: { ...review, queries } };
}

export function accept(review: AnswerReview, actor: ReviewActor, now: number): ReviewOutcome {
  if (actor.side !== 'organizer') return refuse(403, 'role_not_allowed', 'Only the coordinator or the secretariat accepts an answer.');
  if (reviewStatus(review) === 'query_open') return refuse(409, 'query_open', 'Resolve the open query first.');
  if (review.accepted) return refuse(409, 'already_accepted', 'The answer is already accepted.');
  return { ok: true, state: { ...review, accepted: { at: now, by: actor.id } } };
}

export function unaccept(review: AnswerReview, actor: ReviewActor): ReviewOutcome {
  if (actor.side !== 'organizer') return refuse(403, 'role_not_allowed', 'Only the coordinator or the secretariat changes a review.');
  if (!review.accepted) return refuse(409, 'not_accepted', 'The answer is not accepted.');
  return { ok: true, state: { ...review, accepted: null } };
}

/** A new submission changed this answer: an acceptance was of the old one. Queries stay as they are. */
export function answerChanged(review: AnswerReview): AnswerReview {
  return review.accepted ? { ...review, accepted: null } : review;
}

/** Open queries awaiting the respondent's reply (the last word is the organizer's). */
export const awaitingRespondent = (review: AnswerReview) => review.queries.filter((query) => query.resolved === null && query.messages.at(-1)?.side === 'organizer').length;
