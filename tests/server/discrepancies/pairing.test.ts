import { describe, expect, it } from 'vitest';
import { TOTAL, type Observation } from '../../../server/features/discrepancies/domain/observations.js';
import { compareValues, difference, pair, parseTolerance, type Tolerance } from '../../../server/features/discrepancies/domain/pairing.js';

const obs = (side: Observation['side'], value: number, over: Partial<Observation> = {}): Observation => ({
  side,
  series: 'SH_DYN_MORT',
  indicator: '3.2.1',
  country: 'CHL',
  year: 2010,
  timeDetail: null,
  disaggregation: TOTAL,
  value,
  qualifier: null,
  lowerBound: null,
  upperBound: null,
  unit: 'PER_1000_LIVE_BIRTHS',
  unitMult: 0,
  nature: side === 'international' ? 'E' : null,
  reportingType: side === 'international' ? 'G' : null,
  obsStatus: null,
  sourceType: null,
  source: null,
  footnote: null,
  ...over,
});
const nat = (value: number, over: Partial<Observation> = {}) => obs('national', value, over);
const intl = (value: number, over: Partial<Observation> = {}) => obs('international', value, over);
const abs = (value: number): Tolerance => ({ kind: 'absolute', value });
const rel = (value: number): Tolerance => ({ kind: 'relative', value });

describe('difference(national, international)', () => {
  it('is international minus national, and relative to the national value', () => {
    expect(difference(8, 9)).toEqual({ absolute: 1, relative: 0.125 });
    expect(difference(10, 7.5)).toEqual({ absolute: -2.5, relative: -0.25 });
    expect(difference(-4, -5)).toEqual({ absolute: -1, relative: -0.25 }); // relative to |national|
  });

  it('is free of binary noise (1.1 − 1.0 is 0.1)', () => {
    expect(difference(1, 1.1)).toEqual({ absolute: 0.1, relative: 0.1 });
    expect(difference(8, 8.8).relative).toBe(0.1);
  });

  it('has no relative difference from a zero national value', () => {
    expect(difference(0, 0.3)).toEqual({ absolute: 0.3, relative: null });
    expect(difference(0, 0)).toEqual({ absolute: 0, relative: null });
  });
});

describe('compareValues with a tolerance', () => {
  it.each<[string, number, number, Tolerance, boolean]>([
    ['equal values', 8.5, 8.5, abs(0), false],
    ['any gap beyond a zero tolerance', 8.5, 8.51, abs(0), true],
    ['a gap inside an absolute tolerance', 8.5, 8.9, abs(0.5), false],
    ['a gap exactly at an absolute tolerance (not beyond)', 1.0, 1.1, abs(0.1), false],
    ['a gap just beyond an absolute tolerance', 1.0, 1.1000001, abs(0.1), true],
    ['a negative gap beyond an absolute tolerance', 10, 9.4, abs(0.5), true],
    ['a gap inside a relative tolerance', 100, 104, rel(0.05), false],
    ['a gap exactly at a relative tolerance', 8, 8.8, rel(0.1), false],
    ['a gap beyond a relative tolerance', 100, 106, rel(0.05), true],
    ['a negative gap beyond a relative tolerance', 100, 94, rel(0.05), true],
    ['zero against zero under a relative tolerance', 0, 0, rel(0.05), false],
    ['any gap from zero under a relative tolerance', 0, 0.001, rel(0.5), true],
    ['a gap to zero under a relative tolerance', 0.4, 0, rel(0.5), true],
  ])('%s', (_name, national, international, tolerance, beyond) => {
    expect(compareValues(national, international, tolerance).beyondTolerance).toBe(beyond);
  });
});

describe('pair(national, international)', () => {
  const tolerances = (series: string): Tolerance => (series === 'SI_POV_DAY1' ? rel(0.1) : abs(0.5));

  it('opens a candidate per key beyond tolerance, with both values, the difference and the nature', () => {
    const result = pair([nat(7.4), nat(7.1, { year: 2011 }), nat(6.9, { year: 2012 })], [intl(8.5), intl(7.3, { year: 2011 }), intl(6.8, { year: 2013, nature: 'M' })], { tolerance: tolerances });
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]).toMatchObject({
      key: 'SH_DYN_MORT|CHL|2010|_T|_T|_T',
      series: 'SH_DYN_MORT',
      country: 'CHL',
      year: 2010,
      disaggregation: TOTAL,
      unit: 'PER_1000_LIVE_BIRTHS',
      unitMult: 0,
      national: { value: 7.4 },
      international: { value: 8.5, nature: 'E' },
      difference: { absolute: 1.1, relative: 0.148648648649 },
      tolerance: abs(0.5),
    });
    expect(result.withinTolerance.map((w) => w.key)).toEqual(['SH_DYN_MORT|CHL|2011|_T|_T|_T']);
    expect(result.nationalOnly).toEqual(['SH_DYN_MORT|CHL|2012|_T|_T|_T']);
    expect(result.internationalOnly).toEqual(['SH_DYN_MORT|CHL|2013|_T|_T|_T']);
  });

  it('uses each series’ own tolerance', () => {
    const result = pair([nat(10, { series: 'SI_POV_DAY1', unit: 'PERCENT' }), nat(10)], [intl(10.8, { series: 'SI_POV_DAY1', unit: 'PERCENT' }), intl(10.8)], { tolerance: tolerances });
    expect(result.candidates.map((c) => c.series)).toEqual(['SH_DYN_MORT']); // 0.8 > 0.5 absolute; 8 % < 10 % relative
  });

  it('pairs only equal disaggregations and equal years', () => {
    const result = pair([nat(5, { disaggregation: { ...TOTAL, sex: 'F' } })], [intl(9, { disaggregation: { ...TOTAL, sex: 'M' } }), intl(9, { year: 2009, disaggregation: { ...TOTAL, sex: 'F' } })], { tolerance: () => abs(0) });
    expect(result.candidates).toEqual([]);
    expect(result.nationalOnly).toHaveLength(1);
    expect(result.internationalOnly).toHaveLength(2);
  });

  it('never compares a percentage with a rate per 1,000: no case, reported as not comparable', () => {
    const result = pair([nat(0.74, { unit: 'PERCENT' })], [intl(8.5, { unit: 'PER_1000_LIVE_BIRTHS' })], { tolerance: () => abs(0) });
    expect(result.candidates).toEqual([]);
    expect(result.withinTolerance).toEqual([]);
    expect(result.notComparable).toMatchObject([{ key: 'SH_DYN_MORT|CHL|2010|_T|_T|_T', reason: 'different_units', national: { unit: 'PERCENT' }, international: { unit: 'PER_1000_LIVE_BIRTHS' } }]);
  });

  it('compares counts across unit multipliers, at the finer one', () => {
    const result = pair([nat(17_094_270, { series: 'SP_POP_TOTL', unit: 'NUMBER' })], [intl(17_150.76, { series: 'SP_POP_TOTL', unit: 'NUMBER', unitMult: 3 })], { tolerance: () => abs(1_000) });
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]).toMatchObject({ unitMult: 0, national: { value: 17_094_270 }, international: { value: 17_150_760 }, difference: { absolute: 56_490 } });
    // Absolute tolerances are in the series' unit at multiplier 0: 56,490 people is within 100,000.
    expect(pair([nat(17_094_270, { unit: 'NUMBER' })], [intl(17_150.76, { unit: 'NUMBER', unitMult: 3 })], { tolerance: () => abs(100_000) }).candidates).toEqual([]);
  });

  it('does not compare values of nature N or NA, nor values given as bounds', () => {
    const result = pair([nat(1), nat(2, { year: 2011 }), nat(3, { year: 2012 })], [intl(5, { nature: 'NA' }), intl(5, { year: 2011, nature: 'N' }), intl(0.1, { year: 2012, qualifier: '<' })], { tolerance: () => abs(0) });
    expect(result.candidates).toEqual([]);
    expect(result.notComparable.map((n) => n.reason)).toEqual(['nature_not_comparable', 'nature_not_comparable', 'bounded_value']);
  });

  it('pairs the international values of global reporting type, unless told otherwise', () => {
    const both = [intl(9, { reportingType: 'G' }), intl(7.4, { reportingType: 'N', nature: 'C' })];
    expect(pair([nat(7.4)], both, { tolerance: () => abs(0) }).candidates).toMatchObject([{ international: { value: 9 } }]);
    expect(pair([nat(7.4)], both, { tolerance: () => abs(0), internationalReportingType: 'N' }).candidates).toEqual([]);
    // A source without reporting types counts as global.
    expect(pair([nat(7.4)], [intl(9, { reportingType: null })], { tolerance: () => abs(0) }).candidates).toHaveLength(1);
  });

  it('refuses two observations of one side under one key (the caller’s data is broken)', () => {
    expect(() => pair([nat(1), nat(2)], [], { tolerance: () => abs(0) })).toThrow(/twice/);
  });

  it('lists candidates in a stable order: series, country, year, disaggregation', () => {
    const result = pair(
      [nat(1, { country: 'MEX' }), nat(1, { year: 2009 }), nat(1, { series: 'AA_FIRST' }), nat(1)],
      [intl(9, { country: 'MEX' }), intl(9, { year: 2009 }), intl(9, { series: 'AA_FIRST' }), intl(9)],
      { tolerance: () => abs(0) },
    );
    expect(result.candidates.map((c) => `${c.series} ${c.country} ${c.year}`)).toEqual(['AA_FIRST CHL 2010', 'SH_DYN_MORT CHL 2009', 'SH_DYN_MORT CHL 2010', 'SH_DYN_MORT MEX 2010']);
  });
});

describe('parseTolerance', () => {
  it('reads an absolute or relative tolerance and refuses nonsense', () => {
    expect(parseTolerance({ kind: 'absolute', value: 0.5 })).toEqual({ ok: true, tolerance: abs(0.5) });
    expect(parseTolerance({ kind: 'relative', value: 0.05 })).toEqual({ ok: true, tolerance: rel(0.05) });
    expect(parseTolerance({ kind: 'relative', value: -0.1 })).toMatchObject({ ok: false });
    expect(parseTolerance({ kind: 'relative', value: 11 })).toMatchObject({ ok: false }); // 1,100 %: surely meant 11 %
    expect(parseTolerance({ kind: 'absolute', value: Number.NaN })).toMatchObject({ ok: false });
    expect(parseTolerance({ kind: 'percent', value: 1 })).toMatchObject({ ok: false });
  });
});
