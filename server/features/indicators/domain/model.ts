/**
 * The indicator catalogue: frameworks (the MDG list of 2008, the SDG list of a given year, a
 * regional complementary list), each with its goals, targets and indicators. An indicator carries
 * what the discrepancy register needs of it: bilingual title, targets, tier, custodian agencies,
 * unit, and the series codes its values are published under.
 */

export interface Bilingual {
  en: string;
  es: string;
}

export interface Goal {
  code: string;
  title: Bilingual | null;
}
export interface Target {
  code: string;
  goal: string;
  title: Bilingual | null;
}
export interface Indicator {
  code: string;
  goal: string;
  /** Every target it serves (some MDG indicators serve several). */
  targets: string[];
  title: Bilingual;
  /** IAEG-SDGs tier: I, II, III, or a combination such as I/II; null where tiers do not apply. */
  tier: string | null;
  custodians: string[];
  /** Unit code (PERCENT, PER_1000_LIVE_BIRTHS...), if the list gives one. */
  unit: string | null;
  seriesCodes: string[];
  /** A heading the official list groups indicators under (MDG 8: ODA, market access, debt). */
  group?: Bilingual;
}
export interface Framework {
  /** Stable id of this version: "mdg-2008", "sdg-2025". */
  id: string;
  /** What crosswalks and code mentions name: "MDG", "SDG", or a regional list's own. */
  family: string;
  version: string;
  title: Bilingual;
  effectiveDate: string | null;
  goals: Goal[];
  targets: Target[];
  indicators: Indicator[];
}

/** Natural order of codes: 8.2 before 8.10, 3.b after 3.9, 3.2.1 before 3.2.2. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : null;
    const ny = /^\d+$/.test(y) ? Number(y) : null;
    if (nx !== null && ny !== null) {
      if (nx !== ny) return nx - ny;
    } else if (nx !== null) return -1;
    else if (ny !== null) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export interface Problem {
  code: string;
  message: string;
}

/** What is wrong with a framework's structure: repeated codes, targets or goals that are not there. */
export function checkFramework(framework: Framework): Problem[] {
  const problems: Problem[] = [];
  const goals = new Set<string>();
  for (const goal of framework.goals) {
    if (goals.has(goal.code)) problems.push({ code: 'duplicate_goal', message: `Goal ${goal.code} is listed twice.` });
    goals.add(goal.code);
  }
  const targets = new Set<string>();
  for (const target of framework.targets) {
    if (targets.has(target.code)) problems.push({ code: 'duplicate_target', message: `Target ${target.code} is listed twice.` });
    targets.add(target.code);
    if (!goals.has(target.goal)) problems.push({ code: 'unknown_goal', message: `Target ${target.code} names goal ${target.goal}, which is not listed.` });
  }
  const indicators = new Set<string>();
  for (const indicator of framework.indicators) {
    if (indicators.has(indicator.code)) problems.push({ code: 'duplicate_indicator', message: `Indicator ${indicator.code} is listed twice.` });
    indicators.add(indicator.code);
    if (!goals.has(indicator.goal)) problems.push({ code: 'unknown_goal', message: `Indicator ${indicator.code} names goal ${indicator.goal}, which is not listed.` });
    for (const target of indicator.targets) if (!targets.has(target)) problems.push({ code: 'unknown_target', message: `Indicator ${indicator.code} names target ${target}, which is not listed.` });
  }
  return problems;
}

export interface IndicatorRef {
  framework: string;
  family: string;
  code: string;
}

export interface CatalogueIndex {
  frameworks: readonly Framework[];
  indicator(frameworkId: string, code: string): Indicator | null;
  /** The indicators a series is published under (a repeated SDG indicator shares its series). */
  indicatorOfSeries(series: string): IndicatorRef[];
  isKnownSeries(series: string): boolean;
}

export function indexCatalogue(frameworks: readonly Framework[]): CatalogueIndex {
  const byCode = new Map<string, Indicator>();
  const bySeries = new Map<string, IndicatorRef[]>();
  for (const framework of frameworks) {
    for (const indicator of framework.indicators) {
      byCode.set(`${framework.id}|${indicator.code}`, indicator);
      for (const series of indicator.seriesCodes) {
        const refs = bySeries.get(series) ?? [];
        refs.push({ framework: framework.id, family: framework.family, code: indicator.code });
        bySeries.set(series, refs);
      }
    }
  }
  return {
    frameworks,
    indicator: (frameworkId, code) => byCode.get(`${frameworkId}|${code}`) ?? null,
    indicatorOfSeries: (series) => bySeries.get(series) ?? [],
    isKnownSeries: (series) => bySeries.has(series),
  };
}
