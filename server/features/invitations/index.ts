import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isKeyViolation } from '../../plugins/db.js';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../plugins/authorization.js';
import { generateSecretToken, hashToken } from '../../plugins/sessions/session-store.js';
import { conflict, errorResponses, forbidden, gone, notFound } from '../../shared/errors.js';
import { hashPassword } from '../../shared/passwords.js';
import { IdSchema, assertTimeZone } from '../../shared/schemas.js';
import { MeSchema } from '../people/public.js';
import { formatDateTime } from '../../plugins/mail/index.js';
import { INVITATION_KIND, invitationTexts } from './mail.js';
import { InvitationsRepository, invitationStatus, type Invitation } from './repository.js';
import { AcceptBody, CreateInvitationBody, CreatedInvitation, InvitationListQuery, InvitationPreview, InvitationSchema, TokenParams } from './schemas.js';
import type { SubjectSummary } from '../../plugins/subjects/index.js';

export interface InvitationOptions {
  publicUrl: string;
  invitationTtlDays: number;
}

const INVITERS = onlyRoles('admin', 'coordinator');

const toView = (invitation: Invitation, invitedByName: string) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  countryId: invitation.countryId,
  organizationId: invitation.organizationId,
  invitedByName,
  createdAt: invitation.createdAt.toISOString(),
  expiresAt: invitation.expiresAt.toISOString(),
  status: invitationStatus(invitation),
});

const UNUSABLE: Record<string, [string, string]> = {
  accepted: ['invitation_used', 'This invitation has already been used. Sign in instead.'],
  revoked: ['invitation_revoked', 'This invitation was withdrawn. Ask the coordinator for a new one.'],
  expired: ['invitation_expired', 'This invitation has expired. Ask the coordinator for a new one.'],
};

/** The forum is private: people join through a single-use, expiring invitation link. */
const invitationRoutes: FastifyPluginAsyncTypebox<InvitationOptions> = async (fastify, options) => {
  fastify.mail.defineKind(INVITATION_KIND, { transactional: true });
  const repository = new InvitationsRepository(fastify.db, fastify.people.insertWithin);
  // The audit log names invitations: an administrator or the coordinator reads them, titled with the address invited.
  fastify.subjects.define({
    kind: 'invitation',
    describe: async (user, ids) => {
      const found = new Map<string, SubjectSummary>();
      if (user.role !== 'admin' && user.role !== 'coordinator') return found;
      for (const id of ids) {
        const row = await repository.findById(user.groupId, id);
        if (row) found.set(id, { kind: 'invitation', id, title: row.invitation.email, href: '/admin/users', groupId: user.groupId });
      }
      return found;
    },
  });

  async function usableByToken(token: string) {
    const invitation = await repository.findByTokenHash(hashToken(token));
    if (!invitation) throw notFound('Invitation');
    const status = invitationStatus(invitation);
    const refusal = UNUSABLE[status];
    if (refusal) throw gone(refusal[0], refusal[1]);
    return invitation;
  }

  fastify.post(
    '/invitations',
    {
      config: { access: INVITERS },
      schema: {
        tags: ['invitations'],
        summary: 'Invite someone by e-mail with a role and a country or organization',
        body: CreateInvitationBody,
        response: { 201: CreatedInvitation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const inviter = requireUser(request);
      const { role } = request.body;
      if (role === 'admin' && inviter.role !== 'admin') throw forbidden('Only an administrator can invite another administrator.');
      const email = request.body.email.toLowerCase();
      // Someone with an account (in another group) is invited all the same: they join with it.
      const existing = await fastify.people.idByEmail(email);
      if (existing !== undefined && (await fastify.people.find(inviter.groupId, existing))) throw conflict('already_member', `${email} is already a member of this group.`);
      const affiliation = await fastify.people.checkAffiliation(role, request.body);
      const token = generateSecretToken();
      const now = new Date();
      const group = await fastify.groups.find(inviter.groupId);
      const expiresAt = new Date(now.getTime() + options.invitationTtlDays * 86_400_000);
      const acceptUrl = `${options.publicUrl}/invitation/${token}`;
      const invitation = await fastify.unitOfWork.run(async (commit) => {
        const created = repository.createWithin({ groupId: inviter.groupId, tokenHash: hashToken(token), email, role, ...affiliation, invitedBy: inviter.id, expiresAt }, now);
        // Mailed in the same commit; the link also stays in the answer, for those who pass it on by hand.
        await fastify.mail.enqueueWithin(commit, {
          kind: INVITATION_KIND,
          to: { address: email, locale: request.body.locale ?? inviter.locale },
          discardAfter: expiresAt,
          content: (recipient) => {
            const t = invitationTexts(recipient.locale);
            const groupName = group?.name ?? 'Concilia';
            return {
              subject: t.subject(groupName),
              blocks: [
                { text: t.intro(inviter.displayName, groupName, role) },
                { action: { label: t.button, url: acceptUrl } },
                { text: t.expires(formatDateTime(recipient.locale, expiresAt, inviter.timeZone)) },
              ],
            };
          },
        });
        return created;
      });
      fastify.audit.recordRequest(request, { subjectKind: 'invitation', subjectId: invitation.id, action: 'invitation.created', details: { email, role, countryId: affiliation.countryId, organizationId: affiliation.organizationId } });
      reply.status(201);
      return { invitation: toView(invitation, inviter.displayName), acceptUrl };
    },
  );

  fastify.get(
    '/invitations',
    {
      config: { access: INVITERS },
      schema: {
        tags: ['invitations'],
        summary: 'Invitations of the group, newest first',
        querystring: InvitationListQuery,
        response: { 200: Type.Object({ items: Type.Array(InvitationSchema), total: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { status, limit, offset } = request.query;
      const { items, total } = await repository.list(user.groupId, { status: status === 'pending' ? 'pending' : undefined, limit, offset });
      return { items: items.map((row) => toView(row.invitation, row.invitedByName)), total };
    },
  );

  fastify.post(
    '/invitations/:id/revoke',
    {
      config: { access: INVITERS },
      schema: {
        tags: ['invitations'],
        summary: 'Withdraw a pending invitation',
        params: Type.Object({ id: IdSchema }),
        response: { 200: Type.Object({ invitation: InvitationSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const found = await repository.findById(user.groupId, request.params.id);
      if (!found) throw notFound('Invitation');
      if (found.invitation.acceptedAt) throw conflict('invitation_used', 'This invitation was already accepted; deactivate the user instead.');
      await repository.revoke(found.invitation.id);
      fastify.audit.recordRequest(request, { subjectKind: 'invitation', subjectId: found.invitation.id, action: 'invitation.revoked', details: { email: found.invitation.email } });
      const updated = (await repository.findById(user.groupId, found.invitation.id))!;
      return { invitation: toView(updated.invitation, updated.invitedByName) };
    },
  );

  fastify.get(
    '/invitations/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link offers, before accepting it',
        params: TokenParams,
        response: { 200: InvitationPreview, 410: errorResponses[404], ...errorResponses },
      },
    },
    async (request) => {
      const invitation = await usableByToken(request.params.token);
      const group = await fastify.groups.find(invitation.groupId);
      return {
        email: invitation.email,
        existingAccount: (await fastify.people.idByEmail(invitation.email)) !== undefined,
        role: invitation.role,
        countryId: invitation.countryId,
        organizationId: invitation.organizationId,
        groupName: group?.name ?? '',
        expiresAt: invitation.expiresAt.toISOString(),
      };
    },
  );

  fastify.post(
    '/invitations/:token/accept',
    {
      config: { access: 'public' },
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation: create the account and sign in',
        params: TokenParams,
        body: AcceptBody,
        response: { 201: MeSchema, 410: errorResponses[404], ...errorResponses },
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      await usableByToken(token);
      const { displayName, password, locale, timeZone } = request.body;
      assertTimeZone(timeZone);
      const outcome = await repository.accept(hashToken(token), { displayName: displayName.trim(), passwordHash: await hashPassword(password), locale, timeZone });
      if (!outcome.ok) {
        if (outcome.reason === 'email_taken') throw conflict('email_taken', 'An account with this e-mail already exists. Sign in instead.');
        await usableByToken(token); // explains why it became unusable meanwhile
        throw gone('invitation_used', 'This invitation has already been used.');
      }
      const { memberships } = await fastify.startSession(reply, outcome.userId);
      const invitation = await repository.findByTokenHash(hashToken(token));
      if (invitation) {
        fastify.audit.record({ groupId: invitation.groupId, subjectKind: 'user', subjectId: outcome.userId, actorId: outcome.userId, action: 'invitation.accepted', details: { invitationId: invitation.id, role: invitation.role }, ip: request.ip });
      }
      reply.status(201);
      // The answer is about the group that invited them.
      return fastify.people.meView(memberships.find((membership) => membership.groupId === invitation?.groupId) ?? memberships[0]!, memberships);
    },
  );

  fastify.post(
    '/invitations/:token/join',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation with the account signed in (a person of another group joins this one); answers as in the new group',
        params: TokenParams,
        response: { 201: MeSchema, 410: errorResponses[404], ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const invitation = await usableByToken(request.params.token);
      // The link is not enough: the invitation is for one address, which must be the account's.
      if (invitation.email !== user.email) throw forbidden('This invitation is for another e-mail address. Sign in with that one.');
      if (await fastify.people.find(invitation.groupId, user.id)) throw conflict('already_member', 'You are already a member of this group.');
      const now = new Date();
      const joined = await fastify.unitOfWork
        .run((commit) => {
          if (!repository.useWithin(invitation.id, user.id, now)) return false;
          fastify.people.addMembershipWithin(commit, { groupId: invitation.groupId, userId: user.id, role: invitation.role, countryId: invitation.countryId, organizationId: invitation.organizationId }, now);
          return true;
        })
        .catch((error: unknown) => {
          // Two tabs joining at once: the membership's unique key keeps one, the other is told.
          if (isKeyViolation(error)) throw conflict('already_member', 'You are already a member of this group.');
          throw error;
        });
      if (!joined) {
        await usableByToken(request.params.token); // explains why it became unusable meanwhile
        throw gone('invitation_used', 'This invitation has already been used.');
      }
      fastify.audit.record({ groupId: invitation.groupId, subjectKind: 'user', subjectId: user.id, actorId: user.id, action: 'invitation.accepted', details: { invitationId: invitation.id, role: invitation.role }, ip: request.ip });
      const memberships = fastify.sessions.membershipsOf(request.sessionId!);
      const inGroup = memberships.find((membership) => membership.groupId === invitation.groupId);
      if (!inGroup) throw gone('invitation_used', 'This invitation has already been used.');
      reply.status(201);
      return fastify.people.meView(inGroup, memberships);
    },
  );
};

export default invitationRoutes;
