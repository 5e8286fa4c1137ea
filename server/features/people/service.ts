import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.js';
import { checkAffiliation } from './affiliation.js';
import type { PeopleService } from './public.js';
import { insertPerson, type PeopleRepository } from './repository.js';
import { toMeView } from './views.js';

/** `fastify.people` over the feature's repository; `countryCodes` are the upper-case ISO codes people @mention. */
export function peopleService(fastify: FastifyInstance, repository: PeopleRepository, countryCodes: ReadonlySet<string>): PeopleService {
  const personIdByHandle = (groupId: string, handle: string) => repository.personIdByHandle(groupId, handle);
  return {
    find: (groupId, userId) => repository.find(groupId, userId),
    sessionGroupOf: (userId) => repository.sessionGroupOf(userId),
    emailExists: (email) => repository.emailExists(email),
    listDirectory: (groupId) => repository.listDirectory(groupId),
    meView: async (userId, groupId) => {
      const id = groupId ?? (await repository.sessionGroupOf(userId));
      const group = id === undefined ? undefined : await fastify.groups.find(id);
      const person = group && (await repository.find(group.id, userId));
      if (!group || !person) throw notFound('User');
      return toMeView(person, group);
    },
    checkAffiliation: (role, requested) => checkAffiliation(fastify.reference, role, requested),
    insertWithin: (tx, person, now) => insertPerson(tx, person, now),
    personIdByHandle,
    mentionResolver: (groupId) => ({ personId: (handle) => personIdByHandle(groupId, handle), isCountry: (code) => countryCodes.has(code) }),
  };
}
