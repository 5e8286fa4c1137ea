import fp from 'fastify-plugin';
import { GroupsRepository } from './repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    groups: GroupsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('groups', new GroupsRepository(fastify.db));
  },
  { name: 'groups', dependencies: ['db'] },
);
