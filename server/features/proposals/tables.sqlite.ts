import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { groups, users } from '../../plugins/identity/tables.sqlite.js';
import { threads } from '../debates/tables.sqlite.js';
import type { Eligibility, PositionKind } from './domain/proposal.js';

/**
 * Proposals put to debate threads (docs/proposals-api.md). Statement and outcome are stored as
 * their Markdown source and the sanitized HTML rendered once at write time.
 */
export const proposals = sqliteTable(
  'proposals',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull().references(() => groups.id),
    threadId: text('thread_id').notNull().references(() => threads.id),
    proposerId: text('proposer_id').notNull().references(() => users.id),
    statement: text('statement').notNull(),
    statementHtml: text('statement_html').notNull(),
    eligibility: text('eligibility', { enum: ['participants', 'one_per_country'] }).$type<Eligibility>().notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: text('closed_by').references(() => users.id),
    outcome: text('outcome'),
    outcomeHtml: text('outcome_html'),
    outcomeBy: text('outcome_by').references(() => users.id),
    outcomeAt: integer('outcome_at', { mode: 'timestamp_ms' }),
    outcomeEditedAt: integer('outcome_edited_at', { mode: 'timestamp_ms' }),
    /** The meeting quick poll it was turned from: one proposal per poll. */
    fromPollId: text('from_poll_id'),
  },
  (table) => [index('proposals_thread').on(table.threadId, table.createdAt), uniqueIndex('proposals_from_poll').on(table.fromPollId)],
);

/**
 * One position per voter key ("p:<userId>", or "c:<countryId>" for one per country): the primary
 * key is what makes two delegates answering for one country at once end in one position and a 409.
 */
export const proposalPositions = sqliteTable(
  'proposal_positions',
  {
    proposalId: text('proposal_id').notNull().references(() => proposals.id),
    voterKey: text('voter_key').notNull(),
    countryId: text('country_id'),
    position: text('position', { enum: ['agree', 'abstain', 'disagree', 'block'] }).$type<PositionKind>().notNull(),
    reason: text('reason'),
    by: text('by').notNull().references(() => users.id),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    revision: integer('revision').notNull(),
    fromPoll: integer('from_poll', { mode: 'boolean' }).notNull().default(false),
  },
  (table) => [primaryKey({ columns: [table.proposalId, table.voterKey] })],
);

/** Reminders sent, one row per person and closing time (the domain's key): a rerun sends none twice. */
export const proposalReminders = sqliteTable('proposal_reminders', {
  key: text('key').primaryKey(),
  proposalId: text('proposal_id').notNull().references(() => proposals.id),
  userId: text('user_id').notNull().references(() => users.id),
  sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
});
