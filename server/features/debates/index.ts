import fp from 'fastify-plugin';
import { debatesCore } from './core.js';
import { takeRepliesByMail } from './mail-replies.js';
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
import { ThreadOwners } from './owners.js';
import { topicId } from '../../plugins/live/caches.js';
import { READING_CHANGED, WATCH_CHANGED, type ReadingChanged, type WatchChanged } from './internal-events.js';

/**
 * The debates: categories, threads, nested posts, moderation, reading state, agreement, post
 * attachments and search. `fastify.debates` (public.ts) for other features; the live topics, home
 * sections, search section and attachment owner kind it registers; its routes (routes/*.ts, over
 * core.ts) under /api.
 */
export default fp(
  async (fastify) => {
    const repository = new DebatesRepository(fastify.database, fastify.indicators);
    // Groups set up before debates existed get their categories now; new groups on first use.
    await repository.ensureDefaultCategoriesForAllGroups();
    const owners = new ThreadOwners();
    const core = debatesCore(fastify, repository, owners);
    fastify.decorate('debates', debatesService(repository, fastify.liveHub, core));

    fastify.liveTopics.define('thread', async (user, id) => {
      const thread = await repository.threadVersionOf(id);
      return thread !== undefined && (await owners.mayRead(user, thread));
    });
    fastify.liveTopics.define('group', async (user, id) => user.groupId === id);
    defineDebatesSubjects(fastify, repository, owners);
    // Posts carry files (server/plugins/files): attachments on subjects of kind 'post'.
    fastify.files.attachments.allowOn('post');
    for (const section of debatesHomeSections(repository, fastify.notifications.repository)) fastify.home.register(section);
    const searchRepository = new SearchRepository(fastify.database, fastify.indicators);
    providePostSearch(fastify, searchRepository);

    // What other processes change reaches what this one remembers (server/plugins/live/caches.ts).
    fastify.caches.register({
      name: 'debates: thread versions (and so the pages and ETags keyed by them), watch lists, group thread lists, unread answers',
      topicKinds: ['thread', 'group'],
      types: [READING_CHANGED, WATCH_CHANGED],
      invalidate: (event) => {
        if (event.type === READING_CHANGED) repository.readingChanged((event.payload as ReadingChanged).userId);
        else if (event.type === WATCH_CHANGED) {
          const change = event.payload as WatchChanged;
          repository.watchChanged(change.userId, change.threadId, change.categoryId);
        } else if (event.topic.startsWith('thread:')) repository.threadChangedElsewhere(topicId(event.topic));
        else {
          // group:<id>: thread.created, thread.updated (title, category, pin, lock), thread.activity.
          const payload = event.payload as { thread?: { id?: string }; threadId?: string } | null;
          const threadId = payload?.thread?.id ?? payload?.threadId;
          if (threadId) repository.threadChangedElsewhere(threadId);
          else repository.threadListsChangedElsewhere();
        }
      },
    });
    fastify.caches.register({ name: 'debates: search answers', topicKinds: ['thread', 'group'], invalidate: () => searchRepository.forget() });

    takeRepliesByMail(fastify, core);
    await fastify.register(
      async (api) => {
        for (const routes of [categoryRoutes, threadRoutes, moderationRoutes, readingRoutes, postRoutes, attachmentRoutes]) await api.register(routes, { core });
      },
      { prefix: '/api' },
    );
  },
  { name: 'debates', dependencies: ['db', 'files', 'live-hub', 'notifications', 'subjects', 'markdown', 'home-sections', 'search-providers', 'people', 'reference', 'indicators'] },
);
