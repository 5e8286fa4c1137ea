import fp from 'fastify-plugin';
import { LinkService } from './links.js';
import { SubjectRegistry } from './registry.js';

export { contentLocaleOf, refKey, SubjectRegistry, type ContentLocale, type SubjectKind, type SubjectRef, type SubjectSummary } from './registry.js';
export { LinkService, type LinkSource } from './links.js';

declare module 'fastify' {
  interface FastifyInstance {
    subjects: SubjectRegistry;
    links: LinkService;
  }
}

export default fp(
  async (fastify) => {
    const subjects = new SubjectRegistry();
    fastify.decorate('subjects', subjects);
    fastify.decorate('links', new LinkService(fastify.database, subjects));
  },
  { name: 'subjects', dependencies: ['db'] },
);
