/**
 * The JSON shapes of the meetings API (docs/meetings-api.md), kept by hand: the client does not
 * import server code. Every instant is a UTC ISO string; `timeZone` is an IANA zone.
 */

export const MEETING_KINDS = ['virtual_meeting', 'virtual_workshop', 'technical_debate_session', 'in_person_meeting'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export type MeetingStatus = 'polling' | 'scheduled' | 'cancelled';

export const ATTENDANCE_ANSWERS = ['going', 'maybe', 'not_going'] as const;
export type AttendanceAnswer = (typeof ATTENDANCE_ANSWERS)[number];

export const POLL_ANSWERS = ['yes', 'if_need_be', 'no'] as const;
export type PollAnswer = (typeof POLL_ANSWERS)[number];

export interface AgendaItem {
  id: string;
  title: string;
  presenter: string;
  minutes: number;
}

/** 1–4, or -1 for "the last" weekday of the month. */
export type MonthlyWeek = 1 | 2 | 3 | 4 | -1;

export interface Recurrence {
  frequency: 'weekly' | 'monthly';
  interval: number;
  count: number;
  monthlyWeek: MonthlyWeek | null;
}

export interface Occurrence {
  /** The original start instant (or "single"); it never changes when the occurrence moves. */
  id: string;
  startsAt: string;
  endsAt: string;
  originalStartsAt: string;
  state: 'scheduled' | 'moved' | 'cancelled';
}

export interface PersonRef {
  id: string;
  displayName: string;
  countryId: string | null;
  organizationId: string | null;
}

export interface InvitedCountry {
  id: string;
  iso2: string;
  nameEs: string;
  nameEn: string;
  capitalEs: string;
  capitalEn: string;
  /** The capital's IANA zone. */
  timeZone: string;
}

export interface InviteeChoice {
  everyone: boolean;
  countryIds: string[];
  organizationIds: string[];
  personIds: string[];
}

export interface MeetingSummary {
  id: string;
  title: string;
  kind: MeetingKind;
  status: MeetingStatus;
  startsAt: string | null;
  endsAt: string | null;
  timeZone: string;
  recurrence: Recurrence | null;
  organizer: PersonRef;
  invitees: InviteeChoice;
  sequence: number;
  myAttendance: AttendanceAnswer | null;
  poll: { deadline: string | null; closed: boolean; answeredByMe: boolean } | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MeetingListItem extends MeetingSummary {
  occurrence: Occurrence | null;
  /** `past` view only: the minutes are published. */
  hasMinutes?: boolean;
}

export interface MeetingDetail extends MeetingSummary {
  descriptionHtml: string;
  /** The Markdown source; managers only. */
  description: string | null;
  agenda: AgendaItem[];
  onlineUrl: string | null;
  accessNotes: string;
  cancelReason?: string | null;
  people: PersonRef[];
  invitedCountries: InvitedCountry[];
  invitedOrganizations: Array<{ id: string; acronymEs: string; acronymEn: string; nameEs: string; nameEn: string }>;
  threads: Array<{ id: string; title: string }>;
  documents: Array<{ id: string; title: { es: string; en: string } }>;
  occurrences: Occurrence[];
  nextOccurrence: Occurrence | null;
  pageUrl: string;
  icsUrl: string;
  calendarLinks: { google: string; outlook: string; outlookLive: string } | null;
  mayManage: boolean;
  mayAnswer: boolean;
}

export type ChangeAction =
  | 'created'
  | 'updated'
  | 'rescheduled'
  | 'cancelled'
  | 'occurrence_moved'
  | 'occurrence_cancelled'
  | 'occurrence_restored'
  | 'poll_opened'
  | 'poll_closed';

export interface Change {
  id: number | string;
  at: string;
  actor: { id: string; displayName: string } | null;
  action: ChangeAction;
  occurrenceId: string | null;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

export interface SlotResult {
  id: string;
  startsAt: string;
  endsAt: string;
  position: number;
  yes: number;
  ifNeedBe: number;
  no: number;
  countriesCovered: string[];
  outsideLocalHours: Array<{ countryId: string; localStart: string; localEnd: string }>;
}

export interface Poll {
  meetingId: string;
  deadline: string | null;
  closedAt: string | null;
  chosenSlotId: string | null;
  respondents: number;
  invitedCount: number;
  /** Best first. */
  slots: SlotResult[];
  myAnswers: Record<string, PollAnswer>;
  answers: Array<{ person: PersonRef; answers: Record<string, PollAnswer>; updatedAt: string }>;
}

export interface Attendance {
  occurrenceId: string;
  counts: { going: number; maybe: number; notGoing: number; unanswered: number };
  mine: { answer: AttendanceAnswer; note: string } | null;
  /** `unanswered`: the invited of the country who have not answered (for managers; empty for others). */
  byCountry: Array<{ countryId: string | null; people: Array<{ person: PersonRef; answer: AttendanceAnswer; note: string | null; updatedAt: string }>; unanswered: PersonRef[] }>;
  countriesWithNobodyGoing: string[];
}

export type ListView = 'upcoming' | 'past' | 'mine' | 'polls';

export interface ListQuery {
  view?: ListView;
  from?: string;
  to?: string;
  kind?: MeetingKind;
  offset?: number;
  limit?: number;
}

export interface NewMeetingBody {
  title: string;
  kind: MeetingKind;
  description?: string;
  agenda?: Array<{ id?: string; title: string; presenter?: string; minutes?: number }>;
  timeZone: string;
  startsAt?: string;
  endsAt?: string;
  recurrence?: { frequency: 'weekly' | 'monthly'; interval?: number; count: number; monthlyWeek?: MonthlyWeek | null } | null;
  onlineUrl?: string | null;
  accessNotes?: string;
  invitees: { everyone: boolean; countryIds?: string[]; organizationIds?: string[]; personIds?: string[] };
  threadIds?: string[];
  documentIds?: string[];
  poll?: { slots: Array<{ startsAt: string; endsAt: string }>; deadline?: string | null };
}

export interface FeedState {
  createdAt: string;
  lastUsedAt: string | null;
}

export interface NewFeed {
  url: string;
  webcalUrl: string;
  createdAt: string;
}

// ---- the live room, quick polls, chat, attendance records (docs/meetings-api.md, "Live room" onwards)

export interface QuickPollOption {
  /** `yes`, `no`, `abstain` for yes/no/abstain polls (label null: the client names them). */
  id: string;
  label: string | null;
  count: number;
}

export interface QuickPoll {
  id: string;
  occurrenceId: string;
  question: string;
  kind: 'options' | 'yes_no_abstain';
  scope: 'person' | 'country';
  options: QuickPollOption[];
  total: number;
  countries: Array<{ countryId: string; optionId: string }>;
  myAnswer: string | null;
  answeredBy: { id: string; displayName: string } | null;
  open: boolean;
  createdAt: string;
  createdBy: { id: string; displayName: string };
  closedAt: string | null;
}

export interface Room {
  meetingId: string;
  occurrenceId: string;
  occurrence: Occurrence;
  opensAt: string;
  closesAt: string;
  open: boolean;
  currentAgendaItemId: string | null;
  agendaChangedAt: string | null;
  agendaChangedBy: { id: string; displayName: string } | null;
  polls: QuickPoll[];
  attendeeCount: number;
  joinedByMe: boolean;
  mayManage: boolean;
}

export interface ChatMessage {
  id: string;
  occurrenceId: string;
  author: PersonRef;
  /** Sanitized on the server. */
  html: string;
  createdAt: string;
}

export interface Attendee {
  person: PersonRef;
  joinedAt: string | null;
  markedAt: string | null;
  markedBy: { id: string; displayName: string } | null;
}

export interface RoomAttendance {
  occurrenceId: string;
  attendees: Attendee[];
  countriesPresent: string[];
  countriesAbsent: string[];
  count: number;
}

// ---- minutes and action items

export interface ActionItemDraft {
  id: string;
  text: string;
  responsibleCountryId: string | null;
  responsiblePersonId: string | null;
  dueDate: string | null;
}

export interface MinutesSection {
  key: string;
  agendaItemId: string | null;
  title: string;
  summary: string;
  decisions: string;
  actionItems: ActionItemDraft[];
}

export interface MinutesContent {
  introduction: string;
  sections: MinutesSection[];
}

export interface ActionItem {
  id: string;
  text: string;
  responsibleCountryId: string | null;
  responsiblePerson: PersonRef | null;
  dueDate: string | null;
  overdue: boolean;
  status: 'open' | 'done';
  doneAt: string | null;
  doneBy: { id: string; displayName: string } | null;
  source: { meetingId: string; meetingTitle: string; occurrenceId: string; startsAt: string; sectionTitle: string };
  pulledInto: Array<{ meetingId: string; meetingTitle: string; agendaItemId: string }>;
  mayChangeStatus: boolean;
}

export interface PublishedMinutes {
  revision: number;
  publishedAt: string;
  publishedBy: { id: string; displayName: string };
  firstPublishedAt: string;
  introductionHtml: string;
  sections: Array<{ key: string; agendaItemId: string | null; title: string; summaryHtml: string; decisionsHtml: string; actionItems: ActionItem[] }>;
}

export interface Minutes {
  meetingId: string;
  occurrenceId: string;
  occurrence: Occurrence;
  status: 'none' | 'draft' | 'published';
  mayWrite: boolean;
  draft: {
    revision: number;
    content: MinutesContent;
    updatedAt: string | null;
    updatedBy: { id: string; displayName: string } | null;
    hasUnpublishedChanges: boolean;
  } | null;
  published: PublishedMinutes | null;
}

export interface MinutesSave {
  occurrenceId: string;
  revision: number;
  introduction?: string;
  order?: string[];
  sections?: Array<{
    key: string;
    agendaItemId?: string | null;
    title?: string;
    summary?: string;
    decisions?: string;
    actionItems?: ActionItemDraft[];
    removed?: true;
  }>;
}

export interface ActionItemQuery {
  status?: 'open' | 'done' | 'all';
  countryId?: string;
  personId?: string;
  meetingId?: string;
  overdue?: boolean;
  offset?: number;
  limit?: number;
}
