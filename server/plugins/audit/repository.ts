import { sql, type SQL } from 'drizzle-orm';
import type { Database, Statement } from '../database.js';

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

const COLUMNS = `a.id, a.group_id as "groupId", a.subject_kind as "subjectKind", a.subject_id as "subjectId", a.actor_id as "actorId",
  u.display_name as "actorName", a.action, a.details, a.ip, a.created_at as "createdAt"`;

const toRow = (raw: RawRow): AuditRow => ({ ...raw, details: JSON.parse(raw.details) as Record<string, unknown> });

/**
 * The audit log's storage. record() joins the caller's unit of work, so an action and its entry
 * are written together or not at all.
 */
export class AuditRepository {
  private readonly statements;

  constructor(private readonly database: Database) {
    this.statements = {
      insert: database.statement<[string, string, string, string | null, string, string, string | null, number]>(
        'insert into audit_log (group_id, subject_kind, subject_id, actor_id, action, details, ip, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      ofSubject: database.statement<[string, string, number], RawRow>(
        `select ${COLUMNS} from audit_log a left join users u on u.id = a.actor_id where a.subject_kind = ? and a.subject_id = ? order by a.id desc limit ?`,
      ),
      seenFrom: database.statement<[string, string, string]>('select 1 as found from audit_log where actor_id = ? and action = ? and ip = ? limit 1'),
      purge: database.statement<[number]>('delete from audit_log where created_at < ?'),
      actions: database.statement<[string], { value: string }>('select distinct action as value from audit_log where group_id = ? order by action'),
      subjectKinds: database.statement<[string], { value: string }>('select distinct subject_kind as value from audit_log where group_id = ? order by subject_kind'),
    } satisfies Record<string, Statement<never, unknown>>;
  }

  async record(entry: AuditEntryInput): Promise<void> {
    await this.statements.insert.run(
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
  async ofSubject(subjectKind: string, subjectId: string, limit = 200): Promise<AuditRow[]> {
    return (await this.statements.ofSubject.all(subjectKind, subjectId, limit)).map(toRow);
  }

  /** Whether this person already has an entry of this action from this address. */
  async seenFrom(actorId: string, action: string, ip: string): Promise<boolean> {
    return (await this.statements.seenFrom.get(actorId, action, ip)) !== undefined;
  }

  private where(filter: AuditFilter): SQL {
    const clauses = [sql`a.group_id = ${filter.groupId}`];
    if (filter.action !== undefined) clauses.push(sql`a.action = ${filter.action}`);
    if (filter.actorId !== undefined) clauses.push(sql`a.actor_id = ${filter.actorId}`);
    if (filter.subjectKind !== undefined) clauses.push(sql`a.subject_kind = ${filter.subjectKind}`);
    if (filter.subjectId !== undefined) clauses.push(sql`a.subject_id = ${filter.subjectId}`);
    if (filter.from !== undefined) clauses.push(sql`a.created_at >= ${filter.from}`);
    if (filter.to !== undefined) clauses.push(sql`a.created_at < ${filter.to}`);
    return sql.join(clauses, sql` and `);
  }

  /** One page of the group's entries matching the filter, newest first, with the total. */
  async list(filter: AuditFilter, offset: number, limit: number): Promise<{ items: AuditRow[]; total: number }> {
    const where = this.where(filter);
    const total = (await this.database.get<{ n: number }>(sql`select count(*) as n from audit_log a where ${where}`))?.n ?? 0;
    const items = await this.database.all<RawRow>(
      sql`select ${sql.raw(COLUMNS)} from audit_log a left join users u on u.id = a.actor_id where ${where} order by a.id desc limit ${limit} offset ${offset}`,
    );
    return { items: items.map(toRow), total };
  }

  /**
   * Matching entries older than `beforeId`, newest first, `limit` of them: the CSV export reads the
   * log in such batches (keyset paging), never holding a statement open between them, so other
   * requests use the connection while the export is written out.
   */
  async batchBefore(filter: AuditFilter, beforeId: number, limit: number): Promise<AuditRow[]> {
    const rows = await this.database.all<RawRow>(
      sql`select ${sql.raw(COLUMNS)} from audit_log a left join users u on u.id = a.actor_id where ${this.where(filter)} and a.id < ${beforeId} order by a.id desc limit ${limit}`,
    );
    return rows.map(toRow);
  }

  /** The distinct actions and subject kinds of the group's log, for the filters' choices. */
  async facets(groupId: string): Promise<{ actions: string[]; subjectKinds: string[] }> {
    const actions = (await this.statements.actions.all(groupId)).map((row) => row.value);
    const subjectKinds = (await this.statements.subjectKinds.all(groupId)).map((row) => row.value);
    return { actions, subjectKinds };
  }

  /** Deletes entries older than the cutoff; returns how many. */
  async purgeBefore(cutoff: Date): Promise<number> {
    return this.statements.purge.run(cutoff.getTime());
  }
}
