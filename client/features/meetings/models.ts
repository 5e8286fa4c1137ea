/**
 * The JSON shapes of the meetings API (docs/meetings-api.md), derived from the server's schemas
 * through type-only imports: no server code reaches the bundle (tests/client/bundle.test.ts), and a
 * field renamed on the server no longer type-checks here. Every instant is a UTC ISO string;
 * `timeZone` is an IANA zone.
 */
import type { Static } from 'typebox';
import type { ActionItemDraftSchema, ActionItemListQuery, ActionItemSchema, MinutesSaveBody, MinutesSchema } from '../../../server/features/meetings/minutes-schemas.js';
import type { ChatMessageSchema, QuickPollSchema, RoomAttendanceSchema, RoomSchema } from '../../../server/features/meetings/room-schemas.js';
import type {
  AttendanceAnswerSchema,
  AttendanceSchema,
  ChangeSchema,
  FeedStateSchema,
  InvitedCountrySchema,
  KindSchema,
  ListQuery as ListQuerySchema,
  MeetingDetailSchema,
  MeetingListItemSchema,
  NewFeedSchema,
  NewMeeting,
  PersonRefSchema,
  PollAnswerSchema,
  PollSchema,
  RecurrenceInput,
  StatusSchema,
} from '../../../server/features/meetings/schemas.js';
import type { ATTENDANCE_ANSWERS as SERVER_ATTENDANCE, MEETING_KINDS as SERVER_KINDS, POLL_ANSWERS as SERVER_POLL_ANSWERS } from '../../../server/features/meetings/tables.js';

// Copies for the bundle (menus and buttons list them); `satisfies` says when they differ from the server's.
export const MEETING_KINDS = ['virtual_meeting', 'virtual_workshop', 'technical_debate_session', 'in_person_meeting'] as const satisfies typeof SERVER_KINDS;
export type MeetingKind = Static<typeof KindSchema>;
export type MeetingStatus = Static<typeof StatusSchema>;

export const ATTENDANCE_ANSWERS = ['going', 'maybe', 'not_going'] as const satisfies typeof SERVER_ATTENDANCE;
export type AttendanceAnswer = Static<typeof AttendanceAnswerSchema>;

export const POLL_ANSWERS = ['yes', 'if_need_be', 'no'] as const satisfies typeof SERVER_POLL_ANSWERS;
export type PollAnswer = Static<typeof PollAnswerSchema>;

/** What a new meeting (or an edit, every field then optional) sends. */
export type NewMeetingBody = Static<typeof NewMeeting>;

/** 1–4, or -1 for "the last" weekday of the month (what a repetition may say; answers hold the same). */
export type MonthlyWeek = NonNullable<Static<typeof RecurrenceInput>['monthlyWeek']>;

/**
 * A meeting as listed. `occurrence` is the one the list is about (the next, or the one in the
 * asked range); `hasMinutes` says that occurrence's minutes are published.
 */
export type MeetingListItem = Static<typeof MeetingListItemSchema>;
export type MeetingDetail = Static<typeof MeetingDetailSchema>;
/** What a list item and the detail share. */
export type MeetingSummary = MeetingListItem | MeetingDetail;

export type AgendaItem = MeetingDetail['agenda'][number];
export type Recurrence = NonNullable<MeetingDetail['recurrence']>;
/** One occurrence; its `id` is the original start instant (or "single"), unchanged when it moves. */
export type Occurrence = MeetingDetail['occurrences'][number];
export type PersonRef = Static<typeof PersonRefSchema>;
/** An invited country with its capital, for the row of local times. */
export type InvitedCountry = Static<typeof InvitedCountrySchema>;
export type InviteeChoice = MeetingDetail['invitees'];

/** One entry of a meeting's history: who changed what, field by field. */
export type Change = Static<typeof ChangeSchema>;
export type ChangeAction = Change['action'];

export type Poll = Static<typeof PollSchema>;
export type SlotResult = Poll['slots'][number];
export type Attendance = Static<typeof AttendanceSchema>;

export type ListQuery = Partial<Static<typeof ListQuerySchema>>;
export type ListView = NonNullable<ListQuery['view']>;

export type FeedState = NonNullable<Static<typeof FeedStateSchema>['feed']>;
export type NewFeed = Static<typeof NewFeedSchema>['feed'];

// ---- the live room, quick polls, chat, attendance records (docs/meetings-api.md, "Live room" onwards)

export type QuickPoll = Static<typeof QuickPollSchema>;
export type QuickPollOption = QuickPoll['options'][number];
export type Room = Static<typeof RoomSchema>;
export type ChatMessage = Static<typeof ChatMessageSchema>;
export type RoomAttendance = Static<typeof RoomAttendanceSchema>;
export type Attendee = RoomAttendance['attendees'][number];

// ---- minutes and action items

export type ActionItemDraft = Static<typeof ActionItemDraftSchema>;
export type Minutes = Static<typeof MinutesSchema>;
export type MinutesContent = NonNullable<Minutes['draft']>['content'];
export type MinutesSection = MinutesContent['sections'][number];
export type PublishedMinutes = NonNullable<Minutes['published']>;
export type ActionItem = Static<typeof ActionItemSchema>;
/** What an autosave sends: the changed fields of the changed sections, over the revision it started from. */
export type MinutesSave = Static<typeof MinutesSaveBody>;
export type ActionItemQuery = Partial<Static<typeof ActionItemListQuery>>;
