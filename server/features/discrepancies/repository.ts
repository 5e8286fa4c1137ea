import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, EngineKind } from '../../plugins/database.js';
import { type Observation } from './domain/observations.js';
import type { Tolerance } from './domain/pairing.js';
import { discrepancyCases, discrepancyComments, discrepancyObservations, discrepancyReleases, discrepancyTolerances } from './tables.js';
import { memberships, users } from '../../plugins/identity/tables.js';
import { discrepancyCases as sqliteCases } from './tables.sqlite.js';

export type CaseRow = typeof discrepancyCases.$inferSelect;
export type NewCaseRow = typeof discrepancyCases.$inferInsert;
export type ReleaseRow = typeof discrepancyReleases.$inferSelect;
export type LegacyComment = typeof discrepancyComments.$inferSelect & { groupId: string; authorName: string; authorCountryId: string | null };


/** Who is asking, for the visibility condition: staff see everything; others their country's, their agency's and published cases. */
export interface Viewer {
  staff: boolean;
  /** The country a member (or the coordinator) speaks for. */
  countryId: string | null;
  /** The organization an observer speaks for. */
  agencyId: string | null;
}

export interface CaseFilter {
  indicator?: string;
  countryId?: string;
  status?: string;
  year?: number;
  /** The goal an indicator code starts with: "4" holds 4.1, 4.2, 4.a. */
  goal?: string;
  /** Primary or secondary. */
  cause?: string;
  /** The agency whose international value the case compares. */
  agencyId?: string;
}

/** The status order a matrix cell takes its colour from: the least advanced of its cases. */
export const STATUS_RANK = ['identified', 'under_review', 'explained', 'reconciling', 'documented', 'reconciled', 'closed_invalid'] as const;
// A function: the column is the engine-bound table's when the query is built (server/plugins/engine-tables.ts).
const rankSql = () => sql`case ${discrepancyCases.status} ${sql.join(
  STATUS_RANK.map((status, rank) => sql`when ${status} then ${sql.raw(String(rank))}`),
  sql` `,
)} else 9 end`;

const CHUNK = 500;

/**
 * A table's rows read by a raw statement, as drizzle's builders give them (JSON columns parsed,
 * instants as Dates): the select list, with camelCase aliases, and the mapping. Raw rows come
 * shaped as SQLite's on both engines, so SQLite's columns map them.
 */
export function rowReader<T extends SQLiteTable>(table: T, alias: string) {
  const columns = Object.entries(getTableColumns(table)) as Array<[string, SQLiteColumn]>;
  return {
    select: columns.map(([key, column]) => `${alias}.${column.name} as "${key}"`).join(', '),
    read: (raw: Record<string, unknown>) => Object.fromEntries(columns.map(([key, column]) => [key, raw[key] === null ? null : column.mapFromDriverValue(raw[key])])) as T['$inferSelect'],
  };
}

/** Whether a JSON array column holds the value: each engine's own SQL. */
export function jsonArrayHolds(engine: EngineKind, column: SQLiteColumn, value: string): SQL {
  return engine === 'sqlite'
    ? sql`exists (select 1 from json_each(${column}) where value = ${value})`
    : sql`exists (select 1 from jsonb_array_elements_text(${column}) e(value) where e.value = ${value})`;
}

// Raw statements' rows are shaped as SQLite's on both engines (plugins/database.ts): SQLite's own
// columns decode them, whichever engine the process binds.
const cases = rowReader(sqliteCases, 'c');

/**
 * The discrepancy register's storage: releases, the current observations of each side, tolerances,
 * cases and their comments. Imports are written by ./import-repository.ts.
 */
export class DiscrepanciesRepository {
  /** A case page asks these on every request: prepared once, not built and compiled each time. */
  private readonly caseById;
  private readonly seriesQuery;
  private readonly lockCase;

  constructor(private readonly database: Database) {
    this.lockCase = database.statement<[id: string]>({ sqlite: 'select 1 from discrepancy_cases where id = ?', postgres: 'select 1 from discrepancy_cases where id = $1 for update' });
    this.caseById = database.statement<[groupId: string, id: string], Record<string, unknown>>(`select ${cases.select} from discrepancy_cases c where c.group_id = ? and c.id = ?`);
    this.seriesQuery = database.statement<[groupId: string, key: string], { data: string }>('select data from discrepancy_observations where group_id = ? and series_key = ?');
  }


  private get orm() {
    return this.database.orm;
  }

  private visible(viewer: Viewer): SQL | undefined {
    if (viewer.staff) return undefined;
    const conditions: SQL[] = [isNotNull(discrepancyCases.publishedAt)];
    if (viewer.countryId) conditions.push(eq(discrepancyCases.countryId, viewer.countryId));
    // agency_ids is a JSON array of organization ids; an exists() over its elements keeps it exact.
    if (viewer.agencyId) conditions.push(jsonArrayHolds(this.database.kind, discrepancyCases.agencyIds, viewer.agencyId));
    return or(...conditions);
  }

  async tolerances(groupId: string): Promise<Map<string, Tolerance>> {
    const rows = await this.orm.select().from(discrepancyTolerances).where(eq(discrepancyTolerances.groupId, groupId));
    return new Map(rows.map((row) => [row.series, { kind: row.kind, value: row.value }]));
  }

  async setTolerance(groupId: string, series: string, tolerance: Tolerance): Promise<void> {
    await this.orm
      .insert(discrepancyTolerances)
      .values({ groupId, series, ...tolerance })
      .onConflictDoUpdate({ target: [discrepancyTolerances.groupId, discrepancyTolerances.series], set: tolerance });
  }

  async listReleases(groupId: string, limit: number, offset: number): Promise<{ items: ReleaseRow[]; total: number }> {
    const items = await this.orm.select().from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId)).orderBy(desc(discrepancyReleases.createdAt)).limit(limit).offset(offset);
    const [counted] = await this.orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId));
    return { items, total: counted?.n ?? 0 };
  }

  async findRelease(id: string): Promise<ReleaseRow | undefined> {
    return (await this.orm.select().from(discrepancyReleases).where(eq(discrepancyReleases.id, id)).limit(1))[0];
  }

  async findCase(groupId: string, id: string): Promise<CaseRow | undefined> {
    const raw = await this.caseById.get(groupId, id);
    return raw && cases.read(raw);
  }

  private filtered(groupId: string, viewer: Viewer, filter: CaseFilter): SQL | undefined {
    const engine = this.database.kind;
    return and(
      eq(discrepancyCases.groupId, groupId),
      this.visible(viewer),
      filter.indicator ? eq(discrepancyCases.indicator, filter.indicator) : undefined,
      filter.countryId ? eq(discrepancyCases.countryId, filter.countryId) : undefined,
      filter.status ? eq(discrepancyCases.status, filter.status) : undefined,
      filter.year ? eq(discrepancyCases.year, filter.year) : undefined,
      filter.goal ? or(eq(discrepancyCases.indicator, filter.goal), sql`${discrepancyCases.indicator} like ${`${filter.goal.replace(/[%_\\]/g, '\\$&')}.%`} escape '\\'`) : undefined,
      filter.cause ? or(eq(discrepancyCases.primaryCause, filter.cause), jsonArrayHolds(engine, discrepancyCases.secondaryCauses, filter.cause)) : undefined,
      filter.agencyId ? jsonArrayHolds(engine, discrepancyCases.agencyIds, filter.agencyId) : undefined,
    );
  }

  /**
   * A stamp of everything the group's matrix is counted from: the number of cases, the sum of
   * their versions (every write to a case adds one) and the newest release. Any change to a case
   * or a new import changes it, in whichever process it was made, so answers and ETags keyed by it
   * are never stale across processes.
   */
  async matrixStamp(groupId: string): Promise<string> {
    const [counted] = await this.orm
      .select({ n: sql<number>`count(*)`.mapWith(Number), versions: sql<number>`coalesce(sum(${discrepancyCases.version}), 0)`.mapWith(Number) })
      .from(discrepancyCases)
      .where(eq(discrepancyCases.groupId, groupId));
    const [release] = await this.orm.select({ id: discrepancyReleases.id }).from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId)).orderBy(desc(discrepancyReleases.createdAt), desc(discrepancyReleases.id)).limit(1);
    return `${counted?.n ?? 0}.${counted?.versions ?? 0}.${release?.id ?? ''}`;
  }

  async listCases(groupId: string, viewer: Viewer, filter: CaseFilter, limit: number, offset: number): Promise<{ items: CaseRow[]; total: number }> {
    const where = this.filtered(groupId, viewer, filter);
    const items = await this.orm
      .select()
      .from(discrepancyCases)
      .where(where)
      .orderBy(asc(discrepancyCases.indicator), asc(discrepancyCases.country), asc(discrepancyCases.year), asc(discrepancyCases.obsKey))
      .limit(limit)
      .offset(offset);
    const [counted] = await this.orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(discrepancyCases).where(where);
    return { items, total: counted?.n ?? 0 };
  }

  /**
   * The matrix's cells: per indicator × country (or, for one indicator, per year × country) the
   * number of cases the viewer may see, the least advanced status and the largest gap.
   */
  async matrixCells(groupId: string, viewer: Viewer, filter: CaseFilter, by: 'indicator' | 'year') {
    const row = by === 'indicator' ? discrepancyCases.indicator : discrepancyCases.year;
    return this.orm
      .select({
        row: sql<string>`${row}`,
        countryId: discrepancyCases.countryId,
        cases: sql<number>`count(*)`.mapWith(Number),
        rank: sql<number>`min(${rankSql()})`.mapWith(Number),
        gap: sql<number>`max(${discrepancyCases.gap})`.mapWith(Number),
        published: sql<number>`sum(case when ${discrepancyCases.publishedAt} is not null then 1 else 0 end)`.mapWith(Number),
      })
      .from(discrepancyCases)
      .where(this.filtered(groupId, viewer, filter))
      .groupBy(row, discrepancyCases.countryId);
  }

  /** Every current value of one series, country and disaggregation, both sides (the case's chart). */
  async seriesObservations(groupId: string, key: string): Promise<Observation[]> {
    return (await this.seriesQuery.all(groupId, key)).map((row) => JSON.parse(row.data) as Observation);
  }

  /**
   * Inside the caller's unit of work: holds the case until it commits (PostgreSQL's row lock; SQLite
   * writes one transaction at a time anyway), so that writes about one case that read before they
   * write (its thread opened by a first comment) take turns.
   */
  async holdCase(id: string): Promise<void> {
    await this.lockCase.run(id);
  }

  /** Writes a case's new state if nobody changed it since `version` was read; false when someone did. */
  async updateCase(id: string, version: number, set: Partial<NewCaseRow>): Promise<boolean> {
    const updated = await this.orm
      .update(discrepancyCases)
      .set({ ...set, version: version + 1 })
      .where(and(eq(discrepancyCases.id, id), eq(discrepancyCases.version, version)))
      .returning({ id: discrepancyCases.id });
    return updated.length === 1;
  }

  /**
   * The case's participants among the group's active people (the debates' followers of its
   * thread): the staff, its country's delegation (members, and a coordinator of that country,
   * already staff) and the observers of its agencies. They follow every post of the case's thread.
   */
  async participantIds(row: Pick<CaseRow, 'groupId' | 'countryId' | 'agencyIds'>): Promise<string[]> {
    const people = await this.orm
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.groupId, row.groupId),
          isNull(users.deactivatedAt),
          or(
            inArray(memberships.role, ['coordinator', 'secretariat']),
            and(eq(memberships.role, 'member'), eq(memberships.countryId, row.countryId)),
            row.agencyIds.length > 0 ? and(eq(memberships.role, 'observer'), inArray(memberships.organizationId, row.agencyIds)) : undefined,
          ),
        ),
      );
    return people.map((person) => person.id);
  }

  /**
   * The comments written before a case's discussion became a debates thread (migration 0026), oldest
   * first per case, with what their post needs of the author; moved into the threads at start.
   */
  async legacyComments(limit: number): Promise<LegacyComment[]> {
    return this.orm
      .select({
        id: discrepancyComments.id,
        caseId: discrepancyComments.caseId,
        groupId: discrepancyCases.groupId,
        authorId: discrepancyComments.authorId,
        body: discrepancyComments.body,
        createdAt: discrepancyComments.createdAt,
        authorName: users.displayName,
        authorCountryId: memberships.countryId,
      })
      .from(discrepancyComments)
      .innerJoin(discrepancyCases, eq(discrepancyCases.id, discrepancyComments.caseId))
      .innerJoin(users, eq(users.id, discrepancyComments.authorId))
      .leftJoin(memberships, and(eq(memberships.userId, discrepancyComments.authorId), eq(memberships.groupId, discrepancyCases.groupId)))
      .orderBy(asc(discrepancyComments.caseId), asc(discrepancyComments.createdAt), asc(discrepancyComments.id))
      .limit(limit);
  }

  /** Inside the piece that made them posts. */
  async deleteComments(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.orm.delete(discrepancyComments).where(inArray(discrepancyComments.id, [...ids]));
  }

  /** The current international values of these countries (ISO alpha-3) and years, for these series or indicators. */
  async internationalValues(groupId: string, countries: readonly string[], years: readonly number[], series: readonly string[], indicators: readonly string[]): Promise<Observation[]> {
    if (countries.length === 0 || years.length === 0 || (series.length === 0 && indicators.length === 0)) return [];
    const indicatorOf = this.database.kind === 'sqlite' ? sql<string | null>`json_extract(${discrepancyObservations.data}, '$.indicator')` : sql<string | null>`(${discrepancyObservations.data} ->> 'indicator')`;
    const rows = await this.orm
      .select({ data: discrepancyObservations.data })
      .from(discrepancyObservations)
      .where(
        and(
          eq(discrepancyObservations.groupId, groupId),
          eq(discrepancyObservations.side, 'international'),
          inArray(discrepancyObservations.country, [...countries]),
          inArray(discrepancyObservations.year, [...years]),
          or(series.length > 0 ? inArray(discrepancyObservations.series, [...series]) : undefined, indicators.length > 0 ? inArray(indicatorOf, [...indicators]) : undefined),
        ),
      )
      .orderBy(asc(discrepancyObservations.obsKey), asc(discrepancyObservations.reportingType));
    return rows.map((row) => row.data);
  }

  /** The case of each of these keys that has one. */
  async casesByKey(groupId: string, keys: readonly string[]): Promise<Map<string, CaseRow>> {
    const found = new Map<string, CaseRow>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      for (const row of await this.orm.select().from(discrepancyCases).where(and(eq(discrepancyCases.groupId, groupId), inArray(discrepancyCases.obsKey, keys.slice(i, i + CHUNK))))) found.set(row.obsKey, row);
    }
    return found;
  }

  /** The current national value of one key. */
  async nationalValue(groupId: string, key: string): Promise<Observation | undefined> {
    const [row] = await this.orm
      .select({ data: discrepancyObservations.data })
      .from(discrepancyObservations)
      .where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, 'national'), eq(discrepancyObservations.obsKey, key)))
      .limit(1);
    return row?.data;
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.orm.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids))).map((row) => [row.id, row.name]));
  }
}
