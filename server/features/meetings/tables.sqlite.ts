import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';

export const MEETING_KINDS = ['virtual_meeting', 'virtual_workshop', 'technical_debate_session', 'in_person_meeting'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_STATUSES = ['polling', 'scheduled', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const INVITEE_KINDS = ['country', 'organization', 'person'] as const;
export type InviteeKind = (typeof INVITEE_KINDS)[number];
export const OVERRIDE_STATES = ['moved', 'cancelled'] as const;
export type OverrideState = (typeof OVERRIDE_STATES)[number];
export const POLL_ANSWERS = ['yes', 'if_need_be', 'no'] as const;
export type PollAnswer = (typeof POLL_ANSWERS)[number];
export const ATTENDANCE_ANSWERS = ['going', 'maybe', 'not_going'] as const;
export type AttendanceAnswer = (typeof ATTENDANCE_ANSWERS)[number];
export const CHANGE_ACTIONS = [
  'created', 'updated', 'rescheduled', 'cancelled', 'occurrence_moved', 'occurrence_cancelled', 'occurrence_restored', 'poll_opened', 'poll_closed',
] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** weekly: every `interval` weeks; monthly: every `interval` months on the `monthlyWeek`-th (or last, -1) weekday of the first occurrence. */
export interface Recurrence {
  frequency: 'weekly' | 'monthly';
  interval: number;
  count: number;
  monthlyWeek: number | null;
}

/**
 * A meeting, or a series of them. Times are UTC instants (ms); `timeZone` is the organizer's IANA
 * zone, in which a series keeps its wall-clock time. While `status` is 'polling' there is no time
 * yet, only the poll's slots. `sequence` is the iCalendar SEQUENCE, raised on every change a
 * calendar shows.
 */
export const meetings = sqliteTable(
  'meetings',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    title: text('title').notNull(),
    kind: text('kind', { enum: MEETING_KINDS }).notNull(),
    status: text('status', { enum: MEETING_STATUSES }).notNull(),
    descriptionSource: text('description_source').notNull(),
    descriptionHtml: text('description_html').notNull(),
    /** Plain text of the description, for calendar entries. */
    descriptionText: text('description_text').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }),
    timeZone: text('time_zone').notNull(),
    recurrence: text('recurrence', { mode: 'json' }).$type<Recurrence | null>(),
    onlineUrl: text('online_url'),
    accessNotes: text('access_notes').notNull(),
    inviteEveryone: integer('invite_everyone', { mode: 'boolean' }).notNull(),
    sequence: integer('sequence').notNull().default(0),
    organizerId: text('organizer_id').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    cancelReason: text('cancel_reason'),
    /** Set when the meeting was created with an availability poll (it then stays "a meeting that polled"). */
    pollOpenedAt: integer('poll_opened_at', { mode: 'timestamp_ms' }),
    pollDeadline: integer('poll_deadline', { mode: 'timestamp_ms' }),
    pollClosedAt: integer('poll_closed_at', { mode: 'timestamp_ms' }),
    chosenSlotId: text('chosen_slot_id'),
  },
  (table) => [index('meetings_group_starts').on(table.groupId, table.startsAt), index('meetings_group_status').on(table.groupId, table.status)],
);

/**
 * The agenda, in order. Ids are kept across edits (the room and the minutes point at them);
 * an item taken off the agenda is marked removed, not deleted.
 */
export const meetingAgendaItems = sqliteTable(
  'meeting_agenda_items',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    presenter: text('presenter').notNull(),
    minutes: integer('minutes').notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (table) => [index('meeting_agenda_items_meeting').on(table.meetingId, table.position)],
);

/** Who is invited besides "everyone": countries, organizations and people, resolved when asked. */
export const meetingInvitees = sqliteTable(
  'meeting_invitees',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    kind: text('kind', { enum: INVITEE_KINDS }).notNull(),
    refId: text('ref_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.kind, table.refId] }), index('meeting_invitees_ref').on(table.kind, table.refId)],
);

/** One occurrence of a series moved or cancelled, named by its original start (the RECURRENCE-ID). */
export const meetingOccurrenceOverrides = sqliteTable(
  'meeting_occurrence_overrides',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    originalStartsAt: integer('original_starts_at', { mode: 'timestamp_ms' }).notNull(),
    state: text('state', { enum: OVERRIDE_STATES }).notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.originalStartsAt] })],
);

/** The candidate times of an availability poll. */
export const meetingPollSlots = sqliteTable(
  'meeting_poll_slots',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    position: integer('position').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('meeting_poll_slots_meeting').on(table.meetingId, table.position)],
);

export const meetingPollAnswers = sqliteTable(
  'meeting_poll_answers',
  {
    slotId: text('slot_id').notNull().references(() => meetingPollSlots.id, { onDelete: 'cascade' }),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    userId: text('user_id').notNull().references(() => users.id),
    answer: text('answer', { enum: POLL_ANSWERS }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.slotId, table.userId] }), index('meeting_poll_answers_meeting_user').on(table.meetingId, table.userId)],
);

/** Going / maybe / not going, per occurrence ("single" for a meeting without recurrence, else its original start ISO). */
export const meetingAttendanceAnswers = sqliteTable(
  'meeting_attendance_answers',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    userId: text('user_id').notNull().references(() => users.id),
    answer: text('answer', { enum: ATTENDANCE_ANSWERS }).notNull(),
    note: text('note').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.occurrenceId, table.userId] }), index('meeting_attendance_user').on(table.userId)],
);

/** The visible change history of a meeting. */
export const meetingChanges = sqliteTable(
  'meeting_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: text('actor_id').references(() => users.id),
    action: text('action', { enum: CHANGE_ACTIONS }).notNull(),
    occurrenceId: text('occurrence_id'),
    changes: text('changes', { mode: 'json' }).$type<Array<{ field: string; from: unknown; to: unknown }>>().notNull(),
  },
  (table) => [index('meeting_changes_meeting').on(table.meetingId, table.id)],
);

/**
 * A person's calendar feed: the SHA-256 of the secret token in its URL, as sessions keep theirs.
 * One per person; rotating replaces the row, revoking deletes it.
 */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    userId: text('user_id').primaryKey().references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
  },
  (table) => [uniqueIndex('calendar_feeds_token').on(table.tokenHash)],
);

/** Meeting settings of a person's profile; no row means the defaults (reminders on). */
export const meetingPreferences = sqliteTable('meeting_preferences', {
  userId: text('user_id').primaryKey().references(() => users.id),
  reminders: integer('reminders', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});
