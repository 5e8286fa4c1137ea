import fp from 'fastify-plugin';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppConfig } from './config.js';
import db from './plugins/db.js';
import errorHandling, { clientErrorHandler, frameworkErrorHandler } from './plugins/error-handling.js';
import liveHub from './plugins/live/hub.js';
import sessions from './plugins/sessions/index.js';
import security from './plugins/security.js';
import authorization from './plugins/authorization.js';
import openapi from './plugins/openapi.js';
import websocket from './plugins/websocket.js';
import markdown from './plugins/markdown/index.js';
import subjects from './plugins/subjects/index.js';
import notifications, { notificationRoutes } from './plugins/notifications/index.js';
import scheduler from './plugins/scheduler/index.js';
import files from './plugins/files/index.js';
import mail, { mailRoutes } from './plugins/mail/index.js';
import audit, { auditRoutes } from './plugins/audit/index.js';
import noticeMail from './plugins/notification-mail/index.js';
import clientShell from './plugins/client-shell.js';
import groups from './features/groups/index.js';
import reference from './features/reference/index.js';
import indicators from './features/indicators/index.js';
import people from './features/people/index.js';
import auth from './features/auth/index.js';
import invitations from './features/invitations/index.js';
import setup from './features/setup/index.js';
import debates from './features/debates/index.js';
import documents from './features/documents/index.js';
import live from './features/live/index.js';
import { homeRoutes, homeSections } from './features/home/index.js';
import { searchProviders, searchRoutes } from './features/search/index.js';
import meetings from './features/meetings/index.js';
import consultations from './features/consultations/index.js';
import discrepancies from './features/discrepancies/index.js';
import rounds from './features/rounds/index.js';
import proposals from './features/proposals/index.js';
import { ErrorResponse, noRouteBody } from './shared/errors.js';
import { sharedSerializerFactory } from './shared/serialization.js';
import { requestValidatorCompiler } from './shared/validation.js';

/** Path segments that are secrets (invitation and reset tokens) are masked in logs. */
const maskTokens = (url: string) => url.replace(/\/[a-z2-7]{24,}(?=[/?#]|$)/g, '/[token]');

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req: (request) => ({ method: request.method, url: maskTokens(request.url), remoteAddress: request.ip }),
    },
  };
}

/**
 * The whole application as one plugin, in load order: infrastructure, the registries features
 * fill in, the features with a public service, then the other features' routes under /api.
 * Tests register exactly this.
 */
export const app = fp<{ config: AppConfig }>(async (fastify, { config }) => {
  await fastify.register(errorHandling);
  await fastify.register(db, { file: config.databaseFile, url: config.databaseUrl });
  await fastify.register(liveHub, { retentionHours: config.liveEventRetentionHours });
  // Before sessions and authorization: its onRequest hook marks upgrades, and a refused upgrade's
  // socket is only released when that mark was set before an earlier hook threw.
  await fastify.register(websocket);
  await fastify.register(sessions, { secureCookies: config.secureCookies });
  await fastify.register(security, { publicUrl: config.publicUrl });
  await fastify.register(authorization);
  await fastify.register(openapi, { publicUrl: config.publicUrl });
  await fastify.register(markdown);
  await fastify.register(subjects);
  await fastify.register(notifications);
  await fastify.register(scheduler, { now: config.now });
  await fastify.register(files, {
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
    maxTextExtractionBytes: config.maxTextExtractionBytes,
    removedRetentionDays: config.documentTrashDays,
  });
  await fastify.register(mail, { mail: config.mail, worker: config.mailWorker, publicUrl: config.publicUrl });
  await fastify.register(audit, { retentionDays: config.auditRetentionDays });
  await fastify.register(noticeMail, { publicUrl: config.publicUrl });

  // Registries the features fill in: home page sections, search sections.
  await fastify.register(homeSections);
  await fastify.register(searchProviders);

  // Features with a public service (fastify.<name>, declared in their public.ts), each after those
  // it uses; each registers its own routes under /api.
  await fastify.register(groups);
  await fastify.register(reference);
  await fastify.register(people);
  await fastify.register(indicators);
  await fastify.register(documents, { trashDays: config.documentTrashDays });
  await fastify.register(debates);
  await fastify.register(meetings, { publicUrl: config.publicUrl, now: config.now });
  await fastify.register(discrepancies);
  await fastify.register(consultations, { publicUrl: config.publicUrl, now: config.now });
  await fastify.register(rounds, { publicUrl: config.publicUrl, now: config.now });
  await fastify.register(proposals, { now: config.now });

  await fastify.register(
    async (api) => {
      const typed = api.withTypeProvider<TypeBoxTypeProvider>();
      typed.get(
        '/health',
        { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Liveness probe', response: { 200: Type.Object({ status: Type.Literal('ok') }), 400: ErrorResponse } } },
        async () => ({ status: 'ok' as const }),
      );
      typed.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => api.swagger());

      // Features no other feature uses, and the pages put together from the registries.
      await api.register(setup);
      await api.register(auth, { publicUrl: config.publicUrl, passwordResetTtlHours: config.passwordResetTtlHours, loginThrottle: config.loginThrottle });
      await api.register(invitations, { publicUrl: config.publicUrl, invitationTtlDays: config.invitationTtlDays });
      await api.register(notificationRoutes);
      await api.register(mailRoutes);
      await api.register(auditRoutes);
      await api.register(homeRoutes, { now: config.now });
      // After the features: the search's answer is put together from the sections they provided.
      await api.register(searchRoutes);
      await api.register(live, { heartbeatSeconds: config.liveHeartbeatSeconds });

      api.setNotFoundHandler((request, reply) => reply.status(404).send(noRouteBody(request.method, request.url)));
    },
    { prefix: '/api' },
  );

  if (config.clientDir) await fastify.register(clientShell, { clientDir: config.clientDir });
  else fastify.setNotFoundHandler((request, reply) => reply.status(404).send(noRouteBody(request.method, request.url)));
});

/** Builds the configured Fastify instance around the app; shared by the server entry, scripts and tests. */
export async function buildApp(config: AppConfig, overrides: Pick<FastifyServerOptions, 'logger'> = {}): Promise<FastifyInstance> {
  // Rather than serve the SQLite file while the operator believes the forum is on PostgreSQL.
  const fastify = Fastify({
    logger: loggerOptions(config.logLevel),
    // Fastify accepts a hop count at run time; its type declaration lists only the other forms.
    trustProxy: config.trustProxy as boolean | string,
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: sharedSerializerFactory } },
    ...overrides,
  });
  fastify.setValidatorCompiler(requestValidatorCompiler());
  await fastify.register(app, { config });
  return fastify;
}
