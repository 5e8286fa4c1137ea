import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../plugins/db.js';
import { observationKey, seriesKey, type Observation, type Side } from './domain/observations.js';
import type { Tolerance } from './domain/pairing.js';
import { discrepancyCases, discrepancyComments, discrepancyImportRows, discrepancyObservations, discrepancyReleases, discrepancyTolerances, type ReleaseSummary } from './tables.js';
import { memberships, users } from '../../plugins/identity/tables.js';
import { PROCESS_INSTANCE_ID } from '../../shared/process-identity.js';

export type CaseRow = typeof discrepancyCases.$inferSelect;
export type NewCaseRow = typeof discrepancyCases.$inferInsert;
export type ReleaseRow = typeof discrepancyReleases.$inferSelect;
export type LegacyComment = typeof discrepancyComments.$inferSelect & { groupId: string; authorName: string; authorCountryId: string | null };

export interface StoredObservation {
  observation: Observation;
  agencyId: string | null;
}

/**
 * What an import's planner sees once the new values are in: the current values and cases of some
 * of the series it touches (one batch at a time). The side imported holds only this import's values.
 */
export interface ImportContext {
  nationals: StoredObservation[];
  internationals: StoredObservation[];
  cases: CaseRow[];
}
export interface ImportPlan {
  newCases: NewCaseRow[];
  updates: Array<{ id: string; set: Partial<NewCaseRow> }>;
  /** How many open cases changed, per kind of change. */
  changes: Record<string, number>;
}

export type NewRelease = Omit<typeof discrepancyReleases.$inferInsert, 'summary'>;
/** Where an import's values come from: the rows staged as its file was read (stageObservations), or values in hand (a consultation's few). */
export type ImportSource = { staged: string } | { observations: readonly Observation[] };

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
/** Staged rows moved per statement. */
const MOVE_CHUNK = 500;
/** About how many of an import's values are planned at once (a single larger series is planned whole). */
const PLAN_BATCH = 1_000;

function countBySeries(observations: readonly Observation[]): Array<{ series: string; n: number }> {
  const counts = new Map<string, number>();
  for (const o of observations) counts.set(o.series, (counts.get(o.series) ?? 0) + 1);
  return [...counts].map(([series, n]) => ({ series, n }));
}

/** The import's series in batches of about PLAN_BATCH values: the series and how many values of the import they hold. */
function* seriesBatches(perSeries: ReadonlyArray<{ series: string; n: number }>): Generator<{ series: string[]; n: number }> {
  let batch: string[] = [];
  let size = 0;
  for (const { series, n } of perSeries) {
    if (batch.length > 0 && (size + n > PLAN_BATCH || batch.length >= CHUNK)) {
      yield { series: batch, n: size };
      batch = [];
      size = 0;
    }
    batch.push(series);
    size += n;
  }
  if (batch.length > 0) yield { series: batch, n: size };
}

/**
 * The discrepancy register's storage: releases, the current observations of each side, tolerances,
 * cases and their comments. An import is one transaction: its observations, the cases it opens or
 * re-pairs and its release row are stored together or not at all.
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

  /**
   * Stores some of an import's accepted rows while the rest of its file is read (one short
   * transaction per chunk); storeImport moves them into place at the end, discardStaged drops them.
   */
  stageObservations(importId: string, observations: readonly Observation[], now: Date): void {
    const sqlite = this.db.$client;
    this.stageRow ??= sqlite.prepare(
      'insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at, owner) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insert = this.stageRow;
    const at = now.getTime();
    sqlite.transaction(() => {
      for (const o of observations) insert.run(importId, observationKey(o), seriesKey(o), o.series, o.country, o.year, o.reportingType ?? '', JSON.stringify(o), at, PROCESS_INSTANCE_ID);
    })();
  }
  private stageRow: Statement<unknown[]> | undefined;

  discardStaged(importId: string): void {
    this.db.delete(discrepancyImportRows).where(eq(discrepancyImportRows.importId, importId)).run();
  }

  /** Rows staged by processes that ended (killed mid-file), as `gone` tells; rows without an owner (staged before owners were kept) too. */
  discardStagedOfEnded(gone: (owner: string) => boolean): number {
    const ended = this.db.selectDistinct({ owner: discrepancyImportRows.owner }).from(discrepancyImportRows).all().map((row) => row.owner).filter((owner) => owner === '' || gone(owner));
    return ended.length === 0 ? 0 : this.db.delete(discrepancyImportRows).where(inArray(discrepancyImportRows.owner, ended)).run().changes;
  }

  /** Rows of imports that never finished, whoever staged them (their process stopped mid-file, perhaps on another machine). */
  discardStagedBefore(before: Date): void {
    this.db.delete(discrepancyImportRows).where(lt(discrepancyImportRows.createdAt, before)).run();
  }

  /**
   * Stores an import: replaces the values it restates (an international release: every value of
   * the series it holds; a national file: the keys it holds), then lets `plan` decide on the cases
   * from the values now current, and writes the cases and the release. One transaction.
   */
  async storeImport(release: NewRelease, source: ImportSource, skipped: number, plan: (context: ImportContext) => ImportPlan): Promise<ReleaseSummary> {
    return this.storeImportNow(release, source, skipped, plan);
  }

  /**
   * storeImport inside the caller's write (a unit-of-work piece: better-sqlite3 nests it as a
   * savepoint). Staged rows are moved by SQL, never read into memory; the cases are then planned a
   * batch of series at a time (pairing and re-pairing never look across series), so only one
   * batch's values and cases are in memory at once, whatever the size of the release.
   */
  storeImportNow(release: NewRelease, source: ImportSource, skipped: number, plan: (context: ImportContext) => ImportPlan): ReleaseSummary {
    return this.db.transaction((tx) => {
      const groupId = release.groupId;
      const side = release.side as Side;
      const agencyId = side === 'international' ? (release.agencyId ?? null) : null;
      // The release row first: the observations refer to it. Its summary is filled in at the end.
      tx.insert(discrepancyReleases).values({ ...release, summary: { observations: 0, skipped: 0, casesOpened: 0, changes: {} } }).run();
      const staged = 'staged' in source ? source.staged : null;
      const perSeries: Array<{ series: string; n: number }> = staged
        ? tx
            .select({ series: discrepancyImportRows.series, n: sql<number>`count(*)` })
            .from(discrepancyImportRows)
            .where(eq(discrepancyImportRows.importId, staged))
            .groupBy(discrepancyImportRows.series)
            .all()
        : countBySeries((source as { observations: readonly Observation[] }).observations);
      const series = perSeries.map((s) => s.series);

      if (side === 'international') {
        for (let i = 0; i < series.length; i += CHUNK) {
          tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.series, series.slice(i, i + CHUNK)))).run();
        }
      } else if (staged) {
        const keys = tx.select({ key: discrepancyImportRows.obsKey }).from(discrepancyImportRows).where(eq(discrepancyImportRows.importId, staged));
        tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.obsKey, keys))).run();
      } else {
        const keys = (source as { observations: readonly Observation[] }).observations.map((o) => observationKey(o));
        for (let i = 0; i < keys.length; i += CHUNK) {
          tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.obsKey, keys.slice(i, i + CHUNK)))).run();
        }
      }

      const sqlite = this.db.$client;
      if (staged) {
        // In slices of the staging table's ids (NOT INDEXED: a range of the table itself, not a
        // scan of the import's index per slice), so each statement's journal stays small.
        const range = tx
          .select({ first: sql<number | null>`min(${discrepancyImportRows.id})`, last: sql<number | null>`max(${discrepancyImportRows.id})` })
          .from(discrepancyImportRows)
          .where(eq(discrepancyImportRows.importId, staged))
          .get();
        const move = sqlite.prepare(
          `insert into discrepancy_observations (group_id, release_id, side, agency_id, obs_key, series_key, series, country, year, reporting_type, data)
           select ?, ?, ?, ?, obs_key, series_key, series, country, year, reporting_type, data from discrepancy_import_rows not indexed where import_id = ? and id between ? and ? order by id`,
        );
        if (range?.first != null && range.last != null) {
          for (let from = range.first; from <= range.last; from += MOVE_CHUNK) move.run(groupId, release.id, side, agencyId, staged, from, from + MOVE_CHUNK - 1);
        }
        tx.delete(discrepancyImportRows).where(eq(discrepancyImportRows.importId, staged)).run();
      } else {
        // One prepared statement run per row: drizzle's multi-row insert builds its SQL text anew for
        // every chunk, which cost 8 s for a 50,000-row release against well under 1 s this way.
        const insert = sqlite.prepare(
          'insert into discrepancy_observations (group_id, release_id, side, agency_id, obs_key, series_key, series, country, year, reporting_type, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const o of (source as { observations: readonly Observation[] }).observations) {
          insert.run(groupId, release.id, side, agencyId, observationKey(o), seriesKey(o), o.series, o.country, o.year, o.reportingType ?? '', JSON.stringify(o));
        }
      }

      const summary: ReleaseSummary = { observations: 0, skipped, casesOpened: 0, changes: {} };
      const other: Side = side === 'international' ? 'national' : 'international';
      for (const { series: some, n } of seriesBatches(perSeries)) {
        const read = (which: Side, thisRelease: boolean): StoredObservation[] =>
          tx
            .select({ data: discrepancyObservations.data, agencyId: discrepancyObservations.agencyId })
            .from(discrepancyObservations)
            .where(
              and(
                eq(discrepancyObservations.groupId, groupId),
                eq(discrepancyObservations.side, which),
                inArray(discrepancyObservations.series, some),
                thisRelease ? eq(discrepancyObservations.releaseId, release.id) : undefined,
              ),
            )
            .all()
            .map((row) => ({ observation: row.data, agencyId: row.agencyId }));
        const cases = tx.select().from(discrepancyCases).where(and(eq(discrepancyCases.groupId, groupId), inArray(discrepancyCases.series, some))).all();
        const theirs = read(other, false);
        summary.observations += n;
        // Nothing to pair these values with and no case to re-pair: the planner would decide
        // nothing, so this import's values of these series are not even read back.
        if (theirs.length === 0 && cases.length === 0) continue;
        const mine = read(side, true);
        const decided = plan(side === 'international' ? { nationals: theirs, internationals: mine, cases } : { nationals: mine, internationals: theirs, cases });
        for (let i = 0; i < decided.newCases.length; i += CHUNK) tx.insert(discrepancyCases).values(decided.newCases.slice(i, i + CHUNK)).run();
        for (const update of decided.updates) {
          tx.update(discrepancyCases)
            .set({ ...update.set, version: sql`${discrepancyCases.version} + 1` })
            .where(eq(discrepancyCases.id, update.id))
            .run();
        }
        summary.casesOpened += decided.newCases.length;
        for (const [change, n] of Object.entries(decided.changes)) summary.changes[change] = (summary.changes[change] ?? 0) + n;
      }
      tx.update(discrepancyReleases).set({ summary }).where(eq(discrepancyReleases.id, release.id)).run();
      return summary;
    });
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
