import fp from 'fastify-plugin';
import { createRoundsCore, type RoundsOptions } from './core.js';
import { mayViewRound } from './domain/comments.js';
import { commentRoutes } from './routes/comments.js';
import { matrixRoutes } from './routes/matrix.js';
import { roundRoutes } from './routes/rounds.js';
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
    // A round's page listens for changes; only those who may see the round subscribe (a draft round: organizers).
    fastify.liveTopics.define('round', async (user, id) => {
      const row = await core.repository.round(id);
      return row !== undefined && row.groupId === user.groupId && mayViewRound(row.state, await core.person(user));
    });
    await fastify.register(
      async (api) => {
        await api.register(roundRoutes(core));
        await api.register(commentRoutes(core));
        await api.register(matrixRoutes(core));
      },
      { prefix: '/api' },
    );
  },
  { name: 'rounds', dependencies: ['db', 'files', 'live-hub', 'notifications', 'subjects', 'people', 'reference', 'documents'] },
);
