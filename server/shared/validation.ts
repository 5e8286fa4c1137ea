import { Ajv, type Options } from 'ajv';
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
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : textParts).compile(schema as object);
}
