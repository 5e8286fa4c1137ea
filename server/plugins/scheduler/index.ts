import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { PendingCommit, UnitOfWork } from '../unit-of-work.js';
import { nextTurn } from '../../shared/periodic.js';
import { SchedulerRepository, type JobRow, type PlannedJob } from './repository.js';
import type { JobOutcome } from './tables.js';

export type { PlannedJob, JobRow } from './repository.js';

/**
 * What a job does when it is due, inside the transaction that marks it done: its writes
 * (notifications, live events, further jobs) commit with that mark or not at all. Synchronous, as
 * any unit-of-work piece may be. Returns 'skipped' when there was nothing left to do (a reminder for a
 * meeting that has started meanwhile).
 */
export type JobHandler = (job: JobRow, context: { commit: PendingCommit; now: Date }) => JobOutcomeOfHandler | Promise<JobOutcomeOfHandler>;
type JobOutcomeOfHandler = 'done' | 'skipped';

/** A failing job is tried again at most this often (a minute apart), then left marked 'failed'. */
const MAX_ATTEMPTS = 5;
const RETRY_MS = 60_000;
/** The timer never sleeps longer than this, so a clock that moved (tests, a suspended VM) is noticed. */
const MAX_SLEEP_MS = 60_000;
const BATCH = 200;

/**
 * Scheduled work kept in the database (scheduled_jobs) and run by this process: no external cron.
 * Each job has a unique key, so planning it twice is one job, and it runs once: the handler's
 * effect and the job's done mark share one commit. On start every job that fell due while the
 * server was down runs (its handler decides whether it still makes sense).
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private rerun = false;
  private stopped = true;

  constructor(
    private readonly repository: SchedulerRepository,
    private readonly unitOfWork: UnitOfWork,
    /** The clock every job decision uses; tests replace it. */
    readonly now: () => Date,
    private readonly log: FastifyBaseLogger,
  ) {}

  define(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`Job kind "${kind}" is already defined`);
    this.handlers.set(kind, handler);
  }

  /**
   * Plans jobs inside the caller's write. A key already planned keeps its row (a job that ran
   * stays done and never runs again); a pending one takes the new time and payload.
   */
  async planWithin(commit: PendingCommit, jobs: PlannedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.repository.upsertNow(jobs, this.now());
    commit.afterCommit(() => this.wake());
  }

  /**
   * Drops the pending jobs of a subject ("meeting:<id>") of these kinds that are not yet due,
   * except the keys to keep. Jobs that ran stay as the record of what was sent; jobs already due
   * stay for the runner, whose handler decides whether they still apply (the very job being run
   * may be planning its successors).
   */
  async dropPendingWithin(_commit: PendingCommit, subject: string, kinds: string[], keep: string[] = []): Promise<void> {
    await this.repository.dropPendingNow(subject, kinds, keep, this.now().getTime());
  }

  /** Jobs of a subject, for features that show what is planned, and for tests. */
  jobsOf(subject: string): Promise<JobRow[]> {
    return this.repository.ofSubject(subject);
  }

  /** Runs every job due by now(); resolves with how many ran. Concurrent calls share one pass. */
  runDue(): Promise<number> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.runPasses().finally(() => {
      this.running = null;
      void this.arm();
    });
    return this.running;
  }

  start(): void {
    this.stopped = false;
    void this.runDue();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Something was planned: look again at when the next job is due. */
  private wake(): void {
    if (!this.stopped && !this.running) void this.arm();
  }

  private async arm(): Promise<void> {
    let next: number | null;
    try {
      next = await this.repository.nextRunAt();
    } catch (err) {
      // The database closed under a late wake-up (shutdown): nothing more to run.
      this.log.error({ err }, 'scheduler: could not read the next due time');
      return;
    }
    // Cleared after the read: of two wake-ups in flight, the later one's timer is the one kept.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.running) return;
    if (next === null) return;
    const delay = Math.min(Math.max(next - this.now().getTime(), 0), MAX_SLEEP_MS);
    this.timer = setTimeout(() => void this.runDue(), delay);
    this.timer.unref();
  }

  private async runPasses(): Promise<number> {
    let total = 0;
    do {
      this.rerun = false;
      const due = await this.repository.due(this.now().getTime(), BATCH);
      for (const job of due) {
        if (this.stopped && total > 0) break;
        total += (await this.runOne(job)) ? 1 : 0;
        // One job per turn of the event loop (see nextTurn), or a backlog holds every request up.
        await nextTurn();
      }
      if (due.length === BATCH) this.rerun = true;
    } while (this.rerun && !this.stopped);
    return total;
  }

  private async runOne(job: JobRow): Promise<boolean> {
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      // Every kind is defined while the app loads, before the first pass: a job without a handler
      // is of a kind no feature runs any more. Marked failed, or the runner would wake for it forever.
      this.log.warn({ job: job.key, kind: job.kind }, 'no handler for scheduled job; marked failed');
      const now = this.now().getTime();
      await this.unitOfWork.run(() => this.repository.recordFailureNow(job.key, `no handler for job kind "${job.kind}"`, now, 1, now));
      return false;
    }
    try {
      return await this.unitOfWork.run(async (commit) => {
        // Claimed inside the write: another pass, or another instance on the same database, may have run it or be running it.
        if (!(await this.repository.claimNow(job.key))) return false;
        const now = this.now();
        const outcome: JobOutcome = await handler(job, { commit, now });
        await this.repository.markDoneNow(job.key, outcome, now.getTime());
        return true;
      });
    } catch (err) {
      this.log.error({ err, job: job.key }, 'scheduled job failed');
      const now = this.now().getTime();
      await this.unitOfWork
        .run(() => this.repository.recordFailureNow(job.key, err instanceof Error ? err.message : String(err), now + RETRY_MS, MAX_ATTEMPTS, now))
        .catch((error: unknown) => this.log.error({ err: error, job: job.key }, 'recording a job failure failed'));
      return false;
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}

/**
 * The scheduler, started once the app is ready (after every feature defined its job kinds) and
 * stopped before the database closes.
 */
export default fp<{ now?: () => Date }>(
  async (fastify, options) => {
    const scheduler = new Scheduler(new SchedulerRepository(fastify.database), fastify.unitOfWork, options.now ?? (() => new Date()), fastify.log);
    fastify.decorate('scheduler', scheduler);
    fastify.addHook('onReady', async () => scheduler.start());
    // Registered after the db plugin: onClose hooks run in reverse, so this stops before the database closes.
    fastify.addHook('onClose', async () => scheduler.stop());
  },
  { name: 'scheduler', dependencies: ['db'] },
);
