import { describe, expect, it } from 'vitest';
import countriesFile from '../../../server/features/reference/countries.json' with { type: 'json' };
import m49File from '../../../server/features/reference/m49.json' with { type: 'json' };
import { countryCodes } from '../../../server/features/reference/country-codes.js';

/** The M49 ↔ ISO table the UNSD importer relies on: complete, unique, consistent with countries.json. */
describe('M49 codes of the 33 countries', () => {
  it('lists exactly the countries of countries.json, with the same ISO codes', () => {
    const iso = countriesFile.countries.map((c) => `${c.iso2}/${c.iso3}`).sort();
    const m49 = m49File.countries.map((c) => `${c.iso2}/${c.iso3}`).sort();
    expect(m49).toEqual(iso);
    expect(m49).toHaveLength(33);
  });

  it('has three-digit codes, none repeated', () => {
    const codes = m49File.countries.map((c) => c.m49);
    for (const code of codes) expect(code).toMatch(/^\d{3}$/);
    expect(new Set(codes).size).toBe(33);
  });

  // Written out by hand from the UN M49 standard (ISO 3166-1 numeric), independently of the file.
  it.each([
    ['028', 'ATG'], ['032', 'ARG'], ['044', 'BHS'], ['052', 'BRB'], ['068', 'BOL'], ['076', 'BRA'], ['084', 'BLZ'],
    ['152', 'CHL'], ['170', 'COL'], ['188', 'CRI'], ['192', 'CUB'], ['212', 'DMA'], ['214', 'DOM'], ['218', 'ECU'],
    ['222', 'SLV'], ['308', 'GRD'], ['320', 'GTM'], ['328', 'GUY'], ['332', 'HTI'], ['340', 'HND'], ['388', 'JAM'],
    ['484', 'MEX'], ['558', 'NIC'], ['591', 'PAN'], ['600', 'PRY'], ['604', 'PER'], ['659', 'KNA'], ['662', 'LCA'],
    ['670', 'VCT'], ['740', 'SUR'], ['780', 'TTO'], ['858', 'URY'], ['862', 'VEN'],
  ])('M49 %s is %s', (m49, iso3) => {
    expect(countryCodes.fromM49(m49)?.iso3).toBe(iso3);
    expect(countryCodes.fromIso3(iso3)?.m49).toBe(m49);
  });

  it('reads M49 codes as UNSD writes them, without leading zeros', () => {
    expect(countryCodes.fromM49('76')?.iso3).toBe('BRA');
    expect(countryCodes.fromM49('28')?.iso3).toBe('ATG');
    expect(countryCodes.fromM49('076')?.iso2).toBe('BR');
    expect(countryCodes.fromM49(' 152 ')?.iso3).toBe('CHL');
  });

  it('knows nothing outside the group and refuses what is not a code', () => {
    expect(countryCodes.fromM49('419')).toBeNull(); // Latin America and the Caribbean, a region
    expect(countryCodes.fromM49('840')).toBeNull(); // United States, not an ECLAC member in this list
    expect(countryCodes.fromM49('1520')).toBeNull();
    expect(countryCodes.fromM49('15a')).toBeNull();
    expect(countryCodes.fromM49('')).toBeNull();
    expect(countryCodes.fromIso3('USA')).toBeNull();
  });

  it('resolves any of the three codes, in any case, and says which one it was', () => {
    expect(countryCodes.resolve('chl')).toMatchObject({ iso3: 'CHL', iso2: 'CL', m49: '152' });
    expect(countryCodes.resolve('CL')?.iso3).toBe('CHL');
    expect(countryCodes.resolve('152')?.iso3).toBe('CHL');
    expect(countryCodes.resolve('Chile')).toBeNull();
    expect(countryCodes.resolve('XX')).toBeNull();
  });
});
