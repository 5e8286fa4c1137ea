import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';
import type { AnswerSet, FieldValue } from './domain/answers.js';
import type { RespondentState } from './domain/lifecycle.js';
import type { AnswerReview } from './domain/review.js';
import type { AnswerMap, Questionnaire } from './domain/schemas.js';
import type { GeneratedRow } from './domain/validation-round.js';

/**
 * A consultation: its texts, its lifecycle (draft, open, closed) and deadline in the organizer's
 * zone, whom it is addressed to (country ids and invited organization ids) and its questionnaire,
 * kept as the domain's JSON (server/features/consultations/domain/schemas.ts): the questionnaire is
 * read and written whole, checked by checkQuestionnaire and changed only under change control.
 */
export const consultations = sqliteTable(
  'consultations',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    titleEs: text('title_es').notNull(),
    titleEn: text('title_en').notNull(),
    purposeEs: text('purpose_es').notNull(),
    purposeEn: text('purpose_en').notNull(),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull(),
    deadlineDate: text('deadline_date').notNull(),
    deadlineTime: text('deadline_time').notNull(),
    deadlineZone: text('deadline_zone').notNull(),
    targets: text('targets', { mode: 'json' }).$type<string[]>().notNull(),
    questionnaire: text('questionnaire', { mode: 'json' }).$type<Questionnaire>().notNull(),
    /** Bumped by every change of the definition: an edit based on an older one is refused. */
    version: integer('version').notNull(),
    /** An earlier round of the same questionnaire: each respondent's draft starts from its answer to it. */
    earlierRoundId: text('earlier_round_id'),
    /** The indicator codes (3.2.1) the consultation is about; related documents and meetings are subject links (relation 'related'). */
    relatedIndicators: text('related_indicators', { mode: 'json' }).$type<string[]>().notNull().default([]),
    summaryEs: text('summary_es'),
    summaryEn: text('summary_en'),
    summaryPublishedAt: integer('summary_published_at'),
    createdBy: text('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    openedAt: integer('opened_at'),
    closedAt: integer('closed_at'),
  },
  (table) => [index('consultations_group_idx').on(table.groupId, table.createdAt)],
);

/**
 * One respondent (a country's delegation, or an invited agency) of a consultation: its lifecycle
 * state and its one shared draft, both the domain's JSON, written together in one statement so the
 * state and the draft never disagree. `submitterId`: the alternate the focal point named.
 */
export const consultationRespondents = sqliteTable(
  'consultation_respondents',
  {
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    state: text('state', { mode: 'json' }).$type<RespondentState>().notNull(),
    draft: text('draft', { mode: 'json' }).$type<AnswerSet>().notNull(),
    submitterId: text('submitter_id').references(() => users.id),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.consultationId, table.respondent] })],
);

/** Every submission kept, numbered per respondent: what the organizer reads, exports and diffs. */
export const consultationSubmissions = sqliteTable(
  'consultation_submissions',
  {
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    number: integer('number').notNull(),
    at: integer('at').notNull(),
    by: text('by').references(() => users.id),
    late: integer('late', { mode: 'boolean' }).notNull(),
    answers: text('answers', { mode: 'json' }).$type<AnswerMap>().notNull(),
    /** A data validation round's outcome in the register, per answered row: the case it opened or updated. */
    validation: text('validation', { mode: 'json' }).$type<ValidationRecord[]>(),
  },
  (table) => [primaryKey({ columns: [table.consultationId, table.respondent, table.number] })],
);

export interface ValidationRecord {
  question: string;
  row: string;
  action: 'confirm' | 'correct' | 'explain';
  outcome: string;
  caseId: string | null;
}

/**
 * A data validation round's rows for one respondent and table, made from the discrepancy
 * register's international values when the consultation opened (or when the respondent was added):
 * kept, so the rows the delegation answers stay the ones it was shown whatever the register
 * imports later, and each row keeps the observation a correction is paired with.
 */
export const consultationGeneratedRows = sqliteTable(
  'consultation_generated_rows',
  {
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    question: text('question').notNull(),
    rows: text('rows', { mode: 'json' }).$type<GeneratedRow[]>().notNull(),
    generatedAt: integer('generated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.consultationId, table.respondent, table.question] })],
);

/** "Who changed what" in a draft: one row per field an accepted autosave changed. */
export const consultationChanges = sqliteTable(
  'consultation_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    field: text('field').notNull(),
    kind: text('kind').notNull(),
    before: text('before', { mode: 'json' }).$type<FieldValue>(),
    after: text('after', { mode: 'json' }).$type<FieldValue>(),
    by: text('by').references(() => users.id),
    at: integer('at').notNull(),
    revision: integer('revision').notNull(),
  },
  (table) => [index('consultation_changes_respondent_idx').on(table.consultationId, table.respondent, table.id)],
);

/** The organizer's review of one answer (respondent × question): acceptance and threaded queries. */
export const consultationReviews = sqliteTable(
  'consultation_reviews',
  {
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    question: text('question').notNull(),
    review: text('review', { mode: 'json' }).$type<AnswerReview>().notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.consultationId, table.respondent, table.question] })],
);

/** Reminders sent, one per consultation, respondent and kind (7d, 1d): a restart sends nothing twice. */
export const consultationReminders = sqliteTable(
  'consultation_reminders',
  {
    key: text('key').primaryKey(),
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    kind: text('kind').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (table) => [uniqueIndex('consultation_reminders_once').on(table.consultationId, table.respondent, table.kind)],
);

/**
 * Replies by mail to a consultation's notices that answer no query (a reply to "a consultation is
 * open" or to a reminder): kept as notes beside the delegation's draft, read by the delegation
 * only, never part of the answers and never submitted (issue 17). The Message-ID keeps a mail the
 * sending server hands over twice from making two notes.
 */
export const consultationMailNotes = sqliteTable(
  'consultation_mail_notes',
  {
    id: text('id').primaryKey(),
    consultationId: text('consultation_id').notNull().references(() => consultations.id),
    respondent: text('respondent').notNull(),
    authorId: text('author_id').notNull().references(() => users.id),
    text: text('text').notNull(),
    messageId: text('message_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('consultation_mail_notes_respondent').on(table.consultationId, table.respondent, table.createdAt), uniqueIndex('consultation_mail_notes_message').on(table.consultationId, table.respondent, table.messageId)],
);
