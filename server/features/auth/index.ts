import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../plugins/authorization.js';
import { generateSecretToken, hashToken } from '../../plugins/sessions/session-store.js';
import { AppError, conflict, errorResponses, gone, notFound } from '../../shared/errors.js';
import type { PendingCommit } from '../../plugins/group-commit.js';
import { hashPassword, verifyPassword } from '../../shared/passwords.js';
import { runPeriodically } from '../../shared/periodic.js';
import { IdSchema, Ok } from '../../shared/schemas.js';
import { MeSchema } from '../people/public.js';
import { AuthRepository } from './repository.js';
import { accountTexts, ACCOUNT_KINDS, defineAccountKinds, when } from './mail.js';
import { EmailChangeBody, EmailChangeInfo, LoginBody, PasswordChangeBody, ResetBody, ResetInfo, ResetLink, ResetRequestBody, ResetTokenParams, SessionSchema } from './schemas.js';

export interface AuthOptions {
  publicUrl: string;
  passwordResetTtlHours: number;
  loginThrottle: { maxPerAccount: number; maxPerAddress: number; windowMinutes: number };
}

const INVALID_CREDENTIALS = 'The e-mail or the password is not right.';
/** Reset links asked by address: per account (silently: the answer must not tell whether it exists) and per client address (429). */
const RESET_REQUESTS = { perAccount: 3, perAddress: 10, windowMs: 60 * 60_000 };
const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60_000;

/** Sign-in, sign-out, password change and password reset links. */
const authRoutes: FastifyPluginAsyncTypebox<AuthOptions> = async (fastify, options) => {
  const repository = new AuthRepository(fastify.db, (ended) => fastify.sessions.sessionsEnded(ended));
  const windowMs = options.loginThrottle.windowMinutes * 60_000;
  const accountPolicy = { maxFailures: options.loginThrottle.maxPerAccount, windowMs };
  const addressPolicy = { maxFailures: options.loginThrottle.maxPerAddress, windowMs };
  runPeriodically(fastify, 'prune login throttles', windowMs, () => repository.pruneThrottles(new Date(), Math.max(windowMs, RESET_REQUESTS.windowMs)));
  defineAccountKinds(fastify);
  const { mail, unitOfWork } = fastify;
  const resetUrl = (token: string) => `${options.publicUrl}/reset-password/${token}`;

  /** Queues the reset link to the person, in the commit that stored it. */
  const mailResetWithin = (commit: PendingCommit, userId: string, token: string, expiresAt: Date) =>
    mail.enqueueWithin(commit, {
      kind: ACCOUNT_KINDS.passwordReset,
      to: { userId },
      discardAfter: expiresAt,
      content: (recipient) => {
        const t = accountTexts(recipient.locale);
        return {
          subject: t.resetSubject,
          blocks: [{ text: t.resetIntro }, { action: { label: t.resetButton, url: resetUrl(token) } }, { text: t.resetExpires(when(recipient.locale, expiresAt, recipient.timeZone)) }, { text: t.notYou }],
        };
      },
    });

  /** Tells the person their password changed (a stolen session changing it is then noticed). */
  const mailPasswordChangedWithin = (commit: PendingCommit, userId: string, at: Date) =>
    mail.enqueueWithin(commit, {
      kind: ACCOUNT_KINDS.passwordChanged,
      to: { userId },
      content: (recipient) => {
        const t = accountTexts(recipient.locale);
        return {
          subject: t.passwordChangedSubject,
          blocks: [{ text: t.passwordChangedText(when(recipient.locale, at, recipient.timeZone)) }, { text: t.notYouChanged }, { action: { label: t.signIn, url: `${options.publicUrl}/login` } }],
        };
      },
    });

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
      const { sessionId, memberships } = await fastify.startSession(reply, credentials.userId);
      const first = memberships[0];
      if (!first) {
        // Someone of no group (every membership removed) has nowhere to work: no session for them.
        request.sessionId = sessionId;
        await fastify.endSession(request, reply);
        throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
      await repository.clearFailures(accountKey);
      // A sign-in from an address this person never signed in from is access-relevant.
      fastify.audit.noteSignIn({ id: credentials.userId, groupId: first.groupId }, request.ip);
      request.log.info({ userId: credentials.userId }, 'signed in');
      return fastify.people.meView(first, memberships);
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
      return fastify.people.meView(request.user, request.memberships ?? []);
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
      const now = new Date();
      await unitOfWork.run(async (commit) => {
        repository.replacePasswordWithin(commit, user.id, passwordHash, { keep: fresh.sessionId, replacing: request.sessionId });
        await mailPasswordChangedWithin(commit, user.id, now);
      });
      return { ok: true as const };
    },
  );

  fastify.post(
    '/admin/users/:id/password-reset',
    {
      config: { access: onlyRoles('admin') },
      schema: {
        tags: ['admin'],
        summary: 'Create a single-use password reset link for a user; it is also mailed to them',
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
      await unitOfWork.run(async (commit) => {
        repository.createPasswordResetWithin({ tokenHash: hashToken(token), userId: person.id, createdBy: admin.id, expiresAt, now });
        await mailResetWithin(commit, person.id, token, expiresAt);
      });
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
      const now = new Date();
      const userId = await unitOfWork.run(async (commit) => {
        const changed = repository.consumeResetWithin(commit, hashToken(request.params.token), passwordHash, now);
        if (changed) await mailPasswordChangedWithin(commit, changed, now);
        return changed;
      });
      if (!userId) throw gone('reset_link_invalid', 'This password reset link has expired or was already used.');
      return { ok: true as const };
    },
  );

  fastify.post(
    '/auth/password-resets',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password reset link by e-mail; the same answer whether the address has an account or not',
        body: ResetRequestBody,
        response: { 202: Ok, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const email = request.body.email.toLowerCase();
      const token = generateSecretToken();
      const expiresAt = new Date(now.getTime() + options.passwordResetTtlHours * 3_600_000);
      const perAddress = await unitOfWork.run(() => repository.countRequest(`reset-address:${request.ip}`, { maxFailures: RESET_REQUESTS.perAddress, windowMs: RESET_REQUESTS.windowMs }, now));
      if (!perAddress) {
        const seconds = Math.ceil(RESET_REQUESTS.windowMs / 1000);
        throw new AppError(429, 'too_many_requests', 'Too many password reset requests from here. Try again later.', { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
      }
      // The same work and the same answer whether the address has an account or not; an account
      // asked for too often gets no more links for a while, silently.
      await unitOfWork.run(async (commit) => {
        const underLimit = repository.countRequest(`reset-account:${email}`, { maxFailures: RESET_REQUESTS.perAccount, windowMs: RESET_REQUESTS.windowMs }, now);
        const person = repository.activeUserByEmail(email);
        if (!underLimit || !person) return;
        repository.createPasswordResetWithin({ tokenHash: hashToken(token), userId: person.id, createdBy: null, expiresAt, now });
        await mailResetWithin(commit, person.id, token, expiresAt);
      });
      reply.status(202);
      return { ok: true as const };
    },
  );

  fastify.post(
    '/auth/email',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: 'Change my e-mail address: a link goes to the new address, which changes once it is used; the current address is told',
        body: EmailChangeBody,
        response: { 202: EmailChangeInfo, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const current = await repository.findPasswordHash(user.id);
      if (!current || !(await verifyPassword(current, request.body.currentPassword))) {
        throw new AppError(400, 'wrong_current_password', 'The current password is not right.', [{ field: 'currentPassword', message: 'does not match' }]);
      }
      const email = request.body.email.toLowerCase();
      if (email === user.email.toLowerCase()) throw new AppError(400, 'same_email', 'This is already your address.', [{ field: 'email', message: 'is your current address' }]);
      if (await fastify.people.emailExists(email)) throw conflict('email_taken', 'Another account uses this address.');
      const token = generateSecretToken();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_TTL_MS);
      await unitOfWork.run(async (commit) => {
        repository.requestEmailChangeWithin({ tokenHash: hashToken(token), userId: user.id, newEmail: email, expiresAt, now });
        // To the new address, in the person's language: it is theirs only once they confirm.
        await mail.enqueueWithin(commit, {
          kind: ACCOUNT_KINDS.emailChange,
          to: { address: email, name: user.displayName, locale: user.locale },
          discardAfter: expiresAt,
          content: (recipient) => {
            const t = accountTexts(recipient.locale);
            return {
              subject: t.emailChangeSubject,
              blocks: [{ text: t.emailChangeIntro(email) }, { action: { label: t.emailChangeButton, url: `${options.publicUrl}/confirm-email/${token}` } }, { text: t.notYou }],
            };
          },
        });
        await mail.enqueueWithin(commit, {
          kind: ACCOUNT_KINDS.emailChange,
          to: { userId: user.id },
          content: (recipient) => {
            const t = accountTexts(recipient.locale);
            return { subject: t.emailChangeRequestedSubject, blocks: [{ text: t.emailChangeRequestedText(email) }, { text: t.notYouChanged }] };
          },
        });
      });
      reply.status(202);
      return { pendingEmail: email, expiresAt: expiresAt.toISOString() };
    },
  );

  fastify.get(
    '/auth/email-changes/:token',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Check a link confirming a new e-mail address', params: ResetTokenParams, response: { 200: Type.Object({ email: Type.String() }), 410: errorResponses[404], ...errorResponses } },
    },
    async (request) => {
      const change = await unitOfWork.run(() => repository.usableEmailChangeWithin(hashToken(request.params.token), new Date()));
      if (!change) throw gone('email_link_invalid', 'This confirmation link has expired or was already used.');
      return { email: change.newEmail };
    },
  );

  fastify.post(
    '/auth/email-changes/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm a new e-mail address through the link mailed to it; the old address is told',
        params: ResetTokenParams,
        response: { 200: Type.Object({ email: Type.String() }), 410: errorResponses[404], ...errorResponses },
      },
    },
    async (request) => {
      const now = new Date();
      const outcome = await unitOfWork.run(async (commit) => {
        const changed = repository.confirmEmailChangeWithin(hashToken(request.params.token), now);
        if (!changed || changed === 'taken') return changed;
        // The old address learns of it (written to by address: the person's own now points elsewhere).
        await mail.enqueueWithin(commit, {
          kind: ACCOUNT_KINDS.emailChanged,
          to: { userId: changed.userId },
          content: (recipient) => {
            const t = accountTexts(recipient.locale);
            return { subject: t.emailChangedSubject, blocks: [{ text: t.emailChangedText(changed.newEmail) }, { action: { label: t.signIn, url: `${options.publicUrl}/login` } }] };
          },
        });
        await mail.enqueueWithin(commit, {
          kind: ACCOUNT_KINDS.emailChanged,
          to: { address: changed.oldEmail, name: changed.displayName, locale: changed.locale },
          content: (recipient) => {
            const t = accountTexts(recipient.locale);
            return { subject: t.emailChangedSubject, blocks: [{ text: t.emailChangedText(changed.newEmail) }, { text: t.notYouChanged }] };
          },
        });
        commit.afterCommit(() => fastify.sessions.forgetUser(changed.userId));
        return changed;
      });
      if (outcome === 'taken') throw conflict('email_taken', 'Another account uses this address by now.');
      if (!outcome) throw gone('email_link_invalid', 'This confirmation link has expired or was already used.');
      return { email: outcome.newEmail };
    },
  );
};

export default authRoutes;
