import { api } from '../../app/api.js';
import type { Page } from '../../app/models.js';
import type { Attendance, AttendanceAnswer, Change, FeedState, ListQuery, MeetingDetail, MeetingListItem, NewFeed, NewMeetingBody, Poll, PollAnswer } from './models.js';

const id = (value: string) => encodeURIComponent(value);

/** The meetings routes of docs/meetings-api.md. */
export const meetingsApi = {
  list: (query: ListQuery, signal?: AbortSignal) => api.get<Page<MeetingListItem>>('/meetings', { query: { ...query }, signal }),
  get: (meetingId: string, signal?: AbortSignal) => api.get<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}`, { signal }).then((r) => r.meeting),
  create: (body: NewMeetingBody) => api.post<{ meeting: MeetingDetail }>('/meetings', body).then((r) => r.meeting),
  update: (meetingId: string, changes: Partial<Omit<NewMeetingBody, 'poll'>>) =>
    api.patch<{ meeting: MeetingDetail }>(`/meetings/${id(meetingId)}`, changes).then((r) => r.meeting),
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
};

/** The meeting's .ics: a plain link with `download`, so the browser saves it (the router leaves such links alone). */
export const icsHref = (meetingId: string) => `/api/meetings/${id(meetingId)}/calendar.ics`;

export const meetingPath = (meetingId: string) => `/meetings/${id(meetingId)}`;
