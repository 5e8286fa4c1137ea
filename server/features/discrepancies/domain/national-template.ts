import { stringify } from 'csv-stringify/sync';
import { ImportFileError, collect, csvRecords, headerKey, type ImportReport, type RowOutcome, type TextInput } from '../../../shared/row-import.js';
import type { CountryResolver } from '../../reference/public.js';
import type { Bilingual, Lang } from './codes.js';
import { interner, type Observation } from './observations.js';
import { DuplicateGuard, RowChecks, duplicateKey, type Cell } from './row-checks.js';

/**
 * The group's own template for national values: one row per value, the same columns as CSV or as
 * the first sheet of an XLSX workbook, headers in English or Spanish. The English template is
 * comma-separated with a decimal point; the Spanish one semicolon-separated with a decimal comma,
 * which is what a spreadsheet set to Spanish opens and saves.
 */

export interface NationalColumn {
  key: string;
  header: Bilingual;
  required: boolean;
  description: Bilingual;
  /** Other names a header may have (compared after headerKey). */
  aliases: readonly string[];
}

const column = (key: string, en: string, es: string, required: boolean, description: Bilingual, aliases: string[] = []): NationalColumn => ({ key, header: { en, es }, required, description, aliases });

export const NATIONAL_COLUMNS: readonly NationalColumn[] = [
  column('indicator', 'indicator', 'indicador', false, { en: 'Indicator code, e.g. 3.2.1 (optional).', es: 'Código del indicador, por ejemplo 3.2.1 (opcional).' }, ['indicatorcode']),
  column('series', 'series', 'serie', true, { en: 'Series code as in the SDG Global Database, e.g. SH_DYN_MORT.', es: 'Código de la serie como en la Base de Datos Mundial de los ODS, por ejemplo SH_DYN_MORT.' }, ['seriescode', 'codigoserie']),
  column('country', 'country', 'pais', true, { en: 'ISO 3166-1 alpha-3 country code, e.g. CHL (ISO alpha-2 and M49 codes are read too).', es: 'Código ISO 3166-1 alfa-3 del país, por ejemplo CHL (también se leen los códigos ISO alfa-2 y M49).' }, ['iso3', 'countrycode', 'refarea', 'codigopais']),
  column('year', 'year', 'anio', true, { en: 'Reference year, e.g. 2010.', es: 'Año de referencia, por ejemplo 2010.' }, ['ano', 'timeperiod', 'periodo']),
  column('value', 'value', 'valor', true, { en: 'The value, without thousands separators; decimal point (8.5), or decimal comma in a semicolon-separated file (8,5). A bound may be written <0.1 or >95.', es: 'El valor, sin separador de miles; punto decimal (8.5), o coma decimal en un archivo separado por punto y coma (8,5). Una cota puede escribirse <0,1 o >95.' }, ['obsvalue']),
  column('unit', 'unit', 'unidad', true, { en: 'Unit code: PERCENT, PER_1000_LIVE_BIRTHS, PER_100000_LIVE_BIRTHS, PER_100000_POP, RATIO, NUMBER, CON_USD...', es: 'Código de la unidad: PERCENT, PER_1000_LIVE_BIRTHS, PER_100000_LIVE_BIRTHS, PER_100000_POP, RATIO, NUMBER, CON_USD...' }, ['units', 'unitmeasure']),
  column('unit_mult', 'unit_mult', 'multiplicador_unidad', false, { en: 'Power of ten of the value, for counts and money only: 0 units (default), 3 thousands, 6 millions.', es: 'Potencia de diez del valor, solo para recuentos y montos: 0 unidades (por omisión), 3 miles, 6 millones.' }, ['unitmultiplier', 'multiplicador']),
  column('sex', 'sex', 'sexo', false, { en: '_T both sexes (default), F female, M male.', es: '_T ambos sexos (por omisión), F mujeres, M hombres.' }),
  column('age', 'age', 'edad', false, { en: '_T all ages (default), or a band: Y_LT5 under 5, Y15T24 15 to 24, Y_GE65 65 and over.', es: '_T todas las edades (por omisión), o un tramo: Y_LT5 menores de 5, Y15T24 de 15 a 24, Y_GE65 65 y más.' }),
  column('location', 'location', 'area', false, { en: '_T total (default), U urban, R rural.', es: '_T total (por omisión), U urbana, R rural.' }, ['zona', 'ubicacion', 'urbanisation']),
  column('other_disaggregation', 'other_disaggregation', 'otra_desagregacion', false, { en: 'Further dimensions as name=CODE separated by semicolons, e.g. Education level=PRIMAR.', es: 'Otras dimensiones como nombre=CÓDIGO separadas por punto y coma, por ejemplo Education level=PRIMAR.' }),
  column('source_type', 'source_type', 'tipo_fuente', false, { en: 'census, survey, civil_registration, register, estimate or other.', es: 'census (censo), survey (encuesta), civil_registration (estadísticas vitales), register (registro administrativo), estimate (estimación) u other (otra).' }),
  column('source_detail', 'source_detail', 'detalle_fuente', false, { en: 'The source: survey, register or publication, and institution.', es: 'La fuente: encuesta, registro o publicación, e institución.' }, ['source', 'fuente']),
  column('footnote', 'footnote', 'nota', false, { en: 'A note on the value.', es: 'Una nota sobre el valor.' }, ['notes', 'notas']),
  column('obs_status', 'obs_status', 'estado_obs', false, { en: 'A normal (default), B break in series, E estimated, F forecast, I imputed, P provisional, U low reliability.', es: 'A normal (por omisión), B quiebre de serie, E estimado, F pronóstico, I imputado, P provisional, U baja confiabilidad.' }, ['observationstatus']),
];

const KEY_OF_HEADER = new Map<string, string>();
for (const c of NATIONAL_COLUMNS) for (const name of [c.header.en, c.header.es, ...c.aliases]) KEY_OF_HEADER.set(headerKey(name), c.key);

export interface NationalLayout {
  width: number;
  at: Map<string, number>;
  names: string[];
  ignored: string[];
}

export function nationalLayout(header: readonly Cell[]): NationalLayout {
  const at = new Map<string, number>();
  const names = header.map((cell) => (cell === null ? '' : String(cell).trim()));
  const ignored: string[] = [];
  const duplicates: string[] = [];
  names.forEach((name, index) => {
    if (!name) return;
    const key = KEY_OF_HEADER.get(headerKey(name));
    if (!key) ignored.push(name);
    else if (at.has(key)) duplicates.push(name);
    else at.set(key, index);
  });
  if (duplicates.length > 0) throw new ImportFileError('duplicate_columns', `The header names these columns more than once: ${duplicates.join(', ')}.`);
  const missing = NATIONAL_COLUMNS.filter((c) => c.required && !at.has(c.key));
  if (missing.length > 0) {
    const list = missing.map((c) => `${c.header.en} (${c.header.es})`).join(', ');
    throw new ImportFileError('missing_columns', `The file lacks these columns of the national template: ${list}.`, 1, missing.map((c) => c.key));
  }
  return { width: names.length, at, names, ignored };
}

export interface NationalOptions {
  countries: CountryResolver;
  isKnownSeries?: (code: string) => boolean;
  /** Told the header's columns that are not the template's, which are ignored. */
  onIgnoredColumns?: (names: string[]) => void;
}

const INDICATOR_CODE = /^\d{1,2}(?:\.[0-9A-Za-z]{1,3}){1,2}$/;

/** Validates data rows against one layout; keeps the duplicate guard across rows. */
export class NationalRowReader {
  private readonly duplicates = new DuplicateGuard();
  private readonly intern = interner();
  constructor(
    private readonly layout: NationalLayout,
    private readonly options: NationalOptions,
  ) {}

  read(row: number, cells: readonly Cell[], decimal: 'point' | 'either'): RowOutcome<Observation> {
    const { at, names, width } = this.layout;
    const checks = new RowChecks(row);
    const cell = (key: string): Cell => {
      const index = at.get(key);
      return index === undefined ? null : (cells[index] ?? null);
    };
    const name = (key: string) => names[at.get(key) ?? -1] ?? key;
    if (cells.slice(width).some((extra) => extra !== null && String(extra).trim() !== '')) {
      checks.refuse('wrong_column_count', '', '', `The row has ${cells.length} cells; the header has ${width}.`);
      return { row, errors: checks.problems };
    }
    const indicatorText = cell('indicator') === null ? '' : String(cell('indicator')).trim();
    if (indicatorText && !INDICATOR_CODE.test(indicatorText)) checks.refuse('bad_indicator', name('indicator'), indicatorText, `"${indicatorText}" is not an indicator code (for example 3.2.1).`);
    const series = checks.series(cell('series'), name('series'), this.options.isKnownSeries);
    const countryText = cell('country') === null ? '' : String(cell('country')).trim();
    const country = this.options.countries.resolve(countryText)?.iso3;
    if (!country) {
      if (/^\d{1,3}$/.test(countryText)) checks.refuse('country_not_in_group', name('country'), countryText, `M49 area ${countryText} is not one of the group's countries.`);
      else checks.refuse('bad_country_code', name('country'), countryText, countryText ? `"${countryText}" is not the ISO code of one of the group's countries.` : 'The country code is empty.');
    }
    const year = checks.year(cell('year'), name('year'));
    const value = checks.value(cell('value'), name('value'), decimal);
    const unit = checks.unit(cell('unit'), name('unit'), cell('unit_mult'), at.has('unit_mult') ? name('unit_mult') : null);
    const sex = checks.sex(cell('sex'), name('sex'));
    const age = checks.age(cell('age'), name('age'));
    const location = checks.location(cell('location'), name('location'));
    const other = this.otherDimensions(checks, cell('other_disaggregation'), name('other_disaggregation'));
    const sourceType = checks.sourceType(cell('source_type'), name('source_type'));
    const source = checks.freeText(cell('source_detail'), name('source_detail'));
    const footnote = checks.freeText(cell('footnote'), name('footnote'));
    const obsStatus = checks.obsStatus(cell('obs_status'), name('obs_status'));
    if (checks.problems.length > 0) return { row, errors: checks.problems };
    const intern = this.intern;
    const observation: Observation = {
      side: 'national',
      series: intern(series!),
      indicator: indicatorText ? intern(indicatorText) : null,
      country: country!,
      year: year!,
      timeDetail: null,
      disaggregation: { sex: sex!, age: intern(age!), location: location!, other: other! },
      value: value!.value,
      qualifier: value!.qualifier,
      lowerBound: null,
      upperBound: null,
      unit: unit!.unit,
      unitMult: unit!.unitMult,
      nature: null,
      reportingType: null,
      obsStatus: obsStatus ?? null,
      sourceType: sourceType ?? null,
      source: source ? intern(source) : null,
      footnote: footnote ? intern(footnote) : null,
    };
    if (!this.duplicates.check(checks, duplicateKey(observation, false), '')) return { row, errors: checks.problems };
    return { row, value: observation };
  }

  /** "Education level=PRIMAR; Quantile=Q1" → { educationlevel: 'PRIMAR', quantile: 'Q1' }, keys as UNSD's bracketed columns give them. */
  private otherDimensions(checks: RowChecks, raw: Cell, column: string): Record<string, string> | undefined {
    const other: Record<string, string> = {};
    const textValue = raw === null ? '' : String(raw).trim();
    if (!textValue) return other;
    for (const part of textValue.split(';')) {
      if (!part.trim()) continue;
      const m = /^([^=]+)=(.*)$/.exec(part);
      const key = m ? headerKey(m[1]!) : '';
      if (!m || !key || ['sex', 'age', 'location'].includes(key) || key in other) {
        return checks.refuse('bad_disaggregation', column, raw, `"${textValue}" is not a list of name=CODE pairs separated by semicolons (sex, age and location have their own columns).`);
      }
      const code = checks.dimension(m[2]!, column);
      if (code === undefined) return undefined;
      if (code !== null) other[key] = this.intern(code);
    }
    return other;
  }
}

export async function* readNationalCsv(input: TextInput, options: NationalOptions): AsyncGenerator<RowOutcome<Observation>> {
  let reader: NationalRowReader | null = null;
  let decimal: 'point' | 'either' = 'point';
  for await (const { row, cells } of csvRecords(input, { onDelimiter: (d) => (decimal = d === ';' ? 'either' : 'point') })) {
    if (!reader) {
      const layout = nationalLayout(cells);
      if (layout.ignored.length > 0) options.onIgnoredColumns?.(layout.ignored);
      reader = new NationalRowReader(layout, options);
      continue;
    }
    yield reader.read(row, cells, decimal);
  }
}

export const importNationalCsv = (input: TextInput, options: NationalOptions & { maxErrors?: number }): Promise<ImportReport<Observation>> => collect(readNationalCsv(input, options), options);

/** A value as the template writes it: decimal comma in Spanish (but never in an exponent form). */
function formatValue(o: Pick<Observation, 'value' | 'qualifier'>, lang: Lang): string {
  const text = String(o.value);
  return `${o.qualifier ?? ''}${lang === 'es' && !text.includes('e') ? text.replace('.', ',') : text}`;
}

const otherText = (other: Readonly<Record<string, string>>) =>
  Object.keys(other)
    .sort()
    .map((key) => `${key}=${other[key]}`)
    .join(';');

/** One observation as a row of the template, in column order. */
export function nationalRow(o: Observation, lang: Lang): string[] {
  const d = o.disaggregation;
  return [o.indicator ?? '', o.series, o.country, String(o.year), formatValue(o, lang), o.unit, String(o.unitMult), d.sex, d.age, d.location, otherText(d.other), o.sourceType ?? '', o.source ?? '', o.footnote ?? '', o.obsStatus ?? ''];
}

/** Observations as a national file (the template filled in): a byte-order mark so spreadsheets read UTF-8, CRLF line ends. */
export function nationalCsv(observations: Iterable<Observation>, lang: Lang): string {
  const rows = [NATIONAL_COLUMNS.map((c) => c.header[lang]), ...[...observations].map((o) => nationalRow(o, lang))];
  return `\ufeff${stringify(rows, { delimiter: lang === 'es' ? ';' : ',', record_delimiter: 'windows' })}`;
}

/** Example rows of the downloadable template, their notes in the template's language. */
export function templateExamples(lang: Lang): Observation[] {
  const common = { side: 'national', timeDetail: null, qualifier: null, lowerBound: null, upperBound: null, unitMult: 0, nature: null, reportingType: null } as const;
  return [
    {
      ...common, series: 'SH_DYN_MORT', indicator: '3.2.1', country: 'CHL', year: 2010, disaggregation: { sex: '_T', age: 'Y_LT5', location: '_T', other: {} },
      value: 7.4, unit: 'PER_1000_LIVE_BIRTHS', obsStatus: 'A', sourceType: 'civil_registration', source: 'Estadísticas vitales, INE y MINSAL', footnote: null,
    },
    {
      ...common, series: 'SE_TOT_CPLR', indicator: '4.1.2', country: 'CHL', year: 2009, disaggregation: { sex: 'F', age: '_T', location: 'R', other: { educationlevel: 'PRIMAR' } },
      value: 95.3, unit: 'PERCENT', obsStatus: null, sourceType: 'survey', source: 'Encuesta CASEN 2009, Ministerio de Desarrollo Social',
      footnote: lang === 'es' ? 'Mujeres de zonas rurales, enseñanza primaria.' : 'Rural women, primary education.',
    },
  ];
}

export const nationalTemplateCsv = (lang: Lang): string => nationalCsv(templateExamples(lang), lang);
