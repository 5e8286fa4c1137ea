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
    emailExists: (email) => repository.emailExists(email),
    listDirectory: (groupId) => repository.listDirectory(groupId),
    meView: async (user, memberships) => {
      const person = await repository.find(user.groupId, user.id);
      const groups = await Promise.all(memberships.map(async (membership) => ({ membership, group: await fastify.groups.find(membership.groupId) })));
      const group = groups.find((entry) => entry.membership.groupId === user.groupId)?.group;
      if (!group || !person) throw notFound('User');
      return toMeView(
        person,
        group,
        groups.flatMap(({ membership, group: of }) => (of ? [{ id: of.id, slug: of.slug, name: of.name, role: membership.role }] : [])),
        user.instanceAdmin,
      );
    },
    checkAffiliation: (role, requested) => checkAffiliation(fastify.reference, role, requested),
    insertWithin: (tx, person, now) => insertPerson(tx, person, now),
    idByEmail: (email) => repository.idByEmail(email),
    addMembershipWithin: (commit, membership, now) => repository.addMembershipWithin(commit, membership, now),
    affiliationOf: (userId) => repository.affiliationOf(userId),
    personIdByHandle,
    mentionResolver: (groupId) => ({ personId: (handle) => personIdByHandle(groupId, handle), isCountry: (code) => countryCodes.has(code) }),
  };
}
