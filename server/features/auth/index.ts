import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../plugins/authorization.js';
import { generateSecretToken, hashToken } from '../../plugins/sessions/session-store.js';
import { AppError, errorResponses, gone, notFound } from '../../shared/errors.js';
import { hashPassword, verifyPassword } from '../../shared/passwords.js';
import { runPeriodically } from '../../shared/periodic.js';
import { IdSchema, Ok } from '../../shared/schemas.js';
import { MeSchema } from '../people/public.js';
import { AuthRepository } from './repository.js';
import { LoginBody, PasswordChangeBody, ResetBody, ResetInfo, ResetLink, ResetTokenParams, SessionSchema } from './schemas.js';

export interface AuthOptions {
  publicUrl: string;
  passwordResetTtlHours: number;
  loginThrottle: { maxPerAccount: number; maxPerAddress: number; windowMinutes: number };
}

const INVALID_CREDENTIALS = 'The e-mail or the password is not right.';

/** Sign-in, sign-out, password change and password reset links. */
const authRoutes: FastifyPluginAsyncTypebox<AuthOptions> = async (fastify, options) => {
  const repository = new AuthRepository(fastify.db, (ended) => fastify.sessions.sessionsEnded(ended));
  const windowMs = options.loginThrottle.windowMinutes * 60_000;
  const accountPolicy = { maxFailures: options.loginThrottle.maxPerAccount, windowMs };
  const addressPolicy = { maxFailures: options.loginThrottle.maxPerAddress, windowMs };
  runPeriodically(fastify, 'prune login throttles', windowMs, () => repository.pruneThrottles(new Date(), windowMs));

  fastify.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Sign in with e-mail and password; sets the session cookie', body: LoginBody, response: { 200: MeSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const now = new Date();
      const email = request.body.email.toLowerCase();
      const accountKey = `account:${email}`;
      const addressKey = `address:${request.ip}`;
      const waitMs = await repository.blockedFor([accountKey, addressKey], now);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new AppError(429, 'too_many_attempts', `Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minutes.`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
      }
      const credentials = await repository.findCredentials(email);
      const valid = await verifyPassword(credentials?.passwordHash ?? null, request.body.password);
      if (!credentials || !valid || credentials.deactivated) {
        await repository.recordFailure(accountKey, accountPolicy, now);
        await repository.recordFailure(addressKey, addressPolicy, now);
        throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
      const group = await fastify.groups.findDefault();
      const person = group && (await fastify.people.find(group.id, credentials.userId));
      if (!person || !group) throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
      await repository.clearFailures(accountKey);
      await fastify.startSession(reply, credentials.userId);
      // A sign-in from an address this person never signed in from is access-relevant.
      fastify.audit.noteSignIn({ id: credentials.userId, groupId: group.id }, request.ip);
      request.log.info({ userId: credentials.userId }, 'signed in');
      return fastify.people.meView(credentials.userId);
    },
  );

  fastify.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 200: Ok, ...errorResponses } },
    },
    async (request, reply) => {
      await fastify.endSession(request, reply);
      return { ok: true as const };
    },
  );

  // The page asks this at start. GET /api/me answers a visitor who is not signed in with 401, which
  // the browser logs as an error on every signed-out load; here being signed out is an answer.
  fastify.get(
    '/session',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Who is signed in: the user GET /api/me answers, or null when nobody is', response: { 200: SessionSchema, ...errorResponses } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!request.user) return { user: null };
      return fastify.people.meView(request.user.id);
    },
  );

  fastify.post(
    '/auth/password',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password; ends every other session',
        body: PasswordChangeBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const current = await repository.findPasswordHash(user.id);
      if (!current || !(await verifyPassword(current, request.body.currentPassword))) {
        throw new AppError(400, 'wrong_current_password', 'The current password is not right.', [{ field: 'currentPassword', message: 'does not match' }]);
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      // The client that changed the password goes on with a fresh cookie (a new session made
      // first, so the change can keep it while it ends every other one in the same transaction).
      const fresh = await fastify.startSession(reply, user.id);
      await repository.replacePassword(user.id, passwordHash, { keep: fresh, replacing: request.sessionId });
      return { ok: true as const };
    },
  );

  fastify.post(
    '/admin/users/:id/password-reset',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: 'Create a single-use password reset link for a user (until e-mail delivery exists)',
        params: Type.Object({ id: IdSchema }),
        response: { 201: ResetLink, ...errorResponses },
      },
    },
    async (request, reply) => {
      const admin = requireUser(request);
      const person = await fastify.people.find(admin.groupId, request.params.id);
      if (!person) throw notFound('User');
      const token = generateSecretToken();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + options.passwordResetTtlHours * 3_600_000);
      await repository.createPasswordReset({ tokenHash: hashToken(token), userId: person.id, createdBy: admin.id, expiresAt, now });
      reply.status(201);
      return { url: `${options.publicUrl}/reset-password/${token}`, expiresAt: expiresAt.toISOString() };
    },
  );

  fastify.get(
    '/auth/password-resets/:token',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Check a password reset link', params: ResetTokenParams, response: { 200: ResetInfo, 410: errorResponses[404], ...errorResponses } },
    },
    async (request) => {
      const reset = await repository.findUsableReset(hashToken(request.params.token), new Date());
      if (!reset) throw gone('reset_link_invalid', 'This password reset link has expired or was already used.');
      return { email: reset.email, displayName: reset.displayName };
    },
  );

  fastify.post(
    '/auth/password-resets/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password through a reset link; ends every session of the user',
        params: ResetTokenParams,
        body: ResetBody,
        response: { 200: Ok, 410: errorResponses[404], ...errorResponses },
      },
    },
    async (request) => {
      const passwordHash = await hashPassword(request.body.password);
      const userId = await repository.consumeReset(hashToken(request.params.token), passwordHash, new Date());
      if (!userId) throw gone('reset_link_invalid', 'This password reset link has expired or was already used.');
      return { ok: true as const };
    },
  );
};

export default authRoutes;
