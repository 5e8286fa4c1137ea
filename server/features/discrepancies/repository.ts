import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import { type Observation } from './domain/observations.js';
import type { Tolerance } from './domain/pairing.js';
import { discrepancyCases, discrepancyComments, discrepancyObservations, discrepancyReleases, discrepancyTolerances } from './tables.js';
import { memberships, users } from '../../plugins/identity/tables.js';

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
const rankSql = sql`case ${discrepancyCases.status} ${sql.join(
  STATUS_RANK.map((status, rank) => sql`when ${status} then ${sql.raw(String(rank))}`),
  sql` `,
)} else 9 end`;

const CHUNK = 500;

/**
 * The discrepancy register's storage: releases, the current observations of each side, tolerances,
 * cases and their comments. Imports are written by ./import-repository.ts.
 */
export class DiscrepanciesRepository {
  /** A case page asks these on every request: prepared once, not built and compiled each time. */
  private readonly caseById;
  private readonly seriesQuery;

  constructor(private readonly db: Db) {
    this.caseById = db
      .select()
      .from(discrepancyCases)
      .where(and(eq(discrepancyCases.groupId, sql.placeholder('groupId')), eq(discrepancyCases.id, sql.placeholder('id'))))
      .prepare();
    this.seriesQuery = db
      .select({ data: discrepancyObservations.data })
      .from(discrepancyObservations)
      .where(and(eq(discrepancyObservations.groupId, sql.placeholder('groupId')), eq(discrepancyObservations.seriesKey, sql.placeholder('key'))))
      .prepare();
  }

  private visible(viewer: Viewer): SQL | undefined {
    if (viewer.staff) return undefined;
    const conditions: SQL[] = [isNotNull(discrepancyCases.publishedAt)];
    if (viewer.countryId) conditions.push(eq(discrepancyCases.countryId, viewer.countryId));
    // agency_ids is a JSON array of organization ids; exists() over json_each keeps it exact.
    if (viewer.agencyId) conditions.push(sql`exists (select 1 from json_each(${discrepancyCases.agencyIds}) where value = ${viewer.agencyId})`);
    return or(...conditions);
  }

  async tolerances(groupId: string): Promise<Map<string, Tolerance>> {
    const rows = this.db.select().from(discrepancyTolerances).where(eq(discrepancyTolerances.groupId, groupId)).all();
    return new Map(rows.map((row) => [row.series, { kind: row.kind, value: row.value }]));
  }

  async setTolerance(groupId: string, series: string, tolerance: Tolerance): Promise<void> {
    this.db
      .insert(discrepancyTolerances)
      .values({ groupId, series, ...tolerance })
      .onConflictDoUpdate({ target: [discrepancyTolerances.groupId, discrepancyTolerances.series], set: tolerance })
      .run();
  }

  async listReleases(groupId: string, limit: number, offset: number): Promise<{ items: ReleaseRow[]; total: number }> {
    const items = this.db.select().from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId)).orderBy(desc(discrepancyReleases.createdAt)).limit(limit).offset(offset).all();
    const total = this.db.select({ n: sql<number>`count(*)` }).from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId)).get()?.n ?? 0;
    return { items, total };
  }

  async findRelease(id: string): Promise<ReleaseRow | undefined> {
    return this.db.select().from(discrepancyReleases).where(eq(discrepancyReleases.id, id)).get();
  }

  async findCase(groupId: string, id: string): Promise<CaseRow | undefined> {
    return this.caseById.get({ groupId, id });
  }

  private filtered(groupId: string, viewer: Viewer, filter: CaseFilter): SQL | undefined {
    return and(
      eq(discrepancyCases.groupId, groupId),
      this.visible(viewer),
      filter.indicator ? eq(discrepancyCases.indicator, filter.indicator) : undefined,
      filter.countryId ? eq(discrepancyCases.countryId, filter.countryId) : undefined,
      filter.status ? eq(discrepancyCases.status, filter.status) : undefined,
      filter.year ? eq(discrepancyCases.year, filter.year) : undefined,
      filter.goal ? or(eq(discrepancyCases.indicator, filter.goal), sql`${discrepancyCases.indicator} like ${`${filter.goal.replace(/[%_\\]/g, '\\$&')}.%`} escape '\\'`) : undefined,
      filter.cause
        ? or(eq(discrepancyCases.primaryCause, filter.cause), sql`exists (select 1 from json_each(${discrepancyCases.secondaryCauses}) where value = ${filter.cause})`)
        : undefined,
      filter.agencyId ? sql`exists (select 1 from json_each(${discrepancyCases.agencyIds}) where value = ${filter.agencyId})` : undefined,
    );
  }

  /**
   * A stamp of everything the group's matrix is counted from: the number of cases, the sum of
   * their versions (every write to a case adds one) and the newest release. Any change to a case
   * or a new import changes it, in whichever process it was made, so answers and ETags keyed by it
   * are never stale across processes.
   */
  async matrixStamp(groupId: string): Promise<string> {
    const cases = this.db
      .select({ n: sql<number>`count(*)`, versions: sql<number>`coalesce(sum(${discrepancyCases.version}), 0)` })
      .from(discrepancyCases)
      .where(eq(discrepancyCases.groupId, groupId))
      .get();
    const release = this.db.select({ id: discrepancyReleases.id }).from(discrepancyReleases).where(eq(discrepancyReleases.groupId, groupId)).orderBy(desc(discrepancyReleases.createdAt), desc(discrepancyReleases.id)).limit(1).get();
    return `${cases?.n ?? 0}.${cases?.versions ?? 0}.${release?.id ?? ''}`;
  }

  async listCases(groupId: string, viewer: Viewer, filter: CaseFilter, limit: number, offset: number): Promise<{ items: CaseRow[]; total: number }> {
    const where = this.filtered(groupId, viewer, filter);
    const items = this.db
      .select()
      .from(discrepancyCases)
      .where(where)
      .orderBy(asc(discrepancyCases.indicator), asc(discrepancyCases.country), asc(discrepancyCases.year), asc(discrepancyCases.obsKey))
      .limit(limit)
      .offset(offset)
      .all();
    const total = this.db.select({ n: sql<number>`count(*)` }).from(discrepancyCases).where(where).get()?.n ?? 0;
    return { items, total };
  }

  /**
   * The matrix's cells: per indicator × country (or, for one indicator, per year × country) the
   * number of cases the viewer may see, the least advanced status and the largest gap.
   */
  async matrixCells(groupId: string, viewer: Viewer, filter: CaseFilter, by: 'indicator' | 'year') {
    const row = by === 'indicator' ? discrepancyCases.indicator : discrepancyCases.year;
    return this.db
      .select({
        row: sql<string>`${row}`,
        countryId: discrepancyCases.countryId,
        cases: sql<number>`count(*)`,
        rank: sql<number>`min(${rankSql})`,
        gap: sql<number>`max(${discrepancyCases.gap})`,
        published: sql<number>`sum(${discrepancyCases.publishedAt} is not null)`,
      })
      .from(discrepancyCases)
      .where(this.filtered(groupId, viewer, filter))
      .groupBy(row, discrepancyCases.countryId)
      .all();
  }

  /** Every current value of one series, country and disaggregation, both sides (the case's chart). */
  async seriesObservations(groupId: string, key: string): Promise<Observation[]> {
    return this.seriesQuery.all({ groupId, key }).map((row) => row.data);
  }

  /** Writes a case's new state if nobody changed it since `version` was read; false when someone did. */
  async updateCase(id: string, version: number, set: Partial<NewCaseRow>): Promise<boolean> {
    const result = this.db
      .update(discrepancyCases)
      .set({ ...set, version: version + 1 })
      .where(and(eq(discrepancyCases.id, id), eq(discrepancyCases.version, version)))
      .run();
    return result.changes === 1;
  }

  /**
   * As findCase, inside a piece: the debates ask who may read a case's thread while writing a post
   * (its notifications), and better-sqlite3 answers synchronously.
   */
  findCaseNow(groupId: string, id: string): CaseRow | undefined {
    return this.caseById.get({ groupId, id });
  }

  /**
   * The case's participants among the group's active people, inside a piece: the staff, its
   * country's delegation (members, and a coordinator of that country, already staff) and the
   * observers of its agencies. They follow every post of the case's thread.
   */
  participantIdsNow(row: Pick<CaseRow, 'groupId' | 'countryId' | 'agencyIds'>): string[] {
    return this.db
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
      )
      .all()
      .map((person) => person.id);
  }

  /**
   * The comments written before a case's discussion became a debates thread (migration 0026), oldest
   * first per case, with what their post needs of the author; moved into the threads at start.
   */
  async legacyComments(limit: number): Promise<LegacyComment[]> {
    return this.db
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
      .limit(limit)
      .all();
  }

  /** Inside the piece that made them posts. */
  deleteCommentsNow(ids: readonly string[]): void {
    if (ids.length > 0) this.db.delete(discrepancyComments).where(inArray(discrepancyComments.id, [...ids])).run();
  }

  /** The current international values of these countries (ISO alpha-3) and years, for these series or indicators. */
  async internationalValues(groupId: string, countries: readonly string[], years: readonly number[], series: readonly string[], indicators: readonly string[]): Promise<Observation[]> {
    if (countries.length === 0 || years.length === 0 || (series.length === 0 && indicators.length === 0)) return [];
    const indicatorOf = sql<string | null>`json_extract(${discrepancyObservations.data}, '$.indicator')`;
    return this.db
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
      .orderBy(asc(discrepancyObservations.obsKey), asc(discrepancyObservations.reportingType))
      .all()
      .map((row) => row.data);
  }

  /** The group's tolerances, inside the caller's write. */
  tolerancesNow(groupId: string): Map<string, Tolerance> {
    const rows = this.db.select().from(discrepancyTolerances).where(eq(discrepancyTolerances.groupId, groupId)).all();
    return new Map(rows.map((row) => [row.series, { kind: row.kind, value: row.value }]));
  }

  /** The case of each of these keys that has one, inside the caller's write. */
  casesByKeyNow(groupId: string, keys: readonly string[]): Map<string, CaseRow> {
    const found = new Map<string, CaseRow>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      for (const row of this.db.select().from(discrepancyCases).where(and(eq(discrepancyCases.groupId, groupId), inArray(discrepancyCases.obsKey, keys.slice(i, i + CHUNK)))).all()) found.set(row.obsKey, row);
    }
    return found;
  }

  /** The current national value of one key, inside the caller's write. */
  nationalValueNow(groupId: string, key: string): Observation | undefined {
    return this.db
      .select({ data: discrepancyObservations.data })
      .from(discrepancyObservations)
      .where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, 'national'), eq(discrepancyObservations.obsKey, key)))
      .get()?.data;
  }

  insertCaseNow(row: NewCaseRow): void {
    this.db.insert(discrepancyCases).values(row).run();
  }

  /** updateCase inside the caller's write. */
  updateCaseNow(id: string, version: number, set: Partial<NewCaseRow>): boolean {
    return this.db.update(discrepancyCases).set({ ...set, version: version + 1 }).where(and(eq(discrepancyCases.id, id), eq(discrepancyCases.version, version))).run().changes === 1;
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map(this.db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).all().map((row) => [row.id, row.name]));
  }
}
