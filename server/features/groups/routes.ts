import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../plugins/authorization.js';
import { badRequest, errorResponses } from '../../shared/errors.js';
import { EmailSchema, Timestamp } from '../../shared/schemas.js';
import type { GroupSummary } from './public.js';

/** A group as the instance administrators see it (also the client's type of it, client/app/models.ts). */
export const GroupSummarySchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Timestamp,
  memberCount: Type.Integer(),
});

const NewGroupBody = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$', minLength: 2, maxLength: 40, description: 'The group\'s address, /g/<slug>/: lower-case letters, digits and hyphens' }),
    name: Type.String({ minLength: 3, maxLength: 160, pattern: '\\S' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    adminEmail: Type.Optional(Type.Union([EmailSchema, Type.Literal('')], { description: 'An existing person who becomes an administrator of the group beside its creator' })),
  },
  { additionalProperties: false },
);

const toView = (group: GroupSummary) => ({ ...group, createdAt: group.createdAt.toISOString() });

/**
 * The instance administrators' groups. Whoever creates a group becomes one of its administrators
 * (they set it up and invite its people, as set-up's administrator does for the first group); they
 * may name an existing person as a further administrator.
 */
export const instanceGroupRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/instance/groups',
    {
      config: { access: 'instance-admin' },
      schema: { tags: ['groups'], summary: 'Every working group of the instance, oldest first, with its number of members', response: { 200: Type.Object({ items: Type.Array(GroupSummarySchema) }), ...errorResponses } },
    },
    async () => ({ items: (await fastify.groups.list()).map(toView) }),
  );

  fastify.post(
    '/instance/groups',
    {
      config: { access: 'instance-admin' },
      schema: { tags: ['groups'], summary: 'Create a working group; its creator, and the existing person named, become its administrators', body: NewGroupBody, response: { 201: GroupSummarySchema, ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { slug, name, description, adminEmail } = request.body;
      const adminIds = [user.id];
      if (adminEmail) {
        const named = await fastify.people.idByEmail(adminEmail);
        if (!named) {
          throw badRequest('no_such_account', 'Nobody has an account with this e-mail yet: create the group, then invite them from its people page.', [{ field: 'adminEmail', message: 'has no account' }]);
        }
        adminIds.push(named);
      }
      const group = await fastify.groups.createWithAdmins({ slug, name: name.trim(), description: description?.trim() ?? '' }, adminIds);
      request.log.info({ groupId: group.id, slug }, 'group created');
      reply.status(201);
      return toView({ ...group, memberCount: new Set(adminIds).size });
    },
  );
};
