import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../../plugins/database.js';
import { PROCESS_INSTANCE_ID } from '../../shared/process-identity.js';
import { observationKey, seriesKey, type Observation, type Side } from './domain/observations.js';
import { discrepancyCases, discrepancyImportRows, discrepancyObservations, discrepancyReleases, type ReleaseSummary } from './tables.js';
import type { CaseRow, NewCaseRow } from './repository.js';

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
 * The register's imports: the rows of a file staged while it is read, then the import itself (its
 * observations, the cases it opens or re-pairs, its release row) stored in the caller's unit of
 * work, all or nothing. Apart from the cases' repository because an import writes in bulk, with
 * statements of its own, and nothing else of the register does.
 */
export class DiscrepancyImportsRepository {
  private readonly stageRow;
  private readonly moveStaged;
  private readonly insertObservation;
  private readonly takeTurns;

  constructor(private readonly database: Database) {
    // SQLite writes one transaction at a time; PostgreSQL runs two imports of a group side by side,
    // and each would replace values and plan cases from what it read before the other committed (a
    // key stored or a case opened twice: a unique violation, a 500). One import of a group at a time.
    this.takeTurns = database.statement<[groupId: string]>({ sqlite: 'select ?', postgres: "select pg_advisory_xact_lock(hashtext('concilia discrepancy import ' || $1))" });
    this.stageRow = database.statement<[importId: string, obsKey: string, seriesKey: string, series: string, country: string, year: number, reportingType: string, data: string, createdAt: number, owner: string]>(
      'insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at, owner) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // In slices of the staging table's ids (NOT INDEXED, SQLite's: a range of the table itself, not
    // a scan of the import's index per slice), so each statement's journal stays small.
    const move = (notIndexed: string) =>
      `insert into discrepancy_observations (group_id, release_id, side, agency_id, obs_key, series_key, series, country, year, reporting_type, data)
       select ?, ?, ?, ?, obs_key, series_key, series, country, year, reporting_type, data from discrepancy_import_rows${notIndexed} where import_id = ? and id between ? and ? order by id`;
    this.moveStaged = database.statement<[groupId: string, releaseId: string, side: string, agencyId: string | null, importId: string, from: number, to: number]>({
      sqlite: move(' not indexed'),
      // data is jsonb in the observations and text in the staging rows.
      postgres: `insert into discrepancy_observations (group_id, release_id, side, agency_id, obs_key, series_key, series, country, year, reporting_type, data)
       select $1, $2, $3, $4, obs_key, series_key, series, country, year, reporting_type, data::jsonb from discrepancy_import_rows where import_id = $5 and id between $6 and $7 order by id`,
    });
    // One prepared statement run per row: drizzle's multi-row insert builds its SQL text anew for
    // every chunk, which cost 8 s for a 50,000-row release against well under 1 s this way.
    this.insertObservation = database.statement<[groupId: string, releaseId: string, side: string, agencyId: string | null, obsKey: string, seriesKey: string, series: string, country: string, year: number, reportingType: string, data: string]>(
      'insert into discrepancy_observations (group_id, release_id, side, agency_id, obs_key, series_key, series, country, year, reporting_type, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  private get orm() {
    return this.database.orm;
  }

  /**
   * Stores some of an import's accepted rows while the rest of its file is read, inside the
   * caller's unit of work (one short one per chunk); storeImport moves them into place at the end,
   * discardStaged drops them.
   */
  async stageObservations(importId: string, observations: readonly Observation[], now: Date): Promise<void> {
    const at = now.getTime();
    for (const o of observations) await this.stageRow.run(importId, observationKey(o), seriesKey(o), o.series, o.country, o.year, o.reportingType ?? '', JSON.stringify(o), at, PROCESS_INSTANCE_ID);
  }

  async discardStaged(importId: string): Promise<void> {
    await this.orm.delete(discrepancyImportRows).where(eq(discrepancyImportRows.importId, importId));
  }

  /** Rows staged by processes that ended (killed mid-file), as `gone` tells; rows without an owner (staged before owners were kept) too. */
  async discardStagedOfEnded(gone: (owner: string) => boolean): Promise<number> {
    const ended = (await this.orm.selectDistinct({ owner: discrepancyImportRows.owner }).from(discrepancyImportRows)).map((row) => row.owner).filter((owner) => owner === '' || gone(owner));
    if (ended.length === 0) return 0;
    return (await this.orm.delete(discrepancyImportRows).where(inArray(discrepancyImportRows.owner, ended)).returning({ id: discrepancyImportRows.id })).length;
  }

  /** Rows of imports that never finished, whoever staged them (their process stopped mid-file, perhaps on another machine). */
  async discardStagedBefore(before: Date): Promise<void> {
    await this.orm.delete(discrepancyImportRows).where(lt(discrepancyImportRows.createdAt, before));
  }

  /**
   * Stores an import inside the caller's unit of work: replaces the values it restates (an
   * international release: every value of the series it holds; a national file: the keys it
   * holds), then lets `plan` decide on the cases from the values now current, and writes the cases
   * and the release. Staged rows are moved by SQL, never read into memory; the cases are then
   * planned a batch of series at a time (pairing and re-pairing never look across series), so only
   * one batch's values and cases are in memory at once, whatever the size of the release.
   */
  async storeImport(release: NewRelease, source: ImportSource, skipped: number, plan: (context: ImportContext) => ImportPlan): Promise<ReleaseSummary> {
    const tx = this.orm;
    const groupId = release.groupId;
    await this.takeTurns.run(groupId);
    const side = release.side as Side;
    const agencyId = side === 'international' ? (release.agencyId ?? null) : null;
    // The release row first: the observations refer to it. Its summary is filled in at the end.
    await tx.insert(discrepancyReleases).values({ ...release, summary: { observations: 0, skipped: 0, casesOpened: 0, changes: {} } });
    const staged = 'staged' in source ? source.staged : null;
    const perSeries: Array<{ series: string; n: number }> = staged
      ? await tx
          .select({ series: discrepancyImportRows.series, n: sql<number>`count(*)`.mapWith(Number) })
          .from(discrepancyImportRows)
          .where(eq(discrepancyImportRows.importId, staged))
          .groupBy(discrepancyImportRows.series)
      : countBySeries((source as { observations: readonly Observation[] }).observations);
    const series = perSeries.map((s) => s.series);

    if (side === 'international') {
      for (let i = 0; i < series.length; i += CHUNK) {
        await tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.series, series.slice(i, i + CHUNK))));
      }
    } else if (staged) {
      const keys = tx.select({ key: discrepancyImportRows.obsKey }).from(discrepancyImportRows).where(eq(discrepancyImportRows.importId, staged));
      await tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.obsKey, keys)));
    } else {
      const keys = (source as { observations: readonly Observation[] }).observations.map((o) => observationKey(o));
      for (let i = 0; i < keys.length; i += CHUNK) {
        await tx.delete(discrepancyObservations).where(and(eq(discrepancyObservations.groupId, groupId), eq(discrepancyObservations.side, side), inArray(discrepancyObservations.obsKey, keys.slice(i, i + CHUNK))));
      }
    }

    if (staged) {
      const [range] = await tx
        .select({ first: sql<number | null>`min(${discrepancyImportRows.id})`.mapWith(Number), last: sql<number | null>`max(${discrepancyImportRows.id})`.mapWith(Number) })
        .from(discrepancyImportRows)
        .where(eq(discrepancyImportRows.importId, staged));
      if (range?.first != null && range.last != null) {
        for (let from = range.first; from <= range.last; from += MOVE_CHUNK) await this.moveStaged.run(groupId, release.id, side, agencyId, staged, from, from + MOVE_CHUNK - 1);
      }
      await tx.delete(discrepancyImportRows).where(eq(discrepancyImportRows.importId, staged));
    } else {
      for (const o of (source as { observations: readonly Observation[] }).observations) {
        await this.insertObservation.run(groupId, release.id, side, agencyId, observationKey(o), seriesKey(o), o.series, o.country, o.year, o.reportingType ?? '', JSON.stringify(o));
      }
    }

    const summary: ReleaseSummary = { observations: 0, skipped, casesOpened: 0, changes: {} };
    const other: Side = side === 'international' ? 'national' : 'international';
    for (const { series: some, n } of seriesBatches(perSeries)) {
      const read = async (which: Side, thisRelease: boolean): Promise<StoredObservation[]> =>
        (
          await tx
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
        ).map((row) => ({ observation: row.data, agencyId: row.agencyId }));
      const cases = await tx.select().from(discrepancyCases).where(and(eq(discrepancyCases.groupId, groupId), inArray(discrepancyCases.series, some)));
      const theirs = await read(other, false);
      summary.observations += n;
      // Nothing to pair these values with and no case to re-pair: the planner would decide
      // nothing, so this import's values of these series are not even read back.
      if (theirs.length === 0 && cases.length === 0) continue;
      const mine = await read(side, true);
      const decided = plan(side === 'international' ? { nationals: theirs, internationals: mine, cases } : { nationals: mine, internationals: theirs, cases });
      for (let i = 0; i < decided.newCases.length; i += CHUNK) await tx.insert(discrepancyCases).values(decided.newCases.slice(i, i + CHUNK));
      for (const update of decided.updates) {
        await tx
          .update(discrepancyCases)
          .set({ ...update.set, version: sql`${discrepancyCases.version} + 1` })
          .where(eq(discrepancyCases.id, update.id));
      }
      summary.casesOpened += decided.newCases.length;
      for (const [change, n] of Object.entries(decided.changes)) summary.changes[change] = (summary.changes[change] ?? 0) + n;
    }
    await tx.update(discrepancyReleases).set({ summary }).where(eq(discrepancyReleases.id, release.id));
    return summary;
  }
}
