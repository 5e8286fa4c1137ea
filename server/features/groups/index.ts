import fp from 'fastify-plugin';
import type { GroupsService } from './public.js';
import { GroupsRepository } from './repository.js';

/** The groups feature: `fastify.groups` (public.ts). No routes yet. */
export default fp(
  async (fastify) => {
    fastify.decorate('groups', new GroupsRepository(fastify.db) satisfies GroupsService);
  },
  { name: 'groups', dependencies: ['db'] },
);
