import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { PlannedJob, Scheduler } from '../../plugins/scheduler/index.js';
import type { MeetingsCore } from './core.js';
import type { Occurrence } from './occurrences.js';
import type { MeetingRow } from './repository.js';

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

/** Brings a meeting's planned jobs in line with it, inside the write that changed it. */
export function planMeetingJobs(commit: PendingCommit, scheduler: Scheduler, meeting: MeetingRow, occurrences: Occurrence[]): void {
  const jobs = meetingJobs(meeting, occurrences, scheduler.now().getTime());
  scheduler.dropPendingWithin(commit, subjectOf(meeting.id), MEETING_JOB_KINDS, jobs.map((job) => job.key));
  scheduler.planWithin(commit, jobs);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The jobs meetings run: reminders before each occurrence, a poll's reminder and its deadline. */
export function defineMeetingJobs(fastify: FastifyInstance, core: MeetingsCore): void {
  const { repository } = core;
  const { scheduler } = fastify;

  scheduler.define(REMINDER_JOB, async (job, { commit, now }) => {
    const payload = job.payload as unknown as ReminderPayload;
    const meeting = repository.findNow(payload.meetingId);
    if (!meeting || meeting.status !== 'scheduled') return 'skipped';
    const current = core.state(meeting);
    const occurrence = current.occurrences.find((candidate) => candidate.id === payload.occurrenceId && candidate.state !== 'cancelled');
    const at = now.getTime();
    // Moved meanwhile (its new time has reminders of its own), started already, or (after
    // downtime) so late that the 1 h reminder is due as well: that one alone is sent.
    if (!occurrence || occurrence.startsAt !== payload.startsAt || at >= occurrence.startsAt) return 'skipped';
    if (payload.reminder === '24h' && at >= occurrence.startsAt - HOUR_MS) return 'skipped';
    const off = repository.remindersOffNow();
    const notGoing = repository.notGoingNow(meeting.id, occurrence.id);
    const recipients = core.invitedPeople(current).filter((person) => !off.has(person.id) && !notGoing.has(person.id));
    await core.notifyWithin(commit, () => recipients, meeting, null, { kind: 'meeting_reminder', details: { reminder: payload.reminder, startsAt: iso(occurrence.startsAt), occurrenceId: occurrence.id } }, { job: job.key }, now);
    // A series plans its next occurrences as each one comes near.
    if (meeting.recurrence) planMeetingJobs(commit, scheduler, meeting, current.occurrences);
    return 'done';
  });

  scheduler.define(POLL_REMINDER_JOB, async (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const meeting = repository.findNow(payload.meetingId);
    if (!meeting || meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline || now.getTime() >= payload.deadline) return 'skipped';
    const current = core.state(meeting);
    const answered = repository.respondentsNow(meeting.id);
    const waiting = core.invitedPeople(current).filter((person) => !answered.has(person.id));
    await core.notifyWithin(commit, () => waiting, meeting, null, { kind: 'meeting_poll_reminder', details: { deadline: iso(payload.deadline) } }, { job: job.key }, now);
    return 'done';
  });

  scheduler.define(POLL_DEADLINE_JOB, async (job, { commit, now }) => {
    const payload = job.payload as unknown as PollJobPayload;
    const meeting = repository.findNow(payload.meetingId);
    if (!meeting || meeting.status !== 'polling' || meeting.pollDeadline !== payload.deadline) return 'skipped';
    await core.notifyWithin(commit, () => [{ id: meeting.organizerId }], meeting, null, { kind: 'meeting_poll_deadline', details: { deadline: iso(payload.deadline) } }, { job: job.key }, now);
    return 'done';
  });
}
