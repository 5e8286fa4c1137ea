import { affiliation, isOrganizer, maySubmitFor, type Delegation, type Party, type Person } from './participants.js';
import { accept, refuse, type Result } from '../../../shared/result.js';

/**
 * The UN silence procedure: a final version goes out with a deadline, and it is adopted unless a
 * country breaks silence, with a reason, before the deadline.
 *
 * Only countries under the procedure break silence (agencies have no vote), through their focal
 * point or the alternate it named. One break settles the outcome at once ("broken": the organizers
 * are told and consult further, usually with a new version and a new procedure); further breaks are
 * still recorded until the deadline, so the organizers see everyone who objects. A break is not
 * withdrawn. At the deadline the procedure is settled (the scheduler, silenceDeadlineJob): adopted
 * if nobody broke silence. `silenceOutcome` gives the same answer from the clock alone.
 */

export type SilenceOutcome = 'running' | 'adopted' | 'broken' | 'cancelled';

export interface SilenceBreak {
  party: Party;
  by: string;
  reason: string;
  at: string;
}

export interface SilenceState {
  id: string;
  documentId: string;
  versionId: string;
  countryIds: string[];
  deadline: string;
  startedAt: string;
  startedBy: string;
  status: 'running' | 'settled' | 'cancelled';
  outcome: 'adopted' | 'broken' | null;
  breaks: SilenceBreak[];
  settledAt: string | null;
  cancelledAt: string | null;
}

export const SILENCE_JOB = 'silence-deadline';
export const REASON_MAX_LENGTH = 5_000;
const HOUR = 3_600_000;

const past = (state: SilenceState, now: Date) => now.getTime() >= new Date(state.deadline).getTime();

export function startSilence(input: { id: string; documentId: string; versionId: string; countryIds: readonly string[]; deadline: Date }, actor: Person, now: Date): Result<SilenceState> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator start a silence procedure.');
  if (input.countryIds.length === 0) return refuse(400, 'nobody_consulted', 'Name the countries under the silence procedure.');
  const lead = input.deadline.getTime() - now.getTime();
  if (Number.isNaN(lead) || lead < HOUR) return refuse(400, 'deadline_too_soon', 'The deadline must be at least an hour ahead.');
  if (lead > 366 * 24 * HOUR) return refuse(400, 'deadline_too_far', 'The deadline must be within a year.');
  return accept({
    id: input.id,
    documentId: input.documentId,
    versionId: input.versionId,
    countryIds: [...new Set(input.countryIds)],
    deadline: input.deadline.toISOString(),
    startedAt: now.toISOString(),
    startedBy: actor.id,
    status: 'running',
    outcome: null,
    breaks: [],
    settledAt: null,
    cancelledAt: null,
  });
}

export function silenceOutcome(state: SilenceState, now: Date): SilenceOutcome {
  if (state.status === 'cancelled') return 'cancelled';
  if (state.breaks.length > 0) return 'broken';
  return past(state, now) ? 'adopted' : 'running';
}

export function breakSilence(state: SilenceState, actor: Person, delegation: Delegation, reason: string, now: Date): Result<SilenceState> {
  const party = affiliation(actor);
  if (!party || party.kind !== 'country' || !state.countryIds.includes(party.id)) return refuse(403, 'not_under_silence', 'Only a country under the silence procedure breaks it.');
  if (!maySubmitFor(actor, party, delegation)) return refuse(403, 'not_submitter', 'The focal point, or the alternate it named, breaks silence for a country.');
  if (state.status !== 'running') return refuse(409, 'procedure_over', 'The silence procedure is over.');
  if (past(state, now)) return refuse(409, 'deadline_passed', 'The deadline has passed: the text is adopted.');
  const text = reason.trim();
  if (!text) return refuse(400, 'reason_required', 'Give the reason for breaking silence.');
  if (text.length > REASON_MAX_LENGTH) return refuse(400, 'reason_too_long', `A reason has at most ${REASON_MAX_LENGTH} characters.`);
  if (state.breaks.some((b) => b.party.id === party.id)) return refuse(409, 'already_broken', 'Your country has already broken silence.');
  return accept({ ...state, breaks: [...state.breaks, { party, by: actor.id, reason: text, at: now.toISOString() }] });
}

/** Records the outcome once the deadline has passed (the scheduler's job, or an organizer's page load). */
export function settleSilence(state: SilenceState, now: Date): Result<SilenceState> {
  if (state.status !== 'running') return refuse(409, 'procedure_over', 'The silence procedure is over.');
  if (!past(state, now)) return refuse(409, 'deadline_not_reached', 'The silence procedure runs until its deadline.');
  return accept({ ...state, status: 'settled', outcome: state.breaks.length > 0 ? 'broken' : 'adopted', settledAt: now.toISOString() });
}

export function cancelSilence(state: SilenceState, actor: Person, now: Date): Result<SilenceState> {
  if (!isOrganizer(actor)) return refuse(403, 'organizers_only', 'Only the secretariat or the coordinator cancel a silence procedure.');
  if (state.status !== 'running') return refuse(409, 'procedure_over', 'The silence procedure is over.');
  if (past(state, now)) return refuse(409, 'deadline_passed', 'The deadline has passed: the outcome stands.');
  return accept({ ...state, status: 'cancelled', cancelledAt: now.toISOString() });
}

export function silenceDeadlineJob(state: SilenceState): { key: string; runAt: Date } | null {
  if (state.status !== 'running') return null;
  const at = new Date(state.deadline);
  return { key: `${SILENCE_JOB}:${state.id}:${at.getTime()}`, runAt: at };
}
