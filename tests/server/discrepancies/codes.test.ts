import { describe, expect, it } from 'vitest';
import {
  AGE_GROUPS,
  CAUSES,
  LOCATIONS,
  NATURES,
  OBS_STATUSES,
  REPORTING_TYPES,
  SEXES,
  SOURCE_TYPES,
  causeSuggestedByNature,
  normalizeAge,
  normalizeLocation,
  normalizeSex,
  type CodeList,
} from '../../../server/features/discrepancies/domain/codes.js';

const lists: Array<[string, CodeList<string>]> = [
  ['nature', NATURES],
  ['reporting type', REPORTING_TYPES],
  ['source type', SOURCE_TYPES],
  ['sex', SEXES],
  ['age', AGE_GROUPS],
  ['location', LOCATIONS],
  ['observation status', OBS_STATUSES],
  ['cause', CAUSES],
];

describe('code lists', () => {
  it.each(lists)('%s: unique codes, each labelled in English and Spanish', (_name, list) => {
    expect(list.items.length).toBeGreaterThan(1);
    expect(new Set(list.codes).size).toBe(list.items.length);
    for (const item of list.items) {
      expect(item.label.en.trim()).not.toBe('');
      expect(item.label.es.trim()).not.toBe('');
      expect(list.has(item.code)).toBe(true);
      expect(list.label(item.code, 'es')).toBe(item.label.es);
    }
    expect(list.has('nonsense')).toBe(false);
    expect(list.label('nonsense', 'en')).toBeNull();
  });

  it('has the UN SDG Global Database natures, with their meanings', () => {
    expect(NATURES.codes).toEqual(['C', 'CA', 'E', 'M', 'G', 'N', 'NA']);
    expect(NATURES.label('CA', 'en')).toMatch(/adjusted/i);
    expect(NATURES.label('M', 'es')).toMatch(/modelad|modeliz/i);
    for (const item of NATURES.items) expect(item.description?.en.length).toBeGreaterThan(20);
    expect(REPORTING_TYPES.codes).toEqual(['N', 'G']);
  });

  it('has SDMX-like disaggregation codes with a total', () => {
    expect(SEXES.codes).toEqual(['_T', 'F', 'M']);
    expect(LOCATIONS.codes).toEqual(['_T', 'U', 'R']);
    expect(AGE_GROUPS.codes[0]).toBe('_T');
    for (const code of SOURCE_TYPES.codes) expect(code).toMatch(/^[a-z_]+$/);
    expect(SOURCE_TYPES.codes).toEqual(expect.arrayContaining(['survey', 'census', 'register', 'other']));
  });

  it('has the thirteen causes of issue 14, adjustment, estimate and model tied to CA, E and M', () => {
    expect(CAUSES.codes).toEqual([
      'different_source',
      'definition_coverage',
      'agency_adjustment',
      'agency_estimate',
      'agency_model',
      'population_base',
      'timeliness',
      'not_transmitted',
      'reference_period',
      'disaggregation',
      'units',
      'processing_error',
      'other',
    ]);
    expect(causeSuggestedByNature('CA')).toBe('agency_adjustment');
    expect(causeSuggestedByNature('E')).toBe('agency_estimate');
    expect(causeSuggestedByNature('M')).toBe('agency_model');
    expect(causeSuggestedByNature('C')).toBeNull();
    expect(causeSuggestedByNature(null)).toBeNull();
  });
});

describe('normalizing disaggregation codes', () => {
  it.each([
    ['_T', '_T'], ['', '_T'], ['BOTHSEX', '_T'], ['F', 'F'], ['female', 'F'], ['Mujeres', 'F'], ['M', 'M'], ['MALE', 'M'], ['hombres', 'M'],
  ])('sex %j → %s', (raw, code) => expect(normalizeSex(raw)).toBe(code));

  it.each([['X'], ['both'], ['FM']])('sex %j is refused', (raw) => expect(normalizeSex(raw)).toBeNull());

  it.each([
    ['ALLAREA', '_T'], ['', '_T'], ['_T', '_T'], ['URBAN', 'U'], ['urbano', 'U'], ['U', 'U'], ['RURAL', 'R'], ['r', 'R'], ['Total', '_T'],
  ])('location %j → %s', (raw, code) => expect(normalizeLocation(raw)).toBe(code));

  it('refuses an unknown location', () => expect(normalizeLocation('SUBURBAN')).toBeNull());

  it.each([
    ['ALLAGE', '_T'], ['', '_T'], ['_T', '_T'], ['<5Y', 'Y_LT5'], ['<1Y', 'Y_LT1'], ['15-24', 'Y15T24'], ['15-24Y', 'Y15T24'],
    ['15+', 'Y_GE15'], ['65+Y', 'Y_GE65'], ['Y15T24', 'Y15T24'], ['y_lt5', 'Y_LT5'], ['0-14', 'Y0T14'], ['TOTAL', '_T'],
    ['<1M', 'M_LT1'], ['0-11M', 'M0T11'], ['M0T11', 'M0T11'], ['M_LT1', 'M_LT1'], [' 15 - 24 ', 'Y15T24'],
  ])('age %j → %s', (raw, code) => expect(normalizeAge(raw)).toBe(code));

  it('keeps an age band it cannot read as an opaque upper-case code, and refuses garbage', () => {
    expect(normalizeAge('PRIMARY_AGE')).toBe('PRIMARY_AGE');
    expect(normalizeAge('<5Y>')).toBe('<5Y>');
    expect(normalizeAge('2-5W')).toBe('2-5W');
    expect(normalizeAge('15 - 24 years; or so')).toBeNull();
    expect(normalizeAge('24-15')).toBeNull();
    expect(normalizeAge('Y24T15')).toBeNull();
    expect(normalizeAge('edad: 15')).toBeNull();
  });
});
