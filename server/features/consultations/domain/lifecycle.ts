import { DateTime, IANAZone } from 'luxon';
import { isDate } from './questionnaire.js';
import type { AnswerProblem } from './schemas.js';

/**
 * A consultation's life and each respondent's (a country's delegation, or an agency invited to
 * answer), on a clock the caller passes in:
 *
 *   draft ──open──► open ──(deadline passes, or the organizer closes it)──► closed
 *
 * The deadline is a local date and time in the organizer's zone; it holds whether or not a job ran,
 * because every write asks mayWrite(consultation, respondent, now). After the deadline the organizer
 * may extend it for one respondent (until an explicit close). Until its deadline a respondent may
 * submit, reopen and submit again (every submission is kept), or decline with a reason.
 *
 * Every act returns the next state or a refusal with a stable code and the HTTP status a route
 * answers with; none mutates its input.
 */

export interface LocalDeadline {
  /** YYYY-MM-DD */
  date: string;
  /** HH:mm, 24-hour */
  time: string;
  /** The organizer's IANA zone. */
  zone: string;
}

export type ConsultationStatus = 'draft' | 'open' | 'closed';

export interface Consultation {
  status: ConsultationStatus;
  deadline: LocalDeadline;
  openedAt: number | null;
  closedAt: number | null;
  /** Respondent ids: countries, and agencies invited to answer. */
  targets: readonly string[];
}

export interface Extension {
  until: number;
  grantedAt: number;
  grantedBy: string | null;
  reason: string | null;
}

export interface SubmissionRecord {
  /** 1 for the first submission, 2 after a reopening... */
  number: number;
  at: number;
  by: string | null;
  /** Sent after the consultation's deadline, under an extension. */
  late: boolean;
}

export interface RespondentState {
  respondent: string;
  firstWriteAt: number | null;
  lastWriteAt: number | null;
  /** Oldest first; the last one is the respondent's answer unless it reopened and declined since. */
  submissions: SubmissionRecord[];
  /** Set when the respondent reopened its last submission to change it; cleared by the next submission. */
  reopenedAt: number | null;
  declined: { at: number; by: string | null; reason: string } | null;
  extension: Extension | null;
}

export interface Refusal {
  code: string;
  message: string;
  status: 400 | 403 | 409;
  details?: unknown;
}
export type Outcome<T> = { ok: true; state: T } | { ok: false; error: Refusal };

const refuse = (status: Refusal['status'], code: string, message: string, details?: unknown): { ok: false; error: Refusal } => ({ ok: false, error: { code, message, status, ...(details !== undefined ? { details } : {}) } });

export const newRespondent = (respondent: string): RespondentState => ({ respondent, firstWriteAt: null, lastWriteAt: null, submissions: [], reopenedAt: null, declined: null, extension: null });

export const REASON_MAX_LENGTH = 2_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A problem with a deadline as entered, or null. */
export function checkDeadline(deadline: LocalDeadline): Refusal | null {
  if (!isDate(deadline.date)) return { code: 'bad_deadline', message: `"${deadline.date}" is not a date (YYYY-MM-DD).`, status: 400 };
  if (!TIME.test(deadline.time)) return { code: 'bad_deadline', message: `"${deadline.time}" is not a time (HH:mm).`, status: 400 };
  if (!IANAZone.isValidZone(deadline.zone)) return { code: 'invalid_time_zone', message: `"${deadline.zone}" is not a known time zone.`, status: 400 };
  return null;
}

/**
 * The instant a deadline falls: the first instant at which the organizer's clock shows the deadline's
 * date and time or later. So a time the clocks pass twice (when they go back) falls at its first
 * passing, and a time they skip (when they go forward) falls at the jump: 00:30 on the night Chile
 * goes from 00:00 to 01:00 is the instant the clocks show 01:00. Computed from the zone's offsets,
 * not from luxon's guess (which takes the later passing in some zones and the earlier in others).
 */
export function deadlineInstant(deadline: LocalDeadline): number {
  // Every status, matrix row and write asks for it, and each zone offset costs an Intl lookup: remember them.
  const key = `${deadline.date}T${deadline.time}@${deadline.zone}`;
  const known = INSTANTS.get(key);
  if (known !== undefined) return known;
  const instant = computeInstant(deadline);
  if (INSTANTS.size >= 1_000) INSTANTS.clear();
  INSTANTS.set(key, instant);
  return instant;
}

const INSTANTS = new Map<string, number>();

function computeInstant(deadline: LocalDeadline): number {
  const problem = checkDeadline(deadline);
  if (problem) throw new RangeError(problem.message);
  const zone = IANAZone.create(deadline.zone);
  const [year, month, day] = deadline.date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = deadline.time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  const instants = [...new Set([before, after])].map((offset) => wall - offset * MINUTE_MS).filter((instant) => zone.offset(instant) * MINUTE_MS === wall - instant);
  if (instants.length > 0) return Math.min(...instants);
  // Skipped: the clocks jump from before the deadline to after it between these two instants.
  let lo = wall - after * MINUTE_MS;
  let hi = wall - before * MINUTE_MS;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The deadline as a reader in another zone sees it: "2026-04-30 23:59" in Santiago is "2026-04-30 21:59" in Mexico City. */
export function inZone(instant: number, zone: string): { date: string; time: string; zone: string; offset: string } {
  const local = DateTime.fromMillis(instant, { zone });
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm'), zone, offset: local.toFormat('ZZ') };
}

export type Phase = 'draft' | 'open' | 'closed';

export function phase(consultation: Consultation, now: number): Phase {
  if (consultation.status === 'draft') return 'draft';
  if (consultation.status === 'closed' || now >= deadlineInstant(consultation.deadline)) return 'closed';
  return 'open';
}

/** Until when a respondent may write: the deadline, or its extension when later. */
export function writableUntil(consultation: Consultation, respondent: RespondentState): number {
  const deadline = deadlineInstant(consultation.deadline);
  return respondent.extension && respondent.extension.until > deadline ? respondent.extension.until : deadline;
}

/** Whether the time window lets the respondent act, whatever it has done so far. */
function inWindow(consultation: Consultation, respondent: RespondentState, now: number): Outcome<{ until: number; extended: boolean }> {
  if (consultation.status === 'draft') return refuse(409, 'not_open', 'The consultation is not open yet.');
  if (consultation.status === 'closed') return refuse(409, 'consultation_closed', 'The consultation is closed.');
  if (!consultation.targets.includes(respondent.respondent)) return refuse(403, 'not_a_target', 'This consultation is not addressed to you.');
  const deadline = deadlineInstant(consultation.deadline);
  if (now < deadline) return { ok: true, state: { until: writableUntil(consultation, respondent), extended: false } };
  if (respondent.extension && now < respondent.extension.until) return { ok: true, state: { until: respondent.extension.until, extended: true } };
  return refuse(409, 'deadline_passed', 'The deadline has passed.');
}

/**
 * Whether a respondent's draft may be written now: the consultation open, the respondent a target,
 * before the deadline or its extension, not declined, and not standing on a submission (reopen it
 * first). The one check every write makes, so a deadline holds even if no job closed anything.
 */
export function mayWrite(consultation: Consultation, respondent: RespondentState, now: number): Outcome<{ until: number; extended: boolean }> {
  const window = inWindow(consultation, respondent, now);
  if (!window.ok) return window;
  if (respondent.declined) return refuse(409, 'declined', 'Your delegation declined to answer; withdraw the decline first.');
  if (respondent.submissions.length > 0 && respondent.reopenedAt === null) return refuse(409, 'already_submitted', 'Your answer is submitted; reopen it to change it.');
  return window;
}

/** After an accepted save: the first and last write times. */
export function recordWrite(consultation: Consultation, respondent: RespondentState, now: number): Outcome<RespondentState> {
  const allowed = mayWrite(consultation, respondent, now);
  if (!allowed.ok) return allowed;
  return { ok: true, state: { ...respondent, firstWriteAt: respondent.firstWriteAt ?? now, lastWriteAt: now } };
}

export interface SubmitRequest {
  by: string | null;
  /** The draft's revision the submitter saw; refused when the draft moved on since. */
  baseRevision: number;
  draftRevision: number;
  /** validateSubmission's result: a submission with problems is refused with them as details. */
  problems: readonly AnswerProblem[];
}

export function submit(consultation: Consultation, respondent: RespondentState, request: SubmitRequest, now: number): Outcome<RespondentState> {
  const allowed = mayWrite(consultation, respondent, now);
  if (!allowed.ok) return allowed;
  if (request.baseRevision !== request.draftRevision) return refuse(409, 'draft_changed', 'The draft changed since you last saw it; review it and submit again.');
  if (request.problems.length > 0) return refuse(400, 'answers_invalid', 'Some answers are missing or not valid.', [...request.problems]);
  const late = now >= deadlineInstant(consultation.deadline);
  const record: SubmissionRecord = { number: respondent.submissions.length + 1, at: now, by: request.by, late };
  return { ok: true, state: { ...respondent, firstWriteAt: respondent.firstWriteAt ?? now, submissions: [...respondent.submissions, record], reopenedAt: null } };
}

/** Reopens the last submission for changes; it stays the respondent's answer until the next one. */
export function reopen(consultation: Consultation, respondent: RespondentState, now: number): Outcome<RespondentState> {
  const window = inWindow(consultation, respondent, now);
  if (!window.ok) return window;
  if (respondent.submissions.length === 0) return refuse(409, 'not_submitted', 'There is no submission to reopen.');
  if (respondent.reopenedAt !== null) return refuse(409, 'already_reopened', 'The answer is already reopened.');
  return { ok: true, state: { ...respondent, reopenedAt: now } };
}

export function decline(consultation: Consultation, respondent: RespondentState, by: string | null, reason: string, now: number): Outcome<RespondentState> {
  const window = inWindow(consultation, respondent, now);
  if (!window.ok) return window;
  const text = reason.trim();
  if (!text) return refuse(400, 'reason_required', 'Say why your delegation declines.');
  if (text.length > REASON_MAX_LENGTH) return refuse(400, 'reason_too_long', `A reason has at most ${REASON_MAX_LENGTH} characters.`);
  if (respondent.declined) return refuse(409, 'already_declined', 'Your delegation already declined.');
  if (respondent.submissions.length > 0) return refuse(409, 'already_submitted', 'Your delegation has submitted an answer.');
  return { ok: true, state: { ...respondent, declined: { at: now, by, reason: text } } };
}

export function withdrawDecline(consultation: Consultation, respondent: RespondentState, now: number): Outcome<RespondentState> {
  const window = inWindow(consultation, respondent, now);
  if (!window.ok) return window;
  if (!respondent.declined) return refuse(409, 'not_declined', 'Your delegation has not declined.');
  return { ok: true, state: { ...respondent, declined: null } };
}

/** Gives one respondent until `until` (after the deadline); replaces an earlier extension. */
export function grantExtension(consultation: Consultation, respondent: RespondentState, until: number, by: string | null, reason: string | null, now: number): Outcome<RespondentState> {
  if (consultation.status === 'draft') return refuse(409, 'not_open', 'The consultation is not open yet.');
  if (consultation.status === 'closed') return refuse(409, 'consultation_closed', 'The consultation is closed.');
  if (!consultation.targets.includes(respondent.respondent)) return refuse(400, 'not_a_target', 'The consultation is not addressed to this respondent.');
  if (until <= deadlineInstant(consultation.deadline)) return refuse(400, 'extension_before_deadline', 'An extension ends after the deadline.');
  if (until <= now) return refuse(400, 'extension_in_past', 'An extension ends in the future.');
  const text = reason?.trim() || null;
  if (text && text.length > REASON_MAX_LENGTH) return refuse(400, 'reason_too_long', `A reason has at most ${REASON_MAX_LENGTH} characters.`);
  return { ok: true, state: { ...respondent, extension: { until, grantedAt: now, grantedBy: by, reason: text } } };
}

export function revokeExtension(respondent: RespondentState): Outcome<RespondentState> {
  if (!respondent.extension) return refuse(409, 'no_extension', 'There is no extension to revoke.');
  return { ok: true, state: { ...respondent, extension: null } };
}

export function openConsultation(consultation: Consultation, questionnaireProblems: readonly unknown[], now: number): Outcome<Consultation> {
  if (consultation.status !== 'draft') return refuse(409, 'already_open', 'The consultation is already open.');
  if (consultation.targets.length === 0) return refuse(400, 'no_targets', 'Choose the countries the consultation is addressed to.');
  if (questionnaireProblems.length > 0) return refuse(400, 'questionnaire_invalid', 'The questionnaire has problems.', [...questionnaireProblems]);
  if (deadlineInstant(consultation.deadline) <= now) return refuse(400, 'deadline_in_past', 'The deadline has passed; set a later one.');
  return { ok: true, state: { ...consultation, status: 'open', openedAt: now } };
}

/** Closes for good: after it nobody writes, not even under an extension. */
export function closeConsultation(consultation: Consultation, now: number): Outcome<Consultation> {
  if (consultation.status === 'draft') return refuse(409, 'not_open', 'The consultation is not open yet.');
  if (consultation.status === 'closed') return refuse(409, 'consultation_closed', 'The consultation is already closed.');
  return { ok: true, state: { ...consultation, status: 'closed', closedAt: now } };
}

/** Moves the deadline (earlier or later) while the consultation is a draft or still open. */
export function setDeadline(consultation: Consultation, deadline: LocalDeadline, now: number): Outcome<Consultation> {
  const problem = checkDeadline(deadline);
  if (problem) return { ok: false, error: problem };
  if (consultation.status === 'closed') return refuse(409, 'consultation_closed', 'The consultation is closed.');
  if (consultation.status === 'open' && deadlineInstant(deadline) <= now) return refuse(400, 'deadline_in_past', 'The new deadline has passed already.');
  return { ok: true, state: { ...consultation, deadline: { ...deadline } } };
}

export type RespondentStatus = 'not_started' | 'draft' | 'submitted' | 'declined' | 'late' | 'extended';
export const RESPONDENT_STATUSES: readonly RespondentStatus[] = ['not_started', 'draft', 'submitted', 'declined', 'late', 'extended'];

/**
 * A respondent's status as the organizer's matrix shows it. `late`: the deadline passed with nothing
 * submitted and no extension running; `extended`: past the deadline, working under an extension. A
 * respondent that reopened its answer and has not submitted again shows `draft` before the deadline;
 * after it (without an extension) its last submission stands, so `submitted`.
 */
export function respondentStatus(consultation: Consultation, respondent: RespondentState, now: number): RespondentStatus {
  if (respondent.declined) return 'declined';
  const submitted = respondent.submissions.length > 0;
  if (submitted && respondent.reopenedAt === null) return 'submitted';
  if (consultation.status === 'draft') return 'not_started';
  const open = consultation.status === 'open';
  if (open && now < deadlineInstant(consultation.deadline)) return respondent.firstWriteAt !== null || respondent.reopenedAt !== null ? 'draft' : 'not_started';
  if (open && respondent.extension && now < respondent.extension.until) return 'extended';
  return submitted ? 'submitted' : 'late';
}
