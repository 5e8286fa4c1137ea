import fp from 'fastify-plugin';
import type { MailSettings, MailWorkerSettings } from '../../config.js';
import { runPeriodically } from '../../shared/periodic.js';
import type { InboundMail } from './inbound.js';
import { MailRepository } from './repository.js';
import type { MailSender } from './sender.js';
import { MailService } from './service.js';
import { MailTokens } from './tokens.js';

export { mailRoutes } from './routes.js';
export { BOUNCE_KIND, PREFERENCES_PATH, DEFAULT_DIGEST_HOUR } from './service.js';
export type {
  MailService,
  MailKindDefinition,
  NotificationMailKind,
  TransactionalMailKind,
  MailRecipient,
  ResolvedRecipient,
  OutgoingMail,
  InboundReply,
  InboundCalendarReply,
  ReplyOutcome,
  ReplyHandler,
  CalendarReplyHandler,
  MailPreferencesView,
} from './service.js';
export type { MailBlock, MailContent, CalendarPart, SubjectRef } from './message.js';
export type { Delivery } from './tables.js';
export { defineTexts, plural, formatDateTime, toLocale, type LocalizedText, type RefusalReason } from './i18n.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail through the outbox, the kinds people choose about, and replies by mail. */
    mail: MailService;
  }
}

/** Sent and expired messages are kept this long for the administrators' outbox, then deleted. */
const KEEP_DONE_MS = 30 * 24 * 60 * 60_000;

export interface MailPluginOptions {
  mail: MailSettings;
  worker: MailWorkerSettings;
  publicUrl: string;
}

/**
 * The mail plugin: fastify.mail, the sender (started once the app is ready, when SMTP_URL is set),
 * and the inbound listener for replies (when INBOUND_SMTP_PORT is set). Imports no feature:
 * features register their kinds and reply handlers on fastify.mail.
 */
export default fp<MailPluginOptions>(
  async (fastify, options) => {
    const repository = new MailRepository(fastify.database);
    const tokens = new MailTokens(await repository.secret(Date.now()));
    const service = new MailService(repository, fastify.unitOfWork, tokens, options.mail, options.publicUrl, (source) => fastify.markdown.render(source, NO_MENTIONS).html, fastify.log);
    fastify.decorate('mail', service);

    // nodemailer, and smtp-server with mailparser (and what they bring: HTML to text, charsets), are
    // loaded only when configured: a forum without SMTP keeps their memory.
    let sender: MailSender | null = null;
    if (options.mail.smtp) {
      const { MailSender, smtpTransport } = await import('./sender.js');
      sender = new MailSender(repository, smtpTransport(options.mail.smtp, options.worker.maxInFlight), options.mail.from, options.worker, fastify.log);
      const started = sender;
      service.wake = () => started.wake();
    }
    let inbound: InboundMail | null = null;
    if (options.mail.inbound) {
      const { InboundMail } = await import('./inbound.js');
      inbound = new InboundMail(service, options.mail.inbound, fastify.log);
    }

    fastify.addHook('onReady', async () => {
      if (sender) {
        await sender.start();
        fastify.log.info({ smtp: options.mail.smtp?.display }, 'mail is sent through SMTP');
      } else {
        fastify.log.info('no SMTP_URL: mail stays in the outbox (administrators read it at /api/admin/mail/outbox)');
      }
      await inbound?.start();
    });
    // Registered after the db plugin: onClose hooks run in reverse, so these stop before the database closes.
    fastify.addHook('onClose', async () => {
      await inbound?.stop();
      await sender?.stop();
    });
    runPeriodically(fastify, 'delete old sent mail', 6 * 60 * 60_000, async () => repository.purgeDone(Date.now() - KEEP_DONE_MS));
  },
  { name: 'mail', dependencies: ['db', 'markdown'] },
);

/** Markdown in mail links no mentions: a mail is no place to resolve handles, and the text is the person's own. */
const NO_MENTIONS = { personId: () => undefined, isCountry: () => false };
