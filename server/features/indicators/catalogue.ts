import { Crosswalk, type CrosswalkLink } from './domain/crosswalk.js';
import { compareCodes, type Framework } from './domain/model.js';
import { MDG_FRAMEWORK_ID } from './domain/mdg.js';
import { TagSuggester } from './domain/tags.js';
import type { CatalogueRows, FrameworkRow, GoalRow, IndicatorRow, TargetRow, VersionRow } from './repository.js';

/**
 * The catalogue as the service reads it: every framework version with its goals, targets and
 * indicators, the crosswalk, and the tag suggester over them. Built from the rows in one go and
 * kept until the catalogue's revision changes (a few hundred rows: rebuilding is cheap, reading
 * it per request is not needed).
 *
 * How tags are written in the API: the MDG list of 2008 was the only list before the catalogue,
 * and threads and documents named its indicators by code alone ("4.1"); they still do. An
 * indicator of any other version is named by its id, `<version id>:<code>` ("sdg-2025:3.2.1").
 */

export const DEFAULT_VERSION = MDG_FRAMEWORK_ID;

export const refOf = (indicatorId: string) => (indicatorId.startsWith(`${DEFAULT_VERSION}:`) ? indicatorId.slice(DEFAULT_VERSION.length + 1) : indicatorId);
export const idOf = (ref: string) => (ref.includes(':') ? ref : `${DEFAULT_VERSION}:${ref}`);

export interface VersionContent {
  version: VersionRow;
  framework: FrameworkRow;
  goals: GoalRow[];
  targets: TargetRow[];
  indicators: IndicatorRow[];
}

export class Catalogue {
  readonly versions = new Map<string, VersionContent>();
  readonly frameworks = new Map<string, FrameworkRow>();
  readonly indicators = new Map<string, IndicatorRow>();
  readonly crosswalk: Crosswalk;
  private suggesterCache: TagSuggester | null = null;

  constructor(readonly rows: CatalogueRows) {
    for (const framework of rows.frameworks) this.frameworks.set(framework.id, framework);
    for (const version of rows.versions) {
      const framework = this.frameworks.get(version.frameworkId)!;
      this.versions.set(version.id, { version, framework, goals: [], targets: [], indicators: [] });
    }
    for (const goal of rows.goals) this.versions.get(goal.versionId)?.goals.push(goal);
    for (const target of rows.targets) this.versions.get(target.versionId)?.targets.push(target);
    for (const indicator of rows.indicators) {
      this.versions.get(indicator.versionId)?.indicators.push(indicator);
      this.indicators.set(indicator.id, indicator);
    }
    for (const content of this.versions.values()) {
      content.goals.sort((a, b) => compareCodes(a.code, b.code));
      content.targets.sort((a, b) => compareCodes(a.code, b.code));
      content.indicators.sort((a, b) => compareCodes(a.code, b.code));
    }
    this.crosswalk = new Crosswalk(rows.crosswalk.map(toLink));
  }

  /** The versions as the domain's frameworks (what the suggester and the crosswalk's check read). */
  domainFrameworks(): Framework[] {
    return [...this.versions.values()].map(({ version, framework, goals, targets, indicators }) => ({
      id: version.id,
      family: framework.id,
      version: version.version,
      title: { en: version.titleEn, es: version.titleEs },
      effectiveDate: version.effectiveDate,
      goals: goals.map((g) => ({ code: g.code, title: g.titleEn || g.titleEs ? { en: g.titleEn ?? '', es: g.titleEs ?? '' } : null })),
      targets: targets.map((t) => ({ code: t.code, goal: t.goalCode, title: t.titleEn || t.titleEs ? { en: t.titleEn ?? '', es: t.titleEs ?? '' } : null })),
      indicators: indicators.map((i) => ({
        code: i.code,
        goal: i.goalCode,
        targets: i.targets,
        title: { en: i.titleEn, es: i.titleEs },
        tier: i.tier,
        custodians: i.custodians,
        unit: i.unit,
        seriesCodes: i.seriesCodes,
      })),
    }));
  }

  get suggester(): TagSuggester {
    this.suggesterCache ??= new TagSuggester(this.domainFrameworks());
    return this.suggesterCache;
  }

  /** The indicators of a family with this code, newest version first (a crosswalk link names family and code). */
  inFamily(family: string, code: string): IndicatorRow[] {
    return [...this.versions.values()]
      .filter((content) => content.framework.id === family)
      .sort((a, b) => (a.version.version < b.version.version ? 1 : -1))
      .flatMap((content) => content.indicators.filter((indicator) => indicator.code === code));
  }

  familyOf(indicator: IndicatorRow): string {
    return this.versions.get(indicator.versionId)!.framework.id;
  }
}

const toLink = (row: CatalogueRows['crosswalk'][number]): CrosswalkLink => ({ from: { family: row.fromFamily, code: row.fromCode }, to: { family: row.toFamily, code: row.toCode }, relation: row.relation });
