import fp from 'fastify-plugin';
import { canView } from './domain/statuses.js';
import { CasesCore, relationsOf, stateOf } from './core.js';
import { DiscrepanciesRepository } from './repository.js';
import { DiscrepancyImportsRepository } from './import-repository.js';
import { caseRoutes } from './routes/cases.js';
import { releaseRoutes } from './routes/releases.js';
import { exportRoutes } from './routes/exports.js';
import { discrepanciesService } from './service.js';
import { defineDiscrepancySubjects } from './subjects.js';
import { moveLegacyComments } from './legacy-comments.js';
import { MatrixCache } from './matrix-cache.js';
import { topicId } from '../../plugins/live/caches.js';
import { instanceGone } from '../../shared/process-identity.js';

/**
 * The discrepancy register (issue 14): imports of the international and national sides, the cases
 * opened where they differ beyond tolerance, their life and discussion, the matrix. Its live topics:
 * `discrepancies:<groupId>` (the register's pages; each event addressed to who may see its case) and
 * `discrepancy-case:<id>` (one case's page, readable by who may see the case).
 */
export default fp(
  async (fastify) => {
    const repository = new DiscrepanciesRepository(fastify.database);
    const imports = new DiscrepancyImportsRepository(fastify.database);
    // Staged rows of an import whose process died (killed mid-file) are never current: drop them now
    // rather than an hour later. Another process on the same database may be staging an import at
    // this moment, so only rows of processes that ended go (other machines' age out in an hour).
    await fastify.unitOfWork.run(() => imports.discardStagedOfEnded(instanceGone));
    const matrixCache = new MatrixCache((groupId) => repository.matrixStamp(groupId));
    const core = new CasesCore(fastify, repository, (groupId) => matrixCache.changed(groupId));
    // Every change to a group's cases or releases is announced on `discrepancies:<groupId>`
    // (case.changed, release.imported): another process's such event drops this one's answers.
    fastify.caches.register({
      name: 'discrepancies: matrix answers and their ETags, per group',
      topicKinds: ['discrepancies'],
      invalidate: (event) => matrixCache.changed(topicId(event.topic)),
    });
    defineDiscrepancySubjects(fastify, repository);
    // A case's discussion is a debates thread read by exactly who may see the case, now: its
    // participants until it is published, then the whole group (and again only them if reopened).
    fastify.debates.defineThreadOwner('discrepancy_case', {
      mayRead: async (reader, caseId) => {
        const row = await repository.findCase(reader.groupId, caseId);
        return row !== undefined && canView(stateOf(row), relationsOf(reader, row), true);
      },
      // The case's people hear of every post in its discussion, wherever it was written (the case
      // page or the thread's), as a new post in a thread they watch.
      followers: async (groupId, caseId) => {
        const row = await repository.findCase(groupId, caseId);
        return row ? repository.participantIds(row) : [];
      },
    });
    await moveLegacyComments(fastify, repository);
    fastify.decorate('discrepancies', discrepanciesService(fastify, repository, imports, core));
    fastify.liveTopics.define('discrepancies', async (user, id) => user.groupId === id);
    fastify.liveTopics.define('discrepancy-case', async (user, id) => {
      const row = await repository.findCase(user.groupId, id);
      return row !== undefined && canView(stateOf(row), relationsOf(user, row), true);
    });
    await fastify.register(
      async (api) => {
        await api.register(releaseRoutes, { repository, imports, casesChanged: (groupId: string) => matrixCache.changed(groupId) });
        await api.register(caseRoutes, { core, matrixCache });
        await api.register(exportRoutes, { core });
      },
      { prefix: '/api' },
    );
  },
  { name: 'discrepancies', dependencies: ['db', 'live-hub', 'people', 'reference', 'notifications', 'subjects', 'debates'] },
);
