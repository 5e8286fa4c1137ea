import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { MailWorkerSettings, SmtpSettings } from '../../config.js';
import type { NamedAddress } from '../../shared/mail-address.js';
import type { MailRepository, OutboxRow } from './repository.js';
import { instanceGone, newInstanceId, thisHost } from '../../shared/process-identity.js';

/** The sender never sleeps longer than this, so rows another process queued are noticed. */
const MAX_SLEEP_MS = 30_000;
/** How long stop() lets messages being sent finish before it lets go (their leases then run out). */
const STOP_GRACE_MS = 10_000;

/** What sending one message needs: nodemailer over SMTP in production; the tests use the same, against a real SMTP server. */
export interface MailTransport {
  /** Resolves with the server's reply to the message's DATA once it has accepted it (a 250). */
  send(row: OutboxRow, from: NamedAddress): Promise<string>;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
}

/** nodemailer's pooled SMTP transport: at most `connections` connections, each used for up to 100 messages. */
export function smtpTransport(settings: SmtpSettings, connections: number): MailTransport {
  const transporter = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ...(settings.auth ? { auth: settings.auth } : {}),
    maxConnections: connections,
    maxMessages: 100,
    // The outbox retries, with its backoff, and counts every attempt: the pool's own quiet
    // re-sending of a message whose connection closed would be a second, unrecorded one.
    maxRequeues: 0,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  return {
    async send(row, from) {
      const { content } = row;
      const info = await transporter.sendMail({
        from,
        to: { name: row.toName, address: row.toAddress },
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: row.messageId,
        // The time it was queued: a message sent again after a crash is the same message.
        date: new Date(row.createdAt),
        ...(content.replyTo ? { replyTo: content.replyTo } : {}),
        ...(content.inReplyTo ? { inReplyTo: content.inReplyTo } : {}),
        ...(content.references ? { references: content.references } : {}),
        headers: content.headers,
        // text/calendar;method=... as an alternative beside text and HTML, and as an .ics attachment:
        // the shape Outlook, Gmail and Thunderbird show with answer buttons.
        ...(content.calendar ? { icalEvent: { method: content.calendar.method, content: content.calendar.ics, filename: 'invite.ics' } } : {}),
        xMailer: false,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return String(info.response ?? '250');
    },
    close: () => transporter.close(),
  };
}

/** A person (or nobody) will fix it, retrying cannot: the server refused this message or its recipient for good. */
function isPermanent(error: SmtpError): boolean {
  return error.permanent === true && (error.code === 'EENVELOPE' || error.code === 'EMESSAGE');
}

const describe = (error: SmtpError) => (error.response ? `${error.code ?? 'error'}: ${error.response}` : `${error.code ?? 'error'}: ${error.message}`);

/**
 * Works the outbox. Takes due rows with a lease (status 'sending', its owner and the lease's end),
 * hands at most `maxInFlight` at once to SMTP, and marks each sent the moment the server has
 * accepted its DATA, in a statement of its own (not a later group commit): a crash between the
 * server's 250 and that mark is the one way a message goes out twice, and this keeps it to the
 * time one write takes. Such a row is sent again with the same Message-ID, which mail
 * clients use to drop the copy.
 *
 * A failed attempt goes back to pending after a delay that doubles per attempt up to a cap, each
 * jittered between half and all of it (so rows that failed together do not come back together),
 * until the last attempt marks it failed with the server's last answer. A refusal the server gives
 * as permanent (5xx to the recipient or the message) fails it at once.
 *
 * A sender that dies leaves its rows leased. Another sender takes them when the lease runs out;
 * a sender starting on the same host takes them at once when the process that held them is gone.
 */
export class MailSender {
  /** `<host>~<pid>~<start>~<random>`, as everything a process leaves behind is named (process-identity.ts). */
  private readonly owner = newInstanceId();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** The pass over the outbox under way, and whether another was asked for meanwhile. */
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;

  constructor(
    private readonly repository: MailRepository,
    private readonly transport: MailTransport,
    private readonly from: NamedAddress,
    private readonly settings: MailWorkerSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.takeBackFromDeadSenders();
    this.pump();
  }

  /** Something was queued (or a slot freed): send what is due now. */
  wake(): void {
    if (!this.stopped) this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A pass under way may still be taking rows: they are in flight once it ends.
    await this.pumping;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(grace);
    this.transport.close();
  }

  /** Rows leased by a process of this host that no longer runs (killed, crashed) are due again now. */
  private async takeBackFromDeadSenders(): Promise<void> {
    const now = Date.now();
    for (const row of await this.repository.leasedOnHost(thisHost())) {
      if (instanceGone(row.leaseOwner)) await this.repository.releaseLease(row.id, row.leaseOwner, now);
    }
  }

  /**
   * Starts a pass over the outbox, or asks the one under way for another after it: one pass at a
   * time, so two wake-ups in a row cannot both count the same free slots and take more rows than
   * `maxInFlight`.
   */
  private pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pass().finally(() => {
      this.pumping = null;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.pump();
      }
    });
  }

  /** Takes due rows for the free slots and sends them, then sleeps until the next is due. Never rejects. */
  private async pass(): Promise<void> {
    const free = this.settings.maxInFlight - this.inFlight.size;
    if (free > 0) {
      const now = Date.now();
      let rows: OutboxRow[] = [];
      try {
        rows = await this.repository.claim(now, this.owner, now + this.settings.leaseMs, free);
      } catch (err) {
        this.log.error({ err }, 'taking mail from the outbox failed');
      }
      for (const row of rows) {
        const sending: Promise<void> = this.sendOne(row).finally(() => {
          this.inFlight.delete(sending);
          this.pump();
        });
        this.inFlight.add(sending);
      }
    }
    await this.arm();
  }

  private async arm(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    let next: number | null = null;
    try {
      next = await this.repository.nextDueAt();
    } catch (err) {
      this.log.error({ err }, 'reading the outbox failed');
    }
    if (this.stopped) return;
    const delay = next === null ? MAX_SLEEP_MS : Math.min(Math.max(next - Date.now(), 0), MAX_SLEEP_MS);
    // A free slot is what a due row waits for; with none free, the end of a send pumps again.
    if (delay === 0 && this.inFlight.size >= this.settings.maxInFlight) return;
    this.timer = setTimeout(() => this.pump(), Math.max(delay, 5));
    this.timer.unref();
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    let response: string;
    try {
      response = await this.transport.send(row, this.from);
    } catch (error) {
      await this.recordFailure(row, error as SmtpError);
      return;
    }
    await this.markSent(row, response);
  }

  private async markSent(row: OutboxRow, response: string): Promise<void> {
    // Right here, in a statement of its own: the window in which a crash makes a second copy is this write.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.repository.markSent(row.id, response, Date.now());
        return;
      } catch (err) {
        // Another process holding the write lock past the busy timeout: the message is out, so try
        // again rather than let the lease run out and send it twice.
        if (attempt >= 3) {
          this.log.error({ err, messageId: row.messageId }, 'mail accepted by the SMTP server but not marked sent; it will be sent again when its lease ends');
          return;
        }
      }
    }
  }

  private async recordFailure(row: OutboxRow, error: SmtpError): Promise<void> {
    const reason = describe(error);
    const last = isPermanent(error) || row.attempts >= this.settings.maxAttempts;
    try {
      if (last) {
        await this.repository.markFailed(row.id, this.owner, reason);
        this.log.warn({ messageId: row.messageId, attempts: row.attempts, reason }, 'mail not sent; marked failed');
      } else {
        const at = Date.now() + backoff(row.attempts, this.settings);
        await this.repository.retryLater(row.id, this.owner, reason, at);
        this.log.info({ messageId: row.messageId, attempts: row.attempts, reason }, 'mail not sent; will try again');
      }
    } catch (err) {
      this.log.error({ err, messageId: row.messageId }, 'recording a failed mail attempt failed; it is tried again when its lease ends');
    }
  }
}

/** The delay before the attempt after `attempts` (1 for the first retry): doubling, capped, then jittered to half to all of it. */
export function backoff(attempts: number, settings: Pick<MailWorkerSettings, 'retryBaseMs' | 'retryCapMs'>, random = Math.random): number {
  const full = Math.min(settings.retryCapMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
