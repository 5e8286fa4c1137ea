import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../authorization.js';
import { badRequest, conflict, ErrorResponse, errorResponses, notFound } from '../../shared/errors.js';
import { textBody } from '../../shared/responses.js';
import { IdSchema, PageLimit, PageOffset, Timestamp } from '../../shared/schemas.js';
import { toLocale } from './i18n.js';
import { confirmPage, donePage, PAGE_CSP, unknownLinkPage } from './pages.js';
import type { OutboxRow } from './repository.js';
import { DELIVERIES, OUTBOX_STATUSES } from './tables.js';

const DeliverySchema = Type.Enum([...DELIVERIES]);

const PreferencesSchema = Type.Object({
  digestHour: Type.Integer({ minimum: 0, maximum: 23, description: "Hour of the daily digest, in the person's own time zone" }),
  timeZone: Type.String(),
  kinds: Type.Array(
    Type.Object({
      kind: Type.String(),
      label: Type.String(),
      delivery: DeliverySchema,
      defaultDelivery: DeliverySchema,
      digest: Type.Boolean({ description: 'Whether this kind may go in the daily digest' }),
    }),
  ),
});

const PreferencesChange = Type.Object(
  {
    digestHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
    kinds: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), DeliverySchema, { maxProperties: 100 })),
  },
  { additionalProperties: false },
);

const OutboxItemSchema = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  kind: Type.String(),
  to: Type.Object({ address: Type.String(), name: Type.String() }),
  locale: Type.String(),
  subject: Type.String(),
  status: Type.Enum([...OUTBOX_STATUSES]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()], { description: 'Pending: not before then. Sending: the end of the lease' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  smtpResponse: Type.Union([Type.String(), Type.Null()]),
  calendarMethod: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()]),
  discardAfter: Type.Union([Timestamp, Type.Null()]),
});
const OutboxMessageSchema = Type.Intersect([OutboxItemSchema, Type.Object({ text: Type.String(), replyTo: Type.Union([Type.String(), Type.Null()]) })]);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toItem(row: OutboxRow) {
  return {
    id: row.id,
    messageId: row.messageId,
    kind: row.kind,
    to: { address: row.toAddress, name: row.toName },
    locale: row.locale,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? iso(row.nextAttemptAt) : null,
    lastError: row.lastError,
    smtpResponse: row.smtpResponse,
    calendarMethod: row.content.calendar?.method ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
    sentAt: iso(row.sentAt),
    discardAfter: iso(row.discardAfter),
  };
}

const TokenParams = Type.Object({ token: Type.String({ minLength: 32, maxLength: 32, pattern: '^[a-z2-7]+$' }) });

/** RFC 8058: the POST says "List-Unsubscribe=One-Click", as a form, URL-encoded or multipart. */
function isOneClick(body: unknown, contentType: string | undefined): boolean {
  if (typeof body !== 'string') return false;
  if ((contentType ?? '').startsWith('multipart/form-data')) return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

/**
 * The mail routes under /api: one-click unsubscribe (RFC 8058) and its page, the signed-in person's
 * mail preferences, and the administrators' outbox.
 */
export const mailRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { mail } = fastify;
  const { preferencesUrl } = mail;

  // Only here (this plugin is encapsulated): the one-click POST is a form, never JSON.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    fastify.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 8 * 1024 }, (_request, body, done) => done(null, body));
  }

  fastify.get(
    '/mail/unsubscribe/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['mail'],
        summary: 'The page an unsubscribe link opens in a browser: what it stops, and a button for the one click (GET changes nothing)',
        description: 'A token that is not ours answers 404: a page to a browser (Accept: text/html), the error shape otherwise.',
        params: TokenParams,
        response: { 200: textBody('text/html', 'The confirmation page'), 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const found = await mail.describeUnsubscribe(request.params.token);
      const page = (status: 200 | 404, html: string) =>
        reply.status(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(html);
      if (!found) {
        if (!(request.headers.accept ?? '').includes('text/html')) throw notFound('Unsubscribe link');
        return page(404, unknownLinkPage(toLocale(request.headers['accept-language']), preferencesUrl));
      }
      return page(200, confirmPage(found.locale, found.label, `/api/mail/unsubscribe/${request.params.token}`, preferencesUrl));
    },
  );

  fastify.post(
    '/mail/unsubscribe/:token',
    {
      // The link is the authority (a signed token per person and kind), not a session: mail
      // providers post it from their own servers, with no cookie and no Origin of ours.
      config: { access: 'public', allowCrossSite: true },
      schema: {
        tags: ['mail'],
        summary: 'One-click unsubscribe (RFC 8058) from one kind of mail',
        description: 'Body: `List-Unsubscribe=One-Click`, as application/x-www-form-urlencoded or multipart/form-data. Answers 200 also when already unsubscribed; an HTML page when the browser asks for one.',
        params: TokenParams,
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
        response: {
          200: {
            description: 'Unsubscribed',
            content: { 'application/json': { schema: Type.Object({ ok: Type.Literal(true), kind: Type.String() }) }, 'text/html': { schema: Type.String() } },
          },
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      if (!isOneClick(request.body, request.headers['content-type'])) throw badRequest('not_one_click', 'The body must be List-Unsubscribe=One-Click (RFC 8058).');
      const done = await mail.unsubscribe(request.params.token);
      if (!done) throw notFound('Unsubscribe link');
      if ((request.headers.accept ?? '').includes('text/html')) {
        return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').send(donePage(done.locale, done.label, preferencesUrl));
      }
      return reply.type('application/json').send({ ok: true as const, kind: done.kind });
    },
  );

  fastify.get(
    '/mail/preferences',
    { config: { access: 'signed-in' }, schema: { tags: ['mail'], summary: 'Which mail I get, per kind, and the hour of my digest', response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => mail.preferencesOf(requireUser(request)),
  );

  fastify.put(
    '/mail/preferences',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['mail'],
        summary: 'Change which mail I get: per kind immediately, in the daily digest or never; and the hour of my digest',
        body: PreferencesChange,
        response: { 200: PreferencesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      try {
        await mail.setPreferences(user.id, request.body);
      } catch (error) {
        const problems = (error as { problems?: unknown }).problems;
        if (problems) throw badRequest('invalid_preferences', 'Some of these are not kinds of mail, or not sent that way.', problems);
        throw error;
      }
      return mail.preferencesOf(user);
    },
  );

  // The outbox holds every group's mail (addresses, invitations naming the group): it is the
  // instance's, read by its administrators only; other groups' administrators are refused.
  const admin = 'instance-admin' as const;
  const OutboxParams = Type.Object({ id: IdSchema });

  fastify.get(
    '/admin/mail/outbox',
    {
      config: { access: admin },
      schema: {
        tags: ['mail'],
        summary: 'The outbox, newest first: every message queued, sent, failed or expired',
        querystring: Type.Object({ status: Type.Optional(Type.Enum([...OUTBOX_STATUSES])), limit: PageLimit(100, 25), offset: PageOffset() }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(OutboxItemSchema),
            total: Type.Integer(),
            counts: Type.Object(Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, Type.Integer()])) as Record<(typeof OUTBOX_STATUSES)[number], ReturnType<typeof Type.Integer>>),
            sending: Type.Boolean({ description: 'false when no SMTP server is configured: messages stay in the outbox' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const counts = await mail.repository.counts();
      const total = status ? counts[status] : Object.values(counts).reduce((sum, n) => sum + n, 0);
      return { items: (await mail.repository.list(status, limit, offset)).map(toItem), total, counts, sending: mail.sending };
    },
  );

  fastify.get(
    '/admin/mail/outbox/:id',
    {
      config: { access: admin },
      schema: { tags: ['mail'], summary: 'One message of the outbox, with its text', params: OutboxParams, response: { 200: OutboxMessageSchema, ...errorResponses } },
    },
    async (request) => {
      const row = await mail.repository.byId(request.params.id);
      if (!row) throw notFound('Message');
      return { ...toItem(row), text: row.content.text, replyTo: row.content.replyTo ?? null };
    },
  );

  fastify.post(
    '/admin/mail/outbox/:id/retry',
    {
      config: { access: admin },
      schema: { tags: ['mail'], summary: 'Send a failed or expired message again, with fresh attempts', params: OutboxParams, response: { 200: OutboxItemSchema, ...errorResponses } },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await mail.repository.byId(id))) throw notFound('Message');
      const retried = await fastify.unitOfWork.run(async (commit) => {
        const changed = await mail.repository.retry(id, Date.now());
        if (changed) commit.afterCommit(() => mail.wake());
        return changed;
      });
      if (!retried) throw conflict('not_failed', 'Only a failed or expired message can be sent again.');
      return toItem((await mail.repository.byId(id))!);
    },
  );

  fastify.post(
    '/admin/mail/outbox/retry-failed',
    {
      config: { access: admin },
      schema: { tags: ['mail'], summary: 'Send every failed message again (after an outage was fixed)', response: { 200: Type.Object({ retried: Type.Integer() }), ...errorResponses } },
    },
    async () => {
      const retried = await fastify.unitOfWork.run(async (commit) => {
        const n = await mail.repository.retryAllFailed(Date.now());
        if (n > 0) commit.afterCommit(() => mail.wake());
        return n;
      });
      return { retried };
    },
  );
};
