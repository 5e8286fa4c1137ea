import type { CacheRegistry } from './caches.js';
import type { LiveEvent } from './hub.js';
import type { LiveEventRow } from './repository.js';

/** Events read per query while catching up. */
const PAGE = 500;
/** While the listening connection is down, the log is read on this timer instead (nothing is missed, only later). */
const POLL_WHILE_DEAF_MS = 250;
/** After a failed read of the log (the database unreachable), the next try. */
const RETRY_MS = 1_000;

interface FollowerLogger {
  error(object: unknown, message: string): void;
}

/** What the follower reads of the log: every topic's events after an id, oldest first (the pool, outside any unit of work). */
export interface PgLogReader {
  allAfter(afterId: number, limit: number): Promise<LiveEventRow[]>;
}

/**
 * PostgreSQL's follower of the live_events log: the instances tell each other with NOTIFY that
 * they committed events (hub.ts); this reads those events from the log (the log is the source, the
 * notification only a nudge), hands each to the cache registry, then to this instance's
 * subscribers. This instance's own events come through here too, from their commit (`committed`):
 * every event reaches the subscribers once, in id order, which the live channel relies on (a socket
 * that had id 10 drops a 9 that comes after it).
 *
 * The ids follow the commits' order (they are handed out under a lock held to the commit: see
 * LiveEventsRepository.takeTurnNow). So once the log shows an id, every lower id is either in the
 * log or will never be (its transaction rolled back), except this instance's own, whose commit may
 * not have been told to us yet: the follower waits for those, and skips other missing ids.
 */
export class PgLogFollower {
  /** Every event up to here has been delivered (or never existed). */
  private cursor: number;
  /** Our own events by id: null while their transaction commits, the event once it has committed and waits for its turn. */
  private readonly own = new Map<number, LiveEvent | null>();
  /** Other instances committed something not read yet (a notification, a read cut short, the listener back after a gap). */
  private behind = false;
  private reading = false;
  private again = false;
  private poll: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private waiters: Array<{ id: number; resolve: () => void }> = [];

  constructor(
    private readonly reader: PgLogReader,
    private readonly caches: CacheRegistry,
    /** Hands an event to this instance's subscribers. */
    private readonly deliver: (event: LiveEvent) => void,
    private readonly log: FollowerLogger,
    startAt: number,
  ) {
    this.cursor = startAt;
  }

  /** The id every event up to which has reached this instance's subscribers. */
  deliveredThrough(): number {
    return this.cursor;
  }

  /** Resolves once the events up to `id` have reached this instance's subscribers (or the follower stopped). */
  whenDelivered(id: number): Promise<void> {
    if (id <= this.cursor || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  /** Our transaction numbered these events and is committing. */
  stored(ids: readonly number[]): void {
    for (const id of ids) this.own.set(id, null);
  }

  /** ...and rolled back: the ids were never used (or, if the commit went through after all, the log has them and they are read from it). */
  undone(ids: readonly number[]): void {
    for (const id of ids) this.own.delete(id);
    this.behind = true;
    this.advance();
  }

  /** ...and committed: delivered now if they come next, after what precedes them otherwise. */
  committed(events: readonly LiveEvent[]): void {
    for (const event of events) this.own.set(event.id, event);
    this.advance();
  }

  /** Another instance committed events (its NOTIFY). */
  notified(): void {
    this.behind = true;
    void this.read();
  }

  /**
   * The listening connection is up (true: catch up on what it may have missed) or down (false: the
   * log is read on a timer until it is back, so sockets get other instances' events a little later,
   * and none is lost).
   */
  listening(up: boolean): void {
    if (up) {
      if (this.poll) clearInterval(this.poll);
      this.poll = null;
      this.notified();
      return;
    }
    if (this.stopped || this.poll) return;
    this.poll = setInterval(() => this.notified(), POLL_WHILE_DEAF_MS);
    this.poll.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
    this.poll = this.retry = null;
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private advance(): void {
    this.deliverOwnInTurn();
    if (this.behind || [...this.own.values()].some((event) => event !== null)) void this.read();
  }

  /** Our committed events that come right after the cursor, synchronously: the common case needs no read. */
  private deliverOwnInTurn(): void {
    for (let next = this.own.get(this.cursor + 1); next; next = this.own.get(this.cursor + 1)) {
      this.own.delete(next.id);
      this.cursor = next.id;
      this.deliver(next);
    }
    this.wakeWaiters();
  }

  private async read(): Promise<void> {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        this.behind = false;
        for (;;) {
          const rows = await this.reader.allAfter(this.cursor, PAGE);
          if (this.stopped) return;
          if (!this.apply(rows)) {
            // Waits for one of our commits to be told (committed or undone reads on).
            this.behind = true;
            break;
          }
          if (rows.length < PAGE) break;
        }
        this.deliverOwnInTurn();
      } while (this.again && !this.stopped);
    } catch (err) {
      // The pool closed under a read at shutdown: nothing more to deliver.
      if (this.stopped) return;
      this.behind = true;
      this.log.error({ err }, 'live: reading the event log failed');
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.read();
      }, RETRY_MS);
      this.retry.unref();
    } finally {
      this.reading = false;
    }
  }

  /** Delivers the rows in order; false if it stopped at one of our own events whose commit is not told yet. */
  private apply(rows: readonly LiveEventRow[]): boolean {
    for (const row of rows) {
      // Delivered meanwhile (our own, at their commit, while the read was on its way).
      if (row.id <= this.cursor) continue;
      // The ids skipped up to this row are not in the log: rolled back, unless one of ours whose commit we have not heard of.
      for (const [id, event] of [...this.own].sort(([x], [y]) => x - y)) {
        if (id <= this.cursor || id >= row.id) continue;
        if (event === null) return false;
        this.own.delete(id);
        this.cursor = id;
        this.deliver(event);
      }
      const mine = this.own.get(row.id);
      if (mine === null) return false;
      this.cursor = row.id;
      if (mine) {
        this.own.delete(row.id);
        this.deliver(mine);
      } else this.applyOther(row);
    }
    this.wakeWaiters();
    return true;
  }

  private applyOther(row: LiveEventRow): void {
    // Stored by another instance's publishWithin from a typed input: its type and payload are the catalogue's.
    const event = { id: row.id, topic: row.topic, type: row.type, payload: JSON.parse(row.payloadJson) as unknown, createdAt: row.createdAt.toISOString() } as LiveEvent;
    if (row.audience) event.audience = row.audience;
    // Caches first: a browser that reloads on hearing the event must get the new state.
    this.caches.invalidate(event);
    this.deliver(event);
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.id <= this.cursor) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}
