import type { FastifyBaseLogger } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { MailSettings } from '../../config.js';
import { isMailAddress } from '../../shared/mail-address.js';
import { toLocale, type LocalizedText, type RefusalReason } from './i18n.js';
import { parseCalendarReply } from './calendar-reply.js';
import { stripReply } from './reply-text.js';
import type { MailPerson } from './repository.js';
import { BOUNCE_KIND, type InboundReply, type MailService, type ReplyOutcome } from './service.js';
import type { MailBlock } from './message.js';

type InboundSettings = NonNullable<MailSettings['inbound']>;

/** At most this many bounces go to one address a day: a forged sender must not turn us into a source of backscatter. */
const BOUNCES_PER_DAY = 5;
/** Of what the person wrote, the bounce gives back this much. */
const BOUNCE_QUOTE_CHARS = 5_000;

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** What the envelope says, as the listener got it. */
export interface Envelope {
  mailFrom: string | null;
  rcptTo: string[];
}

/**
 * Replies by mail. An SMTP listener (smtp-server), meant for 127.0.0.1 behind the site's mail
 * server, which hands it what arrives for reply+<token>@<reply domain>; no other address is taken
 * (550 at RCPT). Each message is parsed (mailparser), its sender checked against the person the
 * token was given to, its text stripped of the quoted history and signature, and handed to the
 * handler registered for the token's subject kind (or, with a METHOD:REPLY calendar part, to the
 * calendar handler). What cannot be placed is answered with a bounce, through the outbox, in the
 * sender's language. A handler's unexpected error answers 451, so the sending server tries again
 * later and nothing is lost.
 */
export class InboundMail {
  private server: SMTPServer | null = null;
  private readonly replyAddress: RegExp;

  constructor(
    private readonly mail: MailService,
    private readonly settings: InboundSettings,
    private readonly log: FastifyBaseLogger,
  ) {
    const domain = settings.replyDomain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.replyAddress = new RegExp(`^reply\\+([a-z2-7]{32})@${domain}$`, 'i');
  }

  /** The token of a reply address of ours, or null. */
  tokenOf(address: string): string | null {
    return this.replyAddress.exec(address.trim())?.[1]?.toLowerCase() ?? null;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      // Plain SMTP on the loopback address: the site's mail server in front does TLS, spam and
      // SPF/DKIM/DMARC checks, and hands us what it accepted.
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: this.settings.maxBytes,
      banner: 'Concilia replies',
      disableReverseLookup: true,
      maxClients: 20,
      socketTimeout: 60_000,
      logger: false,
      onRcptTo: (address, session, callback) => {
        if (!this.tokenOf(address.address)) return callback(smtpError(550, '5.1.1 No such mailbox here'));
        // One reply address per message: each is answered on its own, and a 451 for one must not make the others arrive twice.
        if (session.envelope.rcptTo.length >= 1) return callback(smtpError(452, '4.5.3 One reply address per message, please send the others separately'));
        callback();
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    server.on('error', (err) => this.log.error({ err }, 'inbound SMTP listener error'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.port, this.settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.info({ host: this.settings.host, port: this.settings.port }, 'inbound SMTP listener for replies is ready');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.settings.maxBytes) chunks.push(chunk);
    });
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      if (stream.sizeExceeded || size > this.settings.maxBytes) {
        callback(smtpError(552, `5.3.4 Message too large (at most ${Math.floor(this.settings.maxBytes / 1024 / 1024)} MB)`));
        return;
      }
      const envelope: Envelope = {
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        rcptTo: session.envelope.rcptTo.map((address) => address.address),
      };
      this.receive(Buffer.concat(chunks), envelope).then(
        () => callback(null, 'Message received'),
        (err: unknown) => {
          this.log.error({ err }, 'a reply by mail could not be handled; the sending server will try again');
          callback(smtpError(451, '4.3.0 Could not handle the message now, please try again later'));
        },
      );
    });
  }

  /** Handles one received message (the listener's work, callable on its own). */
  async receive(raw: Buffer, envelope: Envelope): Promise<void> {
    const parsed = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
    if (isAutomatic(parsed, envelope)) {
      this.log.info({ messageId: parsed.messageId }, 'automatic mail to a reply address (auto-reply, bounce, list) ignored');
      return;
    }
    for (const recipient of envelope.rcptTo) {
      const token = this.tokenOf(recipient);
      if (token) await this.handle(token, parsed, envelope);
    }
  }

  private async handle(token: string, parsed: ParsedMail, envelope: Envelope): Promise<void> {
    const { repository } = this.mail;
    const senderAddress = parsed.from?.value[0]?.address?.toLowerCase() ?? null;
    const stored = await this.mail.readReplyToken(token);
    const owner = stored ? await repository.person(stored.userId) : null;
    const sender = senderAddress ? await repository.personByEmail(senderAddress) : null;
    const bounce = (reason: RefusalReason, message?: LocalizedText) => this.bounce(parsed, envelope, { reason, sender, owner, ...(message ? { message } : {}) });

    if (!stored || !owner) return bounce('unknown_address');
    if (!senderAddress || senderAddress !== owner.email.toLowerCase()) {
      this.log.warn({ token: token.slice(0, 6), from: senderAddress }, 'a reply by mail from another address than its token\u2019s owner refused');
      return bounce('wrong_sender');
    }
    const { about } = stored;
    const person = { userId: owner.id, address: owner.email, name: owner.displayName, locale: toLocale(owner.locale) };

    const calendarPart = parsed.attachments.find((attachment) => /^(text\/calendar|application\/ics)$/i.test(attachment.contentType));
    const calendar = calendarPart ? await parseCalendarReply(calendarPart.content.toString('utf8')) : null;
    let outcome: ReplyOutcome;
    if (calendar) {
      const handler = this.mail.calendarReplyHandler(about.kind);
      if (!handler) return bounce('not_accepted');
      outcome = await handler({ ...calendar, person, about });
    } else {
      const handler = this.mail.replyHandler(about.kind);
      if (!handler) return bounce('not_accepted');
      const fullText = parsed.text ?? '';
      const text = stripReply(fullText);
      if (text.trim() === '') return bounce('empty');
      const reply: InboundReply = {
        person,
        about,
        text,
        fullText,
        subject: parsed.subject ?? '',
        messageId: parsed.messageId ?? null,
        attachments: parsed.attachments
          .filter((attachment) => attachment !== calendarPart && !attachment.related)
          .map((attachment) => ({ filename: attachment.filename ?? 'attachment', contentType: attachment.contentType, size: attachment.size, content: attachment.content })),
      };
      outcome = await handler(reply);
    }
    if (!outcome.accepted) return bounce(outcome.reason, outcome.message);
  }

  /**
   * A clear answer to what could not be placed, in the sender's language (theirs if they are one of
   * us, else the language of the person the address was given to, else of the message, else
   * Spanish), with their own text given back. Sent to the envelope sender (RFC 3834), at most a
   * few a day to one address.
   */
  private async bounce(parsed: ParsedMail, envelope: Envelope, why: { reason: RefusalReason; message?: LocalizedText; sender: MailPerson | null; owner: MailPerson | null }): Promise<void> {
    const to = envelope.mailFrom;
    this.log.info({ reason: why.reason, messageId: parsed.messageId }, 'a reply by mail was not placed; bouncing');
    if (!to || !isMailAddress(to)) return;
    if ((await this.mail.repository.sentLately(to, BOUNCE_KIND, Date.now() - 24 * 60 * 60_000)) >= BOUNCES_PER_DAY) {
      this.log.warn({ reason: why.reason }, 'bounce not sent: this address had its share today');
      return;
    }
    const contentLanguage = parsed.headers.get('content-language');
    const locale = toLocale(why.sender?.locale ?? why.owner?.locale ?? (typeof contentLanguage === 'string' ? contentLanguage : null));
    const senderName = why.sender?.displayName ?? parsed.from?.value[0]?.name ?? '';
    const ownText = stripReply(parsed.text ?? '').slice(0, BOUNCE_QUOTE_CHARS);
    await this.mail.enqueue({
      kind: BOUNCE_KIND,
      to: { address: to, name: senderName, locale },
      ...(parsed.messageId ? { inReplyTo: parsed.messageId } : {}),
      content: (recipient) => {
        const t = this.mail.texts(recipient.locale);
        const blocks: MailBlock[] = [{ text: t.bounceIntro }, { text: t.bounceReason[why.reason] }];
        if (why.message) blocks.push({ text: why.message[recipient.locale] });
        if (ownText.trim() !== '') blocks.push({ text: t.bounceYourText }, { text: ownText });
        return { subject: t.bounceSubject(parsed.subject ?? ''), blocks };
      },
    });
  }
}

/** Auto-replies, bounces and list mail (RFC 3834): never answered, or two robots would write to each other forever. */
function isAutomatic(parsed: ParsedMail, envelope: Envelope): boolean {
  if (envelope.mailFrom === null || envelope.mailFrom === '') return true;
  const header = (name: string) => {
    const value = parsed.headers.get(name);
    return typeof value === 'string' ? value.toLowerCase() : value === undefined ? null : JSON.stringify(value).toLowerCase();
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (/^(bulk|junk|list|auto_reply)$/.test(header('precedence') ?? '')) return true;
  if (header('x-autoreply') || header('x-autorespond') || header('list-id')) return true;
  return /^(mailer-daemon|postmaster)@/i.test(envelope.mailFrom);
}
