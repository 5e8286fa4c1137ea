import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';

/** Collects every route's TypeBox schemas into an OpenAPI 3 document, served at /api/openapi.json. */
export default fp<{ publicUrl: string }>(
  async (fastify, options) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Concilia API',
          description: 'Collaborative forum of the working group on monitoring the development goals (Statistical Conference of the Americas).',
          version: '0.1.0',
        },
        servers: [{ url: options.publicUrl }],
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'concilia_session' } } },
        security: [{ session: [] }],
      },
    });
  },
  { name: 'openapi' },
);
