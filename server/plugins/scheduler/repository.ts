import type { Database } from '../database.js';
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

const COLUMNS = 'key, kind, subject, run_at as "runAt", payload, done_at as "doneAt", outcome, attempts';

/**
 * scheduled_jobs, through prepared statements: the runner asks for due jobs on every wake-up. The
 * `...Now` functions run inside the caller's unit of work (planning with the caller's write, a
 * job's effect with its done mark).
 */
export class SchedulerRepository {
  private readonly statements;

  constructor(database: Database) {
    this.statements = {
      upsert: database.statement<[string, string, string, number, string, number]>(
        `insert into scheduled_jobs (key, kind, subject, run_at, payload, created_at) values (?, ?, ?, ?, ?, ?)
         on conflict (key) do update set run_at = excluded.run_at, payload = excluded.payload, attempts = 0, last_error = null where scheduled_jobs.done_at is null`,
      ),
      due: database.statement<[number, number], RawJob>(`select ${COLUMNS} from scheduled_jobs where done_at is null and run_at <= ? order by run_at, key limit ?`),
      next: database.statement<[]>('select min(run_at) from scheduled_jobs where done_at is null'),
      // PostgreSQL: the job's row stays locked to the end of the claiming transaction, and another
      // instance's claim skips it rather than waiting to run it again. SQLite: one writer at a time
      // already keeps a second claim out until the first has committed its done mark.
      claim: database.statement<[string]>({
        sqlite: 'select 1 from scheduled_jobs where key = ? and done_at is null',
        postgres: 'select 1 from scheduled_jobs where key = $1 and done_at is null for update skip locked',
      }),
      markDone: database.statement<[number, JobOutcome, string]>('update scheduled_jobs set done_at = ?, outcome = ? where key = ?'),
      // PostgreSQL types a parameter inside a case by its context, text here, and refuses it for a bigint column: cast.
      failure: database.statement<[string, number, number, number, number, number, string]>({
        sqlite: `update scheduled_jobs set attempts = attempts + 1, last_error = ?,
           run_at = case when attempts + 1 >= ? then run_at else ? end,
           done_at = case when attempts + 1 >= ? then ? else null end,
           outcome = case when attempts + 1 >= ? then 'failed' else null end
         where key = ? and done_at is null`,
        postgres: `update scheduled_jobs set attempts = attempts + 1, last_error = $1,
           run_at = case when attempts + 1 >= $2 then run_at else $3::bigint end,
           done_at = case when attempts + 1 >= $4 then $5::bigint else null end,
           outcome = case when attempts + 1 >= $6 then 'failed' else null end
         where key = $7 and done_at is null`,
      }),
      ofSubject: database.statement<[string], RawJob>(`select ${COLUMNS} from scheduled_jobs where subject = ? order by run_at, key`),
      dropPending: database.statement<[string, number, string, string]>({
        sqlite:
          'delete from scheduled_jobs where subject = ? and done_at is null and run_at > ? and kind in (select value from json_each(?)) and key not in (select value from json_each(?))',
        postgres:
          'delete from scheduled_jobs where subject = $1 and done_at is null and run_at > $2 and kind in (select jsonb_array_elements_text($3::jsonb)) and key not in (select jsonb_array_elements_text($4::jsonb))',
      }),
    };
  }

  async upsertNow(jobs: PlannedJob[], now: Date): Promise<void> {
    for (const job of jobs) await this.statements.upsert.run(job.key, job.kind, job.subject, job.runAt.getTime(), JSON.stringify(job.payload), now.getTime());
  }

  async due(now: number, limit: number): Promise<JobRow[]> {
    return (await this.statements.due.all(now, limit)).map(toJob);
  }

  async nextRunAt(): Promise<number | null> {
    return (await this.statements.next.value<number | null>()) ?? null;
  }

  /**
   * Claims a pending job for the caller's unit of work: true if it is still to run and nobody else
   * runs it now (on PostgreSQL another instance holding it is skipped, not waited for); false if it
   * is done, gone, or being run elsewhere.
   */
  async claimNow(key: string): Promise<boolean> {
    return (await this.statements.claim.get(key)) !== undefined;
  }

  async markDoneNow(key: string, outcome: JobOutcome, now: number): Promise<void> {
    await this.statements.markDone.run(now, outcome, key);
  }

  async recordFailureNow(key: string, error: string, retryAt: number, max: number, now: number): Promise<void> {
    await this.statements.failure.run(error.slice(0, 1000), max, retryAt, max, now, max, key);
  }

  async ofSubject(subject: string): Promise<JobRow[]> {
    return (await this.statements.ofSubject.all(subject)).map(toJob);
  }

  async dropPendingNow(subject: string, kinds: string[], keep: string[], after: number): Promise<void> {
    await this.statements.dropPending.run(subject, after, JSON.stringify(kinds), JSON.stringify(keep));
  }
}
