import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createRoundsCore, type RoundsCore, type RoundsOptions } from './core.js';
import { mayViewRound } from './domain/comments.js';
import { commentRoutes } from './routes/comments.js';
import { matrixRoutes } from './routes/matrix.js';
import { roundPageRoutes } from './routes/round-page.js';
import { roundRoutes } from './routes/rounds.js';
import { topicId } from '../../plugins/live/caches.js';
import { USER_CHANGED } from '../../plugins/sessions/index.js';
import { defineRoundReminders } from './reminders.js';
import { defineRoundSubjects } from './subjects.js';

export type { RoundsOptions } from './core.js';

/**
 * Comment rounds on draft documents (issue 16): a round on a library version, comments anchored to
 * paragraphs and passages as delegation drafts, submission, dispositions and replies, the next
 * version with re-anchored comments, the comment-resolution matrix and the silence procedure. The
 * rules are the pure domain's (domain/, docs/rounds-domain.md); the routes load, ask it, store.
 */
export default fp<RoundsOptions>(
  async (fastify, options) => {
    const core = createRoundsCore(fastify, options);
    defineRoundSubjects(fastify, core);
    defineRoundReminders(fastify, core);
    // A round's page listens for changes; only those who may see the round subscribe (a draft round: organizers).
    fastify.liveTopics.define('round', async (user, id) => {
      const row = await core.repository.round(id);
      return row !== undefined && row.groupId === user.groupId && mayViewRound(row.state, await core.person(user));
    });
    watchWhatRoundPagesShow(fastify, core);
    await fastify.register(
      async (api) => {
        await api.register(roundRoutes(core));
        await api.register(roundPageRoutes(core));
        await api.register(commentRoutes(core));
        await api.register(matrixRoutes(core));
      },
      { prefix: '/api' },
    );
  },
  { name: 'rounds', dependencies: ['db', 'files', 'live-hub', 'notifications', 'notice-mail', 'scheduler', 'subjects', 'people', 'reference', 'documents'] },
);

/**
 * What the round pages remember (page-cache.ts) goes stale when the round changes (its topic:
 * round.changed, and the drafts' internal event), when a person's name or delegation role changes
 * (the directory: names, focal points) and when the library changes (the document's title and
 * versions). The round's own writes forget at once (core.changed, core.draftsChanged); the people
 * and library features' writes, this process's and others', reach it through the cache registry.
 */
function watchWhatRoundPagesShow(fastify: FastifyInstance, core: RoundsCore): void {
  fastify.caches.register({
    name: 'rounds: the round pages (their data and answers, by round, generation and kind of reader)',
    topicKinds: ['round', 'library'],
    types: [USER_CHANGED, 'user.rights-changed'],
    ownEvents: true,
    invalidate: (event) => (event.topic.startsWith('round:') ? core.pages.forget(topicId(event.topic)) : core.pages.forgetAll()),
  });
}
