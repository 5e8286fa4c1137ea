import type { RowError } from '../../../shared/row-import.js';
import { NATURES, OBS_STATUSES, REPORTING_TYPES, SOURCE_TYPES, normalizeAge, normalizeLocation, normalizeSex, type Location, type Nature, type ObsStatus, type ReportingType, type Sex, type SourceType } from './codes.js';
import { observationKey, parseDecimal, parseUnitMult, parseYear, type Observation } from './observations.js';
import { isUnitMult, parseUnit } from './units.js';

/**
 * Field checks shared by the importers. Each takes a cell as written and the column's name as the
 * file spells it, records a refusal (with a stable code) when the cell is wrong, and returns the
 * clean value or undefined. A row is refused when any check failed; all its problems are listed.
 */

export type Cell = string | number | null;
const text = (cell: Cell) => (cell === null ? '' : String(cell));
const SERIES_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/;
const MAX_TEXT = 4_000;

export class RowChecks {
  readonly problems: RowError[] = [];
  constructor(readonly row: number) {}

  refuse(code: string, column: string, cell: Cell, message: string): undefined {
    const value = text(cell);
    this.problems.push({ row: this.row, code, column, value: value.length > 200 ? `${value.slice(0, 200)}…` : value, message });
    return undefined;
  }

  series(cell: Cell, column: string, isKnown?: (code: string) => boolean): string | undefined {
    const code = text(cell).trim();
    if (!code) return this.refuse('series_missing', column, cell, 'The series code is empty.');
    if (!SERIES_CODE.test(code)) return this.refuse('bad_series', column, cell, `"${code}" is not a series code (letters, digits and underscores).`);
    if (isKnown && !isKnown(code)) return this.refuse('unknown_series', column, cell, `The series "${code}" is not in the indicator catalogue.`);
    return code;
  }

  year(cell: Cell, column: string): number | undefined {
    const year = parseYear(cell ?? '');
    return year ?? this.refuse('bad_year', column, cell, `"${text(cell)}" is not a year between 1900 and 2100.`);
  }

  value(cell: Cell, column: string, mode: 'point' | 'either'): Pick<Observation, 'value' | 'qualifier'> | undefined {
    const parsed = parseDecimal(cell ?? '', mode);
    if (parsed.kind === 'number') return { value: parsed.value, qualifier: parsed.qualifier };
    if (parsed.kind === 'empty') return this.refuse('value_missing', column, cell, 'The value is empty.');
    if (parsed.reason === 'ambiguous_separator') {
      return this.refuse('non_numeric_value', column, cell, `"${text(cell)}" is ambiguous here, where a comma marks decimals: write 1000 for one thousand, or 1,000 for one.`);
    }
    const hint = mode === 'point' && /^\s*[<>]?=?\s*\d+,\d+\s*$/.test(text(cell)) ? ' Use a point as the decimal separator.' : '';
    return this.refuse('non_numeric_value', column, cell, `"${text(cell)}" is not a number.${hint}`);
  }

  /** An optional number (a bound): empty is null. */
  optionalNumber(cell: Cell, column: string, mode: 'point' | 'either'): number | null | undefined {
    const parsed = parseDecimal(cell ?? '', mode);
    if (parsed.kind === 'empty') return null;
    if (parsed.kind === 'number' && parsed.qualifier === null) return parsed.value;
    return this.refuse('non_numeric_bound', column, cell, `"${text(cell)}" is not a number.`);
  }

  /** The unit and its multiplier, together: a multiplier only means something for counts and money. */
  unit(unitCell: Cell, unitColumn: string, multCell: Cell, multColumn: string | null): { unit: string; unitMult: number } | undefined {
    const raw = text(unitCell).trim();
    const unit = raw ? parseUnit(raw) : null;
    if (!raw) this.refuse('unit_missing', unitColumn, unitCell, 'The unit is empty.');
    else if (!unit) this.refuse('bad_unit', unitColumn, unitCell, `"${raw}" is not a unit code (for example PERCENT, PER_1000_LIVE_BIRTHS, NUMBER).`);
    const mult = multColumn === null ? 0 : parseUnitMult(multCell ?? '');
    if (mult === null || !isUnitMult(mult)) {
      return this.refuse('bad_unit_multiplier', multColumn ?? '', multCell, `"${text(multCell)}" is not a unit multiplier (a power of ten: 0 for units, 3 for thousands, 6 for millions).`);
    }
    if (!unit) return undefined;
    if (mult !== 0 && !unit.scalable) return this.refuse('bad_unit_multiplier', multColumn ?? '', multCell, `A value in ${unit.label.en} cannot have a unit multiplier; write it as 0.`);
    return { unit: unit.code, unitMult: mult };
  }

  sex(cell: Cell, column: string): Sex | undefined {
    return normalizeSex(text(cell)) ?? this.refuse('bad_sex', column, cell, `"${text(cell)}" is not a sex code (_T, F or M).`);
  }

  age(cell: Cell, column: string): string | undefined {
    return normalizeAge(text(cell)) ?? this.refuse('bad_age', column, cell, `"${text(cell)}" is not an age code (for example _T, Y_LT5, Y15T24, <5Y, 15-24).`);
  }

  location(cell: Cell, column: string): Location | undefined {
    return normalizeLocation(text(cell)) ?? this.refuse('bad_location', column, cell, `"${text(cell)}" is not a location code (_T, U or R).`);
  }

  nature(cell: Cell, column: string): Nature | null | undefined {
    const code = text(cell).trim().toUpperCase();
    if (!code) return null;
    return NATURES.has(code) ? code : this.refuse('bad_nature', column, cell, `"${text(cell)}" is not a nature code (C, CA, E, M, G, N or NA).`);
  }

  reportingType(cell: Cell, column: string): ReportingType | null | undefined {
    const code = text(cell).trim().toUpperCase();
    if (!code) return null;
    return REPORTING_TYPES.has(code) ? code : this.refuse('bad_reporting_type', column, cell, `"${text(cell)}" is not a reporting type (N or G).`);
  }

  obsStatus(cell: Cell, column: string): ObsStatus | null | undefined {
    const code = text(cell).trim().toUpperCase();
    if (!code) return null;
    return OBS_STATUSES.has(code) ? code : this.refuse('bad_obs_status', column, cell, `"${text(cell)}" is not an observation status (${OBS_STATUSES.codes.join(', ')}).`);
  }

  sourceType(cell: Cell, column: string): SourceType | null | undefined {
    const code = text(cell).trim().toLowerCase();
    if (!code) return null;
    return SOURCE_TYPES.has(code) ? code : this.refuse('bad_source_type', column, cell, `"${text(cell)}" is not a source type (${SOURCE_TYPES.codes.join(', ')}).`);
  }

  /** A dimension code outside sex, age and location: empty means not disaggregated by it. */
  dimension(cell: Cell, column: string): string | null | undefined {
    const code = text(cell).trim();
    if (!code) return null;
    return /^[\p{L}\p{N}_.<>+-]{1,60}$/u.test(code) ? code : this.refuse('bad_disaggregation', column, cell, `"${code}" is not a disaggregation code.`);
  }

  /** Free text (source, footnote): trimmed, empty is null. */
  freeText(cell: Cell, column: string): string | null | undefined {
    const value = text(cell).trim();
    if (!value) return null;
    return value.length <= MAX_TEXT ? value : this.refuse('text_too_long', column, cell, `At most ${MAX_TEXT} characters.`);
  }
}

/** The key that makes a row a duplicate of another in the same file. */
export const duplicateKey = (o: Observation, withReportingType: boolean) => (withReportingType ? `${observationKey(o)}|${o.reportingType ?? ''}` : observationKey(o));

/**
 * A copy of a string in one piece. A key built by concatenation is a tree of its parts in V8; kept
 * as the map key of every row of a 50,000-row file, that tree took 12 MB against under 5 MB flat.
 */
const flat = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

/** Remembers the first row of each key; refuses the later ones. */
export class DuplicateGuard {
  private readonly seen = new Map<string, number>();
  check(checks: RowChecks, key: string, column: string): boolean {
    const first = this.seen.get(key);
    if (first !== undefined) {
      checks.refuse('duplicate_key', column, '', `Same series, country, year and disaggregation as row ${first}.`);
      return false;
    }
    this.seen.set(flat(key), checks.row);
    return true;
  }
}
