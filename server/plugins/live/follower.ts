import type { CacheRegistry } from './caches.js';
import type { LiveEvent } from './hub.js';
import type { LiveEventRow, SqliteLogReader } from './repository.js';

/** How often the follower looks for other processes' commits. */
export const FOLLOW_EVERY_MS = 150;
/** Events read per query while catching up. */
const PAGE = 500;

interface FollowerLogger {
  error(object: unknown, message: string): void;
}

/**
 * Follows the live_events log for what other processes (other servers on the same database file)
 * commit: each of their events is handed to the cache registry, which forgets what it changed,
 * then fanned out to this process's sockets, so a browser connected here sees a post made there.
 *
 * Cheap when nobody else writes: SQLite's data_version (SqliteLogReader.othersCommitMarker)
 * moves only when another connection commits, so a quiet tick is one pragma and no read. It is
 * asked on a timer, and also right before this process fans out its own events after a commit:
 * ids are handed out in commit order (SQLite has one writer at a time), so events another process
 * committed before ours are delivered first and every socket sees a topic's events in id order.
 */
export class LogFollower {
  private cursor: number;
  private marker: number;
  /** Ids of events this process stored and has not yet passed its cursor: not to be delivered twice. */
  private readonly own = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private following = false;

  constructor(
    private readonly repository: SqliteLogReader,
    private readonly caches: CacheRegistry,
    /** Hands an event read from the log to this process's subscribers. */
    private readonly deliver: (event: LiveEvent) => void,
    /** The newest id this process has fanned out itself. */
    private readonly latestOwn: () => number,
    private readonly log: FollowerLogger,
    startAt: number,
  ) {
    this.cursor = startAt;
    this.marker = repository.othersCommitMarker();
  }

  start(everyMs = FOLLOW_EVERY_MS): void {
    this.timer ??= setInterval(() => this.catchUp(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** This process stored these events (inside a write not yet committed). */
  stored(ids: readonly number[]): void {
    for (const id of ids) this.own.add(id);
  }

  /** ...and that write rolled back: the ids were never used, and another process may be given them. */
  undone(ids: readonly number[]): void {
    for (const id of ids) this.own.delete(id);
  }

  /**
   * Delivers what other processes committed since the last look, up to (not including) `before`:
   * right before this process fans out its own events, whose first id that is. Another process
   * may have committed after our batch and before the fan-out of its later pieces; its ids are
   * higher than all of ours, so it waits for the next look, or a socket that has already had the
   * higher id would drop our lower one. Synchronous: nothing else runs meanwhile.
   */
  catchUp(before = Number.POSITIVE_INFINITY): void {
    // Not re-entered from a delivery (a listener that publishes and commits at once).
    if (this.following) return;
    this.following = true;
    try {
      const marker = this.repository.othersCommitMarker();
      if (marker === this.marker) {
        // Nobody else committed: everything up to our own latest event is ours.
        this.passed(Math.max(this.cursor, this.latestOwn()));
        return;
      }
      for (;;) {
        const rows = this.repository.allAfterNow(this.cursor, PAGE);
        for (const row of rows) {
          // Left unread, and the marker unrecorded, so that the next look reads it.
          if (row.id >= before) return;
          if (!this.own.delete(row.id)) this.apply(row);
          this.passed(row.id);
        }
        if (rows.length < PAGE) break;
      }
      this.marker = marker;
    } catch (err) {
      this.log.error({ err }, 'live: reading the event log failed');
    } finally {
      this.following = false;
    }
  }

  private apply(row: LiveEventRow): void {
    // Stored by another process's publishWithin from a typed input: its type and payload are the catalogue's.
    const event = { id: row.id, topic: row.topic, type: row.type, payload: JSON.parse(row.payloadJson) as unknown, createdAt: row.createdAt.toISOString() } as LiveEvent;
    if (row.audience) event.audience = row.audience;
    // Caches first: a browser that reloads on hearing the event must get the new state.
    this.caches.invalidate(event);
    this.deliver(event);
  }

  private passed(cursor: number): void {
    this.cursor = cursor;
    // Ids are issued in increasing order, and the set keeps insertion order.
    for (const id of this.own) {
      if (id > cursor) break;
      this.own.delete(id);
    }
  }
}
