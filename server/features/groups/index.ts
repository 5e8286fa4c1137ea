import fp from 'fastify-plugin';
import { conflict } from '../../shared/errors.js';
import type { GroupsService } from './public.js';
import { GroupsRepository } from './repository.js';
import { instanceGroupRoutes } from './routes.js';
import { GROUP_CREATED } from './events.js';
import { internalEvent } from '../../plugins/live/hub.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';

/**
 * The groups feature: `fastify.groups` (public.ts), and the instance administrators' routes under
 * /api/instance. It is registered before the people feature (which asks it for groups), so its
 * service reaches `fastify.people` only when called, never at registration.
 */
export default fp(
  async (fastify) => {
    const repository = new GroupsRepository(fastify.database);
    const takeSlug = async (slug: string) => {
      // Checked inside the unit of work: another write may have taken the slug since the caller looked.
      if (await repository.slugTaken(slug)) throw conflict('slug_taken', `A group with the address ${slug} already exists.`);
    };
    // Every group's address, remembered: links are made inside units of work (mail, calendar
    // files), groups are few, and a slug never changes. Groups created by another process arrive
    // through the live log (GROUP_CREATED).
    let firstGroupId: string | undefined;
    const slugs = new Map<string, string>();
    const learnAddresses = async () => {
      const all = await repository.addresses();
      firstGroupId = all[0]?.id;
      for (const { id, slug } of all) slugs.set(id, slug);
    };
    await learnAddresses();
    fastify.caches.register({
      name: 'groups: addresses',
      types: [GROUP_CREATED],
      invalidate: () => void learnAddresses().catch((err: unknown) => fastify.log.error({ err }, 'groups: could not read the addresses')),
    });
    const created = async (commit: PendingCommit, id: string, slug: string) => {
      await fastify.liveHub.publishWithin(commit, [internalEvent(`group:${id}`, GROUP_CREATED, { groupId: id })]);
      commit.afterCommit(() => {
        slugs.set(id, slug);
        // Set up after this process started: which group is the first is read, not guessed.
        if (firstGroupId === undefined) void learnAddresses().catch((err: unknown) => fastify.log.error({ err }, 'groups: could not read the addresses'));
      });
    };
    const service: GroupsService = {
      pathNow(groupId) {
        if (groupId === firstGroupId) return '';
        const slug = slugs.get(groupId);
        return slug === undefined ? '' : `/g/${slug}`;
      },
      findDefault: async () => {
        const [first] = await repository.addresses();
        return (first && (await repository.find(first.id))) ?? null;
      },
      find: (groupId) => repository.find(groupId),
      list: () => repository.listWithCounts(),
      async createGroup(group, admin, now = new Date()) {
        const email = admin.email.toLowerCase();
        if (await fastify.people.emailExists(email)) throw conflict('email_taken', `${email} already has an account.`);
        return fastify.unitOfWork.run(async (commit) => {
          await takeSlug(group.slug);
          const groupId = await repository.insertWithin(group, now);
          const userId = await fastify.people.insertWithin(commit, { ...admin, email, groupId, role: 'admin' }, now);
          await created(commit, groupId, group.slug);
          return { groupId, userId };
        });
      },
      async createWithAdmins(group, adminIds, now = new Date()) {
        const admins = await Promise.all([...new Set(adminIds)].map(async (userId) => ({ userId, affiliation: await fastify.people.affiliationOf(userId) })));
        const groupId = await fastify.unitOfWork.run(async (commit) => {
          await takeSlug(group.slug);
          const id = await repository.insertWithin(group, now);
          await created(commit, id, group.slug);
          for (const { userId, affiliation } of admins) {
            await fastify.people.addMembershipWithin(commit, { groupId: id, userId, role: 'admin', countryId: affiliation?.countryId ?? null, organizationId: affiliation?.organizationId ?? null }, now);
          }
          return id;
        });
        return (await repository.find(groupId))!;
      },
    };
    fastify.decorate('groups', service);
    await fastify.register(instanceGroupRoutes, { prefix: '/api' });
  },
  { name: 'groups', dependencies: ['db', 'live-hub'] },
);
