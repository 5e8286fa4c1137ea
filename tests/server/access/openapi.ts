import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { request } from '../../helper.js';

/**
 * The routes as /api/openapi.json publishes them, for the tests that walk every route: the access
 * matrix and the fuzzer. Reading the published document rather than the code is the point: a route
 * added tomorrow is in it, so it is walked without anyone remembering to add it.
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minProperties?: number;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `GET /api/meetings/{id}`: how the table names a route. */
  key: string;
  method: string;
  /** The OpenAPI path template, `/api/meetings/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the route takes one. */
  body: JsonSchema | null;
  /** Every media type the request body is declared with (multipart routes declare none in the document). */
  bodyTypes: string[];
}

interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
/** `/api/meetings/:id` (Fastify's form, as in accessTable) → `/api/meetings/{id}`. */
export const openApiPath = (fastifyUrl: string) => fastifyUrl.replace(/:(\w+)/g, '{$1}');

export async function publishedOperations(app: FastifyInstance): Promise<Operation[]> {
  const response = await request(app, { url: '/api/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`/api/openapi.json answered ${response.statusCode}`);
  const document = response.json() as Document;
  return Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => {
      const content = operation.requestBody?.content ?? {};
      return {
        key: routeKey(method, path),
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: content['application/json']?.schema ?? null,
        bodyTypes: Object.keys(content),
      };
    }),
  );
}

/** Every /api route the app has: the published ones, and any the document leaves out (the document itself). */
export async function everyRoute(app: FastifyInstance): Promise<Operation[]> {
  const published = await publishedOperations(app);
  const known = new Set(published.map((operation) => operation.key));
  const unpublished = app.accessTable
    .map((route) => ({ method: route.method, path: openApiPath(route.url) }))
    .filter((route) => !known.has(routeKey(route.method, route.path)))
    .map((route) => ({
      key: routeKey(route.method, route.path),
      method: route.method,
      path: route.path,
      parameters: [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1]!, in: 'path' as const, required: true, schema: { type: 'string' } })),
      body: null,
      bodyTypes: [],
    }));
  return [...published, ...unpublished];
}

export const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

export function fillPath(path: string, values: Record<string, string | undefined>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the path parameter {${name}} of ${path}`);
    return encodeURIComponent(value);
  });
}

const typesOf = (schema: JsonSchema): string[] => (schema.type === undefined ? [] : [schema.type].flat());

/**
 * Strings matching a schema's pattern within its length bounds, from fast-check's regex generator.
 * It has no minimum length, so a string too short for the bounds is repeated (which keeps
 * `^[a-z2-7]+$` matched); one that still does not fit becomes the shortest fitting repetition of
 * the pattern's own smallest match, never a filter that could spin.
 */
export function patternArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const pattern = new RegExp(schema.pattern!);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 10_000;
  const fits = (text: string) => text.length >= min && text.length <= max && pattern.test(text);
  return fc.stringMatching(pattern, { maxLength: max }).map((text) => {
    if (fits(text)) return text;
    const repeated = text.length === 0 ? text : text.repeat(Math.ceil(min / text.length)).slice(0, Math.max(min, Math.min(max, text.length * Math.ceil(min / text.length))));
    return fits(repeated) ? repeated : fallbackFor(schema, pattern, min, max);
  });
}

const fallbacks = new Map<string, string>();
function fallbackFor(schema: JsonSchema, pattern: RegExp, min: number, max: number): string {
  const key = JSON.stringify(schema);
  let found = fallbacks.get(key);
  if (found === undefined) {
    const candidates = fc.sample(fc.stringMatching(pattern, { maxLength: max, size: 'max' }), { seed: 7, numRuns: 200 });
    found = candidates.find((text) => text.length >= min && text.length <= max) ?? candidates.map((text) => text.repeat(Math.ceil(min / Math.max(1, text.length)))).find((text) => text.length <= max && pattern.test(text));
    if (found === undefined) throw new Error(`no string of ${min}-${max} characters matches ${pattern}`);
    fallbacks.set(key, found);
  }
  return found;
}

/**
 * The smallest plain value a schema accepts: required properties only, first enum member, first
 * branch of anyOf that is not null. What the access matrix sends where a route needs no particular body.
 */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return exampleOf(schema.anyOf.find((branch) => !typesOf(branch).includes('null')) ?? schema.anyOf[0]!);
  const type = typesOf(schema)[0] ?? (schema.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) value[name] = exampleOf(schema.properties?.[name] ?? {});
      const optional = Object.keys(schema.properties ?? {}).filter((name) => !(name in value));
      for (const name of optional.slice(0, Math.max(0, (schema.minProperties ?? 0) - Object.keys(value).length))) value[name] = exampleOf(schema.properties![name]!);
      return value;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, index) => {
        const item = exampleOf(schema.items ?? {});
        return schema.uniqueItems && typeof item === 'string' ? `${item}${index}` : item;
      });
    case 'integer':
    case 'number':
      return Math.min(schema.maximum ?? Infinity, Math.max(schema.minimum ?? 1, 1));
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      if (schema.format === 'email') return 'matrix@example.org';
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return '2026-06-01';
      if (schema.pattern) return fc.sample(patternArbitrary(schema), { seed: 42, numRuns: 1 })[0]!;
      const text = 'matrix';
      const min = schema.minLength ?? 1;
      return text.repeat(Math.ceil(min / text.length)).slice(0, Math.max(min, Math.min(text.length, schema.maxLength ?? text.length)));
    }
  }
}
