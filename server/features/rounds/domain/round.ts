import { consultedParties, isOrganizer, partyKey, type Consulted, type Party, type Person } from './participants.js';
import { accept, refuse, type Result } from '../../../shared/result.js';

/**
 * A comment round's life on an injected clock (every function takes `now`; none reads the time):
 *
 *   draft → open → closed → dispositions → concluded      (draft and open may be cancelled)
 *
 * - draft: prepared by an organizer (version, consulted parties, deadline, instructions), seen by
 *   organizers only;
 * - open: parties comment until the deadline; `phase()` turns an open round closed at the deadline
 *   by itself, so nothing depends on a job having run; the stored status follows with closeRound
 *   (by the scheduler at the deadline, actor null, or by an organizer once every party submitted);
 * - closed: commenting is over; the secretariat records dispositions, unpublished;
 * - dispositions: published to everyone; the commenters reply (satisfied / objects) until the reply
 *   deadline, the round's close, when silence counts as acceptance (dispositions.ts);
 * - concluded: the matrix is final. `phase()` concludes at the reply deadline by itself.
 *
 * The next version is attached from closed on (attachNextVersion); it is what comments re-anchor
 * onto and what "applied in" links point to.
 */

export type RoundStatus = 'draft' | 'open' | 'closed' | 'dispositions' | 'concluded' | 'cancelled';

export interface RoundChange {
  from: RoundStatus;
  to: RoundStatus;
  at: string;
  /** Null when the clock moved the round (the scheduler at a deadline). */
  by: string | null;
}

export interface RoundState {
  id: string;
  documentId: string;
  versionId: string;
  consulted: Consulted;
  instructions: string;
  /** ISO instants. */
  deadline: string;
  replyDeadline: string | null;
  status: RoundStatus;
  createdBy: string;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  dispositionsPublishedAt: string | null;
  concludedAt: string | null;
  cancelledAt: string | null;
  nextVersionId: string | null;
  history: RoundChange[];
}

export interface NewRoundInput {
  id: string;
  documentId: string;
  versionId: string;
  consulted: Consulted;
  deadline: Date;
  instructions: string;
}

export interface TransitionRule {
  from: RoundStatus;
  to: RoundStatus;
  /** Who moves it: organizers, or also the clock (the scheduler, at a deadline). */
  by: 'organizers' | 'organizers or clock';
  when: string;
}

export const ROUND_TRANSITIONS: readonly TransitionRule[] = [
  { from: 'draft', to: 'open', by: 'organizers', when: 'the deadline is at least an hour ahead' },
  { from: 'draft', to: 'cancelled', by: 'organizers', when: 'always' },
  { from: 'open', to: 'closed', by: 'organizers or clock', when: 'the deadline has passed, or every consulted party has submitted' },
  { from: 'open', to: 'cancelled', by: 'organizers', when: 'always' },
  { from: 'closed', to: 'dispositions', by: 'organizers', when: 'every submitted comment has a disposition; the reply deadline is at least an hour ahead' },
  { from: 'dispositions', to: 'concluded', by: 'organizers or clock', when: 'the reply deadline has passed, or every disposition has its reply' },
];

const HOUR = 3_600_000;
export const MIN_LEAD_MS = HOUR;
export const MAX_LEAD_MS = 366 * 24 * HOUR;
export const INSTRUCTIONS_MAX_LENGTH = 20_000;
export const REMINDER_LEAD_MS = 24 * HOUR;
export const REMINDER_JOB = 'round-reminder';

const iso = (date: Date) => date.toISOString();
const ms = (instant: string) => new Date(instant).getTime();

/** The status the round is in at `now`: the stored one, moved on by the deadlines that have passed. */
export function phase(round: Pick<RoundState, 'status' | 'deadline' | 'replyDeadline'>, now: Date): RoundStatus {
  if (round.status === 'open' && now.getTime() >= ms(round.deadline)) return 'closed';
  if (round.status === 'dispositions' && round.replyDeadline !== null && now.getTime() >= ms(round.replyDeadline)) return 'concluded';
  return round.status;
}

function checkDeadline(deadline: Date, now: Date, status: 400 | 409): Result<null> {
  if (Number.isNaN(deadline.getTime()) || deadline.getTime() - now.getTime() < MIN_LEAD_MS) return refuse(status, 'deadline_too_soon', 'A deadline must be at least an hour ahead.');
  if (deadline.getTime() - now.getTime() > MAX_LEAD_MS) return refuse(400, 'deadline_too_far', 'A deadline must be within a year.');
  return accept(null);
}

function move(round: RoundState, to: RoundStatus, actor: Person | null, now: Date, allowClock: boolean, changes: Partial<RoundState> = {}): Result<RoundState> {
  const from = round.status;
  const rule = ROUND_TRANSITIONS.find((r) => r.from === from && r.to === to);
  if (!rule) return refuse(409, 'transition_not_allowed', `A round cannot go from ${round.status} to ${to}.`);
  if (actor === null ? !(allowClock && rule.by === 'organizers or clock') : !isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator run a round.');
  const change: RoundChange = { from, to, at: iso(now), by: actor?.id ?? null };
  return accept({ ...round, ...changes, status: to, history: [...round.history, change] });
}

export function newRound(input: NewRoundInput, actor: Person, now: Date): Result<RoundState> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator open a round.');
  const deadline = checkDeadline(input.deadline, now, 400);
  if (!deadline.ok) return deadline;
  if (input.consulted.countryIds.length + input.consulted.organizationIds.length === 0) return refuse(400, 'nobody_consulted', 'Consult at least one country or agency.');
  const instructions = input.instructions.trim();
  if (instructions.length > INSTRUCTIONS_MAX_LENGTH) return refuse(400, 'instructions_too_long', `Instructions have at most ${INSTRUCTIONS_MAX_LENGTH} characters.`);
  return accept({
    id: input.id,
    documentId: input.documentId,
    versionId: input.versionId,
    consulted: { countryIds: [...new Set(input.consulted.countryIds)], organizationIds: [...new Set(input.consulted.organizationIds)] },
    instructions,
    deadline: iso(input.deadline),
    replyDeadline: null,
    status: 'draft',
    createdBy: actor.id,
    createdAt: iso(now),
    openedAt: null,
    closedAt: null,
    dispositionsPublishedAt: null,
    concludedAt: null,
    cancelledAt: null,
    nextVersionId: null,
    history: [],
  });
}

export function openRound(round: RoundState, actor: Person, now: Date): Result<RoundState> {
  if (round.status === 'draft' && isOrganizer(actor)) {
    const deadline = checkDeadline(new Date(round.deadline), now, 409);
    if (!deadline.ok) return deadline;
  }
  return move(round, 'open', actor, now, false, { openedAt: iso(now) });
}

/** `partiesPending`: consulted parties without a standing submission (the repository counts them). */
export function closeRound(round: RoundState, actor: Person | null, now: Date, counts: { partiesPending: number }): Result<RoundState> {
  if (round.status === 'open' && now.getTime() < ms(round.deadline) && counts.partiesPending > 0) {
    if (actor !== null && !isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator run a round.');
    return refuse(409, 'parties_pending', `${counts.partiesPending} consulted parties have not submitted yet; the round closes at its deadline.`);
  }
  return move(round, 'closed', actor, now, true, { closedAt: iso(now) });
}

export function extendDeadline(round: RoundState, actor: Person, deadline: Date, now: Date): Result<RoundState> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator change a deadline.');
  if (phase(round, now) !== 'open') return refuse(409, 'round_not_open', 'Only an open round’s deadline can be moved.');
  if (deadline.getTime() <= ms(round.deadline)) return refuse(400, 'deadline_not_later', 'The new deadline must be later than the current one.');
  const check = checkDeadline(deadline, now, 400);
  if (!check.ok) return check;
  return accept({ ...round, deadline: iso(deadline) });
}

/** `undisposed`: submitted comments without a disposition. */
export function publishDispositions(round: RoundState, actor: Person, replyDeadline: Date, now: Date, counts: { undisposed: number }): Result<RoundState> {
  if (round.status === 'closed' && isOrganizer(actor)) {
    if (counts.undisposed > 0) return refuse(409, 'dispositions_missing', `${counts.undisposed} submitted comments have no disposition yet.`);
    const check = checkDeadline(replyDeadline, now, 400);
    if (!check.ok) return check;
  }
  return move(round, 'dispositions', actor, now, false, { dispositionsPublishedAt: iso(now), replyDeadline: iso(replyDeadline) });
}

/** `unreplied`: published dispositions the commenters have not answered. */
export function concludeRound(round: RoundState, actor: Person | null, now: Date, counts: { unreplied: number }): Result<RoundState> {
  if (round.status === 'dispositions' && phase(round, now) === 'dispositions' && counts.unreplied > 0) {
    if (actor !== null && !isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator run a round.');
    return refuse(409, 'replies_pending', `${counts.unreplied} dispositions await their reply until the reply deadline.`);
  }
  return move(round, 'concluded', actor, now, true, { concludedAt: iso(now) });
}

export function cancelRound(round: RoundState, actor: Person, now: Date): Result<RoundState> {
  if (round.status === 'open' && phase(round, now) !== 'open') return refuse(409, 'transition_not_allowed', 'The round’s deadline has passed: its comments are in.');
  return move(round, 'cancelled', actor, now, false, { cancelledAt: iso(now) });
}

export function attachNextVersion(round: RoundState, actor: Person, versionId: string, now: Date): Result<RoundState> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator attach the next version.');
  const current = phase(round, now);
  if (current !== 'closed' && current !== 'dispositions' && current !== 'concluded') return refuse(409, 'round_not_closed', 'The next version comes once commenting is over.');
  if (versionId === round.versionId) return refuse(400, 'same_version', 'The next version must be another version of the document.');
  return accept({ ...round, nextVersionId: versionId });
}

/**
 * The scheduler job that reminds parties a day before the deadline. Its key names the deadline, so
 * a moved deadline plans a new reminder (and the route drops the pending old one), while a job that
 * ran stays done. None when less than a day is left: the round was just opened or extended, and its
 * notification is recent.
 */
export function roundReminderJob(round: RoundState, now: Date): { key: string; runAt: Date } | null {
  if (phase(round, now) !== 'open') return null;
  const runAt = ms(round.deadline) - REMINDER_LEAD_MS;
  if (runAt <= now.getTime()) return null;
  return { key: `${REMINDER_JOB}:${round.id}:${ms(round.deadline)}`, runAt: new Date(runAt) };
}

/**
 * When the reminder job runs: the parties to remind, each with the key to record as sent in the same
 * commit as its notification. A party already recorded (`sent`) is skipped, so a run that stopped
 * half way and ran again after a restart reminds nobody twice.
 */
export function reminderRecipients(round: RoundState, parties: ReadonlyArray<{ party: Party; submitted: boolean }>, sent: ReadonlySet<string>, now: Date): Array<{ party: Party; key: string }> {
  if (phase(round, now) !== 'open') return [];
  const consulted = new Set(consultedParties(round.consulted).map(partyKey));
  return parties
    .filter((entry) => !entry.submitted && consulted.has(partyKey(entry.party)))
    .map((entry) => ({ party: entry.party, key: `${REMINDER_JOB}:${round.id}:${ms(round.deadline)}:${partyKey(entry.party)}` }))
    .filter((entry) => !sent.has(entry.key));
}
