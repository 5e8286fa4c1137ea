import fp from 'fastify-plugin';
import { IndicatorsRepository } from './repository.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { adminRoutes } from './routes/admin.js';
import { CatalogueHolder, indicatorsService } from './service.js';

/**
 * The indicator catalogue (issue 14): frameworks with versions, goals, targets and indicators, the
 * crosswalk between frameworks, and the tags (subject_indicators) by which anything is found by
 * indicator. `fastify.indicators` (public.ts) for the features that tag their things (debates,
 * documents); its routes under /api/indicators (docs/indicators-api.md).
 */
export default fp(
  async (fastify) => {
    const repository = new IndicatorsRepository(fastify.database);
    const holder = new CatalogueHolder(repository);
    fastify.decorate('indicators', indicatorsService(repository, holder));
    await fastify.register(
      async (api) => {
        await api.register(catalogueRoutes, { repository, holder });
        await api.register(adminRoutes, { repository, holder });
      },
      { prefix: '/api' },
    );
  },
  { name: 'indicators', dependencies: ['db', 'subjects'] },
);
