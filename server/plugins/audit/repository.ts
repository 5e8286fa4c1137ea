import type Database from 'better-sqlite3';
import type { Db } from '../db.js';

export interface AuditEntryInput {
  groupId: string;
  subjectKind: string;
  subjectId: string;
  actorId: string | null;
  action: string;
  details?: Record<string, unknown>;
  ip?: string | null;
  /** When it happened; now by default. */
  at?: Date;
}

export interface AuditRow {
  id: number;
  groupId: string;
  subjectKind: string;
  subjectId: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
  createdAt: number;
}

export interface AuditFilter {
  groupId: string;
  action?: string;
  actorId?: string;
  subjectKind?: string;
  subjectId?: string;
  /** Inclusive lower bound, ms. */
  from?: number;
  /** Exclusive upper bound, ms. */
  to?: number;
}

type RawRow = Omit<AuditRow, 'details'> & { details: string };

const COLUMNS = `a.id, a.group_id as groupId, a.subject_kind as subjectKind, a.subject_id as subjectId, a.actor_id as actorId,
  u.display_name as actorName, a.action, a.details, a.ip, a.created_at as createdAt`;

const toRow = (raw: RawRow): AuditRow => ({ ...raw, details: JSON.parse(raw.details) as Record<string, unknown> });

/**
 * The audit log's storage. Synchronous (better-sqlite3): record() joins whatever transaction the
 * caller is in, so an action and its entry are written together or not at all.
 */
export class AuditRepository {
  private readonly sqlite: Database.Database;
  private readonly statements;

  constructor(db: Db) {
    this.sqlite = db.$client;
    const s = this.sqlite;
    this.statements = {
      insert: s.prepare('insert into audit_log (group_id, subject_kind, subject_id, actor_id, action, details, ip, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)'),
      ofSubject: s.prepare<[string, string, number], RawRow>(
        `select ${COLUMNS} from audit_log a left join users u on u.id = a.actor_id where a.subject_kind = ? and a.subject_id = ? order by a.id desc limit ?`,
      ),
      seenFrom: s.prepare<[string, string, string], { found: number }>('select 1 as found from audit_log where actor_id = ? and action = ? and ip = ? limit 1'),
      purge: s.prepare<[number]>('delete from audit_log where created_at < ?'),
    };
  }

  record(entry: AuditEntryInput): void {
    this.statements.insert.run(
      entry.groupId,
      entry.subjectKind,
      entry.subjectId,
      entry.actorId,
      entry.action,
      JSON.stringify(entry.details ?? {}),
      entry.ip ?? null,
      (entry.at ?? new Date()).getTime(),
    );
  }

  /** A subject's entries, newest first (a document's trail). */
  ofSubject(subjectKind: string, subjectId: string, limit = 200): AuditRow[] {
    return this.statements.ofSubject.all(subjectKind, subjectId, limit).map(toRow);
  }

  /** Whether this person already has an entry of this action from this address. */
  seenFrom(actorId: string, action: string, ip: string): boolean {
    return this.statements.seenFrom.get(actorId, action, ip) !== undefined;
  }

  private where(filter: AuditFilter): { sql: string; params: unknown[] } {
    const clauses = ['a.group_id = ?'];
    const params: unknown[] = [filter.groupId];
    if (filter.action !== undefined) {
      clauses.push('a.action = ?');
      params.push(filter.action);
    }
    if (filter.actorId !== undefined) {
      clauses.push('a.actor_id = ?');
      params.push(filter.actorId);
    }
    if (filter.subjectKind !== undefined) {
      clauses.push('a.subject_kind = ?');
      params.push(filter.subjectKind);
    }
    if (filter.subjectId !== undefined) {
      clauses.push('a.subject_id = ?');
      params.push(filter.subjectId);
    }
    if (filter.from !== undefined) {
      clauses.push('a.created_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      clauses.push('a.created_at < ?');
      params.push(filter.to);
    }
    return { sql: clauses.join(' and '), params };
  }

  /** One page of the group's entries matching the filter, newest first, with the total. */
  list(filter: AuditFilter, offset: number, limit: number): { items: AuditRow[]; total: number } {
    const { sql, params } = this.where(filter);
    const total = (this.sqlite.prepare(`select count(*) as n from audit_log a where ${sql}`).get(...params) as { n: number }).n;
    const items = (this.sqlite.prepare(`select ${COLUMNS} from audit_log a left join users u on u.id = a.actor_id where ${sql} order by a.id desc limit ? offset ?`).all(...params, limit, offset) as RawRow[]).map(toRow);
    return { items, total };
  }

  /**
   * Matching entries older than `beforeId`, newest first, `limit` of them: the CSV export reads the
   * log in such batches (keyset paging), never holding a statement open between them, so other
   * requests use the connection while the export is written out.
   */
  batchBefore(filter: AuditFilter, beforeId: number, limit: number): AuditRow[] {
    const { sql, params } = this.where(filter);
    return (this.sqlite.prepare(`select ${COLUMNS} from audit_log a left join users u on u.id = a.actor_id where ${sql} and a.id < ? order by a.id desc limit ?`).all(...params, beforeId, limit) as RawRow[]).map(toRow);
  }

  /** The distinct actions and subject kinds of the group's log, for the filters' choices. */
  facets(groupId: string): { actions: string[]; subjectKinds: string[] } {
    const actions = this.sqlite.prepare('select distinct action from audit_log where group_id = ? order by action').pluck().all(groupId) as string[];
    const subjectKinds = this.sqlite.prepare('select distinct subject_kind from audit_log where group_id = ? order by subject_kind').pluck().all(groupId) as string[];
    return { actions, subjectKinds };
  }

  /** Deletes entries older than the cutoff; returns how many. */
  purgeBefore(cutoff: Date): number {
    return this.statements.purge.run(cutoff.getTime()).changes;
  }
}
