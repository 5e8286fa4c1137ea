import { LRUCache } from 'lru-cache';
import type { Database } from '../../plugins/database.js';

const MINUTE_MS = 60_000;
/** A visit ends after this long without opening the home page; the next one starts "new" from its last look. */
export const VISIT_GAP_MS = 60 * MINUTE_MS;
/** A first visit counts as new what happened in the fortnight before it. */
export const FIRST_VISIT_WINDOW_MS = 14 * 24 * 60 * MINUTE_MS;
/** A look within a visit is stored at most this often: a page refreshed on every live event writes once a minute at most. */
const SEEN_RESOLUTION_MS = MINUTE_MS;

interface Visit {
  seenAt: number;
  since: number;
}

/**
 * The home page's visits (home_visits). Remembered in memory; a look stored by another process
 * reaches this one as an internal event (HOME_VISITED) that makes it forget the person's visit. A look at the home page reads nothing and writes at most once a minute per person (the
 * stored `seenAt` may trail the remembered one by that much, which only matters after a restart).
 */
export class HomeRepository {
  private readonly statements;
  private readonly visits = new LRUCache<string, Visit & { storedAt: number }>({ max: 10_000 });

  constructor(database: Database) {
    this.statements = {
      get: database.statement<[string], Visit>('select seen_at as "seenAt", since from home_visits where user_id = ?'),
      put: database.statement<[userId: string, seenAt: number, since: number]>(
        'insert into home_visits (user_id, seen_at, since) values (?, ?, ?) on conflict (user_id) do update set seen_at = excluded.seen_at, since = excluded.since',
      ),
    };
  }

  /**
   * Records a look at the home page at `now`; returns where "new" begins for this visit.
   * `stored` is told, and awaited, when the look was written (at most once a minute per person).
   */
  async look(userId: string, now: number, stored: () => void | Promise<void> = () => {}): Promise<number> {
    let known = this.visits.get(userId);
    if (!known) {
      const stored = await this.statements.get.get(userId);
      known = stored && { ...stored, storedAt: stored.seenAt };
    }
    const next: Visit = !known
      ? { seenAt: now, since: now - FIRST_VISIT_WINDOW_MS }
      : now - known.seenAt >= VISIT_GAP_MS
        ? { seenAt: now, since: known.seenAt }
        : { seenAt: Math.max(now, known.seenAt), since: known.since };
    const mustStore = !known || next.since !== known.since || next.seenAt - known.storedAt >= SEEN_RESOLUTION_MS;
    if (mustStore) {
      await this.statements.put.run(userId, next.seenAt, next.since);
      await stored();
    }
    this.visits.set(userId, { ...next, storedAt: mustStore ? next.seenAt : known!.storedAt });
    return next.since;
  }

  /** The person looked at their home page through another process (the cache registry): their visit is read again. */
  forget(userId: string): void {
    this.visits.delete(userId);
  }
}
