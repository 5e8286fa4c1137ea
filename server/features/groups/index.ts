import fp from 'fastify-plugin';
import { conflict } from '../../shared/errors.js';
import type { GroupsService } from './public.js';
import { GroupsRepository } from './repository.js';
import { instanceGroupRoutes } from './routes.js';

/**
 * The groups feature: `fastify.groups` (public.ts), and the instance administrators' routes under
 * /api/instance. It is registered before the people feature (which asks it for groups), so its
 * service reaches `fastify.people` only when called, never at registration.
 */
export default fp(
  async (fastify) => {
    const repository = new GroupsRepository(fastify.db);
    const takeSlug = (slug: string) => {
      // Checked inside the piece: another write may have taken the slug since the caller looked.
      if (repository.slugTaken(slug)) throw conflict('slug_taken', `A group with the address ${slug} already exists.`);
    };
    const slugs = new Map<string, string>();
    const service: GroupsService = {
      pathNow(groupId) {
        if (groupId === repository.firstGroupNow()) return '';
        let slug = slugs.get(groupId);
        if (slug === undefined) {
          slug = repository.slugNow(groupId);
          if (slug === undefined) return '';
          slugs.set(groupId, slug);
        }
        return `/g/${slug}`;
      },
      findDefault: () => repository.findDefault(),
      find: (groupId) => repository.find(groupId),
      list: () => repository.listWithCounts(),
      async createGroup(group, admin, now = new Date()) {
        const email = admin.email.toLowerCase();
        if (await fastify.people.emailExists(email)) throw conflict('email_taken', `${email} already has an account.`);
        return fastify.unitOfWork.run(() => {
          takeSlug(group.slug);
          const groupId = repository.insertWithin(group, now);
          const userId = fastify.people.insertWithin(fastify.db, { ...admin, email, groupId, role: 'admin' }, now);
          return { groupId, userId };
        });
      },
      async createWithAdmins(group, adminIds, now = new Date()) {
        const admins = await Promise.all([...new Set(adminIds)].map(async (userId) => ({ userId, affiliation: await fastify.people.affiliationOf(userId) })));
        const groupId = await fastify.unitOfWork.run((commit) => {
          takeSlug(group.slug);
          const id = repository.insertWithin(group, now);
          for (const { userId, affiliation } of admins) {
            fastify.people.addMembershipWithin(commit, { groupId: id, userId, role: 'admin', countryId: affiliation?.countryId ?? null, organizationId: affiliation?.organizationId ?? null }, now);
          }
          return id;
        });
        return (await repository.find(groupId))!;
      },
    };
    fastify.decorate('groups', service);
    await fastify.register(instanceGroupRoutes, { prefix: '/api' });
  },
  { name: 'groups', dependencies: ['db'] },
);
