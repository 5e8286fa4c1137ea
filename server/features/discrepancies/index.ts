import fp from 'fastify-plugin';
import { canView } from './domain/statuses.js';
import { CasesCore, relationsOf, stateOf } from './core.js';
import { DiscrepanciesRepository } from './repository.js';
import { caseRoutes } from './routes/cases.js';
import { releaseRoutes } from './routes/releases.js';
import { discrepanciesService } from './service.js';
import { defineDiscrepancySubjects } from './subjects.js';

/**
 * The discrepancy register (issue 14): imports of the international and national sides, the cases
 * opened where they differ beyond tolerance, their life and discussion, the matrix. Its live topics:
 * `discrepancies:<groupId>` (the register's pages; each event addressed to who may see its case) and
 * `discrepancy-case:<id>` (one case's page, readable by who may see the case).
 */
export default fp(
  async (fastify) => {
    const repository = new DiscrepanciesRepository(fastify.db);
    const core = new CasesCore(fastify, repository);
    defineDiscrepancySubjects(fastify, repository);
    fastify.decorate('discrepancies', discrepanciesService(fastify, repository, core));
    fastify.liveTopics.define('discrepancies', async (user, id) => user.groupId === id);
    fastify.liveTopics.define('discrepancy-case', async (user, id) => {
      const row = await repository.findCase(user.groupId, id);
      return row !== undefined && canView(stateOf(row), relationsOf(user, row), true);
    });
    await fastify.register(
      async (api) => {
        await api.register(releaseRoutes, { repository });
        await api.register(caseRoutes, { core });
      },
      { prefix: '/api' },
    );
  },
  { name: 'discrepancies', dependencies: ['db', 'live-hub', 'people', 'reference', 'notifications', 'subjects'] },
);
