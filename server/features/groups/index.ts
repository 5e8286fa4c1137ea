import fp from 'fastify-plugin';
import { conflict } from '../../shared/errors.js';
import type { GroupsService } from './public.js';
import { GroupsRepository } from './repository.js';

/**
 * The groups feature: `fastify.groups` (public.ts). No routes yet. It is registered before the
 * people feature (which asks it for the default group), so createGroup reaches `fastify.people`
 * only when called, never at registration.
 */
export default fp(
  async (fastify) => {
    const repository = new GroupsRepository(fastify.db);
    const service: GroupsService = {
      findDefault: () => repository.findDefault(),
      find: (groupId) => repository.find(groupId),
      async createGroup(group, admin, now = new Date()) {
        const email = admin.email.toLowerCase();
        if (await fastify.people.emailExists(email)) throw conflict('email_taken', `${email} already has an account.`);
        return fastify.unitOfWork.run(() => {
          // Checked again inside the piece: another write may have taken the slug since.
          if (repository.slugTaken(group.slug)) throw conflict('slug_taken', `A group with the address ${group.slug} already exists.`);
          const groupId = repository.insertWithin(group, now);
          const userId = fastify.people.insertWithin(fastify.db, { ...admin, email, groupId, role: 'admin' }, now);
          return { groupId, userId };
        });
      },
    };
    fastify.decorate('groups', service);
  },
  { name: 'groups', dependencies: ['db'] },
);
