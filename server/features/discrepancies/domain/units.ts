import type { Bilingual, Lang } from './codes.js';

/**
 * Units of measure, UNSD-style codes (PERCENT, PER_1000_LIVE_BIRTHS, NUMBER, CON_USD), and when two
 * values may be set side by side.
 *
 * The rule is deliberately narrow: two values are comparable only when their unit codes are equal.
 * The one conversion made is between unit multipliers (SDMX UNIT_MULT, a power of ten) of a unit
 * that counts or measures money: 12.5 thousand people and 12,500 people are the same figure. A
 * percentage and a rate per 1,000 are never compared, nor rates of different bases (per 1,000 vs
 * per 100,000 live births): the arithmetic would be easy, but a value stated in another unit than
 * expected is itself a finding (often the cause of the discrepancy), which the group must see rather
 * than have silently converted away. Such a pair is reported as not comparable, never as a case.
 */

export type UnitKind = 'percent' | 'rate' | 'ratio' | 'index' | 'count' | 'currency' | 'duration' | 'other';

export interface Unit {
  code: string;
  kind: UnitKind;
  label: Bilingual;
  /** Rates: the base (1,000 in "per 1,000 live births"). */
  base?: number;
  /** Rates: what the base counts (LIVE_BIRTHS, POP), if the code says. */
  denominator?: string;
  /** Whether a unit multiplier other than 0 means something (counts and money only). */
  scalable: boolean;
  /** Listed here (false: read from the shape of the code, or an opaque code). */
  known: boolean;
}

const known = (code: string, kind: UnitKind, en: string, es: string, extra: Partial<Unit> = {}): Unit => ({
  code,
  kind,
  label: { en, es },
  scalable: kind === 'count' || kind === 'currency',
  known: true,
  ...extra,
});

const DENOMINATORS: Record<string, Bilingual> = {
  POP: { en: 'population', es: 'habitantes' },
  LIVE_BIRTHS: { en: 'live births', es: 'nacidos vivos' },
  UNINFECTED_POP: { en: 'uninfected population', es: 'habitantes no infectados' },
  WOMEN: { en: 'women', es: 'mujeres' },
};

const group = (n: number, separator: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);

function rate(base: number, denominator: string | undefined, isKnown: boolean): Unit {
  const words = denominator ? (DENOMINATORS[denominator] ?? { en: denominator.toLowerCase().replaceAll('_', ' '), es: denominator.toLowerCase().replaceAll('_', ' ') }) : null;
  return {
    code: `PER_${base}${denominator ? `_${denominator}` : ''}`,
    kind: 'rate',
    label: { en: `per ${group(base, ',')}${words ? ` ${words.en}` : ''}`, es: `por ${group(base, '.')}${words ? ` ${words.es}` : ''}` },
    base,
    ...(denominator ? { denominator } : {}),
    scalable: false,
    known: isKnown,
  };
}

export const UNITS: readonly Unit[] = [
  known('PERCENT', 'percent', 'percent', 'porcentaje'),
  rate(100, undefined, true),
  rate(1_000, undefined, true),
  rate(10_000, undefined, true),
  rate(100_000, undefined, true),
  rate(100, 'POP', true),
  rate(1_000, 'POP', true),
  rate(100_000, 'POP', true),
  rate(1_000, 'LIVE_BIRTHS', true),
  rate(100_000, 'LIVE_BIRTHS', true),
  rate(1_000, 'UNINFECTED_POP', true),
  known('RATIO', 'ratio', 'ratio', 'razón'),
  known('INDEX', 'index', 'index', 'índice'),
  known('NUMBER', 'count', 'number', 'número'),
  known('CON_USD', 'currency', 'constant US dollars', 'dólares constantes de los Estados Unidos'),
  known('CUR_USD', 'currency', 'current US dollars', 'dólares corrientes de los Estados Unidos'),
  known('USD', 'currency', 'US dollars', 'dólares de los Estados Unidos'),
  known('CUR_LCU', 'currency', 'current local currency', 'moneda nacional a precios corrientes'),
  known('CON_LCU', 'currency', 'constant local currency', 'moneda nacional a precios constantes'),
  known('YEARS', 'duration', 'years', 'años'),
];

const BY_CODE = new Map(UNITS.map((unit) => [unit.code, unit]));
/** What people type in the national template for the commonest unit. */
const ALIASES: Record<string, string> = { '%': 'PERCENT', PERCENT: 'PERCENT', PERCENTAGE: 'PERCENT', PORCENTAJE: 'PERCENT', PCT: 'PERCENT' };
const CODE = /^[A-Z][A-Z0-9_]{0,59}$/;

/** A unit from its code (or "%"); null for an empty or malformed code. Unlisted clean codes are opaque units. */
export function parseUnit(raw: string): Unit | null {
  const trimmed = raw.trim().toUpperCase();
  const code = ALIASES[trimmed] ?? trimmed;
  const listed = BY_CODE.get(code);
  if (listed) return listed;
  if (!CODE.test(code)) return null;
  const m = /^PER_(1(?:0)+)(?:_([A-Z][A-Z0-9_]*))?$/.exec(code);
  if (m) return rate(Number(m[1]), m[2], false);
  return { code, kind: 'other', label: { en: code, es: code }, scalable: false, known: false };
}

export function unitLabel(code: string, lang: Lang): string {
  return parseUnit(code)?.label[lang] ?? code;
}

/** UNIT_MULT is a power of ten; SDMX uses 0 to 12, a few producers negative exponents. */
export const isUnitMult = (n: number) => Number.isInteger(n) && n >= -12 && n <= 15;

export interface UnitOf {
  unit: string;
  unitMult: number;
}
export type Comparability =
  | { comparable: true; /** The unit multiplier both values are stated at when compared. */ scale: number }
  | { comparable: false; reason: 'unknown_unit' | 'different_units' | 'unit_mult_not_applicable' };

export function comparable(a: UnitOf, b: UnitOf): Comparability {
  const ua = parseUnit(a.unit);
  const ub = parseUnit(b.unit);
  if (!ua || !ub) return { comparable: false, reason: 'unknown_unit' };
  if (ua.code !== ub.code) return { comparable: false, reason: 'different_units' };
  if (!isUnitMult(a.unitMult) || !isUnitMult(b.unitMult)) return { comparable: false, reason: 'unit_mult_not_applicable' };
  if (!ua.scalable) return a.unitMult === 0 && b.unitMult === 0 ? { comparable: true, scale: 0 } : { comparable: false, reason: 'unit_mult_not_applicable' };
  return { comparable: true, scale: Math.min(a.unitMult, b.unitMult) };
}

/**
 * A value stated with unit multiplier `from`, restated at `to`, shifting the decimal point in the
 * value's decimal text so that 0.1 thousand is exactly 100 (plain multiplication would give
 * 100.00000000000001).
 */
export function toCommonScale(value: number, from: number, to: number): number {
  if (from === to) return value;
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + from - to}`);
}
