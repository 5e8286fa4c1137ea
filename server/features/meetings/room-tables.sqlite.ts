import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { meetings } from './tables.sqlite.js';
import { users, countries } from '../../plugins/identity/tables.sqlite.js';

/**
 * The live room of one occurrence of a meeting (docs/meetings-api.md, "Live room"). An occurrence
 * is named as the core names it: "single", or its original start as an ISO instant.
 */

/** The agenda item being discussed now; no row until a manager first sets one. */
export const meetingRoomStates = sqliteTable(
  'meeting_room_states',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    currentAgendaItemId: text('current_agenda_item_id'),
    agendaChangedAt: integer('agenda_changed_at', { mode: 'timestamp_ms' }).notNull(),
    agendaChangedBy: text('agenda_changed_by').notNull().references(() => users.id),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.occurrenceId] })],
);

/**
 * Who attended: recorded when they join the room, or marked by a manager (people only on the
 * video call). Either or both; a row is a person present.
 */
export const meetingRoomAttendance = sqliteTable(
  'meeting_room_attendance',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    userId: text('user_id').notNull().references(() => users.id),
    /** The first join; later joins (reconnects) keep it. */
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' }),
    markedAt: integer('marked_at', { mode: 'timestamp_ms' }),
    markedBy: text('marked_by').references(() => users.id),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.occurrenceId, table.userId] })],
);

/** The room's chat: the meeting's transcript. Ids are time-ordered, so they page in time order. */
export const meetingChatMessages = sqliteTable(
  'meeting_chat_messages',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    authorId: text('author_id').notNull().references(() => users.id),
    bodySource: text('body_source').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('meeting_chat_messages_room').on(table.meetingId, table.occurrenceId, table.id)],
);

export const QUICK_POLL_KINDS = ['options', 'yes_no_abstain'] as const;
export type QuickPollKind = (typeof QUICK_POLL_KINDS)[number];
export const QUICK_POLL_SCOPES = ['person', 'country'] as const;
export type QuickPollScope = (typeof QUICK_POLL_SCOPES)[number];

export interface QuickPollOption {
  id: string;
  /** Null for yes / no / abstain, which the client translates. */
  label: string | null;
}

/** A show of hands the coordinator opens in the room. */
export const meetingQuickPolls = sqliteTable(
  'meeting_quick_polls',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    question: text('question').notNull(),
    kind: text('kind', { enum: QUICK_POLL_KINDS }).notNull(),
    scope: text('scope', { enum: QUICK_POLL_SCOPES }).notNull(),
    options: text('options', { mode: 'json' }).$type<QuickPollOption[]>().notNull(),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by').references(() => users.id),
  },
  (table) => [index('meeting_quick_polls_room').on(table.meetingId, table.occurrenceId, table.createdAt)],
);

/**
 * One answer per voter: `voter` is "p:<userId>" in a per-person poll and "c:<countryId>" in a
 * per-country one, so the primary key itself allows a country a single answer.
 */
export const meetingQuickPollAnswers = sqliteTable(
  'meeting_quick_poll_answers',
  {
    pollId: text('poll_id').notNull().references(() => meetingQuickPolls.id),
    voter: text('voter').notNull(),
    userId: text('user_id').notNull().references(() => users.id),
    countryId: text('country_id').references(() => countries.id),
    optionId: text('option_id').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.pollId, table.voter] })],
);
