import { COMPARABLE_NATURES, type Nature, type ReportingType } from './codes.js';
import { observationKey, type Disaggregation, type Observation } from './observations.js';
import { comparable, toCommonScale } from './units.js';

/**
 * Setting national against international values: which pairs differ beyond the tolerance of their
 * series (case candidates), which agree, which cannot be compared, and what a new international
 * release changes for the cases already open.
 *
 * The difference is international minus national: how far the agency's figure is from the
 * country's. The relative difference is taken against the national value (its absolute value), the
 * figure the country publishes and the group discusses: "the agency's estimate is 15 % above the
 * national figure". A national value of zero has no relative difference (null); under a relative
 * tolerance any gap from zero is beyond it, since 0 against 0.3 is a real discrepancy.
 *
 * Differences are rounded to 12 significant digits, so that 1.1 − 1.0 is 0.1 and a gap equal to
 * the tolerance is within it. "Beyond" means strictly greater than the tolerance.
 */

export interface Tolerance {
  kind: 'absolute' | 'relative';
  /**
   * absolute: in the series' unit at unit multiplier 0 (per 1,000 live births, people, dollars);
   * relative: a fraction of the national value (0.05 is 5 %).
   */
  value: number;
}

export const MAX_RELATIVE_TOLERANCE = 1;

export function parseTolerance(input: { kind: string; value: number }): { ok: true; tolerance: Tolerance } | { ok: false; message: string } {
  if (input.kind !== 'absolute' && input.kind !== 'relative') return { ok: false, message: 'A tolerance is absolute or relative.' };
  if (!Number.isFinite(input.value) || input.value < 0) return { ok: false, message: 'A tolerance is a number of zero or more.' };
  if (input.kind === 'relative' && input.value > MAX_RELATIVE_TOLERANCE) return { ok: false, message: 'A relative tolerance is a fraction of the national value, at most 1 (100 %); write 0.05 for 5 %.' };
  return { ok: true, tolerance: { kind: input.kind, value: input.value } };
}

const round12 = (n: number) => (n === 0 ? 0 : Number(n.toPrecision(12)));

export interface Difference {
  absolute: number;
  /** Relative to |national|; null when the national value is zero. */
  relative: number | null;
}

export function difference(national: number, international: number): Difference {
  const absolute = round12(international - national);
  return { absolute, relative: national === 0 ? null : round12(absolute / Math.abs(national)) };
}

export function compareValues(national: number, international: number, tolerance: Tolerance): { difference: Difference; beyondTolerance: boolean } {
  const d = difference(national, international);
  const beyondTolerance =
    tolerance.kind === 'absolute' ? Math.abs(d.absolute) > tolerance.value : d.relative === null ? d.absolute !== 0 : Math.abs(d.relative) > tolerance.value;
  return { difference: d, beyondTolerance };
}

export interface PairSide {
  /** At the pair's common unit multiplier. */
  value: number;
  observation: Observation;
}
export interface Paired {
  key: string;
  series: string;
  indicator: string | null;
  country: string;
  year: number;
  disaggregation: Disaggregation;
  unit: string;
  /** The unit multiplier both values are stated at. */
  unitMult: number;
  national: PairSide;
  international: PairSide & { nature: Nature | null };
  difference: Difference;
  tolerance: Tolerance;
}
/** A pair beyond the tolerance of its series: what a case is opened on. */
export type CaseCandidate = Paired;

export type NotComparableReason = 'different_units' | 'unit_mult_not_applicable' | 'unknown_unit' | 'nature_not_comparable' | 'bounded_value';
export interface NotComparable {
  key: string;
  reason: NotComparableReason;
  national: Observation;
  international: Observation;
}

export interface PairingOptions {
  tolerance: (series: string) => Tolerance;
  /**
   * Which international values are set against national ones: the global (G) figures by default;
   * a value without a reporting type counts as global. UNSD's national (N) figures may be paired
   * instead, or used as national values by the caller.
   */
  internationalReportingType?: ReportingType;
}

export type Comparison = { kind: 'paired'; paired: Paired; beyondTolerance: boolean } | { kind: 'not_comparable'; reason: NotComparableReason };

/** Sets one national against one international observation of the same key. */
export function comparePair(national: Observation, international: Observation, tolerance: Tolerance): Comparison {
  if (international.nature !== null && !COMPARABLE_NATURES.has(international.nature)) return { kind: 'not_comparable', reason: 'nature_not_comparable' };
  if (national.qualifier !== null || international.qualifier !== null) return { kind: 'not_comparable', reason: 'bounded_value' };
  const units = comparable(national, international);
  if (!units.comparable) return { kind: 'not_comparable', reason: units.reason };
  const nationalValue = toCommonScale(national.value, national.unitMult, units.scale);
  const internationalValue = toCommonScale(international.value, international.unitMult, units.scale);
  // Absolute tolerances are stated at unit multiplier 0.
  const scaled = tolerance.kind === 'absolute' && units.scale !== 0 ? { ...tolerance, value: toCommonScale(tolerance.value, 0, units.scale) } : tolerance;
  const { difference: d, beyondTolerance } = compareValues(nationalValue, internationalValue, scaled);
  return {
    kind: 'paired',
    beyondTolerance,
    paired: {
      key: observationKey(national),
      series: national.series,
      indicator: national.indicator ?? international.indicator,
      country: national.country,
      year: national.year,
      disaggregation: national.disaggregation,
      unit: national.unit,
      unitMult: units.scale,
      national: { value: nationalValue, observation: national },
      international: { value: internationalValue, observation: international, nature: international.nature },
      difference: d,
      tolerance,
    },
  };
}

const isPaired = (o: Observation, type: ReportingType) => (o.reportingType ?? 'G') === type;

function byKey(observations: Iterable<Observation>, side: string, keep: (o: Observation) => boolean = () => true): Map<string, Observation> {
  const map = new Map<string, Observation>();
  for (const o of observations) {
    if (!keep(o)) continue;
    const key = observationKey(o);
    if (map.has(key)) throw new Error(`The ${side} observations hold ${key} twice.`);
    map.set(key, o);
  }
  return map;
}

const compareKeys = (a: { series: string; country: string; year: number; key: string }, b: typeof a) =>
  a.series < b.series ? -1 : a.series > b.series ? 1 : a.country < b.country ? -1 : a.country > b.country ? 1 : a.year - b.year || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export interface PairingResult {
  candidates: CaseCandidate[];
  withinTolerance: Paired[];
  notComparable: NotComparable[];
  nationalOnly: string[];
  internationalOnly: string[];
}

export function pair(national: Iterable<Observation>, international: Iterable<Observation>, options: PairingOptions): PairingResult {
  const type = options.internationalReportingType ?? 'G';
  const nationals = byKey(national, 'national');
  const internationals = byKey(international, 'international', (o) => isPaired(o, type));
  const result: PairingResult = { candidates: [], withinTolerance: [], notComparable: [], nationalOnly: [], internationalOnly: [] };
  // Keys computed once per observation, not per comparison (a 50,000-value release spent seconds here).
  const order = [...nationals.entries()].map(([key, n]) => ({ key, n, series: n.series, country: n.country, year: n.year })).sort(compareKeys);
  for (const { key, n } of order) {
    const i = internationals.get(key);
    if (!i) {
      result.nationalOnly.push(key);
      continue;
    }
    const comparison = comparePair(n, i, options.tolerance(n.series));
    if (comparison.kind === 'not_comparable') result.notComparable.push({ key, reason: comparison.reason, national: n, international: i });
    else (comparison.beyondTolerance ? result.candidates : result.withinTolerance).push(comparison.paired);
  }
  result.internationalOnly = [...internationals.values()]
    .map((i) => ({ key: observationKey(i), series: i.series, country: i.country, year: i.year }))
    .filter((i) => !nationals.has(i.key))
    .sort(compareKeys)
    .map((i) => i.key);
  return result;
}

/** What an open case holds of its two values (as stored when it was opened or last re-paired). */
export interface OpenCase {
  id: string;
  national: Observation;
  international: Observation;
}

export type RepairChange =
  | { caseId: string; change: 'not_in_release' }
  | { caseId: string; change: 'unchanged'; difference: Difference }
  | { caseId: string; change: 'value_changed' | 'nature_changed' | 'now_within_tolerance'; before: Observation; after: Observation; difference: Difference; beyondTolerance: boolean }
  | { caseId: string; change: 'observation_removed'; before: Observation }
  | { caseId: string; change: 'not_comparable'; before: Observation; after: Observation; reason: NotComparableReason };

export interface RepairResult {
  changes: RepairChange[];
  /** Keys of the release beyond tolerance against a national value, on which no case exists yet. */
  newGaps: CaseCandidate[];
}

/**
 * A new international release against the open cases: per case, what changed. A release touches
 * the cases of the series it holds (any country): a case whose key it no longer has lost its
 * observation; a case of a series it does not hold is not in the release and stays as it is. New
 * gaps are sought among the national observations given, skipping keys that already have a case
 * in any status (`caseKeys`), so a documented or invalid case is not opened again.
 */
export function repair(
  openCases: Iterable<OpenCase>,
  release: Iterable<Observation>,
  national: Iterable<Observation>,
  caseKeys: ReadonlySet<string>,
  options: PairingOptions,
): RepairResult {
  const type = options.internationalReportingType ?? 'G';
  const released = byKey(release, 'released', (o) => isPaired(o, type));
  const seriesInRelease = new Set([...released.values()].map((o) => o.series));
  const changes: RepairChange[] = [];
  for (const open of openCases) {
    const before = open.international;
    if (!seriesInRelease.has(before.series)) {
      changes.push({ caseId: open.id, change: 'not_in_release' });
      continue;
    }
    const after = released.get(observationKey(open.national));
    if (!after) {
      changes.push({ caseId: open.id, change: 'observation_removed', before });
      continue;
    }
    const comparison = comparePair(open.national, after, options.tolerance(open.national.series));
    if (comparison.kind === 'not_comparable') {
      changes.push({ caseId: open.id, change: 'not_comparable', before, after, reason: comparison.reason });
      continue;
    }
    const { difference: d } = comparison.paired;
    const sameValue = after.value === before.value && after.unit === before.unit && after.unitMult === before.unitMult && after.qualifier === before.qualifier;
    if (!comparison.beyondTolerance) changes.push({ caseId: open.id, change: 'now_within_tolerance', before, after, difference: d, beyondTolerance: false });
    else if (!sameValue) changes.push({ caseId: open.id, change: 'value_changed', before, after, difference: d, beyondTolerance: true });
    else if (after.nature !== before.nature) changes.push({ caseId: open.id, change: 'nature_changed', before, after, difference: d, beyondTolerance: true });
    else changes.push({ caseId: open.id, change: 'unchanged', difference: d });
  }
  const fresh = [...national].filter((n) => !caseKeys.has(observationKey(n)) && seriesInRelease.has(n.series));
  const newGaps = pair(fresh, released.values(), options).candidates;
  return { changes, newGaps };
}
