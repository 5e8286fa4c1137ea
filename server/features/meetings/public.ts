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

/** A closed quick poll as a list of choices shows it (the proposals' "from a meeting's poll"). */
export interface ClosedQuickPoll {
  id: string;
  meetingId: string;
  meetingTitle: string;
  question: string;
  scope: 'person' | 'country';
  answerCount: number;
  closedAt: number;
  occurrenceStartsAt: number;
  timeZone: string;
  /** The poll's meeting links this thread (only when a thread was named). */
  linked: boolean;
}

export interface MeetingsService {
  /** The quick poll, if this person may see its meeting; null otherwise (or when there is no such poll). */
  quickPoll(user: SessionUser, pollId: string): Promise<QuickPollRecord | null>;
  /**
   * The closed quick polls of the meetings this person may see, those of meetings linked to
   * `threadId` first, then latest closed first; at most `limit`, from the group's latest 200.
   */
  closedQuickPolls(user: SessionUser, options: { threadId?: string; limit: number }): Promise<ClosedQuickPoll[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    meetings: MeetingsService;
  }
}
