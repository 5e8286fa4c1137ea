import type Database from 'better-sqlite3';
import type { Db } from '../../plugins/db.js';
import type { Framework, Indicator } from './domain/model.js';
import type { CrosswalkLink } from './domain/crosswalk.js';
import type { FrameworkKind } from './tables.js';

/**
 * The catalogue's storage and the tags. Plain SQL through better-sqlite3 (like the library's
 * repository): the catalogue is a few hundred rows read whole, and the tags are index lookups.
 * Writes are synchronous (`...Within`): they run inside the caller's unit-of-work piece.
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

const INDICATOR_COLUMNS = `id, version_id as versionId, code, goal_code as goalCode, targets, title_en as titleEn, title_es as titleEs, tier, custodians, unit,
  series_codes as seriesCodes, group_en as groupEn, group_es as groupEs, complementary, updated_at as updatedAt`;

export class IndicatorsRepository {
  private readonly s: Database.Database;
  private readonly statements;

  constructor(db: Db) {
    this.s = db.$client;
    const s = this.s;
    this.statements = {
      // What changes whenever the catalogue does (rows are added, links added or removed): the key of the in-memory copy.
      revision: s.prepare<[], { key: string }>(`select
        (select count(*) from indicator_frameworks) || ':' || (select count(*) from indicator_framework_versions) || ':' ||
        (select count(*) || ':' || coalesce(max(updated_at), 0) from indicators) || ':' ||
        (select count(*) || ':' || coalesce(max(created_at), 0) from indicator_crosswalk) || ':' ||
        (select count(*) from indicator_goals) || ':' || (select count(*) from indicator_targets) as key`),
      frameworks: s.prepare<[], FrameworkRow>('select id, kind, title_en as titleEn, title_es as titleEs, created_at as createdAt from indicator_frameworks order by id'),
      versions: s.prepare<[], VersionRow>(
        'select id, framework_id as frameworkId, version, title_en as titleEn, title_es as titleEs, effective_date as effectiveDate, created_at as createdAt from indicator_framework_versions order by framework_id, version',
      ),
      goals: s.prepare<[], GoalRow>('select version_id as versionId, code, title_en as titleEn, title_es as titleEs from indicator_goals'),
      targets: s.prepare<[], TargetRow>('select version_id as versionId, code, goal_code as goalCode, title_en as titleEn, title_es as titleEs from indicator_targets'),
      indicators: s.prepare<[], RawIndicator>(`select ${INDICATOR_COLUMNS} from indicators`),
      crosswalk: s.prepare<[], CrosswalkRow>('select from_family as fromFamily, from_code as fromCode, to_family as toFamily, to_code as toCode, relation from indicator_crosswalk'),
      insertFramework: s.prepare('insert into indicator_frameworks (id, kind, title_en, title_es, created_by, created_at) values (@id, @kind, @titleEn, @titleEs, @by, @at)'),
      insertVersion: s.prepare(
        'insert into indicator_framework_versions (id, framework_id, version, title_en, title_es, effective_date, created_by, created_at) values (@id, @frameworkId, @version, @titleEn, @titleEs, @effectiveDate, @by, @at)',
      ),
      upsertGoal: s.prepare(
        'insert into indicator_goals (version_id, code, title_en, title_es) values (@versionId, @code, @titleEn, @titleEs) on conflict do update set title_en = coalesce(excluded.title_en, title_en), title_es = coalesce(excluded.title_es, title_es)',
      ),
      upsertTarget: s.prepare(
        'insert into indicator_targets (version_id, code, goal_code, title_en, title_es) values (@versionId, @code, @goalCode, @titleEn, @titleEs) on conflict do update set title_en = coalesce(excluded.title_en, title_en), title_es = coalesce(excluded.title_es, title_es)',
      ),
      insertIndicator: s.prepare(`insert into indicators (id, version_id, code, goal_code, targets, title_en, title_es, tier, custodians, unit, series_codes, group_en, group_es, complementary, created_by, updated_at)
        values (@id, @versionId, @code, @goalCode, @targets, @titleEn, @titleEs, @tier, @custodians, @unit, @seriesCodes, @groupEn, @groupEs, @complementary, @by, @at)`),
      insertLink: s.prepare(
        'insert into indicator_crosswalk (from_family, from_code, to_family, to_code, relation, created_by, created_at) values (@fromFamily, @fromCode, @toFamily, @toCode, @relation, @by, @at)',
      ),
      removeLink: s.prepare<[string, string, string, string, string, string, string, string]>(
        'delete from indicator_crosswalk where (from_family = ? and from_code = ? and to_family = ? and to_code = ?) or (from_family = ? and from_code = ? and to_family = ? and to_code = ?)',
      ),
      tagsOf: s.prepare<[string, string], { subjectId: string; indicatorId: string }>(
        'select subject_id as subjectId, indicator_id as indicatorId from subject_indicators where subject_kind = ? and subject_id in (select value from json_each(?)) order by subject_id, position',
      ),
      tagged: s.prepare<[string, string, string], { subjectId: string }>(
        'select subject_id as subjectId from subject_indicators where indicator_id = ? and group_id = ? and subject_kind = ? order by subject_id',
      ),
      taggedAll: s.prepare<[string, string], { subjectKind: string; subjectId: string }>(
        'select subject_kind as subjectKind, subject_id as subjectId from subject_indicators where indicator_id = ? and group_id = ? order by subject_kind, created_at desc',
      ),
      // Every tag of the group on indicators of one version: indicator ids begin with the version's id and a colon.
      taggedInVersion: s.prepare<[string, string, string], TagRow>(
        'select subject_kind as subjectKind, subject_id as subjectId, indicator_id as indicatorId from subject_indicators where group_id = ? and indicator_id > ? and indicator_id < ?',
      ),
      keepTags: s.prepare<[string, string, string]>('delete from subject_indicators where subject_kind = ? and subject_id = ? and indicator_id not in (select value from json_each(?))'),
      upsertTag: s.prepare(
        `insert into subject_indicators (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at) values (@groupId, @kind, @id, @indicatorId, @position, @by, @at)
         on conflict (subject_kind, subject_id, indicator_id) do update set position = excluded.position`,
      ),
      addTag: s.prepare(
        `insert into subject_indicators (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at) values (@groupId, @kind, @id, @indicatorId, @position, @by, @at)
         on conflict (subject_kind, subject_id, indicator_id) do nothing`,
      ),
      maxPosition: s.prepare<[string, string], { n: number | null }>('select max(position) as n from subject_indicators where subject_kind = ? and subject_id = ?'),
      removeTag: s.prepare<[string, string, string]>('delete from subject_indicators where subject_kind = ? and subject_id = ? and indicator_id = ?'),
    };
  }

  async revision(): Promise<string> {
    return this.statements.revision.get()!.key;
  }

  async readCatalogue(): Promise<CatalogueRows> {
    const st = this.statements;
    return {
      frameworks: st.frameworks.all(),
      versions: st.versions.all(),
      goals: st.goals.all(),
      targets: st.targets.all(),
      indicators: st.indicators.all().map(toIndicator),
      crosswalk: st.crosswalk.all(),
    };
  }

  insertFrameworkWithin(row: { id: string; kind: FrameworkKind; titleEn: string; titleEs: string }, by: string, at: Date): void {
    this.statements.insertFramework.run({ ...row, by, at: at.getTime() });
  }

  insertVersionWithin(row: { id: string; frameworkId: string; version: string; titleEn: string; titleEs: string; effectiveDate: string | null }, by: string, at: Date): void {
    this.statements.insertVersion.run({ ...row, by, at: at.getTime() });
  }

  upsertGoalWithin(row: GoalRow): void {
    this.statements.upsertGoal.run(row);
  }

  upsertTargetWithin(row: TargetRow): void {
    this.statements.upsertTarget.run(row);
  }

  insertIndicatorWithin(versionId: string, indicator: Indicator, complementary: boolean, by: string, at: Date): void {
    this.statements.insertIndicator.run({
      id: `${versionId}:${indicator.code}`,
      versionId,
      code: indicator.code,
      goalCode: indicator.goal,
      targets: JSON.stringify(indicator.targets),
      titleEn: indicator.title.en,
      titleEs: indicator.title.es,
      tier: indicator.tier,
      custodians: JSON.stringify(indicator.custodians),
      unit: indicator.unit,
      seriesCodes: JSON.stringify(indicator.seriesCodes),
      groupEn: indicator.group?.en ?? null,
      groupEs: indicator.group?.es ?? null,
      complementary: complementary ? 1 : 0,
      by,
      at: at.getTime(),
    });
  }

  /** A whole framework version (an imported SDG list): its goals, targets and indicators, in the caller's write. */
  insertFrameworkContentWithin(framework: Framework, by: string, at: Date): void {
    for (const goal of framework.goals) this.upsertGoalWithin({ versionId: framework.id, code: goal.code, titleEn: goal.title?.en || null, titleEs: goal.title?.es || null });
    for (const target of framework.targets) this.upsertTargetWithin({ versionId: framework.id, code: target.code, goalCode: target.goal, titleEn: target.title?.en || null, titleEs: target.title?.es || null });
    for (const indicator of framework.indicators) this.insertIndicatorWithin(framework.id, indicator, false, by, at);
  }

  insertLinkWithin(link: CrosswalkLink, by: string, at: Date): void {
    this.statements.insertLink.run({ fromFamily: link.from.family, fromCode: link.from.code, toFamily: link.to.family, toCode: link.to.code, relation: link.relation, by, at: at.getTime() });
  }

  /** Removes the link between the two, whichever way it was stored; false when there was none. */
  removeLinkWithin(a: { family: string; code: string }, b: { family: string; code: string }): boolean {
    return this.statements.removeLink.run(a.family, a.code, b.family, b.code, b.family, b.code, a.family, a.code).changes > 0;
  }

  // ---------------------------------------------------------------- tags

  /** The indicator ids each subject is tagged with, in the order given. */
  tagsOfNow(kind: string, ids: readonly string[]): Map<string, string[]> {
    const tags = new Map<string, string[]>();
    if (ids.length === 0) return tags;
    for (const row of this.statements.tagsOf.all(kind, JSON.stringify([...new Set(ids)]))) {
      const list = tags.get(row.subjectId);
      if (list) list.push(row.indicatorId);
      else tags.set(row.subjectId, [row.indicatorId]);
    }
    return tags;
  }

  async subjectsTagged(groupId: string, kind: string, indicatorId: string): Promise<string[]> {
    return this.statements.tagged.all(indicatorId, groupId, kind).map((row) => row.subjectId);
  }

  async taggedWith(groupId: string, indicatorId: string): Promise<Array<{ kind: string; id: string }>> {
    return this.statements.taggedAll.all(indicatorId, groupId).map((row) => ({ kind: row.subjectKind, id: row.subjectId }));
  }

  async taggedInVersion(groupId: string, versionId: string): Promise<TagRow[]> {
    // ';' follows ':' in code-point order: the range holds exactly the ids "<versionId>:…".
    return this.statements.taggedInVersion.all(groupId, `${versionId}:`, `${versionId};`);
  }

  /** Makes the subject's tags exactly these indicators, in this order (tags kept keep who made them and when). */
  setTagsWithin(subject: TagSubject, indicatorIds: readonly string[], by: string | null, at: Date): void {
    const ids = [...new Set(indicatorIds)];
    this.statements.keepTags.run(subject.kind, subject.id, JSON.stringify(ids));
    ids.forEach((indicatorId, position) => this.statements.upsertTag.run({ groupId: subject.groupId, kind: subject.kind, id: subject.id, indicatorId, position, by, at: at.getTime() }));
  }

  tagWithin(subject: TagSubject, indicatorId: string, by: string | null, at: Date): void {
    const position = (this.statements.maxPosition.get(subject.kind, subject.id)?.n ?? -1) + 1;
    this.statements.addTag
      .run({ groupId: subject.groupId, kind: subject.kind, id: subject.id, indicatorId, position, by, at: at.getTime() });
  }

  untagWithin(subject: { kind: string; id: string }, indicatorId: string): void {
    this.statements.removeTag.run(subject.kind, subject.id, indicatorId);
  }
}
