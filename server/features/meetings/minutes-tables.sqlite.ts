import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { meetingAgendaItems, meetings } from './tables.sqlite.js';
import { groups, users, countries } from '../../plugins/identity/tables.sqlite.js';

/** An action item as the minutes' draft holds it (docs/meetings-api.md, "Minutes and action items"). */
export interface ActionItemDraft {
  id: string;
  text: string;
  responsibleCountryId: string | null;
  responsiblePersonId: string | null;
  /** A calendar date, "YYYY-MM-DD". */
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

/** The Markdown sources of a set of minutes. */
export interface MinutesContent {
  introduction: string;
  sections: MinutesSection[];
}

/** What publishing fixed: the sources (for the Markdown export) and their sanitized HTML. */
export interface PublishedMinutesSnapshot {
  content: MinutesContent;
  html: { introduction: string; sections: Array<{ key: string; summary: string; decisions: string }> };
}

/**
 * The minutes of one occurrence: the draft writers save continuously, and what was last published.
 * `fieldRevisions` holds, per field path ("introduction", "sections.<key>.summary", ...), the revision
 * that last wrote it: a save based on an older revision is refused only for the fields someone else
 * has changed since, so two writers on different agenda items do not block each other.
 */
export const meetingMinutes = sqliteTable(
  'meeting_minutes',
  {
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    revision: integer('revision').notNull(),
    draft: text('draft', { mode: 'json' }).$type<MinutesContent>().notNull(),
    fieldRevisions: text('field_revisions', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    updatedBy: text('updated_by').notNull().references(() => users.id),
    publishedRevision: integer('published_revision'),
    published: text('published', { mode: 'json' }).$type<PublishedMinutesSnapshot>(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    publishedBy: text('published_by').references(() => users.id),
    firstPublishedAt: integer('first_published_at', { mode: 'timestamp_ms' }),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.occurrenceId] })],
);

export const ACTION_ITEM_STATUSES = ['open', 'done'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/**
 * Action items of published minutes: they outlive their meeting (the open list, across a series).
 * Written when minutes are published, keyed by the draft's ids, so republishing keeps "done";
 * an item taken out of the minutes is marked removed.
 */
export const meetingActionItems = sqliteTable(
  'meeting_action_items',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    occurrenceId: text('occurrence_id').notNull(),
    sectionKey: text('section_key').notNull(),
    sectionTitle: text('section_title').notNull(),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    responsibleCountryId: text('responsible_country_id').references(() => countries.id),
    responsiblePersonId: text('responsible_person_id').references(() => users.id),
    dueDate: text('due_date'),
    status: text('status', { enum: ACTION_ITEM_STATUSES }).notNull(),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
    doneBy: text('done_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    removedAt: integer('removed_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    index('meeting_action_items_group_status').on(table.groupId, table.status, table.dueDate),
    index('meeting_action_items_source').on(table.meetingId, table.occurrenceId),
  ],
);

/** An action item put on another meeting's agenda ("follow-up"), once per meeting. */
export const meetingActionItemPulls = sqliteTable(
  'meeting_action_item_pulls',
  {
    actionItemId: text('action_item_id').notNull().references(() => meetingActionItems.id),
    meetingId: text('meeting_id').notNull().references(() => meetings.id),
    agendaItemId: text('agenda_item_id').notNull().references(() => meetingAgendaItems.id),
    pulledAt: integer('pulled_at', { mode: 'timestamp_ms' }).notNull(),
    pulledBy: text('pulled_by').notNull().references(() => users.id),
  },
  (table) => [primaryKey({ columns: [table.actionItemId, table.meetingId] }), index('meeting_action_item_pulls_meeting').on(table.meetingId)],
);
