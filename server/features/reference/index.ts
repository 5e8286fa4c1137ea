import fp from 'fastify-plugin';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ReferenceRepository } from './repository.js';
import { CountrySchema, OrganizationSchema } from './schemas.js';
import { errorResponses } from '../../shared/errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    reference: ReferenceRepository;
  }
}

/** Shared with other features (invitations, people check affiliations against it), hence fastify-plugin. */
export const referenceRepository = fp(
  async (fastify) => {
    const repository = new ReferenceRepository(fastify.db);
    await repository.syncCatalogue();
    fastify.decorate('reference', repository);
  },
  { name: 'reference', dependencies: ['db'] },
);

/** Countries and organizations of the working group; public, the sign-up pages need them. */
const referenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/countries',
    {
      config: { access: 'public' },
      schema: { tags: ['reference'], summary: 'ECLAC member countries', response: { 200: Type.Object({ items: Type.Array(CountrySchema) }), ...errorResponses } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { items: await fastify.reference.listCountries() };
    },
  );

  fastify.get(
    '/organizations',
    {
      config: { access: 'public' },
      schema: { tags: ['reference'], summary: 'Participating organizations', response: { 200: Type.Object({ items: Type.Array(OrganizationSchema) }), ...errorResponses } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { items: await fastify.reference.listOrganizations() };
    },
  );
};

export default referenceRoutes;
