import fp from 'fastify-plugin';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../shared/errors.js';
import { indicatorCatalogue } from './indicators.js';
import { ReferenceRepository } from './repository.js';
import { CountrySchema, IndicatorCatalogueSchema, OrganizationSchema } from './schemas.js';
import { referenceService } from './service.js';

/** Countries and organizations of the working group (public: the sign-up pages need them), and the indicator list. */
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

  fastify.get(
    '/indicators',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['reference'], summary: 'The official MDG goals, targets and indicators', response: { 200: IndicatorCatalogueSchema, ...errorResponses } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'private, max-age=86400');
      return indicatorCatalogue;
    },
  );
};

/**
 * The reference feature: `fastify.reference` (public.ts), read by every feature that shows or
 * checks a country, an organization or an indicator code, and its routes under /api.
 */
export default fp(
  async (fastify) => {
    const repository = new ReferenceRepository(fastify.database);
    await fastify.unitOfWork.run(() => repository.syncCatalogue());
    fastify.decorate('reference', referenceService(repository));
    await fastify.register(referenceRoutes, { prefix: '/api' });
  },
  { name: 'reference', dependencies: ['db'] },
);
