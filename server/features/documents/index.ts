import fp from 'fastify-plugin';
import { runPeriodically } from '../../shared/periodic.js';
import { documentsHomeSection } from './home.js';
import { DocumentsRepository } from './repository.js';
import { libraryRoutes, type DocumentsOptions } from './routes/library.js';
import { documentsService } from './service.js';
import { defineDocumentSubjects } from './subjects.js';

export type { DocumentsOptions } from './routes/library.js';

/**
 * The document library: `fastify.documents` (public.ts), its live topic and home section, the
 * hourly purge of the trash, and its routes under /api (upload, versions, download, search, trash,
 * audit trail). Files themselves are the files plugin's.
 */
export default fp<DocumentsOptions>(
  async (fastify, options) => {
    const repository = new DocumentsRepository(fastify.database, fastify.links, fastify.audit, fastify.indicators);
    const service = documentsService(fastify, repository, options.trashDays);
    fastify.decorate('documents', service);
    defineDocumentSubjects(fastify, repository);
    // The group's library changes live (a document published, versioned, changed or removed), for the home page.
    fastify.liveTopics.define('library', async (user, id) => user.groupId === id);
    fastify.home.register(documentsHomeSection(repository));
    fastify.addHook('onReady', async () => {
      await service.purge();
    });
    runPeriodically(fastify, 'documents-purge', 60 * 60 * 1000, async () => service.purge());
    await fastify.register(libraryRoutes, { prefix: '/api', trashDays: options.trashDays, repository });
  },
  { name: 'documents', dependencies: ['db', 'audit', 'files', 'notifications', 'subjects', 'live-hub', 'home-sections', 'people', 'reference', 'indicators'] },
);
