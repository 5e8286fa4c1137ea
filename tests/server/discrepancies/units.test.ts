import { describe, expect, it } from 'vitest';
import { UNITS, comparable, parseUnit, toCommonScale, unitLabel } from '../../../server/features/discrepancies/domain/units.js';

describe('the unit model', () => {
  it('knows the units of the group’s indicators, each labelled in English and Spanish', () => {
    for (const code of ['PERCENT', 'PER_100', 'PER_1000', 'PER_100000', 'PER_1000_LIVE_BIRTHS', 'PER_100000_LIVE_BIRTHS', 'PER_100000_POP', 'RATIO', 'NUMBER', 'CON_USD', 'CUR_LCU', 'INDEX', 'YEARS']) {
      const unit = parseUnit(code);
      expect(unit, code).not.toBeNull();
      expect(unit!.known).toBe(true);
      expect(unit!.label.en).not.toBe('');
      expect(unit!.label.es).not.toBe('');
    }
    expect(new Set(UNITS.map((u) => u.code)).size).toBe(UNITS.length);
  });

  it('reads a rate code it has not listed from its parts, and keeps other clean codes as opaque units', () => {
    expect(parseUnit('PER_10000_POP')).toMatchObject({ kind: 'rate', base: 10_000, denominator: 'POP', known: false, scalable: false });
    expect(parseUnit('HA')).toMatchObject({ code: 'HA', kind: 'other', known: false });
    expect(parseUnit('%')?.code).toBe('PERCENT');
    expect(parseUnit(' percent ')?.code).toBe('PERCENT');
    expect(parseUnit('por 1.000')).toBeNull();
    expect(parseUnit('')).toBeNull();
  });

  it('labels units for people', () => {
    expect(unitLabel('PER_1000_LIVE_BIRTHS', 'es')).toBe('por 1.000 nacidos vivos');
    expect(unitLabel('PER_1000_LIVE_BIRTHS', 'en')).toBe('per 1,000 live births');
    expect(unitLabel('PER_10000_POP', 'en')).toBe('per 10,000 population');
    expect(unitLabel('HA', 'en')).toBe('HA');
  });
});

describe('comparable(a, b)', () => {
  const of = (code: string, mult = 0) => ({ unit: code, unitMult: mult });

  it('compares a unit with itself', () => {
    expect(comparable(of('PERCENT'), of('PERCENT'))).toEqual({ comparable: true, scale: 0 });
    expect(comparable(of('PER_1000_LIVE_BIRTHS'), of('PER_1000_LIVE_BIRTHS')).comparable).toBe(true);
  });

  it('NEVER compares a percentage with a rate per 1,000 (issue 14): a case is not opened on it', () => {
    const verdict = comparable(of('PERCENT'), of('PER_1000'));
    expect(verdict).toEqual({ comparable: false, reason: 'different_units' });
    expect(comparable(of('PER_1000'), of('PERCENT')).comparable).toBe(false);
    expect(comparable(of('PERCENT'), of('PER_1000_LIVE_BIRTHS')).comparable).toBe(false);
  });

  it('does not rescale between rates of different bases or denominators either', () => {
    expect(comparable(of('PER_1000_LIVE_BIRTHS'), of('PER_100000_LIVE_BIRTHS'))).toEqual({ comparable: false, reason: 'different_units' });
    expect(comparable(of('PER_1000_LIVE_BIRTHS'), of('PER_1000_POP')).comparable).toBe(false);
    expect(comparable(of('PER_100'), of('PERCENT')).comparable).toBe(false);
    expect(comparable(of('CON_USD'), of('CUR_LCU')).comparable).toBe(false);
    expect(comparable(of('RATIO'), of('PERCENT')).comparable).toBe(false);
  });

  it('converts between unit multipliers of a scalable unit (thousands vs units)', () => {
    expect(comparable(of('NUMBER', 3), of('NUMBER', 0))).toEqual({ comparable: true, scale: 0 });
    expect(comparable(of('CON_USD', 6), of('CON_USD', 9))).toEqual({ comparable: true, scale: 6 });
    expect(toCommonScale(12.5, 3, 0)).toBe(12_500);
    expect(toCommonScale(1.234, 9, 6)).toBe(1_234);
    expect(toCommonScale(0.1, 1, 0)).toBe(1); // decimal-exact, not 1.0000000000000002
    expect(toCommonScale(7, 0, 0)).toBe(7);
  });

  it('refuses a unit multiplier on a unit that has none (a percentage in thousands means nothing)', () => {
    expect(comparable(of('PERCENT', 3), of('PERCENT', 0))).toEqual({ comparable: false, reason: 'unit_mult_not_applicable' });
    expect(comparable(of('PER_1000_LIVE_BIRTHS', 0), of('PER_1000_LIVE_BIRTHS', 2)).comparable).toBe(false);
  });

  it('refuses unknown or missing units rather than guess', () => {
    expect(comparable(of(''), of('PERCENT'))).toEqual({ comparable: false, reason: 'unknown_unit' });
    expect(comparable(of('por mil'), of('por mil'))).toEqual({ comparable: false, reason: 'unknown_unit' });
    // An opaque unit compares with itself only, and never rescales.
    expect(comparable(of('HA'), of('HA'))).toEqual({ comparable: true, scale: 0 });
    expect(comparable(of('HA', 3), of('HA')).comparable).toBe(false);
  });
});
