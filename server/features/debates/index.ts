import fp from 'fastify-plugin';
import { debatesCore } from './core.js';
import { debatesHomeSections } from './home.js';
import { DebatesRepository } from './repository.js';
import { attachmentRoutes } from './routes/attachments.js';
import { categoryRoutes } from './routes/categories.js';
import { moderationRoutes } from './routes/moderation.js';
import { postRoutes } from './routes/posts.js';
import { readingRoutes } from './routes/reading.js';
import { threadRoutes } from './routes/threads.js';
import { providePostSearch } from './search.js';
import { SearchRepository } from './search-repository.js';
import { debatesService } from './service.js';
import { defineDebatesSubjects } from './subjects.js';

/**
 * The debates: categories, threads, nested posts, moderation, reading state, agreement, post
 * attachments and search. `fastify.debates` (public.ts) for other features; the live topics, home
 * sections, search section and attachment owner kind it registers; its routes (routes/*.ts, over
 * core.ts) under /api.
 */
export default fp(
  async (fastify) => {
    const repository = new DebatesRepository(fastify.db);
    // Groups set up before debates existed get their categories now; new groups on first use.
    await repository.ensureDefaultCategoriesForAllGroups();
    fastify.decorate('debates', debatesService(repository));

    fastify.liveTopics.define('thread', async (user, id) => (await repository.threadVersionOf(id))?.groupId === user.groupId);
    fastify.liveTopics.define('group', async (user, id) => user.groupId === id);
    // Posts carry files (server/plugins/files): attachments of kind 'post', owned by the post's id.
    fastify.files.attachments.defineOwnerKind('post');
    defineDebatesSubjects(fastify, repository);
    for (const section of debatesHomeSections(repository, fastify.notifications.repository)) fastify.home.register(section);
    providePostSearch(fastify, new SearchRepository(fastify.db));

    const core = debatesCore(fastify, repository);
    await fastify.register(
      async (api) => {
        for (const routes of [categoryRoutes, threadRoutes, moderationRoutes, readingRoutes, postRoutes, attachmentRoutes]) await api.register(routes, { core });
      },
      { prefix: '/api' },
    );
  },
  { name: 'debates', dependencies: ['db', 'files', 'live-hub', 'notifications', 'subjects', 'markdown', 'home-sections', 'search-providers', 'people', 'reference'] },
);
