/**
 * The code lists of the discrepancy register, as typed constants with English and Spanish labels.
 * Codes follow the UN SDG Global Database and SDMX where those have one (nature, reporting type,
 * sex, urbanisation, observation status); source types and causes are the group's own.
 */

export type Lang = 'en' | 'es';
export interface Bilingual {
  en: string;
  es: string;
}
export interface CodeItem<C extends string> {
  code: C;
  label: Bilingual;
  description?: Bilingual;
}
export interface CodeList<C extends string> {
  readonly items: readonly CodeItem<C>[];
  readonly codes: readonly C[];
  has(code: string): code is C;
  label(code: string, lang: Lang): string | null;
}

function codeList<const C extends string>(items: readonly CodeItem<C>[]): CodeList<C> {
  const byCode = new Map<string, CodeItem<C>>(items.map((item) => [item.code, item]));
  return {
    items,
    codes: items.map((item) => item.code),
    has: (code: string): code is C => byCode.has(code),
    label: (code, lang) => byCode.get(code)?.label[lang] ?? null,
  };
}

/** Nature of a value in the UN SDG Global Database. */
export const NATURES = codeList([
  {
    code: 'C',
    label: { en: 'Country data', es: 'Datos del país' },
    description: {
      en: 'Produced and disseminated by the country (including data adjusted by the country to meet international standards).',
      es: 'Producidos y difundidos por el país (incluidos los datos que el propio país ajusta a las normas internacionales).',
    },
  },
  {
    code: 'CA',
    label: { en: 'Country adjusted data', es: 'Datos del país ajustados' },
    description: {
      en: 'Produced and provided by the country, but adjusted by the international agency for international comparability.',
      es: 'Producidos y suministrados por el país, pero ajustados por el organismo internacional para la comparabilidad internacional.',
    },
  },
  {
    code: 'E',
    label: { en: 'Estimated data', es: 'Datos estimados' },
    description: {
      en: 'Estimated by the international agency from national data on the same variable (surveys, administrative data or other sources) when country data for some years are missing, several sources exist or there are quality issues.',
      es: 'Estimados por el organismo internacional a partir de datos nacionales sobre la misma variable (encuestas, registros administrativos u otras fuentes) cuando faltan datos del país para algunos años, existen varias fuentes o hay problemas de calidad.',
    },
  },
  {
    code: 'M',
    label: { en: 'Modelled data', es: 'Datos modelados' },
    description: {
      en: 'Modelled by the international agency from other covariates when there are no data at all on the variable being estimated.',
      es: 'Modelados por el organismo internacional a partir de otras covariables cuando no hay ningún dato sobre la variable que se estima.',
    },
  },
  {
    code: 'G',
    label: { en: 'Global monitoring data', es: 'Datos de seguimiento mundial' },
    description: {
      en: 'Produced regularly by the designated agency for global monitoring, based on country data; there is no corresponding figure at the country level.',
      es: 'Producidos periódicamente por el organismo designado para el seguimiento mundial, a partir de datos de los países; no existe una cifra correspondiente a nivel nacional.',
    },
  },
  {
    code: 'N',
    label: { en: 'Not relevant', es: 'No pertinente' },
    description: { en: 'The indicator does not apply to the country.', es: 'El indicador no se aplica al país.' },
  },
  {
    code: 'NA',
    label: { en: 'Not available', es: 'No disponible' },
    description: { en: 'No value is available for the country and period.', es: 'No hay un valor disponible para el país y el período.' },
  },
]);
export type Nature = (typeof NATURES.codes)[number];

/** Natures whose value can be set against a national figure. */
export const COMPARABLE_NATURES: ReadonlySet<Nature> = new Set<Nature>(['C', 'CA', 'E', 'M', 'G']);

export const REPORTING_TYPES = codeList([
  { code: 'N', label: { en: 'National', es: 'Nacional' }, description: { en: 'Reported for national monitoring.', es: 'Informado para el seguimiento nacional.' } },
  { code: 'G', label: { en: 'Global', es: 'Mundial' }, description: { en: 'Reported for global monitoring.', es: 'Informado para el seguimiento mundial.' } },
]);
export type ReportingType = (typeof REPORTING_TYPES.codes)[number];

export const SOURCE_TYPES = codeList([
  { code: 'census', label: { en: 'Census', es: 'Censo' } },
  { code: 'survey', label: { en: 'Household or other survey', es: 'Encuesta de hogares u otra encuesta' } },
  { code: 'civil_registration', label: { en: 'Civil registration and vital statistics', es: 'Registro civil y estadísticas vitales' } },
  { code: 'register', label: { en: 'Administrative register or records', es: 'Registro o registros administrativos' } },
  { code: 'estimate', label: { en: 'Estimate or projection', es: 'Estimación o proyección' } },
  { code: 'other', label: { en: 'Other', es: 'Otra' } },
]);
export type SourceType = (typeof SOURCE_TYPES.codes)[number];

/** SDMX SEX. */
export const SEXES = codeList([
  { code: '_T', label: { en: 'Both sexes', es: 'Ambos sexos' } },
  { code: 'F', label: { en: 'Female', es: 'Mujeres' } },
  { code: 'M', label: { en: 'Male', es: 'Hombres' } },
]);
export type Sex = (typeof SEXES.codes)[number];

/** SDMX URBANISATION. */
export const LOCATIONS = codeList([
  { code: '_T', label: { en: 'Total (urban and rural)', es: 'Total (urbana y rural)' } },
  { code: 'U', label: { en: 'Urban', es: 'Urbana' } },
  { code: 'R', label: { en: 'Rural', es: 'Rural' } },
]);
export type Location = (typeof LOCATIONS.codes)[number];

/**
 * SDMX AGE bands the group's indicators use most. Age is an open dimension: any other band in the
 * SDMX form (Y15T24, Y_LT5, Y_GE65) or an opaque code is accepted, and two values pair only when
 * their codes are equal (see normalizeAge).
 */
export const AGE_GROUPS = codeList([
  { code: '_T', label: { en: 'All ages', es: 'Todas las edades' } },
  { code: 'Y_LT1', label: { en: 'Under 1 year', es: 'Menores de 1 año' } },
  { code: 'Y_LT5', label: { en: 'Under 5 years', es: 'Menores de 5 años' } },
  { code: 'Y0T14', label: { en: '0 to 14 years', es: '0 a 14 años' } },
  { code: 'Y15T24', label: { en: '15 to 24 years', es: '15 a 24 años' } },
  { code: 'Y15T49', label: { en: '15 to 49 years', es: '15 a 49 años' } },
  { code: 'Y_GE15', label: { en: '15 years and over', es: '15 años y más' } },
  { code: 'Y_GE25', label: { en: '25 years and over', es: '25 años y más' } },
  { code: 'Y_GE65', label: { en: '65 years and over', es: '65 años y más' } },
]);

/** SDMX OBS_STATUS: B (break in the series) is what charts draw as a break. */
export const OBS_STATUSES = codeList([
  { code: 'A', label: { en: 'Normal value', es: 'Valor normal' } },
  { code: 'B', label: { en: 'Break in series', es: 'Quiebre de serie' } },
  { code: 'E', label: { en: 'Estimated value', es: 'Valor estimado' } },
  { code: 'F', label: { en: 'Forecast value', es: 'Valor pronosticado' } },
  { code: 'I', label: { en: 'Imputed value', es: 'Valor imputado' } },
  { code: 'P', label: { en: 'Provisional value', es: 'Valor provisional' } },
  { code: 'U', label: { en: 'Low reliability', es: 'Baja confiabilidad' } },
]);
export type ObsStatus = (typeof OBS_STATUSES.codes)[number];

/** Why the national and the international value differ (issue 14). */
export const CAUSES = codeList([
  { code: 'different_source', label: { en: 'Different source', es: 'Fuente diferente' } },
  { code: 'definition_coverage', label: { en: 'Definition or coverage', es: 'Definición o cobertura' } },
  { code: 'agency_adjustment', label: { en: 'Adjustment by the agency (CA)', es: 'Ajuste del organismo (CA)' } },
  { code: 'agency_estimate', label: { en: 'Estimate by the agency (E)', es: 'Estimación del organismo (E)' } },
  { code: 'agency_model', label: { en: 'Model by the agency (M)', es: 'Modelo del organismo (M)' } },
  { code: 'population_base', label: { en: 'Population base or projections', es: 'Base de población o proyecciones' } },
  { code: 'timeliness', label: { en: 'Timeliness or older vintage', es: 'Oportunidad o versión anterior de los datos' } },
  { code: 'not_transmitted', label: { en: 'Data not transmitted', es: 'Datos no transmitidos' } },
  { code: 'reference_period', label: { en: 'Reference period', es: 'Período de referencia' } },
  { code: 'disaggregation', label: { en: 'Disaggregation', es: 'Desagregación' } },
  { code: 'units', label: { en: 'Units', es: 'Unidades' } },
  { code: 'processing_error', label: { en: 'Processing error', es: 'Error de procesamiento' } },
  { code: 'other', label: { en: 'Other', es: 'Otra' } },
]);
export type Cause = (typeof CAUSES.codes)[number];

/** The cause a nature points to, offered as a first guess (never set without a person choosing it). */
export function causeSuggestedByNature(nature: Nature | null): Cause | null {
  if (nature === 'CA') return 'agency_adjustment';
  if (nature === 'E') return 'agency_estimate';
  if (nature === 'M') return 'agency_model';
  return null;
}

/** Upper case without accents or surrounding spaces: "Mujeres " → "MUJERES". */
const foldCode = (raw: string) => raw.normalize('NFD').replace(/\p{M}/gu, '').trim().toUpperCase();

const SEX_ALIASES: Record<string, Sex> = {
  '': '_T', _T: '_T', T: '_T', BOTHSEX: '_T', TOTAL: '_T', AMBOS: '_T', AMBOSSEXOS: '_T',
  F: 'F', FEMALE: 'F', FEMENINO: 'F', MUJER: 'F', MUJERES: 'F', WOMEN: 'F',
  M: 'M', MALE: 'M', MASCULINO: 'M', HOMBRE: 'M', HOMBRES: 'M', MEN: 'M',
};

/** UNSD, SDMX or plain words in English and Spanish; empty means total. Null when unknown. */
export function normalizeSex(raw: string): Sex | null {
  return SEX_ALIASES[foldCode(raw).replace(/\s+/g, '')] ?? null;
}

const LOCATION_ALIASES: Record<string, Location> = {
  '': '_T', _T: '_T', T: '_T', ALLAREA: '_T', TOTAL: '_T',
  U: 'U', URBAN: 'U', URBANO: 'U', URBANA: 'U',
  R: 'R', RURAL: 'R',
};

export function normalizeLocation(raw: string): Location | null {
  return LOCATION_ALIASES[foldCode(raw).replace(/\s+/g, '')] ?? null;
}

const AGE_TOTAL = new Set(['', '_T', 'T', 'ALLAGE', 'ALLAGES', 'TOTAL']);

const ageRange = (from: string, to: string, unit: string) => (Number(from) <= Number(to) ? `${unit}${Number(from)}T${Number(to)}` : null);

/**
 * An age band as an SDMX-like code: UNSD writes "<5Y", "<1M" (months), "15-24", "15+" or ALLAGE;
 * SDMX "Y_LT5", "M_LT1", "Y15T24", "Y_GE15", "_T". A band in neither form is kept as an opaque
 * upper-case code (letters, digits and _ < > + - .), since a real export must not be refused for an
 * age band this list has not met; two values pair only when their codes are equal. Spaces are
 * ignored; other characters, or a band whose bounds are reversed, are refused (null).
 */
export function normalizeAge(raw: string): string | null {
  const code = foldCode(raw).replace(/\s+/g, '');
  if (AGE_TOTAL.has(code)) return '_T';
  let m = /^<(\d{1,3})([YM]?)$/.exec(code);
  if (m) return `${m[2] || 'Y'}_LT${Number(m[1])}`;
  m = /^(\d{1,3})\+([YM]?)$/.exec(code) ?? /^>=(\d{1,3})([YM]?)$/.exec(code);
  if (m) return `${m[2] || 'Y'}_GE${Number(m[1])}`;
  m = /^(\d{1,3})-(\d{1,3})([YM]?)$/.exec(code);
  if (m) return ageRange(m[1]!, m[2]!, m[3] || 'Y');
  m = /^([YM])(\d{1,3})T(\d{1,3})$/.exec(code);
  if (m) return ageRange(m[2]!, m[3]!, m[1]!);
  m = /^([YM])_(LT|GE)(\d{1,3})$/.exec(code);
  if (m) return `${m[1]}_${m[2]}${Number(m[3])}`;
  return /^[A-Z0-9_<>+.-]{1,40}$/.test(code) ? code : null;
}
