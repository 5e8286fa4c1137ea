import { deadlineInstant, type Consultation, type RespondentState } from './lifecycle.js';

/**
 * Reminders to respondents that have not answered: one 7 days before the deadline and one 1 day
 * before, at most one of each per respondent per consultation, none to a respondent that has
 * submitted (its answer stands even while reopened) or declined, none before the consultation
 * opens, none once it is closed or its deadline has passed.
 *
 * A pure planner: given the consultation, the respondents, the reminders already sent (which the
 * scheduler stores, so a restart sends nothing twice) and now, it says what to send now and when
 * to look again. A reminder whose moment had passed when the consultation opened is never sent (a
 * consultation opened five days before its deadline gets no "7 days left"), and when a scheduler
 * that was down wakes inside the last day, only the 1-day reminder goes: a respondent is not sent
 * both at once.
 */

export const REMINDER_LEADS = { '7d': 7 * 24 * 60 * 60_000, '1d': 24 * 60 * 60_000 } as const;
export type ReminderKind = keyof typeof REMINDER_LEADS;
/** Most urgent first. */
const KINDS: readonly ReminderKind[] = ['1d', '7d'];

export interface SentReminder {
  respondent: string;
  kind: ReminderKind;
}

export interface ReminderToSend {
  respondent: string;
  kind: ReminderKind;
  /** The deadline it announces. */
  deadline: number;
  /** A key unique per consultation, respondent and kind, for the store of sent reminders. */
  key: string;
}

export interface ReminderPlan {
  send: ReminderToSend[];
  /** When a reminder may next become due, or null when none will. */
  nextCheckAt: number | null;
}

export const reminderKey = (consultationId: string, respondent: string, kind: ReminderKind) => `consultation-reminder:${consultationId}:${respondent}:${kind}`;

const waiting = (respondent: RespondentState) => respondent.declined === null && respondent.submissions.length === 0;

export function planReminders(consultationId: string, consultation: Consultation, respondents: readonly RespondentState[], sent: readonly SentReminder[], now: number): ReminderPlan {
  if (consultation.status !== 'open' || consultation.openedAt === null) return { send: [], nextCheckAt: null };
  const deadline = deadlineInstant(consultation.deadline);
  if (now >= deadline) return { send: [], nextCheckAt: null };
  const already = new Set(sent.map((reminder) => `${reminder.respondent}:${reminder.kind}`));
  const targets = new Set(consultation.targets);
  const openedAt = consultation.openedAt;
  const send: ReminderToSend[] = [];
  let nextCheckAt: number | null = null;
  for (const respondent of respondents) {
    if (!targets.has(respondent.respondent) || !waiting(respondent)) continue;
    for (const kind of KINDS) {
      const at = deadline - REMINDER_LEADS[kind];
      // Its moment had passed before the consultation opened: never sent.
      if (at < openedAt) continue;
      if (now < at) {
        nextCheckAt = nextCheckAt === null ? at : Math.min(nextCheckAt, at);
        continue;
      }
      // Due: send it unless it, or a more urgent one, was sent already.
      if (!already.has(`${respondent.respondent}:${kind}`)) send.push({ respondent: respondent.respondent, kind, deadline, key: reminderKey(consultationId, respondent.respondent, kind) });
      break;
    }
  }
  return { send, nextCheckAt };
}
