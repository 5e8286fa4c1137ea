import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countryCodes } from '../../../server/features/reference/country-codes.js';
import { importUnsdCsv, readUnsdCsv } from '../../../server/features/discrepancies/domain/unsd-csv.js';

const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url);
const options = { countries: countryCodes };
const HEADER = 'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,Source,FootNote,[Nature],[Units],[Reporting Type],[Sex],[Age],[Location]';
const row = (over: Partial<Record<'series' | 'area' | 'year' | 'value' | 'nature' | 'units' | 'rt' | 'sex' | 'age' | 'location', string>> = {}) => {
  const v = { series: 'SH_DYN_MORT', area: '152', year: '2010', value: '8.5', nature: 'E', units: 'PER_1000_LIVE_BIRTHS', rt: 'G', sex: '_T', age: '<5Y', location: 'ALLAREA', ...over };
  return `3,3.2,3.2.1,${v.series},"Under-five mortality rate (deaths per 1,000 live births)",${v.area},Somewhere,${v.year},${v.value},${v.year},UN IGME,,${v.nature},${v.units},${v.rt},${v.sex},${v.age},${v.location}`;
};
const csv = (...rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

describe('UNSD SDG API CSV: the sample in UNSD’s column layout', () => {
  it('reads every row of the sample as an international observation', async () => {
    const report = await importUnsdCsv(createReadStream(fixture('sdg-api-sample.csv')), options);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ ok: true, rows: 12, skipped: 0 });
    const [first] = report.accepted;
    expect(first).toEqual({
      side: 'international',
      series: 'SH_DYN_MORT',
      indicator: '3.2.1',
      country: 'CHL',
      year: 2008,
      timeDetail: '2008',
      disaggregation: { sex: '_T', age: 'Y_LT5', location: '_T', other: {} },
      value: 8.9,
      qualifier: null,
      lowerBound: null,
      upperBound: null,
      unit: 'PER_1000_LIVE_BIRTHS',
      unitMult: 0,
      nature: 'E',
      reportingType: 'G',
      obsStatus: null,
      sourceType: null,
      source: 'UN Inter-agency Group for Child Mortality Estimation (IGME), estimates 2025',
      footnote: 'Estimates are derived from a statistical model fitted to all national data points.',
    });
    expect(report.accepted.map((o) => o.country)).toEqual(['CHL', 'CHL', 'CHL', 'MEX', 'MEX', 'MEX', 'BRA', 'BRA', 'BRA', 'CHL', 'PER', 'ARG']);
    const argentina = report.accepted.at(-1)!;
    expect(argentina).toMatchObject({ series: 'SE_TOT_CPLR', nature: 'M', unit: 'PERCENT', value: 95.7, disaggregation: { sex: 'F', age: '_T', location: '_T' } });
    expect(report.accepted.find((o) => o.country === 'PER')).toMatchObject({ nature: 'C', footnote: 'Encuesta Nacional de Hogares (ENAHO), 2010' });
    expect(report.accepted.find((o) => o.series === 'SI_POV_DAY1' && o.country === 'CHL')?.footnote).toBe(
      'Survey: Encuesta de Caracterización Socioeconómica Nacional (CASEN), 2009; consumption aggregate adjusted for comparability.',
    );
  });
});

describe('UNSD SDG API CSV: a harder export', () => {
  const bytes = readFileSync(fixture('sdg-api-hard.csv'));

  it('is a file with a byte-order mark and CRLF line ends (so the test tests them)', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
  });

  it('reads the header, not positions: reordered and extra bracketed columns, quotes, commas, line breaks, empty cells', async () => {
    const report = await importUnsdCsv(bytes, options);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    const got = report.accepted;
    expect(got).toHaveLength(7);
    expect(got[0]).toMatchObject({
      series: 'SH_DYN_MORT', country: 'CHL', year: 2010, value: 8.9, nature: 'E', reportingType: 'G', unit: 'PER_1000_LIVE_BIRTHS',
      source: 'UN IGME, "Levels and trends", 2025', footnote: null, lowerBound: 8.2, upperBound: 9.6, obsStatus: null,
      disaggregation: { sex: '_T', age: 'Y_LT5', location: '_T', other: {} },
    });
    // Same key, the other reporting type: not a duplicate.
    expect(got[1]).toMatchObject({ reportingType: 'N', nature: 'C', value: 7.4, footnote: 'Registered deaths, corrected for\nlate registration.', obsStatus: 'A' });
    expect(got[2]).toMatchObject({ disaggregation: { sex: 'M', location: '_T' }, timeDetail: null, nature: 'M' });
    // The extra dimension keeps two education levels apart; M49 with and without leading zeros.
    expect(got[3]).toMatchObject({ country: 'ARG', disaggregation: { sex: 'F', age: '_T', other: { educationlevel: 'PRIMAR' } }, footnote: 'Model-based estimate; national data "not available" for the year.' });
    expect(got[4]).toMatchObject({ country: 'ARG', nature: 'CA', disaggregation: { location: 'U', other: { educationlevel: 'LOWSEC' } } });
    expect(got[5]).toMatchObject({ country: 'ATG', value: 0.1, qualifier: '<', unit: 'PER_1000_UNINFECTED_POP', obsStatus: 'E' });
    expect(got[6]).toMatchObject({ country: 'CHL', series: 'SI_POV_DAY1', obsStatus: 'B', disaggregation: { location: 'R' } });
  });

  it('reads the same from a stream of tiny chunks', async () => {
    async function* trickle() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const report = await importUnsdCsv(trickle(), options);
    expect(report.accepted).toEqual((await importUnsdCsv(bytes, options)).accepted);
  });
});

describe('UNSD SDG API CSV: refused rows, each with its row number and reason', () => {
  it.each([
    ['bad_country_code', row({ area: 'CHL' })],
    ['country_not_in_group', row({ area: '840' })],
    ['non_numeric_value', row({ value: 'n/a' })],
    ['non_numeric_value', row({ value: '"8,5"' })],
    ['value_missing', row({ value: '' })],
    ['bad_year', row({ year: '20x0' })],
    ['bad_year', row({ year: '2009-2010' })],
    ['unit_missing', row({ units: '' })],
    ['bad_unit', row({ units: 'per mil' })],
    ['bad_nature', row({ nature: 'X' })],
    ['bad_reporting_type', row({ rt: 'R' })],
    ['bad_sex', row({ sex: 'BOTH' })],
    ['bad_location', row({ location: 'SUBURBAN' })],
    ['bad_age', row({ age: '15 - 24; or so' })],
    ['bad_series', row({ series: 'SH DYN MORT' })],
    ['series_missing', row({ series: '' })],
  ])('%s', async (code, line) => {
    const report = await importUnsdCsv(csv(row({ year: '2001' }), line, row({ year: '2002' })), options);
    expect(report.ok).toBe(false);
    expect(report.accepted).toEqual([]);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ row: 3, code });
    expect(report.errors[0]!.message.length).toBeGreaterThan(10);
  });

  it('refuses a series the catalogue does not know, when given one', async () => {
    const report = await importUnsdCsv(csv(row(), row({ series: 'SH_XYZ' })), { ...options, isKnownSeries: (code) => code === 'SH_DYN_MORT' });
    expect(report.errors).toMatchObject([{ row: 3, code: 'unknown_series', column: 'SeriesCode', value: 'SH_XYZ' }]);
  });

  it('refuses a second row with the same key, naming the first', async () => {
    const report = await importUnsdCsv(csv(row(), row({ year: '2011' }), row({ value: '9.9' })), options);
    expect(report.errors).toMatchObject([{ row: 4, code: 'duplicate_key' }]);
    expect(report.errors[0]!.message).toContain('row 2');
  });

  it('lists every problem of a row, and every refused row', async () => {
    const report = await importUnsdCsv(csv(row({ value: 'x', year: '1' }), row(), row({ area: '999' })), options);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['2:non_numeric_value', '2:bad_year', '4:country_not_in_group']);
    expect(report.refusedRows).toBe(2);
  });

  it('skips areas outside the group when asked (a global export holds every country and region)', async () => {
    const report = await importUnsdCsv(csv(row(), row({ area: '840' }), row({ area: '419' }), row({ area: 'XX' })), { ...options, otherAreas: 'skip' });
    expect(report).toMatchObject({ ok: false, skipped: 2, errors: [{ row: 5, code: 'bad_country_code' }] });
    const clean = await importUnsdCsv(csv(row(), row({ area: '840' })), { ...options, otherAreas: 'skip' });
    expect(clean).toMatchObject({ ok: true, skipped: 1, rows: 2 });
    expect(clean.accepted).toHaveLength(1);
  });

  it('refuses a row with too few or too many cells', async () => {
    const report = await importUnsdCsv(csv(row(), '3,3.2,3.2.1,SH_DYN_MORT', `${row({ year: '2012' })},extra`), options);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['3:wrong_column_count', '4:wrong_column_count']);
  });

  it('refuses a unit multiplier that is not an integer, or set on a percentage', async () => {
    const header = `${HEADER},[Unit multiplier]`;
    const text = `${header}\n${row()},0\n${row({ year: '2011' })},thousands\n${row({ year: '2012', units: 'PERCENT' })},3\n${row({ year: '2013', units: 'NUMBER' })},3\n`;
    const report = await importUnsdCsv(text, options);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['3:bad_unit_multiplier', '4:bad_unit_multiplier']);
    const counts = await importUnsdCsv(`${header}\n${row({ units: 'NUMBER' })},3\n`, options);
    expect(counts.accepted[0]).toMatchObject({ unit: 'NUMBER', unitMult: 3 });
  });
});

describe('UNSD SDG API CSV: the file as a whole', () => {
  it('refuses a file without a required column, naming it', async () => {
    const report = await importUnsdCsv('SeriesCode,GeoAreaCode,Value,[Units]\nSH_DYN_MORT,152,8.5,PERCENT\n', options);
    expect(report).toMatchObject({ ok: false, errors: [{ row: 1, code: 'missing_columns' }] });
    expect(report.errors[0]!.message).toContain('TimePeriod');
  });

  it('refuses a header naming a column twice', async () => {
    const report = await importUnsdCsv(`${HEADER},[Sex]\n`, options);
    expect(report.errors).toMatchObject([{ row: 1, code: 'duplicate_columns' }]);
  });

  it('refuses an empty file and a malformed one', async () => {
    expect((await importUnsdCsv('', options)).errors).toMatchObject([{ code: 'empty_file' }]);
    expect((await importUnsdCsv(`${HEADER}\n${row()}\n3,"unclosed\n`, options)).errors).toMatchObject([{ code: 'malformed_csv' }]);
  });

  it('yields rows one by one, so a caller can stop or stream them', async () => {
    const seen: number[] = [];
    for await (const outcome of readUnsdCsv(csv(row({ year: '2001' }), row({ year: '2002' }), row({ year: '2003' })), options)) {
      seen.push(outcome.row);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([2, 3]);
  });
});
