import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

const defaultFactory = SerializerSelector();

/** A response serializer that compiles its schema when first asked to, and can be made to compile now. */
export type LazySerializer = Serializer & { compile(): Serializer };

/**
 * Fastify's own response serializer factory (fast-json-stringify), changed in two ways, both for
 * memory (the budget with 1,000 live sockets open is 150 MB):
 * - each distinct schema is compiled once for the whole app instead of once per route, status code
 *   and plugin scope: every route answers its errors with the same few schemas (errorResponses),
 *   which compiled well over a thousand times made about 4 MB of generated code;
 * - a serializer is compiled on the first response that needs it rather than at start, as request
 *   validators are (server/shared/validation.ts): most of the ~260 routes are seldom called.
 *   tests/server/api-conventions.test.ts compiles every one, so a schema fast-json-stringify
 *   refuses fails a test, not somebody's request.
 * Serializers are pure functions of their schema, so sharing one is safe.
 */
export const sharedSerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = defaultFactory(externalSchemas, options);
  const scope = JSON.stringify([externalSchemas ?? null, options ?? null]);
  return (route) => {
    const key = `${scope}\n${JSON.stringify(route.schema)}`;
    const compileNow = () => {
      let serializer = compiled.get(key);
      if (!serializer) {
        serializer = compile(route);
        compiled.set(key, serializer);
      }
      return serializer;
    };
    let serializer: Serializer | undefined;
    const lazy = ((data: unknown) => (serializer ??= compileNow())(data)) as LazySerializer;
    lazy.compile = () => (serializer ??= compileNow());
    return lazy;
  };
};

/** Per app process: the routes of every scope share it (tests build several apps; their schemas are the same). */
const compiled = new Map<string, Serializer>();
