import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

export const JOB_OUTCOMES = ['done', 'skipped', 'failed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/**
 * Work to be done at a time (a meeting's reminders, a poll's deadline), driven in-process by the
 * scheduler plugin. `key` names the job once and for all ("meeting-reminder:<id>:<start>:24h"):
 * planning it again changes nothing once it has run, which is what makes each reminder go out once.
 * A job's effect and its `doneAt` are written in one transaction.
 */
export const scheduledJobs = sqliteTable(
  'scheduled_jobs',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    runAt: integer('run_at', { mode: 'timestamp_ms' }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** What the job is about ("meeting:<id>"), so a feature can drop its pending jobs at once. */
    subject: text('subject').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
    outcome: text('outcome', { enum: JOB_OUTCOMES }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [
    // The pending jobs, by time: all the runner ever scans.
    index('scheduled_jobs_pending').on(table.runAt).where(sql`${table.doneAt} is null`),
    index('scheduled_jobs_subject').on(table.subject),
  ],
);
