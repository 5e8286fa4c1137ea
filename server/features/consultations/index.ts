import fp from 'fastify-plugin';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { makeCore } from './core.js';
import * as may from './permissions.js';
import { takeRepliesByMail } from './mail-replies.js';
import { defineReminders } from './reminders.js';
import { defineConsultationSubjects } from './subjects.js';
import { waitingHomeSection } from './home.js';
import { ConsultationsRepository } from './repository.js';
import { answerRoutes } from './routes/answers.js';
import { answerFileRoutes } from './routes/files.js';
import { consultationRoutes } from './routes/consultations.js';
import { reviewRoutes } from './routes/review.js';

export interface ConsultationsOptions {
  publicUrl: string;
  now: () => Date;
}

/**
 * Country consultations, technical questionnaires and data validation rounds (issue 15), over the
 * pure domain in ./domain: tables, routes under /api, live topics, reminder jobs.
 *
 * Live topics: `consultation:<id>` (everyone who may read the consultation; the matrix's events are
 * addressed to the organizers), `consultation-draft:<id>.<respondent>` (that respondent's delegation:
 * the draft's saves, its status, queries).
 */
export default fp<ConsultationsOptions>(
  async (fastify, options) => {
    const repository = new ConsultationsRepository(fastify.database);
    const core = makeCore(fastify, repository, () => options.now().getTime());

    const readable = async (user: SessionUser, id: string) => {
      const row = await repository.find(id);
      return row !== undefined && may.mayRead(user, row) ? row : null;
    };
    fastify.liveTopics.define('consultation', async (user, id) => (await readable(user, id)) !== null);
    fastify.liveTopics.define('consultation-draft', async (user, topicId) => {
      const separator = topicId.lastIndexOf('.');
      if (separator <= 0) return false;
      const row = await readable(user, topicId.slice(0, separator));
      return row !== null && may.respondentOf(user, row.targets) === topicId.slice(separator + 1);
    });
    defineConsultationSubjects(fastify, repository);
    defineReminders(fastify, repository, options.publicUrl);
    takeRepliesByMail(fastify, core, options.publicUrl);
    fastify.home.register(waitingHomeSection(core));

    await fastify.register(
      async (api) => {
        await api.register(consultationRoutes, { core });
        await api.register(answerRoutes, { core });
        await api.register(answerFileRoutes, { core });
        await api.register(reviewRoutes, { core, publicUrl: options.publicUrl });
      },
      { prefix: '/api' },
    );
  },
  { name: 'consultations', dependencies: ['db', 'live-hub', 'people', 'reference', 'scheduler', 'mail', 'subjects', 'notifications', 'discrepancies', 'home-sections', 'notice-mail', 'files', 'documents'] },
);
