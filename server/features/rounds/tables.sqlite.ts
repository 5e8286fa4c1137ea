import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';
import { documents } from '../documents/tables.sqlite.js';
import type { Comment } from './domain/comments.js';
import type { Disposition, Reply } from './domain/dispositions.js';
import type { Reanchored } from './domain/reanchor.js';
import type { RoundState } from './domain/round.js';
import type { SilenceState } from './domain/silence.js';
import type { DocumentStructure } from './domain/structure.js';

/**
 * Comment rounds (issue 16). The domain's states (docs/rounds-domain.md) are stored whole as JSON,
 * next to the columns the queries filter, order and key on: the domain functions take and return
 * those states, and the rows are never queried by what is inside them.
 */

/** A library document version's text as numbered sections and paragraphs, read once per version (versions never change). */
export const roundStructures = sqliteTable(
  'round_structures',
  {
    documentId: text('document_id').notNull().references(() => documents.id),
    version: integer('version').notNull(),
    structure: text('structure', { mode: 'json' }).$type<DocumentStructure>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.version] })],
);

export const commentRounds = sqliteTable(
  'comment_rounds',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    documentId: text('document_id').notNull().references(() => documents.id),
    status: text('status').notNull(),
    /** The RoundState; versionId and nextVersionId are version numbers as text. */
    state: text('state', { mode: 'json' }).$type<RoundState>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('comment_rounds_group').on(table.groupId, table.createdAt), index('comment_rounds_document').on(table.documentId)],
);

export const roundComments = sqliteTable(
  'round_comments',
  {
    id: text('id').primaryKey(),
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    partyKey: text('party_key').notNull(),
    authorId: text('author_id').notNull().references(() => users.id),
    state: text('state', { enum: ['draft', 'submitted'] }).notNull(),
    comment: text('comment', { mode: 'json' }).$type<Comment>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('round_comments_round').on(table.roundId, table.partyKey)],
);

/**
 * A party's submissions: one standing (not withdrawn) per round and party, enforced by the partial
 * unique index, so two submitters racing from the same state cannot both submit.
 */
export const roundSubmissions = sqliteTable(
  'round_submissions',
  {
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    partyKey: text('party_key').notNull(),
    revision: integer('revision').notNull(),
    submittedBy: text('submitted_by').notNull().references(() => users.id),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }).notNull(),
    commentIds: text('comment_ids', { mode: 'json' }).$type<string[]>().notNull(),
    withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    primaryKey({ columns: [table.roundId, table.partyKey, table.revision] }),
    uniqueIndex('round_submissions_standing').on(table.roundId, table.partyKey).where(sql`${table.withdrawnAt} is null`),
  ],
);

/** The alternate a focal point named to submit for its country in a round. */
export const roundDesignations = sqliteTable(
  'round_designations',
  {
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    partyKey: text('party_key').notNull(),
    designatedId: text('designated_id').references(() => users.id),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.partyKey] })],
);

export const roundDispositions = sqliteTable(
  'round_dispositions',
  {
    commentId: text('comment_id').primaryKey().references(() => roundComments.id),
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    disposition: text('disposition', { mode: 'json' }).$type<Disposition>().notNull(),
  },
  (table) => [index('round_dispositions_round').on(table.roundId)],
);

export const roundReplies = sqliteTable(
  'round_replies',
  {
    commentId: text('comment_id').primaryKey().references(() => roundComments.id),
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    reply: text('reply', { mode: 'json' }).$type<Reply>().notNull(),
  },
  (table) => [index('round_replies_round').on(table.roundId)],
);

/** Where each comment's anchor landed in the round's next version, computed once when it is attached. */
export const roundReanchors = sqliteTable(
  'round_reanchors',
  {
    commentId: text('comment_id').notNull().references(() => roundComments.id),
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    version: integer('version').notNull(),
    result: text('result', { mode: 'json' }).$type<Reanchored>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.commentId, table.version] }), index('round_reanchors_round').on(table.roundId, table.version)],
);

/** A silence procedure on a round's final version (versionId: its number as text). */
export const silenceProcedures = sqliteTable(
  'silence_procedures',
  {
    id: text('id').primaryKey(),
    roundId: text('round_id').notNull().references(() => commentRounds.id),
    state: text('state', { mode: 'json' }).$type<SilenceState>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [index('silence_procedures_round').on(table.roundId, table.createdAt)],
);
