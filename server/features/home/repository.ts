import { LRUCache } from 'lru-cache';
import type { Db } from '../../plugins/db.js';

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
 * The home page's visits (home_visits). Remembered in memory, as this process is the table's only
 * writer: a look at the home page reads nothing and writes at most once a minute per person (the
 * stored `seenAt` may trail the remembered one by that much, which only matters after a restart).
 */
export class HomeRepository {
  private readonly statements;
  private readonly visits = new LRUCache<string, Visit & { storedAt: number }>({ max: 10_000 });

  constructor(db: Db) {
    const sqlite = db.$client;
    this.statements = {
      get: sqlite.prepare<[string], Visit>('select seen_at as seenAt, since from home_visits where user_id = ?'),
      put: sqlite.prepare<[userId: string, seenAt: number, since: number]>(
        'insert into home_visits (user_id, seen_at, since) values (?, ?, ?) on conflict (user_id) do update set seen_at = excluded.seen_at, since = excluded.since',
      ),
    };
  }

  /** Records a look at the home page at `now`; returns where "new" begins for this visit. */
  look(userId: string, now: number): number {
    let known = this.visits.get(userId);
    if (!known) {
      const stored = this.statements.get.get(userId);
      known = stored && { ...stored, storedAt: stored.seenAt };
    }
    const next: Visit = !known
      ? { seenAt: now, since: now - FIRST_VISIT_WINDOW_MS }
      : now - known.seenAt >= VISIT_GAP_MS
        ? { seenAt: now, since: known.seenAt }
        : { seenAt: Math.max(now, known.seenAt), since: known.since };
    const mustStore = !known || next.since !== known.since || next.seenAt - known.storedAt >= SEEN_RESOLUTION_MS;
    if (mustStore) this.statements.put.run(userId, next.seenAt, next.since);
    this.visits.set(userId, { ...next, storedAt: mustStore ? next.seenAt : known!.storedAt });
    return next.since;
  }
}
