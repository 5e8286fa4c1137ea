/** What other features may use of the meetings: `fastify.meetings`. Type-only. */
import type { SessionUser } from '../../plugins/sessions/index.js';

/**
 * A quick poll of a meeting's live room as another feature takes it over (the proposals turn a
 * closed one into a proposal): its question, options, every answer, and where it was asked.
 */
export interface QuickPollRecord {
  id: string;
  meetingId: string;
  question: string;
  kind: 'options' | 'yes_no_abstain';
  scope: 'person' | 'country';
  /** Labels are null for yes / no / abstain (ids "yes", "no", "abstain"). */
  options: Array<{ id: string; label: string | null }>;
  /** One answer per voter ("p:<userId>" or "c:<countryId>"). */
  answers: Array<{ voter: string; userId: string; countryId: string | null; optionId: string }>;
  closedAt: number | null;
  meetingTitle: string;
  occurrenceStartsAt: number;
  timeZone: string;
}

export interface MeetingsService {
  /** The quick poll, if this person may see its meeting; null otherwise (or when there is no such poll). */
  quickPoll(user: SessionUser, pollId: string): Promise<QuickPollRecord | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    meetings: MeetingsService;
  }
}
