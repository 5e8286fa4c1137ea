import { describe, expect, it } from 'vitest';
import { TOTAL, disaggregationKey, observationKey, parseDecimal, parseUnitMult, parseYear } from '../../../server/features/discrepancies/domain/observations.js';

describe('parseDecimal', () => {
  it.each([
    ['8.5', 8.5], ['-0.25', -0.25], ['17', 17], ['.5', 0.5], ['1e3', 1000], [' 19.0 ', 19],
  ])('reads %j as %d', (raw, value) => expect(parseDecimal(raw)).toEqual({ kind: 'number', value, qualifier: null }));

  it('keeps the sign of a bound', () => {
    expect(parseDecimal('<0.1')).toEqual({ kind: 'number', value: 0.1, qualifier: '<' });
    expect(parseDecimal('>= 95')).toEqual({ kind: 'number', value: 95, qualifier: '>=' });
  });

  it.each(['8,5', '1,000', 'NaN', 'Infinity', 'n/a', '8.5%', '0x10', '1 000', '--1', '..'])('refuses %j with a point-only convention', (raw) => {
    expect(parseDecimal(raw, 'point')).toEqual({ kind: 'invalid', reason: 'not_a_number' });
  });

  it('reads a decimal comma in the Spanish convention, and refuses a point that may be a thousands separator there', () => {
    expect(parseDecimal('8,5', 'either')).toEqual({ kind: 'number', value: 8.5, qualifier: null });
    expect(parseDecimal('8.5', 'either')).toEqual({ kind: 'number', value: 8.5, qualifier: null });
    expect(parseDecimal('0,125', 'either')).toEqual({ kind: 'number', value: 0.125, qualifier: null });
    expect(parseDecimal('1.000', 'either')).toEqual({ kind: 'invalid', reason: 'ambiguous_separator' });
    expect(parseDecimal('2,500', 'either')).toEqual({ kind: 'number', value: 2.5, qualifier: null });
    expect(parseDecimal('95,725', 'either')).toEqual({ kind: 'number', value: 95.725, qualifier: null });
    expect(parseDecimal('<0,1', 'either')).toEqual({ kind: 'number', value: 0.1, qualifier: '<' });
    expect(parseDecimal('1.000,5', 'either')).toEqual({ kind: 'invalid', reason: 'not_a_number' });
    expect(parseDecimal('1.000', 'point')).toEqual({ kind: 'number', value: 1, qualifier: null });
  });

  it('says empty for an empty cell, and takes spreadsheet numbers as they are', () => {
    expect(parseDecimal('  ')).toEqual({ kind: 'empty' });
    expect(parseDecimal(8.5)).toEqual({ kind: 'number', value: 8.5, qualifier: null });
    expect(parseDecimal(Number.NaN)).toEqual({ kind: 'invalid', reason: 'not_a_number' });
  });
});

describe('parseYear and parseUnitMult', () => {
  it.each([['2010', 2010], [2010, 2010], ['2010.0', 2010], [' 1990 ', 1990], ['1900', 1900], ['2100', 2100]])('year %j → %d', (raw, year) => expect(parseYear(raw)).toBe(year));
  it.each(['', '20x0', '2009-2010', '1899', '2101', '10', '2010.5', 2010.5, 'FY2010'])('refuses year %j', (raw) => expect(parseYear(raw)).toBeNull());
  it('reads unit multipliers, empty as 0', () => {
    expect(parseUnitMult('')).toBe(0);
    expect(parseUnitMult('3')).toBe(3);
    expect(parseUnitMult(6)).toBe(6);
    expect(parseUnitMult('-3')).toBe(-3);
    expect(parseUnitMult('thousands')).toBeNull();
    expect(parseUnitMult('1.5')).toBeNull();
  });
});

describe('keys', () => {
  it('pairs on series × country × year × disaggregation, other dimensions in a stable order', () => {
    const a = { series: 'SE_TOT_CPLR', country: 'ARG', year: 2010, disaggregation: { sex: 'F', age: '_T', location: '_T', other: { educationlev: 'PRIMAR', quantile: '_T' } } } as const;
    const b = { ...a, disaggregation: { ...a.disaggregation, other: { quantile: '_T', educationlev: 'PRIMAR' } } };
    expect(observationKey(a)).toBe(observationKey(b));
    expect(observationKey(a)).toBe('SE_TOT_CPLR|ARG|2010|F|_T|_T|educationlev=PRIMAR;quantile=_T');
    expect(disaggregationKey(TOTAL)).toBe('_T|_T|_T');
    expect(observationKey({ ...a, year: 2011 })).not.toBe(observationKey(a));
  });
});
