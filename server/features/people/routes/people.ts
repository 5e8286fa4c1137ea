import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../../plugins/authorization.js';
import { conflict, errorResponses, notFound } from '../../../shared/errors.js';
import { assertTimeZone, IdSchema } from '../../../shared/schemas.js';
import type { PeopleRepository } from '../repository.js';
import { toAdminView, toPublicPerson as toPublic, type PublicPerson } from '../views.js';
import {
  AdminUserSchema,
  DelegationChangeSchema,
  DirectorySchema,
  MeSchema,
  PersonSchema,
  ProfileUpdateSchema,
  RoleChangeSchema,
  UserListQuery,
} from '../schemas.js';

const UserParams = Type.Object({ id: IdSchema });

/** Profiles, the member directory by country, and user administration. */
export const peopleRoutes: FastifyPluginAsyncTypebox<{ repository: PeopleRepository }> = async (fastify, { repository: people }) => {
  const { sessions, reference } = fastify;

  fastify.get(
    '/me',
    { config: { access: 'signed-in' }, schema: { tags: ['people'], summary: 'The signed-in user', response: { 200: MeSchema, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return fastify.people.meView(user, request.memberships ?? []);
    },
  );

  fastify.patch(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['people'], summary: 'Update my profile and preferences', body: ProfileUpdateSchema, response: { 200: MeSchema, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const changes = { ...request.body };
      if (changes.timeZone !== undefined) assertTimeZone(changes.timeZone);
      if (changes.displayName !== undefined) changes.displayName = changes.displayName.trim();
      await people.updateProfile(user.id, changes);
      return fastify.people.meView(user, request.memberships ?? []);
    },
  );

  fastify.get(
    '/people/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['people'], summary: 'A participant\'s public profile', params: UserParams, response: { 200: Type.Object({ person: PersonSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const person = await people.find(user.groupId, request.params.id);
      if (!person || person.deactivatedAt) throw notFound('Person');
      return { person: toPublic(person) };
    },
  );

  fastify.get(
    '/directory',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['people'], summary: 'Member directory: every country with its delegation, and the organizations', response: { 200: DirectorySchema, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const everyone = await people.listDirectory(user.groupId);
      const byCountry = new Map<string, { countryId: string; focalPoint: PublicPerson | null; alternates: PublicPerson[] }>();
      for (const country of await reference.listCountries()) byCountry.set(country.id, { countryId: country.id, focalPoint: null, alternates: [] });
      const byOrganization = new Map<string, PublicPerson[]>();
      const others: PublicPerson[] = [];
      for (const person of everyone) {
        const view = toPublic(person);
        const delegation = person.countryId ? byCountry.get(person.countryId) : undefined;
        if (delegation) {
          if (person.delegationRole === 'focal_point') delegation.focalPoint = view;
          else delegation.alternates.push(view);
        } else if (person.organizationId) {
          byOrganization.set(person.organizationId, [...(byOrganization.get(person.organizationId) ?? []), view]);
        } else {
          others.push(view);
        }
      }
      return {
        countries: [...byCountry.values()],
        organizations: [...byOrganization].map(([organizationId, members]) => ({ organizationId, people: members })),
        others,
      };
    },
  );

  fastify.put(
    '/people/:id/delegation',
    {
      config: { access: onlyRoles('admin', 'coordinator') },
      schema: {
        tags: ['people'],
        summary: 'Mark a member as their country\'s focal point or as an alternate',
        params: UserParams,
        body: DelegationChangeSchema,
        response: { 200: Type.Object({ person: PersonSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const person = await people.find(user.groupId, request.params.id);
      if (!person) throw notFound('Person');
      if (person.role !== 'member' || !person.countryId) {
        throw conflict('not_a_country_member', 'Only members of a country delegation can be focal points or alternates.');
      }
      if (person.deactivatedAt) throw conflict('user_deactivated', 'This person is deactivated.');
      const countryId = person.countryId;
      await fastify.unitOfWork.run(async (commit) => {
        await people.setDelegationRoleWithin(commit, user.groupId, person.id, countryId, request.body.delegationRole);
        await fastify.audit.recordRequest(request, { subjectKind: 'user', subjectId: person.id, action: 'user.delegation_changed', details: { countryId, from: person.delegationRole, to: request.body.delegationRole } });
      });
      return { person: toPublic((await people.find(user.groupId, person.id))!) };
    },
  );

  fastify.get(
    '/admin/users',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: 'Users of the group, filtered and paged',
        querystring: UserListQuery,
        response: { 200: Type.Object({ items: Type.Array(AdminUserSchema), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { items, total } = await people.list(user.groupId, request.query);
      return { items: items.map(toAdminView), total };
    },
  );

  fastify.put(
    '/admin/users/:id/role',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: 'Change a user\'s role and affiliation',
        params: UserParams,
        body: RoleChangeSchema,
        response: { 200: Type.Object({ user: AdminUserSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      const person = await people.find(admin.groupId, request.params.id);
      if (!person) throw notFound('User');
      const { role } = request.body;
      const affiliation = await fastify.people.checkAffiliation(role, {
        countryId: request.body.countryId === undefined ? person.countryId : request.body.countryId,
        organizationId: request.body.organizationId === undefined ? person.organizationId : request.body.organizationId,
      });
      // Only an active admin counts towards the minimum, so only demoting one can break it.
      if (person.role === 'admin' && !person.deactivatedAt && role !== 'admin' && (await people.countActiveAdmins(admin.groupId)) <= 1) {
        throw conflict('last_admin', 'The group needs at least one active administrator.');
      }
      await people.changeRole(admin.groupId, person.id, { role, ...affiliation });
      await fastify.audit.recordRequest(request, {
        subjectKind: 'user',
        subjectId: person.id,
        action: 'user.role_changed',
        details: { from: { role: person.role, countryId: person.countryId, organizationId: person.organizationId }, to: { role, ...affiliation } },
      });
      // Their open sockets were authorized for the old role (moderators-only events, topics).
      await fastify.liveHub.publish({ topic: `user:${person.id}`, type: 'user.rights-changed', payload: { userId: person.id } });
      return { user: toAdminView((await people.find(admin.groupId, person.id))!) };
    },
  );

  fastify.post(
    '/admin/users/:id/deactivate',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['admin'], summary: 'Deactivate a user and end all their sessions', params: UserParams, response: { 200: Type.Object({ user: AdminUserSchema }), ...errorResponses } },
    },
    async (request) => {
      const admin = requireUser(request);
      const person = await people.find(admin.groupId, request.params.id);
      if (!person) throw notFound('User');
      if (person.id === admin.id) throw conflict('cannot_deactivate_self', 'You cannot deactivate your own account.');
      if (!person.deactivatedAt) {
        await people.setDeactivated(person.id, new Date());
        // Ending the sessions also closes their sockets (the live channel listens to the session store).
        await sessions.invalidateAllForUser(person.id);
        await fastify.audit.recordRequest(request, { subjectKind: 'user', subjectId: person.id, action: 'user.deactivated' });
      }
      return { user: toAdminView((await people.find(admin.groupId, person.id))!) };
    },
  );

  fastify.post(
    '/admin/users/:id/reactivate',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['admin'], summary: 'Reactivate a deactivated user', params: UserParams, response: { 200: Type.Object({ user: AdminUserSchema }), ...errorResponses } },
    },
    async (request) => {
      const admin = requireUser(request);
      const person = await people.find(admin.groupId, request.params.id);
      if (!person) throw notFound('User');
      if (person.deactivatedAt) {
        await people.setDeactivated(person.id, null);
        await fastify.audit.recordRequest(request, { subjectKind: 'user', subjectId: person.id, action: 'user.reactivated' });
      }
      return { user: toAdminView((await people.find(admin.groupId, person.id))!) };
    },
  );
};

