import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the sink accepted: the envelope, the bytes, and mailparser's reading of them. */
export interface CapturedMail {
  mailFrom: string | null;
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** When the sink answered 250 to its DATA. */
  acceptedAt: number;
}

export interface Refusal {
  /** Where the refusal is given: at the greeting (a server that is down for a while), or to the message's DATA. */
  stage: 'connect' | 'data';
  /** 421 (service not available) or 451 (local error), or a permanent 5xx. */
  code: number;
  /** How many times to refuse before accepting again (each connection or message counts once). */
  times: number;
}

/**
 * A real SMTP server on 127.0.0.1 for the tests (smtp-server), capturing every message it accepts
 * and parsing it with mailparser. It can refuse for a while (421 at the greeting, 451 to the DATA)
 * and then accept, and can wait before answering a DATA (to catch a sender in the middle of
 * sending). A message whose connection closed before the sink answered it is not captured: its
 * sender never heard a 250.
 */
export class SmtpSink {
  readonly messages: CapturedMail[] = [];
  /** Every refusal given, with the time: the tests read the retries' spacing from it. */
  readonly refusals: Array<{ stage: Refusal['stage']; code: number; at: number }> = [];
  private refusal: Refusal | null = null;
  /** Milliseconds to wait before answering each DATA. */
  dataDelayMs = 0;
  private waiters: Array<() => void> = [];
  /**
   * Errors of senders' connections (a reset in the middle of a transaction, when a sender is
   * killed). smtp-server emits them on the server; unheard, each would be an uncaught exception.
   */
  readonly connectionErrors: Error[] = [];
  private readonly closedSessions = new Set<string>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | null = null;
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      onConnect: (_session, callback) => {
        if (sink!.refuse('connect')) return callback(Object.assign(new Error('Service not available, try again later'), { responseCode: sink!.lastRefusalCode }));
        callback();
      },
      onClose: (session) => {
        sink?.closedSessions.add(session.id);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const answer = () => {
            if (sink!.refuse('data')) return callback(Object.assign(new Error('Local error, try again later'), { responseCode: sink!.lastRefusalCode }));
            // The sender has gone (killed): no 250 can reach it, so this is no accepted message.
            if (sink!.closedSessions.has(session.id)) return callback(new Error('connection gone'));
            const envelope = { mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, rcptTo: session.envelope.rcptTo.map((a) => a.address) };
            sink!.capture(envelope, raw).then(
              () => callback(null, 'Ok: queued'),
              (err: Error) => callback(err),
            );
          };
          if (sink!.dataDelayMs > 0) setTimeout(answer, sink!.dataDelayMs);
          else answer();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    sink = new SmtpSink(server, address.port);
    server.on('error', (error: Error) => sink!.connectionErrors.push(error));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /**
   * Refuse the next `times` connections or messages with `code`, then accept again. Refusing
   * connections closes the open ones first, as a server going down does (a pooled client would
   * otherwise keep using its connection).
   */
  refuseFor(refusal: Refusal): void {
    this.refusal = { ...refusal };
    if (refusal.stage === 'connect') this.dropConnections();
  }

  /** Closes every open connection (a restart of the server). */
  dropConnections(): void {
    for (const connection of this.server.connections) connection.close();
  }

  private lastRefusalCode = 421;

  private refuse(stage: Refusal['stage']): boolean {
    const refusal = this.refusal;
    if (!refusal || refusal.stage !== stage || refusal.times <= 0) return false;
    refusal.times -= 1;
    this.lastRefusalCode = refusal.code;
    this.refusals.push({ stage, code: refusal.code, at: Date.now() });
    return true;
  }

  private async capture(envelope: { mailFrom: string | null; rcptTo: string[] }, raw: Buffer): Promise<void> {
    const parsed = await simpleParser(raw);
    this.messages.push({ ...envelope, raw, parsed, acceptedAt: Date.now() });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once at least `count` messages (matching `filter`) have arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, options: { timeoutMs?: number; filter?: (mail: CapturedMail) => boolean } = {}): Promise<CapturedMail[]> {
    const { timeoutMs = 10_000, filter = () => true } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.messages.filter(filter);
      if (matching.length >= count) return matching;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SMTP sink: ${matching.length} of ${count} messages arrived in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages to an address. */
  to(address: string): CapturedMail[] {
    return this.messages.filter((mail) => mail.rcptTo.some((to) => to.toLowerCase() === address.toLowerCase()));
  }

  clear(): void {
    this.messages.length = 0;
    this.refusals.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
