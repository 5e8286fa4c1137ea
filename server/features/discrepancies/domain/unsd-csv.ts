import { ImportFileError, collect, csvRecords, headerKey, type ImportReport, type RowOutcome, type TextInput } from '../../../shared/row-import.js';
import type { CountryResolver } from '../../reference/public.js';
import { interner, type Observation } from './observations.js';
import { DuplicateGuard, RowChecks, duplicateKey } from './row-checks.js';

/**
 * The CSV that UNSD's SDG API exports (Goal, Target, Indicator, SeriesCode, SeriesDescription,
 * GeoAreaCode, GeoAreaName, TimePeriod, Value, Time_Detail, ..., Source, GeoInfoUrl, FootNote, then
 * one bracketed column per dimension or attribute), read as the international side.
 *
 * Columns are found by their header, in any order. Bracketed columns other than the attributes
 * known here ([Nature], [Units], [Reporting Type], [Observation Status], [Unit multiplier]) and the
 * three common dimensions ([Sex], [Age], [Location]) are further dimensions ([Education level],
 * [Quantile], ...): they take part in the key, so two education levels are two observations.
 * Rows are keyed by series × country × year × disaggregation × reporting type: the Global Database
 * may hold a global (G) and a national (N) figure for the same key.
 */

export interface UnsdOptions {
  countries: CountryResolver;
  /** When given, a series it does not know is refused as unknown_series. */
  isKnownSeries?: (code: string) => boolean;
  /**
   * A GeoAreaCode that is a number but not one of the group's countries (another country, a
   * region): refused (the default) or skipped and counted, for a global export taken as it is.
   */
  otherAreas?: 'refuse' | 'skip';
}

const REQUIRED = { seriescode: 'SeriesCode', geoareacode: 'GeoAreaCode', timeperiod: 'TimePeriod', value: 'Value', units: '[Units]' } as const;
const ALIASES: Record<string, string> = { unitmeasure: 'units', unit: 'units', obsstatus: 'observationstatus', unitmult: 'unitmultiplier' };
/** Bracketed columns that describe a value rather than split it. */
const ATTRIBUTES = new Set(['nature', 'units', 'reportingtype', 'observationstatus', 'unitmultiplier']);
const COMMON_DIMENSIONS = new Set(['sex', 'age', 'location']);

interface Layout {
  width: number;
  /** Column index by key, and the name the file gives it (for messages). */
  at: Map<string, number>;
  names: string[];
  /** Further dimensions: key (headerKey of the name) and index. */
  dimensions: Array<{ key: string; index: number }>;
}

function readLayout(header: string[]): Layout {
  const at = new Map<string, number>();
  const dimensions: Layout['dimensions'] = [];
  const duplicates: string[] = [];
  header.forEach((name, index) => {
    const raw = headerKey(name);
    const key = ALIASES[raw] ?? raw;
    if (!key) return;
    if (at.has(key)) duplicates.push(name.trim());
    at.set(key, index);
    const bracketed = /^\s*\[.*\]\s*$/.test(name);
    if (bracketed && !ATTRIBUTES.has(key) && !COMMON_DIMENSIONS.has(key)) dimensions.push({ key, index });
  });
  if (duplicates.length > 0) throw new ImportFileError('duplicate_columns', `The header names these columns more than once: ${duplicates.join(', ')}.`);
  const missing = Object.entries(REQUIRED)
    .filter(([key]) => !at.has(key))
    .map(([, name]) => name);
  if (missing.length > 0) throw new ImportFileError('missing_columns', `The file lacks these columns of the UNSD SDG export: ${missing.join(', ')}.`, 1, missing);
  return { width: header.length, at, names: header.map((name) => name.trim()), dimensions };
}

export async function* readUnsdCsv(input: TextInput, options: UnsdOptions): AsyncGenerator<RowOutcome<Observation>> {
  let layout: Layout | null = null;
  const duplicates = new DuplicateGuard();
  const intern = interner();
  for await (const { row, cells } of csvRecords(input)) {
    if (!layout) {
      layout = readLayout(cells);
      continue;
    }
    const { at, names } = layout;
    const cell = (key: string) => {
      const index = at.get(key);
      return index === undefined ? '' : cells[index]!;
    };
    const column = (key: string) => names[at.get(key)!] ?? key;
    const checks = new RowChecks(row);
    if (cells.length !== layout.width) {
      checks.refuse('wrong_column_count', '', '', `The row has ${cells.length} cells; the header has ${layout.width}.`);
      yield { row, errors: checks.problems };
      continue;
    }

    const area = cell('geoareacode').trim();
    let country: string | undefined;
    if (/^\d{1,3}$/.test(area)) {
      country = options.countries.fromM49(area)?.iso3;
      if (!country) {
        if (options.otherAreas === 'skip') {
          yield { row, skipped: 'country_not_in_group' };
          continue;
        }
        checks.refuse('country_not_in_group', column('geoareacode'), area, `M49 area ${area} is not one of the group's countries.`);
      }
    } else checks.refuse('bad_country_code', column('geoareacode'), area, `"${area}" is not an M49 country code.`);

    const series = checks.series(cell('seriescode'), column('seriescode'), options.isKnownSeries);
    const value = checks.value(cell('value'), column('value'), 'point');
    const year = checks.year(cell('timeperiod'), column('timeperiod'));
    const unit = checks.unit(cell('units'), column('units'), cell('unitmultiplier'), at.has('unitmultiplier') ? column('unitmultiplier') : null);
    const nature = checks.nature(cell('nature'), column('nature'));
    const reportingType = checks.reportingType(cell('reportingtype'), column('reportingtype'));
    const obsStatus = checks.obsStatus(cell('observationstatus'), column('observationstatus'));
    const sex = checks.sex(cell('sex'), column('sex'));
    const age = checks.age(cell('age'), column('age'));
    const location = checks.location(cell('location'), column('location'));
    const lowerBound = checks.optionalNumber(cell('lowerbound'), column('lowerbound'), 'point');
    const upperBound = checks.optionalNumber(cell('upperbound'), column('upperbound'), 'point');
    const source = checks.freeText(cell('source'), column('source'));
    const footnote = checks.freeText(cell('footnote'), column('footnote'));
    const other: Record<string, string> = {};
    for (const { key, index } of layout.dimensions) {
      const code = checks.dimension(cells[index]!, names[index]!);
      if (code) other[key] = intern(code);
    }
    if (checks.problems.length > 0) {
      yield { row, errors: checks.problems };
      continue;
    }
    const indicator = cell('indicator').trim();
    const timeDetail = cell('timedetail').trim();
    const observation: Observation = {
      side: 'international',
      series: intern(series!),
      indicator: indicator ? intern(indicator) : null,
      country: country!,
      year: year!,
      timeDetail: timeDetail ? intern(timeDetail) : null,
      disaggregation: { sex: sex!, age: intern(age!), location: location!, other },
      value: value!.value,
      qualifier: value!.qualifier,
      lowerBound: lowerBound ?? null,
      upperBound: upperBound ?? null,
      unit: unit!.unit,
      unitMult: unit!.unitMult,
      nature: nature ?? null,
      reportingType: reportingType ?? null,
      obsStatus: obsStatus ?? null,
      sourceType: null,
      source: source ? intern(source) : null,
      footnote: footnote ? intern(footnote) : null,
    };
    if (!duplicates.check(checks, duplicateKey(observation, true), '')) {
      yield { row, errors: checks.problems };
      continue;
    }
    yield { row, value: observation };
  }
}

/** Reads the whole file; `accepted` holds every observation, or nothing when any row was refused. */
export const importUnsdCsv = (input: TextInput, options: UnsdOptions & { maxErrors?: number }): Promise<ImportReport<Observation>> => collect(readUnsdCsv(input, options), options);
