import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.js';
import { checkAffiliation } from './affiliation.js';
import type { PeopleService } from './public.js';
import { insertPerson, type PeopleRepository } from './repository.js';
import { toMeView } from './views.js';
import { mentionCandidates } from '../../plugins/markdown/index.js';

/** `fastify.people` over the feature's repository; `countryCodes` are the upper-case ISO codes people @mention. */
export function peopleService(fastify: FastifyInstance, repository: PeopleRepository, countryCodes: ReadonlySet<string>): PeopleService {
  return {
    find: (groupId, userId) => repository.find(groupId, userId),
    emailExists: (email) => repository.emailExists(email),
    listDirectory: (groupId) => repository.listDirectory(groupId),
    meView: async (user, memberships) => {
      // The session store read each group's slug and name with the memberships: no group to look up.
      const person = await repository.find(user.groupId, user.id);
      if (!person) throw notFound('User');
      return toMeView(person, user, memberships);
    },
    checkAffiliation: (role, requested) => checkAffiliation(fastify.reference, role, requested),
    insertWithin: (_commit, person, now) => insertPerson(fastify.database.orm, person, now),
    idByEmail: (email) => repository.idByEmail(email),
    addMembershipWithin: (commit, membership, now) => repository.addMembershipWithin(commit, membership, now),
    affiliationOf: (userId) => repository.affiliationOf(userId),
    personIdByHandle: (groupId, handle) => repository.personIdByHandle(groupId, handle),
    mentionResolver: async (groupId, source) => {
      const ids = await repository.personIdsByHandles(groupId, mentionCandidates(source));
      return { personId: (handle) => ids.get(handle), isCountry: (code) => countryCodes.has(code) };
    },
  };
}
