import { describe, expect, it } from 'vitest';
import { TOTAL, type Observation } from '../../../server/features/discrepancies/domain/observations.js';
import { pair, repair, type OpenCase, type Tolerance } from '../../../server/features/discrepancies/domain/pairing.js';

const base = (side: Observation['side'], value: number, over: Partial<Observation>): Observation => ({
  side, series: 'SH_DYN_MORT', indicator: '3.2.1', country: 'CHL', year: 2010, timeDetail: null, disaggregation: TOTAL, value, qualifier: null,
  lowerBound: null, upperBound: null, unit: 'PER_1000_LIVE_BIRTHS', unitMult: 0, nature: side === 'international' ? 'E' : null,
  reportingType: side === 'international' ? 'G' : null, obsStatus: null, sourceType: null, source: null, footnote: null, ...over,
});
const nat = (value: number, over: Partial<Observation> = {}) => base('national', value, over);
const intl = (value: number, over: Partial<Observation> = {}) => base('international', value, over);
const options = { tolerance: (): Tolerance => ({ kind: 'absolute', value: 0.5 }) };

/** The 2025 release opened these cases (national 7.4, 7.1, 6.9, 6.5 for 2010–2013; poverty 2009). */
const nationals = [nat(7.4), nat(7.1, { year: 2011 }), nat(6.9, { year: 2012 }), nat(6.5, { year: 2013 }), nat(1.4, { series: 'SI_POV_DAY1', unit: 'PERCENT', year: 2009 }), nat(6.0, { year: 2014 })];
const release2025 = [intl(8.5), intl(8.2, { year: 2011 }), intl(8.0, { year: 2012 }), intl(7.6, { year: 2013 }), intl(2.4, { series: 'SI_POV_DAY1', unit: 'PERCENT', year: 2009, nature: 'CA' }), intl(6.1, { year: 2014 })];
const opened = pair(nationals, release2025, options).candidates;
const cases: OpenCase[] = opened.map((c, i) => ({ id: `case-${i + 1}`, national: c.national.observation, international: c.international.observation }));
const caseKeys = new Set(opened.map((c) => c.key));
const idOf = (year: number, series = 'SH_DYN_MORT') => cases.find((c) => c.national.year === year && c.national.series === series)!.id;

describe('re-pairing the open cases on a new international release', () => {
  it('opened five cases on the first release (2014 was within tolerance)', () => {
    expect(cases).toHaveLength(5);
  });

  it('says per case what changed', () => {
    const release2026 = [
      intl(8.5), // 2010 unchanged
      intl(8.9, { year: 2011 }), // 2011 value changed, still beyond
      intl(7.2, { year: 2012 }), // 2012 now within tolerance of 6.9
      // 2013 removed from the release
      intl(6.1, { year: 2014 }),
      intl(5.9, { year: 2015 }), // a new year
    ];
    const { changes, newGaps } = repair(cases, release2026, [...nationals, nat(5.1, { year: 2015 })], caseKeys, options);
    const byId = new Map(changes.map((c) => [c.caseId, c]));
    expect(byId.get(idOf(2010))).toEqual({ caseId: idOf(2010), change: 'unchanged', difference: { absolute: 1.1, relative: 0.148648648649 } });
    expect(byId.get(idOf(2011))).toMatchObject({ change: 'value_changed', before: { value: 8.2 }, after: { value: 8.9 }, difference: { absolute: 1.8 }, beyondTolerance: true });
    expect(byId.get(idOf(2012))).toMatchObject({ change: 'now_within_tolerance', before: { value: 8.0 }, after: { value: 7.2 }, difference: { absolute: 0.3 }, beyondTolerance: false });
    expect(byId.get(idOf(2013))).toMatchObject({ change: 'observation_removed', before: { value: 7.6 } });
    // The release holds no poverty series: that case is not touched.
    expect(byId.get(idOf(2009, 'SI_POV_DAY1'))).toEqual({ caseId: idOf(2009, 'SI_POV_DAY1'), change: 'not_in_release' });
    expect(changes).toHaveLength(5);
    // 2015 is a new gap (5.1 vs 5.9); 2014 is within tolerance and no new case.
    expect(newGaps.map((g) => [g.year, g.national.value, g.international.value])).toEqual([[2015, 5.1, 5.9]]);
  });

  it('tells a change of nature from a change of value', () => {
    const { changes } = repair(cases, [intl(8.5, { nature: 'M' })], nationals, caseKeys, options);
    expect(changes.find((c) => c.caseId === idOf(2010))).toMatchObject({ change: 'nature_changed', before: { nature: 'E' }, after: { nature: 'M' } });
  });

  it('reports a release that restates a case’s value in another unit as not comparable, not as resolved', () => {
    const { changes } = repair(cases, [intl(0.85, { unit: 'PERCENT' })], nationals, caseKeys, options);
    expect(changes.find((c) => c.caseId === idOf(2010))).toMatchObject({ change: 'not_comparable', reason: 'different_units', after: { unit: 'PERCENT' } });
  });

  it('opens no new gap on a key that already has a case in any status', () => {
    const closedKey = opened.find((c) => c.year === 2013)!.key;
    const open = cases.filter((c) => c.national.year !== 2013);
    const { newGaps, changes } = repair(open, [intl(9.9, { year: 2013 })], nationals, caseKeys, options);
    expect(newGaps).toEqual([]);
    expect(caseKeys.has(closedKey)).toBe(true);
    expect(changes.map((c) => c.change).sort()).toEqual(['not_in_release', 'observation_removed', 'observation_removed', 'observation_removed']);
  });

  it('is pure: the cases and observations given are not modified', () => {
    const snapshot = JSON.stringify(cases);
    repair(cases, [intl(1)], nationals, caseKeys, options);
    expect(JSON.stringify(cases)).toBe(snapshot);
  });
});
