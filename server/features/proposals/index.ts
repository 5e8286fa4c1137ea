import fp from 'fastify-plugin';
import { createProposalsCore, type ProposalsOptions } from './core.js';
import { defineProposalReminders } from './reminders.js';
import { proposalRoutes } from './routes/proposals.js';
import { defineProposalNotifications } from './subjects.js';

export type { ProposalsOptions } from './core.js';

/**
 * Proposals in debates (issue 16, docs/proposals-api.md): a statement put to a thread with a closing
 * time, positions by participant or by country delegation, live results on the thread's topic, a
 * reminder a day before the close, and the outcome pinned on the thread. The rules are the pure
 * domain's (domain/, docs/proposals-domain.md); the thread is reached through fastify.debates only.
 */
export default fp<ProposalsOptions>(
  async (fastify, options) => {
    const core = createProposalsCore(fastify, options);
    defineProposalNotifications(fastify);
    defineProposalReminders(fastify, core);
    await fastify.register(
      async (api) => {
        await api.register(proposalRoutes(core));
      },
      { prefix: '/api' },
    );
  },
  { name: 'proposals', dependencies: ['db', 'live-hub', 'notifications', 'notice-mail', 'scheduler', 'markdown', 'people', 'debates', 'meetings'] },
);
