import { describe, expect, it } from 'vitest';
import { countryCodes } from '../../../server/features/reference/country-codes.js';
import { NATIONAL_COLUMNS, importNationalCsv, nationalCsv, nationalTemplateCsv } from '../../../server/features/discrepancies/domain/national-template.js';
import { TOTAL, type Observation } from '../../../server/features/discrepancies/domain/observations.js';

const options = { countries: countryCodes };

const national = (over: Partial<Observation> = {}): Observation => ({
  side: 'national',
  series: 'SH_DYN_MORT',
  indicator: '3.2.1',
  country: 'CHL',
  year: 2010,
  timeDetail: null,
  disaggregation: { ...TOTAL, age: 'Y_LT5' },
  value: 7.4,
  qualifier: null,
  lowerBound: null,
  upperBound: null,
  unit: 'PER_1000_LIVE_BIRTHS',
  unitMult: 0,
  nature: null,
  reportingType: null,
  obsStatus: null,
  sourceType: 'civil_registration',
  source: 'Estadísticas vitales, INE y MINSAL',
  footnote: null,
  ...over,
});

describe('the national CSV template', () => {
  it('has a bilingual header for every column, the required ones first', () => {
    const keys = NATIONAL_COLUMNS.map((c) => c.key);
    expect(keys).toEqual(['indicator', 'series', 'country', 'year', 'value', 'unit', 'unit_mult', 'sex', 'age', 'location', 'other_disaggregation', 'source_type', 'source_detail', 'footnote', 'obs_status']);
    for (const column of NATIONAL_COLUMNS) {
      expect(column.header.en).toMatch(/^[a-z_]+$/);
      expect(column.header.es).toMatch(/^[a-z_]+$/);
      expect(column.description.en.length).toBeGreaterThan(10);
      expect(column.description.es.length).toBeGreaterThan(10);
    }
    expect(NATIONAL_COLUMNS.filter((c) => c.required).map((c) => c.key)).toEqual(['series', 'country', 'year', 'value', 'unit']);
  });

  it('gives an English template (comma, decimal point) whose example rows import', async () => {
    const text = nationalTemplateCsv('en');
    expect(text.startsWith('\ufeffindicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status\r\n')).toBe(true);
    const report = await importNationalCsv(text, options);
    expect(report.errors).toEqual([]);
    expect(report.accepted.length).toBeGreaterThanOrEqual(2);
    expect(report.accepted[0]).toMatchObject({ side: 'national', series: 'SH_DYN_MORT', country: 'CHL', year: 2010, unit: 'PER_1000_LIVE_BIRTHS', disaggregation: { age: 'Y_LT5' } });
  });

  it('gives a Spanish template (semicolon, decimal comma, as Excel in Spanish saves) whose example rows import the same', async () => {
    const text = nationalTemplateCsv('es');
    expect(text.split('\r\n')[0]).toBe('\ufeffindicador;serie;pais;anio;valor;unidad;multiplicador_unidad;sexo;edad;area;otra_desagregacion;tipo_fuente;detalle_fuente;nota;estado_obs');
    expect(text).toMatch(/;7,4;/);
    const es = await importNationalCsv(text, options);
    const en = await importNationalCsv(nationalTemplateCsv('en'), options);
    expect(es.errors).toEqual([]);
    expect(es.accepted.map(({ value, series, year }) => ({ value, series, year }))).toEqual(en.accepted.map(({ value, series, year }) => ({ value, series, year })));
  });

  it('round-trips observations through the template, in both languages', async () => {
    const observations = [
      national(),
      national({ year: 2011, value: 7.1, obsStatus: 'B', footnote: 'Nueva serie, con "corrección" por\nregistro tardío.' }),
      national({ series: 'SE_TOT_CPLR', indicator: null, country: 'ARG', unit: 'PERCENT', value: 95.72, sourceType: 'survey', source: 'EPH, INDEC', disaggregation: { sex: 'F', age: '_T', location: 'U', other: { educationlevel: 'PRIMAR', quantile: 'Q1' } } }),
      national({ series: 'SP_POP_TOTL', indicator: null, country: 'BRA', unit: 'NUMBER', unitMult: 3, value: 190755.799, sourceType: 'census', disaggregation: TOTAL }),
      national({ series: 'SH_HIV_INCD', indicator: '3.3.1', country: 'ATG', unit: 'PER_1000_UNINFECTED_POP', value: 0.1, qualifier: '<', sourceType: null, source: null }),
    ];
    for (const lang of ['en', 'es'] as const) {
      const report = await importNationalCsv(nationalCsv(observations, lang), options);
      expect(report.errors, lang).toEqual([]);
      expect(report.accepted, lang).toEqual(observations);
    }
  });
});

describe('reading a national file', () => {
  it('takes the columns in any order, English or Spanish names with or without accents, and ignores others', async () => {
    const ignored: string[][] = [];
    const text = 'Año,Valor,País,Serie,Unidad,Comentarios\n2010,7.4,CL,SH_DYN_MORT,PER_1000_LIVE_BIRTHS,revisar\n2011,7.1,152,SH_DYN_MORT,PER_1000_LIVE_BIRTHS,\n';
    const report = await importNationalCsv(text, { ...options, onIgnoredColumns: (names) => ignored.push(names) });
    expect(report.errors).toEqual([]);
    expect(report.accepted.map((o) => [o.country, o.year, o.value, o.disaggregation])).toEqual([
      ['CHL', 2010, 7.4, TOTAL],
      ['CHL', 2011, 7.1, TOTAL],
    ]);
    expect(ignored).toEqual([['Comentarios']]);
  });

  it('refuses each bad row with its row number and reason, and imports nothing', async () => {
    const text = [
      'series,country,year,value,unit,sex,source_type,other_disaggregation',
      'SH_DYN_MORT,CHL,2010,7.4,PER_1000_LIVE_BIRTHS,_T,survey,',
      'SH_DYN_MORT,XYZ,2010,7.4,PER_1000_LIVE_BIRTHS,_T,survey,',
      'SH_DYN_MORT,CHL,2011,"7,4",PER_1000_LIVE_BIRTHS,_T,survey,',
      'SH_DYN_MORT,CHL,2010,7.5,PER_1000_LIVE_BIRTHS,_T,survey,',
      'SH_DYN_MORT,CHL,2012,7.4,,_T,survey,',
      'SH_DYN_MORT,CHL,2013,7.4,PER_1000_LIVE_BIRTHS,_T,magic,',
      'SH_DYN_MORT,CHL,2014,7.4,PER_1000_LIVE_BIRTHS,_T,survey,education level',
      'SH_DYN_MORT,CHL,1850,7.4,PER_1000_LIVE_BIRTHS,X,survey,',
    ].join('\n');
    const report = await importNationalCsv(text, options);
    expect(report.ok).toBe(false);
    expect(report.accepted).toEqual([]);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual([
      '3:bad_country_code',
      '4:non_numeric_value',
      '5:duplicate_key',
      '6:unit_missing',
      '7:bad_source_type',
      '8:bad_disaggregation',
      '9:bad_year',
      '9:bad_sex',
    ]);
    expect(report.errors[1]!.message).toMatch(/point/);
  });

  it('reads other dimensions as name=CODE pairs that meet UNSD’s bracketed columns', async () => {
    const report = await importNationalCsv('series,country,year,value,unit,other_disaggregation\nSE_TOT_CPLR,ARG,2010,95.7,PERCENT,"Education level=PRIMAR; Quantile = Q1"\n', options);
    expect(report.accepted[0]!.disaggregation.other).toEqual({ educationlevel: 'PRIMAR', quantile: 'Q1' });
  });

  it('refuses a file without the required columns, naming them in the file’s language', async () => {
    const report = await importNationalCsv('serie;pais;valor\nSH_DYN_MORT;CHL;7,4\n', options);
    expect(report.errors).toMatchObject([{ row: 1, code: 'missing_columns' }]);
    expect(report.errors[0]!.message).toContain('year');
    expect(report.errors[0]!.message).toContain('anio');
  });

  it('refuses a row with more cells than the header, but takes one whose empty trailing cells were left out', async () => {
    const report = await importNationalCsv('series,country,year,value,unit,footnote\nSH_DYN_MORT,CHL,2010,7.4,PERCENT\nSH_DYN_MORT,CHL,2011,7.4,PERCENT,,surplus\n', options);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['3:wrong_column_count']);
  });

  it('refuses a series the catalogue does not know, when given one', async () => {
    const report = await importNationalCsv('series,country,year,value,unit\nSH_NOPE,CHL,2010,7.4,PERCENT\n', { ...options, isKnownSeries: () => false });
    expect(report.errors).toMatchObject([{ row: 2, code: 'unknown_series' }]);
  });
});
