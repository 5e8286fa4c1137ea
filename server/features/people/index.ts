import fp from 'fastify-plugin';
import { internalEvent } from '../../plugins/live/hub.js';
import { USER_CHANGED } from '../../plugins/sessions/index.js';
import { PeopleRepository } from './repository.js';
import { mentionRoutes } from './routes/mentions.js';
import { peopleRoutes } from './routes/people.js';
import { peopleService } from './service.js';
import { definePeopleSubjects } from './subjects.js';

/**
 * The people feature: `fastify.people` (public.ts) for the features that show, create or mention
 * people, and its routes under /api (profiles, the directory, user administration, mentions).
 */
export default fp(
  async (fastify) => {
    const repository = new PeopleRepository(fastify.database, (userId) => {
      fastify.sessions.forgetUser(userId);
      // Other processes remember this person in their validated sessions: the log tells them.
      fastify.liveHub.publish(internalEvent(`user:${userId}`, USER_CHANGED, { userId })).catch((err: unknown) => fastify.log.error({ err, userId }, 'people: could not store the change of a person'));
    });
    const countryCodes = new Set((await fastify.reference.listCountries()).map((country) => country.iso2.toUpperCase()));
    fastify.decorate('people', peopleService(fastify, repository, countryCodes));
    definePeopleSubjects(fastify, repository);
    await fastify.register(
      async (api) => {
        await api.register(peopleRoutes, { repository });
        await api.register(mentionRoutes, { repository });
      },
      { prefix: '/api' },
    );
  },
  { name: 'people', dependencies: ['db', 'live-hub', 'sessions', 'markdown', 'groups', 'reference', 'subjects'] },
);
