import type { ActionItemView } from './minutes-views.js';
import type { AttendeeView, QuickPollView, agendaEventPayload, chatMessageView } from './room-views.js';
import type { MeetingDetailView, attendanceView, pollCountsView } from './views.js';

/**
 * The meetings' live events, all on `meeting:<id>` (see server/plugins/live/events.ts). Views in
 * them are neutral (no viewer): each page adds what is the reader's own.
 */
declare module '../../plugins/live/events.js' {
  interface LiveEventMap {
    'meeting.updated': { meeting: MeetingDetailView };
    /** Counts only, the same size however many answered: pages GET the full poll once per burst. */
    'poll.updated': ReturnType<typeof pollCountsView>;
    'attendance.updated': AttendanceCounts;
    /** To those who write minutes: a draft saved, with the fields it changed. */
    'minutes.draft': { occurrenceId: string; revision: number; fields: string[]; updatedAt: string; updatedBy: { id: string; displayName: string } };
    'minutes.published': { occurrenceId: string; revision: number; publishedAt: string; firstPublication: boolean };
    'action_item.updated': { actionItem: ActionItemView };
    /** The live room. */
    'room.poll': { poll: QuickPollView };
    'room.agenda': ReturnType<typeof agendaEventPayload>;
    'room.message': { message: ReturnType<typeof chatMessageView> };
    'room.attendance': { occurrenceId: string; attendee: AttendeeView; present: boolean; attendeeCount: number; countriesPresent: string[] };
  }
}

export type AttendanceCounts = { occurrenceId: string } & Pick<ReturnType<typeof attendanceView>, 'counts' | 'countriesWithNobodyGoing'>;
