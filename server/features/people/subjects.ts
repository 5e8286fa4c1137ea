import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import type { PeopleRepository } from './repository.js';

/**
 * The people feature's subject kind, 'user': a person of the reader's group, titled with their
 * name. What the audit log records of accounts (role changes, deactivations, sign-ins) names it.
 * A deactivated person is described to administrators only, as the directory shows them.
 */
export function definePeopleSubjects(fastify: FastifyInstance, repository: PeopleRepository): void {
  fastify.subjects.define({
    kind: 'user',
    describe: async (user, ids) => {
      const found = new Map<string, SubjectSummary>();
      for (const id of ids) {
        const person = await repository.find(user.groupId, id);
        if (!person || (person.deactivatedAt && user.role !== 'admin')) continue;
        found.set(id, { kind: 'user', id, title: person.displayName, href: `/people/${encodeURIComponent(id)}`, groupId: user.groupId });
      }
      return found;
    },
  });
}
