import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

const defaultFactory = SerializerSelector();

/**
 * Fastify's own response serializer factory (fast-json-stringify), with each distinct schema
 * compiled once for the whole app instead of once per route, status code and plugin scope. Every
 * route answers its errors with the same few schemas (errorResponses), so ~170 routes compiled the
 * error shape well over a thousand times: about 4 MB of generated code in a server whose budget
 * with 1,000 live sockets open is 150 MB. Serializers are pure functions of their schema, so
 * sharing one is safe.
 */
export const sharedSerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = defaultFactory(externalSchemas, options);
  const scope = JSON.stringify([externalSchemas ?? null, options ?? null]);
  return (route) => {
    const key = `${scope}\n${JSON.stringify(route.schema)}`;
    let serializer = compiled.get(key);
    if (!serializer) {
      serializer = compile(route);
      compiled.set(key, serializer);
    }
    return serializer;
  };
};

/** Per app process: the routes of every scope share it (tests build several apps; their schemas are the same). */
const compiled = new Map<string, Serializer>();
