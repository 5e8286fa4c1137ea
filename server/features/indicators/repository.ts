import type { Database } from '../../plugins/database.js';
import type { Framework, Indicator } from './domain/model.js';
import type { CrosswalkLink } from './domain/crosswalk.js';
import type { FrameworkKind } from './tables.js';

/**
 * The catalogue's storage and the tags. Plain SQL, prepared once (like the library's repository):
 * the catalogue is a few hundred rows read whole, and the tags are index lookups. The writes
 * (`...Within`) run inside the caller's unit of work.
 */

export interface FrameworkRow {
  id: string;
  kind: FrameworkKind;
  titleEn: string;
  titleEs: string;
  createdAt: number;
}
export interface VersionRow {
  id: string;
  frameworkId: string;
  version: string;
  titleEn: string;
  titleEs: string;
  effectiveDate: string | null;
  createdAt: number;
}
export interface GoalRow {
  versionId: string;
  code: string;
  titleEn: string | null;
  titleEs: string | null;
}
export interface TargetRow extends GoalRow {
  goalCode: string;
}
export interface IndicatorRow {
  id: string;
  versionId: string;
  code: string;
  goalCode: string;
  targets: string[];
  titleEn: string;
  titleEs: string;
  tier: string | null;
  custodians: string[];
  unit: string | null;
  seriesCodes: string[];
  groupEn: string | null;
  groupEs: string | null;
  complementary: boolean;
  updatedAt: number;
}
export interface CrosswalkRow {
  fromFamily: string;
  fromCode: string;
  toFamily: string;
  toCode: string;
  relation: 'equivalent' | 'related';
}
export interface CatalogueRows {
  frameworks: FrameworkRow[];
  versions: VersionRow[];
  goals: GoalRow[];
  targets: TargetRow[];
  indicators: IndicatorRow[];
  crosswalk: CrosswalkRow[];
}
export interface TagRow {
  subjectKind: string;
  subjectId: string;
  indicatorId: string;
}
export interface TagSubject {
  kind: string;
  id: string;
  groupId: string;
}

type RawIndicator = Omit<IndicatorRow, 'targets' | 'custodians' | 'seriesCodes' | 'complementary'> & { targets: string; custodians: string; seriesCodes: string; complementary: number };
const toIndicator = (raw: RawIndicator): IndicatorRow => ({
  ...raw,
  targets: JSON.parse(raw.targets) as string[],
  custodians: JSON.parse(raw.custodians) as string[],
  seriesCodes: JSON.parse(raw.seriesCodes) as string[],
  complementary: raw.complementary === 1,
});

const INDICATOR_COLUMNS = `id, version_id as "versionId", code, goal_code as "goalCode", targets, title_en as "titleEn", title_es as "titleEs", tier, custodians, unit,
  series_codes as "seriesCodes", group_en as "groupEn", group_es as "groupEs", complementary, updated_at as "updatedAt"`;

export class IndicatorsRepository {
  private readonly statements;

  constructor(database: Database) {
    const s = <P extends unknown[] = unknown[], R = Record<string, unknown>>(text: string | { sqlite: string; postgres: string }) => database.statement<P, R>(text);
    this.statements = {
      // What changes whenever the catalogue does (rows are added, links added or removed): the key of the in-memory copy.
      revision: s<[], { key: string }>(`select
        (select count(*) from indicator_frameworks) || ':' || (select count(*) from indicator_framework_versions) || ':' ||
        (select count(*) || ':' || coalesce(max(updated_at), 0) from indicators) || ':' ||
        (select count(*) || ':' || coalesce(max(created_at), 0) from indicator_crosswalk) || ':' ||
        (select count(*) from indicator_goals) || ':' || (select count(*) from indicator_targets) as key`),
      frameworks: s<[], FrameworkRow>('select id, kind, title_en as "titleEn", title_es as "titleEs", created_at as "createdAt" from indicator_frameworks order by id'),
      versions: s<[], VersionRow>(
        'select id, framework_id as "frameworkId", version, title_en as "titleEn", title_es as "titleEs", effective_date as "effectiveDate", created_at as "createdAt" from indicator_framework_versions order by framework_id, version',
      ),
      goals: s<[], GoalRow>('select version_id as "versionId", code, title_en as "titleEn", title_es as "titleEs" from indicator_goals'),
      targets: s<[], TargetRow>('select version_id as "versionId", code, goal_code as "goalCode", title_en as "titleEn", title_es as "titleEs" from indicator_targets'),
      indicators: s<[], RawIndicator>(`select ${INDICATOR_COLUMNS} from indicators`),
      crosswalk: s<[], CrosswalkRow>('select from_family as "fromFamily", from_code as "fromCode", to_family as "toFamily", to_code as "toCode", relation from indicator_crosswalk'),
      insertFramework: s<[string, FrameworkKind, string, string, string, number]>('insert into indicator_frameworks (id, kind, title_en, title_es, created_by, created_at) values (?, ?, ?, ?, ?, ?)'),
      insertVersion: s<[string, string, string, string, string, string | null, string, number]>(
        'insert into indicator_framework_versions (id, framework_id, version, title_en, title_es, effective_date, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The conflict target named and the old value qualified: PostgreSQL needs both.
      upsertGoal: s<[string, string, string | null, string | null]>(
        `insert into indicator_goals (version_id, code, title_en, title_es) values (?, ?, ?, ?)
         on conflict (version_id, code) do update set title_en = coalesce(excluded.title_en, indicator_goals.title_en), title_es = coalesce(excluded.title_es, indicator_goals.title_es)`,
      ),
      upsertTarget: s<[string, string, string, string | null, string | null]>(
        `insert into indicator_targets (version_id, code, goal_code, title_en, title_es) values (?, ?, ?, ?, ?)
         on conflict (version_id, code) do update set title_en = coalesce(excluded.title_en, indicator_targets.title_en), title_es = coalesce(excluded.title_es, indicator_targets.title_es)`,
      ),
      insertIndicator: s<[string, string, string, string, string, string, string, string | null, string, string | null, string, string | null, string | null, number, string, number]>(
        `insert into indicators (id, version_id, code, goal_code, targets, title_en, title_es, tier, custodians, unit, series_codes, group_en, group_es, complementary, created_by, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertLink: s<[string, string, string, string, string, string, number]>(
        'insert into indicator_crosswalk (from_family, from_code, to_family, to_code, relation, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)',
      ),
      removeLink: s<[string, string, string, string, string, string, string, string]>(
        'delete from indicator_crosswalk where (from_family = ? and from_code = ? and to_family = ? and to_code = ?) or (from_family = ? and from_code = ? and to_family = ? and to_code = ?)',
      ),
      tagsOf: s<[string, string], { subjectId: string; indicatorId: string }>({
        sqlite: 'select subject_id as "subjectId", indicator_id as "indicatorId" from subject_indicators where subject_kind = ? and subject_id in (select value from json_each(?)) order by subject_id, position',
        postgres:
          'select subject_id as "subjectId", indicator_id as "indicatorId" from subject_indicators where subject_kind = $1 and subject_id in (select jsonb_array_elements_text($2::jsonb)) order by subject_id, position',
      }),
      tagged: s<[string, string, string], { subjectId: string }>(
        'select subject_id as "subjectId" from subject_indicators where indicator_id = ? and group_id = ? and subject_kind = ? order by subject_id',
      ),
      taggedAll: s<[string, string], { subjectKind: string; subjectId: string }>(
        'select subject_kind as "subjectKind", subject_id as "subjectId" from subject_indicators where indicator_id = ? and group_id = ? order by subject_kind, created_at desc',
      ),
      // Every tag of the group on indicators of one version: indicator ids begin with the version's id and a colon.
      // The range is in code-point order: SQLite's, and PostgreSQL's under the "C" collation (the database's own may order ':' and ';' otherwise).
      taggedInVersion: s<[string, string, string], TagRow>({
        sqlite: 'select subject_kind as "subjectKind", subject_id as "subjectId", indicator_id as "indicatorId" from subject_indicators where group_id = ? and indicator_id > ? and indicator_id < ?',
        postgres:
          'select subject_kind as "subjectKind", subject_id as "subjectId", indicator_id as "indicatorId" from subject_indicators where group_id = $1 and indicator_id collate "C" > $2 and indicator_id collate "C" < $3',
      }),
      keepTags: s<[string, string, string]>({
        sqlite: 'delete from subject_indicators where subject_kind = ? and subject_id = ? and indicator_id not in (select value from json_each(?))',
        postgres: 'delete from subject_indicators where subject_kind = $1 and subject_id = $2 and indicator_id not in (select jsonb_array_elements_text($3::jsonb))',
      }),
      upsertTag: s<[string, string, string, string, number, string | null, number]>(
        `insert into subject_indicators (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (subject_kind, subject_id, indicator_id) do update set position = excluded.position`,
      ),
      addTag: s<[string, string, string, string, number, string | null, number]>(
        `insert into subject_indicators (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (subject_kind, subject_id, indicator_id) do nothing`,
      ),
      maxPosition: s<[string, string], { n: number | null }>('select max(position) as n from subject_indicators where subject_kind = ? and subject_id = ?'),
      removeTag: s<[string, string, string]>('delete from subject_indicators where subject_kind = ? and subject_id = ? and indicator_id = ?'),
    };
  }

  async revision(): Promise<string> {
    return (await this.statements.revision.get())!.key;
  }

  async readCatalogue(): Promise<CatalogueRows> {
    const st = this.statements;
    return {
      frameworks: await st.frameworks.all(),
      versions: await st.versions.all(),
      goals: await st.goals.all(),
      targets: await st.targets.all(),
      indicators: (await st.indicators.all()).map(toIndicator),
      crosswalk: await st.crosswalk.all(),
    };
  }

  async insertFrameworkWithin(row: { id: string; kind: FrameworkKind; titleEn: string; titleEs: string }, by: string, at: Date): Promise<void> {
    await this.statements.insertFramework.run(row.id, row.kind, row.titleEn, row.titleEs, by, at.getTime());
  }

  async insertVersionWithin(row: { id: string; frameworkId: string; version: string; titleEn: string; titleEs: string; effectiveDate: string | null }, by: string, at: Date): Promise<void> {
    await this.statements.insertVersion.run(row.id, row.frameworkId, row.version, row.titleEn, row.titleEs, row.effectiveDate, by, at.getTime());
  }

  async upsertGoalWithin(row: GoalRow): Promise<void> {
    await this.statements.upsertGoal.run(row.versionId, row.code, row.titleEn, row.titleEs);
  }

  async upsertTargetWithin(row: TargetRow): Promise<void> {
    await this.statements.upsertTarget.run(row.versionId, row.code, row.goalCode, row.titleEn, row.titleEs);
  }

  async insertIndicatorWithin(versionId: string, indicator: Indicator, complementary: boolean, by: string, at: Date): Promise<void> {
    await this.statements.insertIndicator.run(
      `${versionId}:${indicator.code}`,
      versionId,
      indicator.code,
      indicator.goal,
      JSON.stringify(indicator.targets),
      indicator.title.en,
      indicator.title.es,
      indicator.tier,
      JSON.stringify(indicator.custodians),
      indicator.unit,
      JSON.stringify(indicator.seriesCodes),
      indicator.group?.en ?? null,
      indicator.group?.es ?? null,
      complementary ? 1 : 0,
      by,
      at.getTime(),
    );
  }

  /** A whole framework version (an imported SDG list): its goals, targets and indicators, in the caller's write. */
  async insertFrameworkContentWithin(framework: Framework, by: string, at: Date): Promise<void> {
    for (const goal of framework.goals) await this.upsertGoalWithin({ versionId: framework.id, code: goal.code, titleEn: goal.title?.en || null, titleEs: goal.title?.es || null });
    for (const target of framework.targets) await this.upsertTargetWithin({ versionId: framework.id, code: target.code, goalCode: target.goal, titleEn: target.title?.en || null, titleEs: target.title?.es || null });
    for (const indicator of framework.indicators) await this.insertIndicatorWithin(framework.id, indicator, false, by, at);
  }

  async insertLinkWithin(link: CrosswalkLink, by: string, at: Date): Promise<void> {
    await this.statements.insertLink.run(link.from.family, link.from.code, link.to.family, link.to.code, link.relation, by, at.getTime());
  }

  /** Removes the link between the two, whichever way it was stored; false when there was none. */
  async removeLinkWithin(a: { family: string; code: string }, b: { family: string; code: string }): Promise<boolean> {
    return (await this.statements.removeLink.run(a.family, a.code, b.family, b.code, b.family, b.code, a.family, a.code)) > 0;
  }

  // ---------------------------------------------------------------- tags

  /** The indicator ids each subject is tagged with, in the order given. */
  async tagsOf(kind: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    if (ids.length === 0) return new Map();
    return groupTags(await this.statements.tagsOf.all(kind, JSON.stringify([...new Set(ids)])));
  }

  async subjectsTagged(groupId: string, kind: string, indicatorId: string): Promise<string[]> {
    return (await this.statements.tagged.all(indicatorId, groupId, kind)).map((row) => row.subjectId);
  }

  async taggedWith(groupId: string, indicatorId: string): Promise<Array<{ kind: string; id: string }>> {
    return (await this.statements.taggedAll.all(indicatorId, groupId)).map((row) => ({ kind: row.subjectKind, id: row.subjectId }));
  }

  async taggedInVersion(groupId: string, versionId: string): Promise<TagRow[]> {
    // ';' follows ':' in code-point order: the range holds exactly the ids "<versionId>:…".
    return this.statements.taggedInVersion.all(groupId, `${versionId}:`, `${versionId};`);
  }

  /** Makes the subject's tags exactly these indicators, in this order (tags kept keep who made them and when). */
  async setTagsWithin(subject: TagSubject, indicatorIds: readonly string[], by: string | null, at: Date): Promise<void> {
    const ids = [...new Set(indicatorIds)];
    await this.statements.keepTags.run(subject.kind, subject.id, JSON.stringify(ids));
    for (const [position, indicatorId] of ids.entries()) await this.statements.upsertTag.run(subject.groupId, subject.kind, subject.id, indicatorId, position, by, at.getTime());
  }

  async tagWithin(subject: TagSubject, indicatorId: string, by: string | null, at: Date): Promise<void> {
    const position = ((await this.statements.maxPosition.get(subject.kind, subject.id))?.n ?? -1) + 1;
    await this.statements.addTag.run(subject.groupId, subject.kind, subject.id, indicatorId, position, by, at.getTime());
  }

  async untagWithin(subject: { kind: string; id: string }, indicatorId: string): Promise<void> {
    await this.statements.removeTag.run(subject.kind, subject.id, indicatorId);
  }
}

/** The tag rows, ordered by subject and position, as each subject's indicator ids. */
function groupTags(rows: ReadonlyArray<{ subjectId: string; indicatorId: string }>): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const row of rows) {
    const list = tags.get(row.subjectId);
    if (list) list.push(row.indicatorId);
    else tags.set(row.subjectId, [row.indicatorId]);
  }
  return tags;
}
