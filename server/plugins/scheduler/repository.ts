import type Database from 'better-sqlite3';
import type { Db } from '../db.js';
import type { JobOutcome } from './tables.js';

export interface PlannedJob {
  key: string;
  kind: string;
  subject: string;
  runAt: Date;
  payload: Record<string, unknown>;
}

export interface JobRow {
  key: string;
  kind: string;
  subject: string;
  runAt: number;
  payload: Record<string, unknown>;
  doneAt: number | null;
  outcome: JobOutcome | null;
  attempts: number;
}

type RawJob = Omit<JobRow, 'payload'> & { payload: string };
const toJob = (raw: RawJob): JobRow => ({ ...raw, payload: JSON.parse(raw.payload) as Record<string, unknown> });

const COLUMNS = 'key, kind, subject, run_at as runAt, payload, done_at as doneAt, outcome, attempts';

/**
 * scheduled_jobs, through prepared statements: the runner asks for due jobs on every wake-up.
 * Async at the boundary; the `...Now` functions are the synchronous pieces a unit of work runs
 * inside its one transaction (planning with the caller's write, a job's effect with its done mark),
 * which an engine with an asynchronous driver replaces with awaited twins.
 */
export class SchedulerRepository {
  private readonly statements;

  constructor(db: Db) {
    const s: Database.Database = db.$client;
    this.statements = {
      upsert: s.prepare(
        `insert into scheduled_jobs (key, kind, subject, run_at, payload, created_at) values (?, ?, ?, ?, ?, ?)
         on conflict (key) do update set run_at = excluded.run_at, payload = excluded.payload, attempts = 0, last_error = null where scheduled_jobs.done_at is null`,
      ),
      due: s.prepare<[number, number], RawJob>(`select ${COLUMNS} from scheduled_jobs where done_at is null and run_at <= ? order by run_at, key limit ?`),
      next: s.prepare<[], number>('select min(run_at) from scheduled_jobs where done_at is null').pluck(),
      pending: s.prepare<[string], number>('select 1 from scheduled_jobs where key = ? and done_at is null').pluck(),
      markDone: s.prepare('update scheduled_jobs set done_at = ?, outcome = ? where key = ?'),
      failure: s.prepare(
        `update scheduled_jobs set attempts = attempts + 1, last_error = @error,
           run_at = case when attempts + 1 >= @max then run_at else @retryAt end,
           done_at = case when attempts + 1 >= @max then @now else null end,
           outcome = case when attempts + 1 >= @max then 'failed' else null end
         where key = @key and done_at is null`,
      ),
      ofSubject: s.prepare<[string], RawJob>(`select ${COLUMNS} from scheduled_jobs where subject = ? order by run_at, key`),
      dropPending: s.prepare(
        'delete from scheduled_jobs where subject = ? and done_at is null and run_at > ? and kind in (select value from json_each(?)) and key not in (select value from json_each(?))',
      ),
    };
  }

  upsertNow(jobs: PlannedJob[], now: Date): void {
    for (const job of jobs) this.statements.upsert.run(job.key, job.kind, job.subject, job.runAt.getTime(), JSON.stringify(job.payload), now.getTime());
  }

  async due(now: number, limit: number): Promise<JobRow[]> {
    return this.statements.due.all(now, limit).map(toJob);
  }

  async nextRunAt(): Promise<number | null> {
    return this.statements.next.get() ?? null;
  }

  isPendingNow(key: string): boolean {
    return this.statements.pending.get(key) !== undefined;
  }

  markDoneNow(key: string, outcome: JobOutcome, now: number): void {
    this.statements.markDone.run(now, outcome, key);
  }

  recordFailureNow(key: string, error: string, retryAt: number, max: number, now: number): void {
    this.statements.failure.run({ key, error: error.slice(0, 1000), retryAt, max, now });
  }

  async ofSubject(subject: string): Promise<JobRow[]> {
    return this.statements.ofSubject.all(subject).map(toJob);
  }

  dropPendingNow(subject: string, kinds: string[], keep: string[], after: number): void {
    this.statements.dropPending.run(subject, after, JSON.stringify(kinds), JSON.stringify(keep));
  }
}
