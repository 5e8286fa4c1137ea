import type Sqlite from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { PlannedJob, Scheduler } from '../../plugins/scheduler/index.js';
import { noticesFor, type MeetingNotice } from './core.js';
import type { Occurrence, OverrideRow } from './occurrences.js';
import * as may from './permissions.js';
import { MEETING_COLUMNS, MEETING_FROM, toMeeting, type InviteeRow, type MeetingRow, type Participant, type RawMeeting } from './repository.js';
import { visibleOccurrences } from './views.js';

/**
 * The scheduled jobs of a meeting: reminders 24 h and 1 h before each occurrence, and a poll's
 * reminder and deadline. Each job's key names the exact moment it is about (the occurrence's start,
 * the deadline), so planning again after any change keeps what was already sent as sent, and a
 * meeting moved to a new time gets reminders for that time.
 */

export const REMINDER_JOB = 'meeting-reminder';
export const POLL_REMINDER_JOB = 'meeting-poll-reminder';
export const POLL_DEADLINE_JOB = 'meeting-poll-deadline';
export const MEETING_JOB_KINDS = [REMINDER_JOB, POLL_REMINDER_JOB, POLL_DEADLINE_JOB];

const HOUR_MS = 60 * 60_000;
export const REMINDER_LEADS = { '24h': 24 * HOUR_MS, '1h': HOUR_MS } as const;
export type ReminderLead = keyof typeof REMINDER_LEADS;
/** Occurrences of a series planned ahead; each reminder sent plans the following ones. */
const OCCURRENCES_AHEAD = 3;

export interface ReminderPayload {
  meetingId: string;
  occurrenceId: string;
  startsAt: number;
  reminder: ReminderLead;
}

export interface PollJobPayload {
  meetingId: string;
  deadline: number;
}

export const subjectOf = (meetingId: string) => `meeting:${meetingId}`;

export function meetingJobs(meeting: MeetingRow, occurrences: Occurrence[], now: number): PlannedJob[] {
  const subject = subjectOf(meeting.id);
  const jobs: PlannedJob[] = [];
  if (meeting.status === 'scheduled') {
    const upcoming = occurrences.filter((occurrence) => occurrence.state !== 'cancelled' && occurrence.startsAt > now).slice(0, OCCURRENCES_AHEAD);
    for (const occurrence of upcoming) {
      for (const [reminder, lead] of Object.entries(REMINDER_LEADS) as Array<[ReminderLead, number]>) {
        const runAt = occurrence.startsAt - lead;
        // A reminder whose moment had passed when the meeting was planned is not sent late.
        if (runAt <= now) continue;
        const payload: ReminderPayload = { meetingId: meeting.id, occurrenceId: occurrence.id, startsAt: occurrence.startsAt, reminder };
        jobs.push({ key: `${REMINDER_JOB}:${meeting.id}:${occurrence.startsAt}:${reminder}`, kind: REMINDER_JOB, subject, runAt: new Date(runAt), payload: { ...payload } });
      }
    }
  }
  if (meeting.status === 'polling' && meeting.pollDeadline !== null && meeting.pollClosedAt === null && meeting.pollDeadline > now) {
    const deadline = meeting.pollDeadline;
    const left = deadline - now;
    const remindAt = left > 48 * HOUR_MS ? deadline - 24 * HOUR_MS : now + Math.floor(left / 2);
    const payload: PollJobPayload = { meetingId: meeting.id, deadline };
    jobs.push({ key: `${POLL_REMINDER_JOB}:${meeting.id}:${deadline}`, kind: POLL_REMINDER_JOB, subject, runAt: new Date(remindAt), payload: { ...payload } });
    jobs.push({ key: `${POLL_DEADLINE_JOB}:${meeting.id}:${deadline}`, kind: POLL_DEADLINE_JOB, subject, runAt: new Date(deadline), payload: { ...payload } });
  }
  return jobs;
}

/**
 * Brings a meeting's planned jobs in line with it, inside the write that changed it. Synchronous
 * while the scheduler's handlers are (see defineMeetingJobs), which plan their successors with it.
 */
export function planMeetingJobs(commit: PendingCommit, scheduler: Scheduler, meeting: MeetingRow, occurrences: Occurrence[]): void {
  const jobs = meetingJobs(meeting, occurrences, scheduler.now().getTime());
  scheduler.dropPendingWithin(commit, subjectOf(meeting.id), MEETING_JOB_KINDS, jobs.map((job) => job.key));
  scheduler.planWithin(commit, jobs);
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What the jobs read, synchronously, on SQLite's connection: a scheduler JobHandler returns its
 * outcome at once (plugins/scheduler), so a handler cannot await the meetings' repository yet.
 * Goes when handlers may be asynchronous: they then read through MeetingsRepository and the core.
 */
function jobReads(connection: Sqlite.Database) {
  const byId = connection.prepare<[string], RawMeeting>(`select ${MEETING_COLUMNS} from ${MEETING_FROM} where m.id = ?`);
  const invitees = connection.prepare<[string], InviteeRow>('select meeting_id as meetingId, kind, ref_id as refId from meeting_invitees where meeting_id = ? order by kind, ref_id');
  const overrides = connection.prepare<[string], OverrideRow>(
    'select original_starts_at as originalStartsAt, state, starts_at as startsAt, ends_at as endsAt from meeting_occurrence_overrides where meeting_id = ?',
  );
  const participants = connection.prepare<[string], Participant>(
    `select u.id, u.display_name as displayName, u.locale, m.role, m.country_id as countryId, m.organization_id as organizationId
       from memberships m join users u on u.id = m.user_id where m.group_id = ? and u.deactivated_at is null order by u.display_name collate nocase`,
  );
  const remindersOff = connection.prepare<[], string>('select user_id from meeting_preferences where reminders = 0').pluck();
  const notGoing = connection.prepare<[string, string], string>("select user_id from meeting_attendance_answers where meeting_id = ? and occurrence_id = ? and answer = 'not_going'").pluck();
  const respondents = connection.prepare<[string], string>('select distinct user_id from meeting_poll_answers where meeting_id = ?').pluck();
  return {
    meeting(id: string): { meeting: MeetingRow; invitees: InviteeRow[]; occurrences: Occurrence[] } | undefined {
      const raw = byId.get(id);
      if (!raw) return undefined;
      const meeting = toMeeting(raw);
      return { meeting, invitees: invitees.all(id), occurrences: visibleOccurrences(meeting, overrides.all(id)) };
    },
    invitedPeople: (current: { meeting: MeetingRow; invitees: InviteeRow[] }) => may.invitedPeople(participants.all(current.meeting.groupId), current.meeting, current.invitees),
    remindersOff: () => new Set(remindersOff.all()),
    notGoing: (meetingId: string, occurrenceId: string) => new Set(notGoing.all(meetingId, occurrenceId)),
    respondents: (meetingId: string) => new Set(respondents.all(meetingId)),
  };
}

/** The jobs meetings run: reminders before each occurrence, a poll's reminder and its deadline. */
export function defineMeetingJobs(fastify: FastifyInstance): void {
  const { scheduler } = fastify;
  const reads = jobReads(fastify.db.$client);
  // The job notices are in-app (and notice mail) only: none of them is mailed with a calendar part (mail.ts).
  const notifyWithin = (commit: PendingCommit, people: Array<{ id: string }>, meeting: MeetingRow, notice: MeetingNotice, job: string, now: Date) =>
    fastify.notifications.notifyWithin(commit, () => noticesFor(people, meeting, null, notice), { meetingId: meeting.id, job }, now);

  scheduler.define(REMINDER_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as ReminderPayload;
    const current = reads.meeting(payload.meetingId);
    if (!current || current.meeting.status !== 'scheduled') return 'skipped';
    const { meeting } = current;
    const occurrence = current.occurrences.find((candidate) => candidate.id === payload.occurrenceId && candidate.state !== 'cancelled');
    const at = now.getTime();
    // Moved meanwhile (its new time has reminders of its own), started already, or (after
    // downtime) so late that the 1 h reminder is due as well: that one alone is sent.
    if (!occurrence || occurrence.startsAt !== payload.startsAt || at >= occurrence.startsAt) return 'skipped';
    if (payload.reminder === '24h' && at >= occurrence.startsAt - HOUR_MS) return 'skipped';
    const off = reads.remindersOff();
    const notGoing = reads.notGoing(meeting.id, occurrence.id);
    const recipients = reads.invitedPeople(current).filter((person) => !off.has(person.id) && !notGoing.has(person.id));
    notifyWithin(commit, recipients, meeting, { kind: 'meeting_reminder', details: { reminder: payload.reminder, startsAt: iso(occurrence.startsAt), occurrenceId: occurrence.id } }, job.key, now);
    // A series plans its next occurrences as each one comes near.
    if (meeting.recurrence) planMeetingJobs(commit, scheduler, meeting, current.occurrences);
    return 'done';
  });

  scheduler.define(POLL_REMINDER_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const current = reads.meeting(payload.meetingId);
    if (!current) return 'skipped';
    const { meeting } = current;
    if (meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline || now.getTime() >= payload.deadline) return 'skipped';
    const answered = reads.respondents(meeting.id);
    const waiting = reads.invitedPeople(current).filter((person) => !answered.has(person.id));
    notifyWithin(commit, waiting, meeting, { kind: 'meeting_poll_reminder', details: { deadline: iso(payload.deadline) } }, job.key, now);
    return 'done';
  });

  scheduler.define(POLL_DEADLINE_JOB, (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const meeting = reads.meeting(payload.meetingId)?.meeting;
    if (!meeting || meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline) return 'skipped';
    notifyWithin(commit, [{ id: meeting.organizerId }], meeting, { kind: 'meeting_poll_deadline', details: { deadline: iso(payload.deadline) } }, job.key, now);
    return 'done';
  });
}
