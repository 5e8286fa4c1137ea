import fc from 'fast-check';
import { patternArbitrary, type JsonSchema } from '../access/openapi.js';

/**
 * fast-check arbitraries made from a route's published JSON schemas: values the schema accepts,
 * and the ways real clients and attackers get them wrong. Sizes stay small except where size is
 * the point (huge strings, deep nesting), so a run of thousands of requests takes seconds.
 */

/** Text that has broken parsers, databases, renderers and file systems. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // a lone high surrogate
  '\uDFFF', // a lone low surrogate
  'x\uD83D', // half an emoji
  '\u202Egnp.exe', // right-to-left override
  '\u200B\u200C\u200D\uFEFF', // zero-width characters and a byte order mark
  'e\u0301\u0301\u0301', // stacked combining accents
  '👩‍👩‍👧‍👦🇨🇱🏳️‍🌈',
  'ﷺ𒐫𒈙',
  '\r\n\r\n',
  '\t\v\f\b',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00%2e%2e%2f',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  '"; drop table posts; --',
  'NEAR(a b) OR "x" AND -y * ^',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '9007199254740993',
  '2026-02-30T25:61:61Z',
  '0000-00-00',
  'single',
  '@everyone @CL @@',
  '[x](javascript:alert(1))',
  '{{7*7}}${7*7}',
];

const LONG = ['a'.repeat(70), 'é'.repeat(1_001), 'x'.repeat(20_001), '😀'.repeat(5_000)];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

/** Nesting deeper than any schema allows, as JSON text (built, not generated: depth is the point). */
export const deepJson = (depth: number, kind: 'array' | 'object') => (kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** A value of some JSON type, anything at all. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, 0.1),
  nastyString,
  fc.array(fc.oneof(fc.integer(), nastyString), { maxLength: 4 }),
  fc.dictionary(nastyString, fc.oneof(fc.integer(), nastyString, fc.constant(null)), { maxKeys: 4 }),
  fc.constant(JSON.parse(deepJson(200, 'array'))),
  fc.constant(JSON.parse(deepJson(200, 'object'))),
  fc.constant(Array.from({ length: 5_000 }, (_, index) => index)),
);

const typesOf = (schema: JsonSchema): string[] => (schema.type === undefined ? [] : [schema.type].flat());

/** Pads or cuts text to the bounds (cutting may split a surrogate pair: welcome here). Maps rather than filters, so generation never spins. */
const fitLength = (text: string, min: number, max: number) => (text.length < min ? text + 'x'.repeat(min - text.length) : text.slice(0, max));

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const fit = (text: string) => fitLength(text, min, max);
  if (schema.format === 'email') return fc.emailAddress().map(fit);
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.format === 'date') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  if (schema.pattern) return patternArbitrary(schema);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, Math.max(min, 30)) }).map(fit) },
    // At the limits: exactly as long as allowed, and made of characters that weigh more than one unit.
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(Math.max(min, Math.min(max, 20_000))), 'ñ'.repeat(Math.max(min, Math.min(max, 5_000)))) },
    { weight: 1, arbitrary: nastyString.map(fit) },
  );
}

/** Values the schema accepts (so they reach the route's own code). */
export function validOf(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => validOf(branch, depth)));
  const type = typesOf(schema)[0] ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validOf(property, depth + 1)]));
      const record = fc.record(shape, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) }) as fc.Arbitrary<Record<string, unknown>>;
      return schema.minProperties ? record.filter((value) => Object.keys(value).length >= schema.minProperties!) : record;
    }
    case 'array': {
      const items = validOf(schema.items ?? {}, depth + 1);
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, depth > 1 ? 2 : 4) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (value) => JSON.stringify(value) }) : fc.array(items, constraints);
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      return stringOf(schema);
    default:
      return anyJson;
  }
}

/** A valid object with one thing wrong: a required field missing, an extra one, a field of the wrong type or size. */
function brokenObject(schema: JsonSchema): fc.Arbitrary<unknown> {
  const valid = validOf(schema) as fc.Arbitrary<Record<string, unknown>>;
  const names = Object.keys(schema.properties ?? {});
  const required = (schema.required ?? []).filter((name) => names.includes(name));
  const options: Array<fc.Arbitrary<unknown>> = [
    fc.tuple(valid, nastyString, anyJson).map(([value, name, extra]) => ({ ...value, [name || 'extra']: extra })),
    fc.tuple(valid, fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([value, name]) => JSON.parse(`{${JSON.stringify(name)}:{"isAdmin":true},${JSON.stringify(value).slice(1)}`.replace(/,}$/, '}'))),
  ];
  if (required.length > 0) options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([value, name]) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== name))));
  if (names.length > 0) {
    options.push(fc.tuple(valid, fc.constantFrom(...names), anyJson).map(([value, name, wrong]) => ({ ...value, [name]: wrong })));
    options.push(fc.tuple(valid, fc.constantFrom(...names), nastyString).map(([value, name, text]) => ({ ...value, [name]: text })));
  }
  return fc.oneof(...options);
}

/** A body for a route that takes this schema: mostly valid or nearly so, sometimes anything at all. */
export function bodyFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const isObject = typesOf(schema).includes('object') || schema.properties !== undefined;
  return fc.oneof(
    { weight: 3, arbitrary: validOf(schema) },
    { weight: isObject ? 4 : 0, arbitrary: isObject ? brokenObject(schema) : anyJson },
    { weight: 2, arbitrary: anyJson },
  );
}

/** A query or path value: valid for its schema, or wrong in some way. */
export function parameterValue(schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: validOf(schema).map((value) => (typeof value === 'string' ? value : JSON.stringify(value))) },
    { weight: 2, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1.5', '1e3', '99999999999999999999', 'true', '[]', '{}') },
  );
}

/** Percent-encodes text for a URL; text that is not valid UTF-16 (a lone surrogate) goes as raw, invalid UTF-8 bytes, as a hostile client would send it. */
export function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((character) => (/[\uD800-\uDFFF]/.test(character) ? '%ED%A0%80' : encodeURIComponent(character))).join('');
  }
}
