import type { ReportingType } from './codes.js';
import { seriesKey, type Disaggregation, type Observation } from './observations.js';
import type { CaseSeries, SeriesPoint } from './schemas.js';
import { comparable, parseUnit, toCommonScale, type UnitOf } from './units.js';

/**
 * The series a case's chart draws: the national and the international values of the case's series,
 * country and disaggregation over the years, in one unit, each point with its nature and whether
 * the line breaks before it. The unit is the national value's of the case's year (or the commonest);
 * values in another unit are left out and listed, never converted or drawn on the same axis.
 */

export interface CaseSeriesOptions {
  /** The year of the case, highlighted, and whose national value sets the unit. */
  caseYear?: number | null;
  /** Forces the unit (a case stores the one it was compared in). */
  unit?: UnitOf;
  /** Which international values are drawn (G by default, as pairing does). */
  internationalReportingType?: ReportingType;
}

function commonestUnit(observations: Observation[]): UnitOf | null {
  const counts = new Map<string, { unit: UnitOf; n: number }>();
  for (const o of observations) {
    const id = `${o.unit}|${o.unitMult}`;
    const entry = counts.get(id) ?? { unit: { unit: o.unit, unitMult: o.unitMult }, n: 0 };
    entry.n += 1;
    counts.set(id, entry);
  }
  let best: { unit: UnitOf; n: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry;
  return best?.unit ?? null;
}

function points(list: Array<{ o: Observation; value: number }>, side: Observation['side']): SeriesPoint[] {
  list.sort((a, b) => a.o.year - b.o.year);
  return list.map(({ o, value }, i) => {
    const previous = list[i - 1]?.o;
    if (previous && previous.year === o.year) throw new Error(`Two ${side} values for ${o.series} ${o.country} ${o.year}.`);
    let breakBefore: SeriesPoint['breakBefore'] = null;
    if (previous) {
      if (o.obsStatus === 'B') breakBefore = 'series_break';
      else if (side === 'national' && previous.sourceType && o.sourceType && previous.sourceType !== o.sourceType) breakBefore = 'source_changed';
      else if (o.year - previous.year > 1) breakBefore = 'gap';
    }
    return {
      year: o.year,
      value,
      qualifier: o.qualifier,
      lowerBound: o.lowerBound,
      upperBound: o.upperBound,
      nature: side === 'international' ? o.nature : null,
      obsStatus: o.obsStatus,
      breakBefore,
      source: o.source,
      footnote: o.footnote,
    };
  });
}

export function buildCaseSeries(subject: { series: string; country: string; disaggregation: Disaggregation; indicator?: string | null }, observations: Iterable<Observation>, options: CaseSeriesOptions = {}): CaseSeries {
  const key = seriesKey(subject);
  const type = options.internationalReportingType ?? 'G';
  const mine = [...observations].filter((o) => seriesKey(o) === key && (o.side === 'national' || (o.reportingType ?? 'G') === type));
  const nationals = mine.filter((o) => o.side === 'national');
  const atCaseYear = options.caseYear == null ? undefined : nationals.find((o) => o.year === options.caseYear);
  const target = options.unit ?? (atCaseYear ? { unit: atCaseYear.unit, unitMult: atCaseYear.unitMult } : (commonestUnit(nationals) ?? commonestUnit(mine)));

  const excluded: CaseSeries['excluded'] = [];
  const included: Array<{ o: Observation; scale: number }> = [];
  for (const o of mine) {
    const verdict = target ? comparable(target, o) : ({ comparable: false, reason: 'unknown_unit' } as const);
    if (verdict.comparable) included.push({ o, scale: verdict.scale });
    else excluded.push({ side: o.side, year: o.year, unit: o.unit, unitMult: o.unitMult, reason: verdict.reason });
  }
  // Every value at the finest multiplier among them (12,500 people rather than 12.5 thousand).
  const scale = included.length > 0 ? Math.min(...included.map((i) => i.scale)) : (target?.unitMult ?? 0);
  const scaled = (side: Observation['side']) => included.filter(({ o }) => o.side === side).map(({ o }) => ({ o, value: toCommonScale(o.value, o.unitMult, scale) }));
  const national = points(scaled('national'), 'national');
  const international = points(scaled('international'), 'international');
  const years = [...national, ...international].map((p) => p.year);
  const unit = target && included.length > 0 ? parseUnit(target.unit) : null;
  excluded.sort((a, b) => (a.side === b.side ? a.year - b.year : a.side === 'national' ? -1 : 1));
  return {
    series: subject.series,
    indicator: subject.indicator ?? mine.find((o) => o.indicator)?.indicator ?? null,
    country: subject.country,
    disaggregation: subject.disaggregation,
    unit: unit ? { code: unit.code, unitMult: scale, label: unit.label } : null,
    caseYear: options.caseYear ?? null,
    years: years.length > 0 ? { from: Math.min(...years), to: Math.max(...years) } : null,
    national,
    international,
    excluded,
  };
}
