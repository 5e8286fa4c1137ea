import { api } from '../../app/api.js';
import type { Page } from '../../app/models.js';
import type {
  ActionItem,
  ActionItemQuery,
  AgendaItem,
  Attendance,
  AttendanceAnswer,
  Attendee,
  Change,
  ChatMessage,
  FeedState,
  ListQuery,
  MeetingDetail,
  MeetingListItem,
  Minutes,
  MinutesSave,
  NewFeed,
  NewMeetingBody,
  PersonRef,
  Poll,
  PollAnswer,
  QuickPoll,
  Room,
  RoomAttendance,
} from './models.js';

const id = (value: string) => encodeURIComponent(value);

/** The meetings routes of docs/meetings-api.md. */
export const meetingsApi = {
  list: (query: ListQuery, signal?: AbortSignal) => api.get<Page<MeetingListItem>>('/meetings', { query: { ...query }, signal }),
  get: (meetingId: string, signal?: AbortSignal) => api.get<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}`, { signal }).then((r) => r.meeting),
  create: (body: NewMeetingBody) => api.post<{ meeting: MeetingDetail }>('/meetings', body).then((r) => r.meeting),
  update: (meetingId: string, changes: Partial<Omit<NewMeetingBody, 'poll'>>) =>
    api.patch<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}`, changes).then((r) => r.meeting),
  /** Everyone the meeting invites (the organizer included), by name. */
  invitees: (meetingId: string, signal?: AbortSignal) => api.get<{ items: PersonRef[] }>(`/meetings/${id(meetingId)}/invitees`, { signal }).then((r) => r.items),
  cancel: (meetingId: string, reason: string) =>
    api.post<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}/cancel`, reason ? { reason } : {}).then((r) => r.meeting),
  changeOccurrence: (meetingId: string, occurrenceId: string, change: { startsAt: string; endsAt: string } | { state: 'cancelled' | 'scheduled' }) =>
    api.patch<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}/occurrences/${id(occurrenceId)}`, change).then((r) => r.meeting),
  history: (meetingId: string, signal?: AbortSignal) => api.get<{ items: Change[] }>(`/meetings/${id(meetingId)}/history`, { signal }).then((r) => r.items),

  poll: (meetingId: string, signal?: AbortSignal) => api.get<{ poll: Poll }>(`/meetings/${id(meetingId)}/poll`, { signal }).then((r) => r.poll),
  answerPoll: (meetingId: string, answers: Record<string, PollAnswer>) =>
    api
      .put<{ poll: Poll }>(`/meetings/${id(meetingId)}/poll/answers`, { answers: Object.entries(answers).map(([slotId, answer]) => ({ slotId, answer })) })
      .then((r) => r.poll),
  changePoll: (meetingId: string, changes: { slots?: Array<{ startsAt: string; endsAt: string }>; deadline?: string | null }) =>
    api.patch<{ poll: Poll }>(`/meetings/${id(meetingId)}/poll`, changes).then((r) => r.poll),
  closePoll: (meetingId: string, slotId: string) => api.post<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}/poll/close`, { slotId }).then((r) => r.meeting),

  attendance: (meetingId: string, occurrenceId: string | null, signal?: AbortSignal) =>
    api.get<{ attendance: Attendance }>(`/meetings/${id(meetingId)}/attendance`, { query: { occurrenceId }, signal }).then((r) => r.attendance),
  answerAttendance: (meetingId: string, body: { answer: AttendanceAnswer; note: string; occurrenceId: string | null }) =>
    api
      .put<{ attendance: Attendance }>(`/meetings/${id(meetingId)}/attendance`, {
        answer: body.answer,
        note: body.note,
        ...(body.occurrenceId ? { occurrenceId: body.occurrenceId } : {}),
      })
      .then((r) => r.attendance),

  feed: (signal?: AbortSignal) => api.get<{ feed: FeedState | null }>('/calendar/feed', { signal }).then((r) => r.feed),
  createFeed: () => api.post<{ feed: NewFeed }>('/calendar/feed', {}).then((r) => r.feed),
  revokeFeed: () => api.delete<null>('/calendar/feed'),
  preferences: (signal?: AbortSignal) => api.get<{ preferences: { reminders: boolean } }>('/meetings/preferences', { signal }).then((r) => r.preferences),
  setPreferences: (preferences: { reminders: boolean }) => api.put<{ preferences: { reminders: boolean } }>('/meetings/preferences', preferences).then((r) => r.preferences),

  room: (meetingId: string, occurrenceId: string | null, signal?: AbortSignal) =>
    api.get<{ room: Room }>(`/meetings/${id(meetingId)}/room`, { query: { occurrenceId }, signal }).then((r) => r.room),
  joinRoom: (meetingId: string) => api.post<{ room: Room; attendee: Attendee }>(`/meetings/${id(meetingId)}/room/join`, {}),
  setAgendaItem: (meetingId: string, agendaItemId: string | null) =>
    api.put<{ room: Room }>(`/meetings/${id(meetingId)}/room/agenda`, { agendaItemId }).then((r) => r.room),
  messages: (meetingId: string, occurrenceId: string, before: string | null, signal?: AbortSignal) =>
    api.get<{ items: ChatMessage[]; nextCursor: string | null }>(`/meetings/${id(meetingId)}/room/messages`, { query: { occurrenceId, before, limit: 50 }, signal }),
  sendMessage: (meetingId: string, body: string) => api.post<{ message: ChatMessage }>(`/meetings/${id(meetingId)}/room/messages`, { body }).then((r) => r.message),
  openQuickPoll: (meetingId: string, poll: { question: string; kind: QuickPoll['kind']; scope: QuickPoll['scope']; options?: string[] }) =>
    api.post<{ poll: QuickPoll }>(`/meetings/${id(meetingId)}/room/polls`, poll).then((r) => r.poll),
  answerQuickPoll: (meetingId: string, pollId: string, optionId: string) =>
    api.put<{ poll: QuickPoll }>(`/meetings/${id(meetingId)}/room/polls/${id(pollId)}/answer`, { optionId }).then((r) => r.poll),
  closeQuickPoll: (meetingId: string, pollId: string) => api.post<{ poll: QuickPoll }>(`/meetings/${id(meetingId)}/room/polls/${id(pollId)}/close`, {}).then((r) => r.poll),
  roomAttendance: (meetingId: string, occurrenceId: string, signal?: AbortSignal) =>
    api.get<{ attendance: RoomAttendance }>(`/meetings/${id(meetingId)}/room/attendance`, { query: { occurrenceId }, signal }).then((r) => r.attendance),
  markAttendance: (meetingId: string, userId: string, occurrenceId: string, present: boolean) =>
    api.put<{ attendance: RoomAttendance }>(`/meetings/${id(meetingId)}/room/attendance/${id(userId)}`, { occurrenceId, present }).then((r) => r.attendance),

  minutes: (meetingId: string, occurrenceId: string | null, signal?: AbortSignal) =>
    api.get<{ minutes: Minutes }>(`/meetings/${id(meetingId)}/minutes`, { query: { occurrenceId }, signal }).then((r) => r.minutes),
  saveMinutes: (meetingId: string, save: MinutesSave) => api.patch<{ minutes: Minutes }>(`/meetings/${id(meetingId)}/minutes`, save).then((r) => r.minutes),
  publishMinutes: (meetingId: string, occurrenceId: string, revision: number) =>
    api.post<{ minutes: Minutes }>(`/meetings/${id(meetingId)}/minutes/publish`, { occurrenceId, revision }).then((r) => r.minutes),

  actionItems: (query: ActionItemQuery, signal?: AbortSignal) => api.get<{ items: ActionItem[]; total: number }>('/action-items', { query: { ...query }, signal }),
  setActionItemStatus: (itemId: string, status: 'open' | 'done') =>
    api.put<{ actionItem: ActionItem }>(`/action-items/${id(itemId)}/status`, { status }).then((r) => r.actionItem),
  pullActionItems: (meetingId: string, actionItemIds: string[]) =>
    api.post<{ agenda: AgendaItem[]; added: Array<{ actionItemId: string; agendaItemId: string }> }>(`/meetings/${id(meetingId)}/agenda/action-items`, { actionItemIds }),
};

/** Exports are plain links with `download`: the browser saves the server's file. */
export function exportHref(meetingId: string, file: 'minutes.md' | 'minutes.html' | 'room/attendance.csv', query: Record<string, string | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `/api/meetings/${id(meetingId)}/${file}${search ? `?${search}` : ''}`;
}

/** The meeting's .ics: a plain link with `download`, so the browser saves it (the router leaves such links alone). */
export const icsHref = (meetingId: string) => `/api/meetings/${id(meetingId)}/calendar.ics`;

export const meetingPath = (meetingId: string) => `/meetings/${id(meetingId)}`;
