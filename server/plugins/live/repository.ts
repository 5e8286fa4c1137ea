import { asc, count, gt, lt, max, min, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { LiveAudience } from './hub.js';
import { liveEvents } from './tables.js';

/** A stored event as the hub needs it: the payload stays the JSON text it was stored as. */
export interface LiveEventRow {
  id: number;
  topic: string;
  type: string;
  payloadJson: string;
  audience: LiveAudience | null;
  createdAt: Date;
}

/**
 * The live_events table. Every statement is prepared once: publishing and replaying sit on
 * the hot path of every post, reaction and reconnect.
 */
export class LiveEventsRepository {
  private readonly insertQuery: Statement;
  private readonly replayQuery;
  private readonly storedQuery;
  private readonly storedForEveryoneQuery;
  private readonly setPayloadQuery;
  private readonly pruneQuery;
  private readonly boundsQuery;
  private readonly allAfterQuery: Statement<[number, number], { id: number; topic: string; type: string; payloadJson: string; audience: string | null; createdAt: number }>;
  private readonly dataVersionQuery: Statement<[], number>;

  constructor(private readonly db: Db) {
    // Per-event cost matters here (events of every post, reaction and notification): plain
    // better-sqlite3 with positional parameters. The payload goes in as the JSON text it already is.
    this.insertQuery = db.$client.prepare('insert into live_events (topic, type, payload, audience, created_at) values (?, ?, ?, ?, ?)');

    // A variable list of topics in one prepared statement: the list travels as a JSON array.
    this.replayQuery = db
      .select({
        id: liveEvents.id,
        topic: liveEvents.topic,
        type: liveEvents.type,
        payloadJson: sql<string>`${liveEvents.payload}`,
        audience: liveEvents.audience,
        createdAt: liveEvents.createdAt,
      })
      .from(liveEvents)
      .where(sql`${liveEvents.topic} in (select value from json_each(${sql.placeholder('topics')})) and ${gt(liveEvents.id, sql.placeholder('afterId'))}`)
      .orderBy(asc(liveEvents.id))
      .limit(sql.placeholder('limit'))
      .prepare();

    const stored = 'select id, payload from live_events where topic in (select value from json_each(?)) and type in (select value from json_each(?)) and json_extract(payload, ?) = ?';
    this.storedQuery = db.$client.prepare<[string, string, string, string], { id: number; payload: string }>(stored);
    this.storedForEveryoneQuery = db.$client.prepare<[string, string, string, string], { id: number; payload: string }>(`${stored} and audience is null`);
    this.setPayloadQuery = db.$client.prepare('update live_events set payload = ? where id = ?');

    this.pruneQuery = db.delete(liveEvents).where(lt(liveEvents.createdAt, sql.placeholder('before'))).prepare();

    // The log follower's reads: every topic, after its cursor. Plain better-sqlite3 (the payload stays text).
    this.allAfterQuery = db.$client.prepare('select id, topic, type, payload as payloadJson, audience, created_at as createdAt from live_events where id > ? order by id limit ?');
    this.dataVersionQuery = db.$client.prepare<[], number>('pragma data_version').pluck();

    this.boundsQuery = db.select({ oldest: min(liveEvents.id), newest: max(liveEvents.id), rows: count() }).from(liveEvents).prepare();
  }

  /** Stores events in the transaction the caller is in (a group-commit piece); their ids, in order. */
  insertNow(events: Array<{ topic: string; type: string; payloadJson: string; audience: LiveAudience | null; createdAt: Date }>): number[] {
    const insert = this.insertQuery;
    return events.map((event) => Number(insert.run(event.topic, event.type, event.payloadJson, event.audience ? JSON.stringify(event.audience) : null, event.createdAt.getTime()).lastInsertRowid));
  }

  /**
   * Rewrites the payload of stored events of these topics and types whose JSON holds `value` at
   * `path` (and, with `everyoneOnly`, that have no narrower audience). Returns how many changed.
   */
  rewritePayloads(filter: { topics: string[]; types: string[]; path: string; value: string; everyoneOnly: boolean }, rewrite: (payloadJson: string) => string): number {
    const select = filter.everyoneOnly ? this.storedForEveryoneQuery : this.storedQuery;
    const rows = select.all(JSON.stringify(filter.topics), JSON.stringify(filter.types), filter.path, filter.value);
    for (const row of rows) this.setPayloadQuery.run(rewrite(row.payload), row.id);
    return rows.length;
  }

  /** Events of the topics with id > afterId, oldest first. */
  async after(topics: string[], afterId: number, limit: number): Promise<LiveEventRow[]> {
    return this.replayQuery.all({ topics: JSON.stringify(topics), afterId, limit }) as LiveEventRow[];
  }

  async deleteOlderThan(before: Date): Promise<number> {
    // In a where clause drizzle passes the placeholder through unencoded (unlike in insert values).
    return this.pruneQuery.run({ before: before.getTime() }).changes;
  }

  async bounds(): Promise<{ oldest: number | null; newest: number | null; rows: number }> {
    return this.boundsQuery.get() ?? { oldest: null, newest: null, rows: 0 };
  }

  /**
   * A number that changes whenever another connection (another process) has committed to the
   * database since the last call: SQLite's `PRAGMA data_version`, which costs no read. The log
   * follower asks it on a timer and reads the log only when it moved. (PostgreSQL's twin: a
   * LISTEN on a channel the writers NOTIFY.)
   */
  othersCommitMarker(): number {
    return this.dataVersionQuery.get()!;
  }

  /** Events of every topic with id > afterId, oldest first: what the log follower reads. Synchronous: it runs right before a commit's own fan-out. */
  allAfterNow(afterId: number, limit: number): LiveEventRow[] {
    return this.allAfterQuery.all(afterId, limit).map((row) => ({ ...row, audience: row.audience === null ? null : (JSON.parse(row.audience) as LiveAudience), createdAt: new Date(row.createdAt) }));
  }

  /**
   * The last id ever handed out (AUTOINCREMENT never reuses one, even after pruning), or 0.
   * Lets the hub tell a client whose cursor predates the oldest kept event that it missed some.
   */
  async lastIssuedId(): Promise<number> {
    const row = this.db.get<{ seq: number } | undefined>(sql`select seq from sqlite_sequence where name = 'live_events'`);
    return row?.seq ?? 0;
  }
}
