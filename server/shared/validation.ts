import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const shared: Options = {
  useDefaults: true,
  // Our schemas say additionalProperties: false so that a misspelt or unexpected field is
  // refused (400 naming it) instead of silently dropped, which is Fastify's default.
  removeAdditional: false,
  allErrors: false,
  addUsedSchema: false,
};

/**
 * Querystrings, params and headers arrive as text and are coerced to the declared types;
 * JSON bodies are typed already, so a number where a string belongs is an error, not "123".
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const textParts = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  const bodies = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  return ({ schema, httpPart }) => onFirstUse(() => (httpPart === 'body' ? withoutNul(bodies.compile(schema as object)) : finiteOnly(textParts.compile(schema as object))));
}

/**
 * PostgreSQL's text cannot hold U+0000 (it refuses the statement: a 500), SQLite's could. No person
 * types one, so every string of a request is refused with it, on both engines alike, naming the field.
 */
const NUL = '\u0000';
const nulProblem = (instancePath: string) => ({ instancePath, schemaPath: '#/noNul', keyword: 'noNul', params: {}, message: 'must not contain the NUL character (U+0000)' });
const pointer = (key: string | number) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** Where in a JSON value a string or a key holds U+0000 (a JSON pointer, '' for the value itself), or null. */
function nulAt(value: unknown): string | null {
  // A loop over an explicit stack: a body's nesting is bounded by its size alone, not by the call stack.
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return path;
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) pending.push([current[index], path + pointer(index)]);
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current).reverse()) {
        // A key is stored too (a record's JSON).
        if (key.includes(NUL)) return path;
        pending.push([(current as Record<string, unknown>)[key], path + pointer(key)]);
      }
    }
  }
  return null;
}

function withoutNul(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, context);
    check.errors = validate.errors;
    if (!valid) return valid;
    const path = nulAt(data);
    if (path === null) return true;
    check.errors = [nulProblem(path)];
    return false;
  }) as ValidateFunction;
  check.errors = null;
  return check;
}

/**
 * Ajv coerces "1e309" to Infinity and then finds it an integer within any maximum, so a paging
 * number like `limit=1e309` would reach SQL (a 500). Text parts never carry an infinite number, nor
 * a NUL character (withoutNul): refused.
 */
const isInfinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);
const hasNul = (value: unknown) => typeof value === 'string' && value.includes(NUL);

function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, context);
    check.errors = validate.errors;
    if (!valid || typeof data !== 'object' || data === null) return valid;
    // Every request's params and querystring pass here: a plain loop, nothing allocated.
    for (const key in data) {
      const value = (data as Record<string, unknown>)[key];
      if (Array.isArray(value) ? value.some(isInfinite) : isInfinite(value)) {
        check.errors = [{ instancePath: `/${key}`, schemaPath: '#/finite', keyword: 'finite', params: {}, message: 'must be a finite number' }];
        return false;
      }
      if (Array.isArray(value) ? value.some(hasNul) : hasNul(value)) {
        check.errors = [nulProblem(`/${key}`)];
        return false;
      }
    }
    return true;
  }) as ValidateFunction;
  check.errors = null;
  return check;
}

/**
 * A request validator compiled on the first request its route gets rather than at start: most of
 * the ~170 routes are seldom called, and their compiled Ajv code held about 6 MB of a server whose
 * budget with 1,000 live sockets is 150 MB. tests/server/api-conventions.test.ts compiles every
 * route's schemas, so a schema Ajv refuses fails a test, not somebody's request.
 */
function onFirstUse(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    compiled ??= compile();
    const valid = compiled(data, context);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  // Fastify hands Ajv validators, which it knows by their schemaEnv, the request as parent data, so
  // that coercion may replace a whole part (a querystring); this wrapper passes it on.
  validate.schemaEnv = { forwardsParentData: true } as unknown as ValidateFunction['schemaEnv'];
  return validate;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A validator for JSON that does not arrive as the request body (a multipart upload's metadata
 * part), with the same rules as bodies and the problems in the shape `validation_failed` details use.
 */
export function bodyValidator(schema: object): (value: unknown) => FieldProblem[] {
  const check = addFormats(new Ajv({ ...shared, coerceTypes: false, allErrors: true })).compile(schema);
  return (value) => {
    if (!check(value)) return fieldProblems(check.errors ?? [], 'metadata');
    const path = nulAt(value);
    return path === null ? [] : fieldProblems([nulProblem(path)], 'metadata');
  };
}

type Issue = { instancePath: string; params: unknown; message?: string | undefined };

/** One problem per field: a union reports each failed alternative, which says nothing more to a person. */
export function fieldProblems(issues: Issue[], fallbackField: string): FieldProblem[] {
  const problems = issues.map((issue) => toFieldProblem(issue, fallbackField));
  return problems.filter((problem, index) => problems.findIndex((other) => other.field === problem.field) === index);
}

/** An Ajv issue as a person reads it: the field's dotted path and what is wrong with it. */
function toFieldProblem(issue: Issue, fallbackField: string): FieldProblem {
  const params = issue.params as Record<string, unknown>;
  const base = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const field = [base, missing ?? extra].filter(Boolean).join('.') || fallbackField;
  return { field, message: missing ? 'is required' : extra ? 'is not an allowed field' : (issue.message ?? 'is invalid') };
}
