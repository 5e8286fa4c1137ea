import type { FieldChange } from './domain/answers.js';
import type { RespondentStatus } from './domain/lifecycle.js';
import type { ReminderKind } from './domain/reminders.js';
import type { ReviewStatus } from './domain/review.js';

/**
 * The consultations' live events (see server/plugins/live/events.ts): on `consultation:<id>` for
 * the organizers' matrix, on `consultation-draft:<id>:<respondent>` for the delegation answering.
 */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    'consultation.updated': { consultationId: string; version: number };
    'consultation.opened': { consultationId: string };
    'consultation.closed': { consultationId: string };
    'consultation.summary': { consultationId: string };
    /** The same payload on the matrix (`consultation.respondent`) and on the delegation's draft (`consultation.status`). */
    'consultation.respondent': RespondentChanged;
    'consultation.status': RespondentChanged;
    'consultation.review': { consultationId: string; respondent: string; question: string; status: ReviewStatus; by: { id: string; displayName: string } };
    'consultation.draft': { consultationId: string; revision: number; by: { id: string; displayName: string }; changes: Array<Pick<FieldChange, 'field' | 'kind' | 'after'>> };
    'consultation.reminder': { consultationId: string; kind: ReminderKind };
    /** A reply by mail kept as a note beside the delegation's draft (on the draft's topic). */
    'consultation.note': { consultationId: string; note: MailNote };
  }
}

/** A delegate's reply by mail that answered no query: beside the draft, never one of the answers. */
export interface MailNote {
  id: string;
  by: { id: string; displayName: string };
  at: string;
  text: string;
}

export interface RespondentChanged {
  consultationId: string;
  respondent: string;
  status: RespondentStatus;
  submissions: number;
}
