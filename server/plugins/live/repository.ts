import type Sqlite from 'better-sqlite3';
import type { Database } from '../database.js';
import type { Db } from '../db.js';
import type { LiveAudience } from './hub.js';

/** A stored event as the hub needs it: the payload stays the JSON text it was stored as. */
export interface LiveEventRow {
  id: number;
  topic: string;
  type: string;
  payloadJson: string;
  audience: LiveAudience | null;
  createdAt: Date;
}

interface RawEvent {
  id: number;
  topic: string;
  type: string;
  payloadJson: string;
  audience: string | null;
  createdAt: number;
}

const toRow = (row: RawEvent): LiveEventRow => ({ ...row, audience: row.audience === null ? null : (JSON.parse(row.audience) as LiveAudience), createdAt: new Date(row.createdAt) });

/** The NOTIFY channel on which PostgreSQL instances tell each other of committed events (one per database, as NOTIFY is). */
export const LIVE_NOTIFY_CHANNEL = 'concilia_live';

const EVENT_COLUMNS = 'id, topic, type, payload as "payloadJson", audience, created_at as "createdAt"';

/**
 * The live_events table. Every statement is prepared once: publishing and replaying sit on
 * the hot path of every post, reaction and reconnect. A variable list of topics or types travels
 * as one JSON array parameter.
 */
export class LiveEventsRepository {
  private readonly statements;

  constructor(database: Database) {
    const stored = {
      sqlite: 'select id, payload from live_events where topic in (select value from json_each(?)) and type in (select value from json_each(?)) and json_extract(payload, ?) = ?',
      postgres:
        'select id, payload from live_events where topic in (select jsonb_array_elements_text($1::jsonb)) and type in (select jsonb_array_elements_text($2::jsonb)) and jsonb_path_query_first(payload, $3::jsonpath) #>> \'{}\' = $4',
    };
    this.statements = {
      // The payload goes in as the JSON text it already is.
      insert: database.statement<[string, string, string, string | null, number]>('insert into live_events (topic, type, payload, audience, created_at) values (?, ?, ?, ?, ?) returning id'),
      replay: database.statement<[string, number, number], RawEvent>({
        sqlite: `select ${EVENT_COLUMNS} from live_events where topic in (select value from json_each(?)) and id > ? order by id limit ?`,
        postgres: `select ${EVENT_COLUMNS} from live_events where topic in (select jsonb_array_elements_text($1::jsonb)) and id > $2 order by id limit $3`,
      }),
      stored: database.statement<[string, string, string, string], { id: number; payload: string }>(stored),
      storedForEveryone: database.statement<[string, string, string, string], { id: number; payload: string }>({
        sqlite: `${stored.sqlite} and audience is null`,
        postgres: `${stored.postgres} and audience is null`,
      }),
      setPayload: database.statement<[string, number]>('update live_events set payload = ? where id = ?'),
      prune: database.statement<[number]>('delete from live_events where created_at < ?'),
      bounds: database.statement<[], { oldest: number | null; newest: number | null; rows: number }>('select min(id) as oldest, max(id) as newest, count(*) as "rows" from live_events'),
      // PostgreSQL's alone (the SQLite texts are never run: one writer at a time numbers events in commit order there).
      takeTurn: database.statement<[]>({ sqlite: 'select 1', postgres: "select pg_advisory_xact_lock(hashtext('concilia live events'))" }),
      notify: database.statement<[string]>({ sqlite: 'select ?', postgres: `select pg_notify('${LIVE_NOTIFY_CHANNEL}', $1)` }),
      allAfter: database.statement<[number, number], RawEvent>(`select ${EVENT_COLUMNS} from live_events where id > ? order by id limit ?`),
      lastIssued: database.statement<[], { seq: number }>({
        sqlite: "select seq from sqlite_sequence where name = 'live_events'",
        postgres: "select last_value as seq from pg_sequences where sequencename = 'live_events_id_seq' and last_value is not null",
      }),
    };
  }

  /** Stores events in the caller's unit of work; their ids, in order. */
  async insertNow(events: Array<{ topic: string; type: string; payloadJson: string; audience: LiveAudience | null; createdAt: Date }>): Promise<number[]> {
    const ids: number[] = [];
    for (const event of events) {
      ids.push((await this.statements.insert.value<number>(event.topic, event.type, event.payloadJson, event.audience ? JSON.stringify(event.audience) : null, event.createdAt.getTime()))!);
    }
    return ids;
  }

  /**
   * Rewrites the payload of stored events of these topics and types whose JSON holds `value` at
   * `path` (and, with `everyoneOnly`, that have no narrower audience). Returns how many changed.
   */
  async rewritePayloads(filter: { topics: string[]; types: string[]; path: string; value: string; everyoneOnly: boolean }, rewrite: (payloadJson: string) => string): Promise<number> {
    const select = filter.everyoneOnly ? this.statements.storedForEveryone : this.statements.stored;
    const rows = await select.all(JSON.stringify(filter.topics), JSON.stringify(filter.types), filter.path, filter.value);
    for (const row of rows) await this.statements.setPayload.run(rewrite(row.payload), row.id);
    return rows.length;
  }

  /** Events of the topics with id > afterId, oldest first. */
  async after(topics: string[], afterId: number, limit: number): Promise<LiveEventRow[]> {
    return (await this.statements.replay.all(JSON.stringify(topics), afterId, limit)).map(toRow);
  }

  /**
   * PostgreSQL: waits, inside the caller's transaction, until no other transaction is numbering
   * events, and keeps the others waiting until this one has committed (an advisory lock held to the
   * end of the transaction). Taken right before the commit (PostgresEngine.beforeCommit), it makes
   * the ids handed out after it follow the order of the commits, as SQLite's single writer does:
   * once an id is visible, every lower id is committed or will never be.
   */
  async takeTurnNow(): Promise<void> {
    await this.statements.takeTurn.run();
  }

  /** PostgreSQL: tells the other instances, at this transaction's commit (never on rollback), that events up to `lastId` are in the log. */
  async notifyNow(payload: string): Promise<void> {
    await this.statements.notify.run(payload);
  }

  /** Events of every topic with id > afterId, oldest first (the PostgreSQL follower's read of the log). */
  async allAfter(afterId: number, limit: number): Promise<LiveEventRow[]> {
    return (await this.statements.allAfter.all(afterId, limit)).map(toRow);
  }

  async deleteOlderThan(before: Date): Promise<number> {
    return this.statements.prune.run(before.getTime());
  }

  async bounds(): Promise<{ oldest: number | null; newest: number | null; rows: number }> {
    return (await this.statements.bounds.get()) ?? { oldest: null, newest: null, rows: 0 };
  }

  /**
   * The last id ever handed out (the key never reuses one, even after pruning), or 0.
   * Lets the hub tell a client whose cursor predates the oldest kept event that it missed some.
   */
  async lastIssuedId(): Promise<number> {
    return (await this.statements.lastIssued.get())?.seq ?? 0;
  }
}

/**
 * What the log follower (./follower.ts) reads of SQLite's log, synchronously: it runs right before
 * a commit's own fan-out. SQLite's alone: processes on one PostgreSQL hear each other's events
 * through LISTEN/NOTIFY instead.
 */
export class SqliteLogReader {
  private readonly allAfterQuery: Sqlite.Statement<[number, number], RawEvent>;
  private readonly dataVersionQuery: Sqlite.Statement<[], number>;

  constructor(db: Db) {
    this.allAfterQuery = db.$client.prepare(`select ${EVENT_COLUMNS} from live_events where id > ? order by id limit ?`);
    this.dataVersionQuery = db.$client.prepare<[], number>('pragma data_version').pluck();
  }

  /**
   * A number that changes whenever another connection (another process) has committed to the
   * database since the last call: SQLite's `PRAGMA data_version`, which costs no read. The log
   * follower asks it on a timer and reads the log only when it moved.
   */
  othersCommitMarker(): number {
    return this.dataVersionQuery.get()!;
  }

  /** Events of every topic with id > afterId, oldest first. */
  allAfterNow(afterId: number, limit: number): LiveEventRow[] {
    return this.allAfterQuery.all(afterId, limit).map(toRow);
  }
}
