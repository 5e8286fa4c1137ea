import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TOTAL, type Observation } from '../../../server/features/discrepancies/domain/observations.js';
import { CaseSeriesSchema, type CaseSeries } from '../../../server/features/discrepancies/domain/schemas.js';
import { buildCaseSeries } from '../../../server/features/discrepancies/domain/case-series.js';

const base = (side: Observation['side'], year: number, value: number, over: Partial<Observation> = {}): Observation => ({
  side, series: 'SH_DYN_MORT', indicator: '3.2.1', country: 'CHL', year, timeDetail: null, disaggregation: TOTAL, value, qualifier: null,
  lowerBound: null, upperBound: null, unit: 'PER_1000_LIVE_BIRTHS', unitMult: 0, nature: side === 'international' ? 'E' : null,
  reportingType: side === 'international' ? 'G' : null, obsStatus: null, sourceType: side === 'national' ? 'civil_registration' : null,
  source: null, footnote: null, ...over,
});
const nat = (year: number, value: number, over: Partial<Observation> = {}) => base('national', year, value, over);
const intl = (year: number, value: number, over: Partial<Observation> = {}) => base('international', year, value, over);
const subject = { series: 'SH_DYN_MORT', country: 'CHL', disaggregation: TOTAL };
const validate = new Ajv().compile(CaseSeriesSchema); // strict, as the API's validators are

const observations = [
  nat(2008, 7.9), nat(2009, 7.6), nat(2010, 7.4),
  // 2011 missing: a gap before 2012
  nat(2012, 6.9), nat(2013, 6.6, { obsStatus: 'B' }), nat(2014, 6.4, { sourceType: 'survey' }),
  intl(2008, 8.9), intl(2009, 8.7), intl(2010, 8.5), intl(2011, 8.2, { nature: 'M' }), intl(2012, 8.0), intl(2013, 7.6, { nature: 'CA' }),
  // Not this subject: other country, other sex, the national (N) figures of the Global Database.
  nat(2010, 15, { country: 'MEX' }), intl(2010, 9.9, { disaggregation: { ...TOTAL, sex: 'F' } }), intl(2010, 7.4, { reportingType: 'N', nature: 'C' }),
];

describe('the case series a chart draws', () => {
  const built = buildCaseSeries(subject, observations, { caseYear: 2010 });

  it('is valid against its TypeBox schema (checked with the API’s Ajv)', () => {
    expect(validate(built), JSON.stringify(validate.errors)).toBe(true);
  });

  it('holds both sides by year, only for the case’s series, country and disaggregation', () => {
    expect(built).toMatchObject({ series: 'SH_DYN_MORT', indicator: '3.2.1', country: 'CHL', disaggregation: TOTAL, caseYear: 2010, years: { from: 2008, to: 2014 } });
    expect(built.unit).toEqual({ code: 'PER_1000_LIVE_BIRTHS', unitMult: 0, label: { en: 'per 1,000 live births', es: 'por 1.000 nacidos vivos' } });
    expect(built.national.map((p) => [p.year, p.value])).toEqual([[2008, 7.9], [2009, 7.6], [2010, 7.4], [2012, 6.9], [2013, 6.6], [2014, 6.4]]);
    expect(built.international.map((p) => [p.year, p.value])).toEqual([[2008, 8.9], [2009, 8.7], [2010, 8.5], [2011, 8.2], [2012, 8.0], [2013, 7.6]]);
  });

  it('marks the nature of each international value', () => {
    expect(built.international.map((p) => p.nature)).toEqual(['E', 'E', 'E', 'M', 'E', 'CA']);
    expect(built.national.every((p) => p.nature === null)).toBe(true);
  });

  it('marks breaks: a missing year, a break the source flags (OBS_STATUS B), a change of source type', () => {
    expect(built.national.map((p) => p.breakBefore)).toEqual([null, null, null, 'gap', 'series_break', 'source_changed']);
    expect(built.international.map((p) => p.breakBefore)).toEqual([null, null, null, null, null, null]);
  });

  it('states values in one unit: counts in thousands and in units meet; other units are left out and listed', () => {
    const counts = buildCaseSeries(
      { series: 'SP_POP_TOTL', country: 'CHL', disaggregation: TOTAL },
      [
        nat(2010, 17_094_270, { series: 'SP_POP_TOTL', unit: 'NUMBER' }),
        intl(2010, 17_150.76, { series: 'SP_POP_TOTL', unit: 'NUMBER', unitMult: 3 }),
        intl(2011, 1.2, { series: 'SP_POP_TOTL', unit: 'PERCENT' }),
      ],
      { caseYear: 2010 },
    );
    expect(counts.unit).toMatchObject({ code: 'NUMBER', unitMult: 0 });
    expect(counts.international).toMatchObject([{ year: 2010, value: 17_150_760 }]);
    expect(counts.excluded).toEqual([{ side: 'international', year: 2011, unit: 'PERCENT', unitMult: 0, reason: 'different_units' }]);
    expect(validate(counts)).toBe(true);
  });

  it('takes the unit of the national value of the case’s year', () => {
    const mixed = buildCaseSeries(subject, [nat(2009, 0.79, { unit: 'PERCENT' }), nat(2010, 7.4), intl(2010, 8.5)], { caseYear: 2010 });
    expect(mixed.unit?.code).toBe('PER_1000_LIVE_BIRTHS');
    expect(mixed.excluded).toEqual([{ side: 'national', year: 2009, unit: 'PERCENT', unitMult: 0, reason: 'different_units' }]);
  });

  it('keeps bounds and their sign, and the source of each point', () => {
    const bounded = buildCaseSeries(subject, [intl(2010, 0.1, { qualifier: '<', lowerBound: null, upperBound: 0.3, source: 'UNAIDS' })], {});
    expect(bounded.international[0]).toMatchObject({ value: 0.1, qualifier: '<', upperBound: 0.3, lowerBound: null, source: 'UNAIDS' });
    expect(bounded.caseYear).toBeNull();
    expect(validate(bounded)).toBe(true);
  });

  it('is empty, not broken, without observations', () => {
    const empty = buildCaseSeries(subject, [], { caseYear: 2010 });
    expect(empty).toMatchObject({ national: [], international: [], years: null, excluded: [] });
    expect(validate(empty)).toBe(true);
  });

  it('is refused by the schema when a point is malformed', () => {
    const broken = structuredClone(built) as unknown as { national: Array<Record<string, unknown>> };
    broken.national[0]!.value = 'seven';
    expect(validate(broken)).toBe(false);
    const extra = { ...built, surprise: true } as CaseSeries;
    expect(validate(extra)).toBe(false);
  });
});
