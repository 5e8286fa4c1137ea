import { Type, type TSchema } from 'typebox';
import { badRequest } from './errors.js';
import { LOCALES, ROLES } from './roles.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

/** Building blocks shared by several features' TypeBox schemas. */
export const RoleSchema = Type.Enum([...ROLES]);
export const LocaleSchema = Type.Enum([...LOCALES]);
export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
export const PasswordSchema = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
/** IANA zone name; checked against Intl at the service level. */
export const TimeZoneSchema = Type.String({ minLength: 1, maxLength: 64 });
export const IdSchema = Type.String({ minLength: 1, maxLength: 64 });
export const TokenSchema = Type.String({ minLength: 16, maxLength: 128, pattern: '^[a-z2-7]+$' });
export const Timestamp = Type.String({ format: 'date-time' });

export const isValidTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Rejects a zone the platform's time-zone database does not know, naming the field. */
export function assertTimeZone(zone: string, field = 'timeZone'): void {
  if (!isValidTimeZone(zone)) {
    throw badRequest('invalid_time_zone', `"${zone}" is not a known time zone.`, [{ field, message: 'is not an IANA time zone' }]);
  }
}

/**
 * A request parameter with a default: the caller may leave it out (the OpenAPI document says it is
 * optional), and the handler always has it (validation fills in the default, so its static type
 * stays required). Plain `Type.Optional` would make handlers handle an `undefined` that never comes;
 * leaving it out made 23 parameters "required" in the published document though nobody must send them.
 */
export function OptionalWithDefault<T extends TSchema>(schema: T): T {
  if (!('default' in schema)) throw new Error('OptionalWithDefault needs a schema with a default');
  return Type.Optional(schema) as unknown as T;
}

/** The furthest any list may be paged by offset; lists that go further page by cursor. */
export const MAX_OFFSET = 100_000;

/**
 * Paging parameters, bounded on both sides: a query's number is coerced from text, and without a
 * maximum `offset=1e308` passes as an "integer" and reaches SQLite's OFFSET as a float (a 500).
 * Every route pages with these (tests/server/parameter-bounds.test.ts checks every integer query
 * parameter of the OpenAPI document for both bounds).
 */
export const PageLimit = (maximum: number, fallback: number) => OptionalWithDefault(Type.Integer({ minimum: 1, maximum, default: fallback }));
export const PageOffset = (maximum: number = MAX_OFFSET) => OptionalWithDefault(Type.Integer({ minimum: 0, maximum, default: 0 }));
export const PageQuery = { limit: PageLimit(100, 25), offset: PageOffset() };

export const Ok = Type.Object({ ok: Type.Literal(true) });
