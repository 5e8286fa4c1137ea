import type { DocumentReference } from '../documents/public.js';
import type { ThreadReference } from '../debates/public.js';
import type * as may from './permissions.js';
import type { MeetingRow, MeetingsRepository } from './repository.js';
import type { RoomRepository } from './room-repository.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { MeetingsCore } from './core.js';
import type { ActionItemRow, MinutesRepository } from './minutes-repository.js';
import { actionItemViews, type ActionItemRows } from './minutes-views.js';
import type { RoomRows } from './room-views.js';
import { visibleOccurrences, type AttendanceRows, type DetailRows, type MeetingState, type PollRows } from './views.js';

/**
 * Reads what the meetings' views (views.ts, which are pure) are built from. Synchronous, like the
 * repository on SQLite, so that a write's unit of work can build the view its live event carries
 * from what it has just written, in the same transaction.
 */

/** What other features lend the meeting page. */
export interface LinkedReaders {
  /** The group's debate threads among these ids, in that order (fastify.debates). */
  threadsOf(groupId: string, ids: readonly string[]): ThreadReference[];
  /** The linked library documents this viewer may see, in the order of the ids (fastify.documents). */
  documentsFor(viewer: may.Viewer | null, ids: readonly string[]): Map<string, DocumentReference>;
  /** The meeting's linked threads and documents, in the organizer's order (fastify.links, relation 'linked'), unfiltered. */
  linksOf(meetingId: string): Promise<{ threadIds: string[]; documentIds: string[] }>;
}

/** stateOf, read at the boundary (before any write): what every route that names a meeting starts with. */
export async function loadState(repository: MeetingsRepository, meeting: MeetingRow): Promise<MeetingState> {
  return { meeting, invitees: await repository.invitees(meeting.id), occurrences: visibleOccurrences(meeting, await repository.overrides(meeting.id)) };
}

/** A meeting's state read inside a unit of work (a live event's view of what was just written). */
export function stateOf(repository: MeetingsRepository, meeting: MeetingRow): MeetingState {
  return { meeting, invitees: repository.inviteesNow(meeting.id), occurrences: visibleOccurrences(meeting, repository.overridesNow(meeting.id)) };
}

export async function detailRows(repository: MeetingsRepository, linked: LinkedReaders, state: MeetingState, viewer: may.Viewer | null): Promise<DetailRows> {
  const { meeting } = state;
  const links = await linked.linksOf(meeting.id);
  return {
    participants: repository.participantsNow(meeting.groupId),
    myAttendance: viewer ? repository.attendanceOfNow(viewer.id) : new Map(),
    answeredPoll: viewer !== null && meeting.pollOpenedAt !== null && repository.respondentsNow(meeting.id).has(viewer.id),
    agenda: repository.agendaNow(meeting.id),
    threads: linked.threadsOf(meeting.groupId, links.threadIds),
    documents: [...linked.documentsFor(viewer, links.documentIds).values()],
  };
}

export function pollRows(repository: MeetingsRepository, state: MeetingState): PollRows {
  return { participants: repository.participantsNow(state.meeting.groupId), answers: repository.pollAnswersNow(state.meeting.id), slots: repository.slotsNow(state.meeting.id) };
}

export function attendanceRows(repository: MeetingsRepository, state: MeetingState, occurrenceId: string): AttendanceRows {
  return { occurrenceId, participants: repository.participantsNow(state.meeting.groupId), rows: repository.attendanceNow(state.meeting.id, occurrenceId) };
}

export async function roomRows(rooms: RoomRepository, meetingId: string, occurrenceId: string, viewerId: string): Promise<RoomRows> {
  const polls = await rooms.polls(meetingId, occurrenceId);
  return {
    current: await rooms.state(meetingId, occurrenceId),
    polls,
    answers: await rooms.answers(polls.map((poll) => poll.id)),
    attendeeCount: await rooms.attendeeCount(meetingId, occurrenceId),
    joinedByMe: await rooms.hasJoined(meetingId, occurrenceId, viewerId),
  };
}

/** The meetings the action items (and, for a viewer, their pulls) refer to, each read once. */
export function actionItemRows(core: MeetingsCore, minutes: MinutesRepository, rows: ActionItemRow[], viewer: SessionUser | null): ActionItemRows {
  const pulls = viewer === null ? [] : minutes.pullsOfNow(rows.map((row) => row.id));
  const states = new Map<string, MeetingState | null>();
  for (const meetingId of [...rows.map((row) => row.meetingId), ...pulls.map((pull) => pull.meetingId)]) {
    if (states.has(meetingId)) continue;
    const meeting = core.repository.findNow(meetingId);
    states.set(meetingId, meeting ? core.state(meeting) : null);
  }
  return { states, pulls, now: core.now().getTime() };
}

/** Reads, then builds, action items' views for one viewer (or the neutral form, with null). */
export function actionItemViewer(core: MeetingsCore, minutes: MinutesRepository) {
  return (rows: ActionItemRow[], viewer: SessionUser | null) => actionItemViews(rows, actionItemRows(core, minutes, rows, viewer), viewer, core.maySee);
}
