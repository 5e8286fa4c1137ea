import type { Country } from '../reference/public.js';
import type { Occurrence } from './occurrences.js';
import type * as may from './permissions.js';
import type { AttendeeRow, ChatMessageRow, QuickPollAnswerRow, QuickPollRow, RoomRepository, RoomStateRow } from './room-repository.js';
import { isRoomOpen, opensAtOf } from './room-window.js';
import { occurrenceView, type MeetingState } from './views.js';

/** The live room's JSON shapes (docs/meetings-api.md), for one viewer or, with a null viewer, the neutral form live events carry. */

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const byCountryName = (countries: Map<string, Country>) => (a: string, b: string) =>
  (countries.get(a)?.nameEs ?? a).localeCompare(countries.get(b)?.nameEs ?? b, 'es');

export function quickPollView(poll: QuickPollRow, answers: QuickPollAnswerRow[], viewer: may.Viewer | null, open: boolean, countries: Map<string, Country>) {
  const counts = new Map(poll.options.map((option) => [option.id, 0]));
  for (const answer of answers) counts.set(answer.optionId, (counts.get(answer.optionId) ?? 0) + 1);
  const mine = viewer === null ? undefined : poll.scope === 'person' ? answers.find((answer) => answer.voter === `p:${viewer.id}`) : viewer.countryId === null ? undefined : answers.find((answer) => answer.voter === `c:${viewer.countryId}`);
  return {
    id: poll.id,
    occurrenceId: poll.occurrenceId,
    question: poll.question,
    kind: poll.kind,
    scope: poll.scope,
    options: poll.options.map((option) => ({ id: option.id, label: option.label, count: counts.get(option.id) ?? 0 })),
    total: answers.length,
    countries:
      poll.scope === 'country'
        ? answers
            .filter((answer): answer is QuickPollAnswerRow & { countryId: string } => answer.countryId !== null)
            .sort((a, b) => byCountryName(countries)(a.countryId, b.countryId))
            .map((answer) => ({ countryId: answer.countryId, optionId: answer.optionId }))
        : [],
    myAnswer: mine?.optionId ?? null,
    answeredBy: mine && poll.scope === 'country' ? { id: mine.userId, displayName: mine.userName } : null,
    open: open && poll.closedAt === null,
    createdAt: iso(poll.createdAt),
    createdBy: { id: poll.createdBy, displayName: poll.createdByName },
    closedAt: isoOrNull(poll.closedAt),
  };
}
export type QuickPollView = ReturnType<typeof quickPollView>;

export const attendeeView = (row: AttendeeRow) => ({
  person: { id: row.id, displayName: row.displayName, countryId: row.countryId, organizationId: row.organizationId },
  joinedAt: isoOrNull(row.joinedAt),
  markedAt: isoOrNull(row.markedAt),
  markedBy: row.markedBy === null ? null : { id: row.markedBy, displayName: row.markedByName ?? '' },
});
export type AttendeeView = ReturnType<typeof attendeeView>;

/** Attendees by country (Spanish name), people without a country last, then by name. */
export function sortAttendees<T extends { countryId: string | null; displayName: string }>(rows: T[], countries: Map<string, Country>): T[] {
  const byName = byCountryName(countries);
  return [...rows].sort((a, b) => {
    if (a.countryId !== b.countryId) {
      if (a.countryId === null) return 1;
      if (b.countryId === null) return -1;
      return byName(a.countryId, b.countryId);
    }
    return a.displayName.localeCompare(b.displayName, 'es');
  });
}

export function roomAttendanceView(rows: AttendeeRow[], invitedCountries: string[], occurrenceId: string, countries: Map<string, Country>) {
  const present = new Set(rows.map((row) => row.countryId).filter((id): id is string => id !== null));
  return {
    occurrenceId,
    attendees: sortAttendees(rows, countries).map(attendeeView),
    countriesPresent: [...present].sort(byCountryName(countries)),
    countriesAbsent: invitedCountries.filter((id) => !present.has(id)).sort(byCountryName(countries)),
    count: rows.length,
  };
}
export type RoomAttendanceView = ReturnType<typeof roomAttendanceView>;

export const chatMessageView = (row: ChatMessageRow) => ({
  id: row.id,
  occurrenceId: row.occurrenceId,
  author: { id: row.authorId, displayName: row.authorName, countryId: row.authorCountryId, organizationId: row.authorOrganizationId },
  html: row.bodyHtml,
  createdAt: iso(row.createdAt),
});

export const agendaEventPayload = (occurrenceId: string, row: RoomStateRow) => ({
  occurrenceId,
  currentAgendaItemId: row.currentAgendaItemId,
  agendaChangedAt: iso(row.agendaChangedAt),
  agendaChangedBy: { id: row.agendaChangedBy, displayName: row.agendaChangedByName },
});

export interface RoomViewInput {
  rooms: RoomRepository;
  state: MeetingState;
  occurrence: Occurrence;
  agendaIds: Set<string>;
  viewer: may.Viewer;
  mayManage: boolean;
  countries: Map<string, Country>;
  now: number;
}

export function roomView({ rooms, state, occurrence, agendaIds, viewer, mayManage, countries, now }: RoomViewInput) {
  const meetingId = state.meeting.id;
  const current = rooms.state(meetingId, occurrence.id);
  const open = state.meeting.status !== 'cancelled' && isRoomOpen(occurrence, now);
  const polls = rooms.polls(meetingId, occurrence.id);
  const answers = rooms.answers(polls.map((poll) => poll.id));
  // An item taken off the agenda since is no longer "being discussed".
  const currentItem = current?.currentAgendaItemId && agendaIds.has(current.currentAgendaItemId) ? current.currentAgendaItemId : null;
  return {
    meetingId,
    occurrenceId: occurrence.id,
    occurrence: occurrenceView(occurrence),
    opensAt: iso(opensAtOf(occurrence)),
    closesAt: iso(occurrence.endsAt),
    open,
    currentAgendaItemId: currentItem,
    agendaChangedAt: current ? iso(current.agendaChangedAt) : null,
    agendaChangedBy: current ? { id: current.agendaChangedBy, displayName: current.agendaChangedByName } : null,
    polls: polls.map((poll) => quickPollView(poll, answers.filter((answer) => answer.pollId === poll.id), viewer, open, countries)),
    attendeeCount: rooms.attendeeCount(meetingId, occurrence.id),
    joinedByMe: rooms.hasJoined(meetingId, occurrence.id, viewer.id),
    mayManage,
  };
}
