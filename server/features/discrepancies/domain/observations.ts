import type { Location, Nature, ObsStatus, ReportingType, Sex, SourceType } from './codes.js';

/**
 * An observation: one value of one series for one country, year and disaggregation, on one side
 * (what the country publishes, or what an international agency publishes), shaped as SDMX shapes
 * it (REF_AREA, TIME_PERIOD, OBS_VALUE, UNIT_MEASURE, UNIT_MULT, OBS_STATUS, NATURE, SOURCE_TYPE).
 * Provenance (which agency, database and release) belongs to the import, not to each row.
 */

export type Side = 'national' | 'international';

export interface Disaggregation {
  sex: Sex;
  /** An SDMX-like age band ("_T", "Y_LT5", "Y15T24") or an opaque code; see normalizeAge. */
  age: string;
  location: Location;
  /** Any other dimension ("educationlevel" → "PRIMAR"), keys as headerKey makes them. */
  other: Readonly<Record<string, string>>;
}

export const TOTAL: Disaggregation = Object.freeze({ sex: '_T', age: '_T', location: '_T', other: Object.freeze({}) });

export interface Observation {
  side: Side;
  /** The SDG series code (SH_DYN_MORT) or the group's own series code. */
  series: string;
  /** The indicator the row names (3.2.1), if any. */
  indicator: string | null;
  /** ISO 3166-1 alpha-3. */
  country: string;
  year: number;
  /** A period finer or wider than the year as written by the source ("2009-2010"), if any. */
  timeDetail: string | null;
  disaggregation: Disaggregation;
  value: number;
  /** Set for a value given as a bound ("<0.1", ">95"). */
  qualifier: '<' | '<=' | '>' | '>=' | null;
  lowerBound: number | null;
  upperBound: number | null;
  unit: string;
  unitMult: number;
  nature: Nature | null;
  reportingType: ReportingType | null;
  obsStatus: ObsStatus | null;
  sourceType: SourceType | null;
  source: string | null;
  footnote: string | null;
}

export function disaggregationKey(d: Disaggregation): string {
  const other = Object.keys(d.other)
    .sort()
    .map((key) => `${key}=${d.other[key]}`)
    .join(';');
  return `${d.sex}|${d.age}|${d.location}${other ? `|${other}` : ''}`;
}

/** What pairs a national with an international value: series × country × year × disaggregation. */
export const observationKey = (o: Pick<Observation, 'series' | 'country' | 'year' | 'disaggregation'>) => `${o.series}|${o.country}|${o.year}|${disaggregationKey(o.disaggregation)}`;

/** The key of a case's subject over the years: series × country × disaggregation. */
export const seriesKey = (o: Pick<Observation, 'series' | 'country' | 'disaggregation'>) => `${o.series}|${o.country}|${disaggregationKey(o.disaggregation)}`;

export type ParsedNumber =
  | { kind: 'number'; value: number; qualifier: Observation['qualifier'] }
  | { kind: 'empty' }
  | { kind: 'invalid'; reason: 'not_a_number' | 'ambiguous_separator' };

const POINT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA = /^[+-]?\d+,\d+$/;
/** "1.000" where a comma is the decimal separator: one, or one thousand? */
const AMBIGUOUS_POINT = /^[+-]?[1-9]\d{0,2}\.\d{3}$/;

/**
 * A decimal number as a cell holds it, optionally after a bound sign ("<0.1"). `point`: only a
 * decimal point (the UNSD export, a comma-separated file). `either`: the convention of a
 * semicolon-separated file or a text cell of a spreadsheet in Spanish, where the comma is the
 * decimal separator ("8,5", "95,725"); a point is read as a decimal point too ("8.5"), except when it
 * is followed by exactly three digits ("1.000"), which in that convention means one thousand and is
 * refused as ambiguous. Thousands separators are never accepted.
 */
export function parseDecimal(raw: string | number, mode: 'point' | 'either' = 'point'): ParsedNumber {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'number', value: raw, qualifier: null } : { kind: 'invalid', reason: 'not_a_number' };
  let text = raw.trim();
  if (text === '') return { kind: 'empty' };
  const bound = /^(<=|>=|<|>)\s*/.exec(text);
  if (bound) text = text.slice(bound[0].length);
  const qualifier = (bound?.[1] ?? null) as Observation['qualifier'];
  if (mode === 'either' && AMBIGUOUS_POINT.test(text)) return { kind: 'invalid', reason: 'ambiguous_separator' };
  let value: number | null = null;
  if (POINT.test(text)) value = Number(text);
  else if (mode === 'either' && COMMA.test(text)) value = Number(text.replace(',', '.'));
  if (value === null || !Number.isFinite(value)) return { kind: 'invalid', reason: 'not_a_number' };
  return { kind: 'number', value, qualifier };
}

export const YEAR_MIN = 1900;
export const YEAR_MAX = 2100;

/** A calendar year (1900–2100), written "2010", 2010 or "2010.0"; null otherwise. */
export function parseYear(raw: string | number): number | null {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  if (!/^\d{4}(?:\.0+)?$/.test(text)) return null;
  const year = Number.parseInt(text, 10);
  return year >= YEAR_MIN && year <= YEAR_MAX ? year : null;
}

/** A unit multiplier cell: empty means 0. */
export function parseUnitMult(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : null;
  const text = raw.trim();
  if (text === '') return 0;
  return /^[+-]?\d{1,2}$/.test(text) ? Number(text) : null;
}

/**
 * Keeps one copy of strings that repeat row after row (sources, footnotes, series descriptions),
 * so that 50,000 rows citing the same survey hold its name once. Bounded: past `max` distinct
 * strings it stops remembering new ones.
 */
export function interner(max = 10_000): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    if (seen.size < max) seen.set(text, text);
    return text;
  };
}
