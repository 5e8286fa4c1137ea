import type { FastifyBaseLogger } from 'fastify';
import type { MailSettings } from '../../config.js';
import { newTimeOrderedId } from '../../shared/ids.js';
import { displayName, domainOf, isMailAddress } from '../../shared/mail-address.js';
import type { Locale, Role } from '../../shared/roles.js';
import type { PendingCommit, UnitOfWork } from '../unit-of-work.js';
import { mailTexts, toLocale, type LocalizedText, type RefusalReason } from './i18n.js';
import { composeBody, mailHeaders, outboxMessageId, threadRootId, type CalendarPart, type MailContent, type SubjectRef } from './message.js';
import type { MailPerson, MailRepository } from './repository.js';
import { DELIVERIES, type Delivery } from './tables.js';
import { TOKEN_PATTERN, type MailTokens } from './tokens.js';

/** Where a person sets which mail they get (the client's page, client/features/mail). */
export const PREFERENCES_PATH = '/mail/preferences';
/** The kind of the answers to replies that could not be placed. */
export const BOUNCE_KIND = 'mail.bounce';
export const DEFAULT_DIGEST_HOUR = 8;

/** A kind of mail a person may choose to get at once, in a digest, or never (a notification kind). */
export interface NotificationMailKind {
  /** What the preferences list and the footer ("you receive this because ...") call it. */
  label: LocalizedText;
  /** The delivery of a person who has not chosen, by their role. */
  defaultFor(role: Role): Delivery;
  /** Whether it may go in the daily digest (default true); a meeting invitation with its calendar part may not. */
  digest?: boolean;
}
/** Account and system mail (an invitation, a password reset, a bounce): always sent, no unsubscribe, not in the preferences. */
export interface TransactionalMailKind {
  transactional: true;
}
export type MailKindDefinition = NotificationMailKind | TransactionalMailKind;

const isTransactional = (definition: MailKindDefinition): definition is TransactionalMailKind => 'transactional' in definition;

/** To whom: a person of the forum (their address, name and language are read as the mail is queued), or an address (an invitation). */
export type MailRecipient = { userId: string } | { address: string; name?: string; locale: string };

/** The recipient as the message is composed for them. */
export interface ResolvedRecipient {
  userId: string | null;
  address: string;
  name: string;
  locale: Locale;
  /** Their zone (for dates in the text); the group's usual one for an address without a person. */
  timeZone: string;
}

export interface OutgoingMail {
  kind: string;
  to: MailRecipient;
  /** What it is about: every mail about one subject names the same thread root, so clients keep them in one conversation. */
  about?: SubjectRef;
  /** With `about` and a person as recipient: Reply-To is their reply address for it, when replies by mail are on. */
  replyable?: boolean;
  /** The content, or a function of the recipient (their language) that gives it. */
  content: MailContent | ((recipient: ResolvedRecipient) => MailContent);
  /** A text/calendar alternative (and .ics attachment); a function of the recipient when it names them (an ATTENDEE). */
  calendar?: CalendarPart | ((recipient: ResolvedRecipient) => CalendarPart);
  /** A message that answers one (Message-ID, brackets included), instead of the subject's thread root. */
  inReplyTo?: string;
  /** Not sent after this (a link that expires): such a row is marked 'expired'. */
  discardAfter?: Date;
}

/** A reply received by mail, for the feature that registered its subject's kind. */
export interface InboundReply {
  person: { userId: string; address: string; name: string; locale: Locale };
  about: SubjectRef;
  /** The person's own text: quoted history and signature removed. */
  text: string;
  /** The whole text part as received. */
  fullText: string;
  subject: string;
  messageId: string | null;
  attachments: Array<{ filename: string; contentType: string; size: number; content: Buffer }>;
}

/** An attendance answer a calendar program sent by mail (METHOD:REPLY). */
export interface InboundCalendarReply {
  person: InboundReply['person'];
  /** The subject of the reply address it came to. */
  about: SubjectRef;
  uid: string;
  /** RECURRENCE-ID as an ISO instant when the answer is for one occurrence of a series; null for the whole event. */
  recurrenceId: string | null;
  sequence: number;
  /** Every ATTENDEE line: a calendar program answers for its own user, whose address may differ from the sender's. */
  attendees: Array<{ address: string; name: string | null; partstat: string }>;
  comment: string | null;
}

/** What a handler answers: placed, or refused with a reason the bounce explains (and a text of its own, if it has one). */
export type ReplyOutcome = { accepted: true } | { accepted: false; reason: RefusalReason; message?: LocalizedText };
export type ReplyHandler = (reply: InboundReply) => Promise<ReplyOutcome>;
export type CalendarReplyHandler = (reply: InboundCalendarReply) => Promise<ReplyOutcome>;

export interface MailPreferencesView {
  digestHour: number;
  timeZone: string;
  kinds: Array<{ kind: string; label: string; delivery: Delivery; defaultDelivery: Delivery; digest: boolean }>;
}

/**
 * fastify.mail: what features call to send mail and to take replies. Mail is queued in the outbox
 * (enqueueWithin: in the caller's own commit, so it goes out if and only if what caused it was
 * stored) and sent by the sender in the background; registries let features plug in the kinds of
 * mail a person chooses about, and the handlers of replies by kind of subject.
 */
export class MailService {
  private readonly kindsByName = new Map<string, MailKindDefinition>();
  private readonly replyHandlers = new Map<string, ReplyHandler>();
  private readonly calendarHandlers = new Map<string, CalendarReplyHandler>();
  private readonly domain: string;
  /** Told after a commit that queued mail; the sender, once it runs. */
  wake: () => void = () => {};

  constructor(
    readonly repository: MailRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly tokens: MailTokens,
    private readonly settings: MailSettings,
    private readonly publicUrl: string,
    private readonly renderMarkdown: (source: string) => string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.domain = domainOf(settings.from.address);
    this.defineKind(BOUNCE_KIND, { transactional: true });
  }

  /** The page where people choose which mail they get. */
  get preferencesUrl(): string {
    return `${this.publicUrl}${PREFERENCES_PATH}`;
  }

  /** Whether anything is sent (SMTP_URL set); without it the outbox only keeps the messages. */
  get sending(): boolean {
    return this.settings.smtp !== null;
  }

  defineKind(kind: string, definition: MailKindDefinition): void {
    if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(kind)) throw new Error(`Mail kind "${kind}" must be lower-case letters, digits, '_', '.' or '-'`);
    if (this.kindsByName.has(kind)) throw new Error(`Mail kind "${kind}" is already defined`);
    this.kindsByName.set(kind, definition);
  }

  /** The notification kinds, in the order they were defined. */
  notificationKinds(): Array<[string, NotificationMailKind]> {
    return [...this.kindsByName].filter((entry): entry is [string, NotificationMailKind] => !isTransactional(entry[1]));
  }

  notificationKind(kind: string): NotificationMailKind | null {
    const definition = this.kindsByName.get(kind);
    return definition && !isTransactional(definition) ? definition : null;
  }

  onReply(subjectKind: string, handler: ReplyHandler): void {
    if (this.replyHandlers.has(subjectKind)) throw new Error(`Replies to "${subjectKind}" already have a handler`);
    this.replyHandlers.set(subjectKind, handler);
  }

  replyHandler(subjectKind: string): ReplyHandler | null {
    return this.replyHandlers.get(subjectKind) ?? null;
  }

  /** The handler of calendar answers (METHOD:REPLY) that come to reply addresses of this subject kind (a meeting). */
  onCalendarReply(subjectKind: string, handler: CalendarReplyHandler): void {
    if (this.calendarHandlers.has(subjectKind)) throw new Error(`Calendar replies about "${subjectKind}" already have a handler`);
    this.calendarHandlers.set(subjectKind, handler);
  }

  calendarReplyHandler(subjectKind: string): CalendarReplyHandler | null {
    return this.calendarHandlers.get(subjectKind) ?? null;
  }

  /** The Message-ID every mail about this subject names as its parent. */
  threadRootId(subject: SubjectRef): string {
    return threadRootId(subject, this.domain);
  }

  /**
   * How this person gets mail of this kind: their choice, or the kind's default for their role.
   * For callers inside a unit of work deciding between mail now and the digest.
   */
  async deliveryOf(userId: string, kind: string, role?: Role | null): Promise<Delivery> {
    const definition = this.notificationKind(kind);
    if (!definition) throw new Error(`Mail kind "${kind}" is not a defined notification kind`);
    const chosen = await this.repository.preferenceOf(userId, kind);
    if (chosen) return chosen === 'digest' && definition.digest === false ? 'immediately' : chosen;
    const personRole = role === undefined ? (await this.repository.person(userId))?.role : role;
    return definition.defaultFor(personRole ?? 'member');
  }

  /**
   * The one-click unsubscribe URL (RFC 8058) of this person for this kind. Stores its token (once
   * per person and kind; inside the caller's commit when called from one).
   */
  async unsubscribeUrl(userId: string, kind: string): Promise<string> {
    const token = this.tokens.unsubscribe(userId, kind);
    await this.repository.saveToken(token, 'unsubscribe', userId, kind, '', Date.now());
    return `${this.publicUrl}/api/mail/unsubscribe/${token}`;
  }

  /**
   * The reply address of a person for a subject (reply+<token>@domain), stored in the caller's
   * commit; null when replies by mail are off. Meetings put it as the ORGANIZER of an invitation's
   * calendar part, so a calendar program's answer comes back here.
   */
  async replyAddressWithin(_commit: PendingCommit, userId: string, subject: SubjectRef): Promise<string | null> {
    if (!this.settings.inbound) return null;
    const token = this.tokens.reply(userId, subject);
    await this.repository.saveToken(token, 'reply', userId, subject.kind, subject.id, Date.now());
    return `reply+${token}@${this.settings.inbound.replyDomain}`;
  }

  /** enqueueWithin in a commit of its own; resolves once it is stored. */
  enqueue(mail: OutgoingMail): Promise<string | null> {
    return this.unitOfWork.run((commit) => this.enqueueWithin(commit, mail));
  }

  /**
   * Queues a message inside the caller's write (a group-commit piece): it is stored with that
   * write, and sent once it has committed; if the write rolls back, so does the message. Returns
   * the outbox row's id, or null when nothing is queued: the person is gone (deactivated) or has
   * chosen never to get this kind. Whether a notification goes now or in the digest is the
   * caller's choice (deliveryOf).
   */
  async enqueueWithin(commit: PendingCommit, mail: OutgoingMail): Promise<string | null> {
    const definition = this.kindsByName.get(mail.kind);
    if (!definition) throw new Error(`Mail kind "${mail.kind}" is not defined (fastify.mail.defineKind)`);
    const recipient = await this.resolve(mail.to);
    if (!recipient) return null;
    const notification = isTransactional(definition) ? null : definition;
    if (notification && recipient.person && (await this.deliveryOf(recipient.person.id, mail.kind, recipient.person.role)) === 'never') return null;

    const now = Date.now();
    const id = newTimeOrderedId(now);
    const content = typeof mail.content === 'function' ? mail.content(recipient.resolved) : mail.content;
    const calendar = typeof mail.calendar === 'function' ? mail.calendar(recipient.resolved) : mail.calendar;
    const userId = recipient.resolved.userId;
    const unsubscribeUrl = notification && userId ? await this.unsubscribeUrl(userId, mail.kind) : null;
    const replyTo = mail.replyable && mail.about && userId ? await this.replyAddressWithin(commit, userId, mail.about) : null;
    const body = composeBody(content, {
      locale: recipient.resolved.locale,
      recipientName: recipient.resolved.name,
      publicUrl: this.publicUrl,
      kindLabel: notification ? notification.label[recipient.resolved.locale] : null,
      unsubscribeUrl,
      preferencesUrl: this.preferencesUrl,
      replyable: replyTo !== null,
      renderMarkdown: this.renderMarkdown,
    });
    const headers = mailHeaders({
      about: mail.about ?? null,
      domain: this.domain,
      unsubscribeUrl,
      listId: notification ? `Concilia <notifications.${this.domain}>` : null,
      autoSubmitted: mail.kind === BOUNCE_KIND ? 'auto-replied' : 'auto-generated',
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    });
    await this.repository.insert({
      id,
      messageId: outboxMessageId(id, this.domain),
      kind: mail.kind,
      userId,
      toAddress: recipient.resolved.address,
      toName: recipient.resolved.name,
      locale: recipient.resolved.locale,
      subject: body.subject,
      content: {
        subject: body.subject,
        text: body.text,
        html: body.html,
        ...headers,
        ...(replyTo ? { replyTo } : {}),
        ...(calendar ? { calendar: { method: calendar.method, ics: calendar.ics } } : {}),
      },
      discardAfter: mail.discardAfter?.getTime() ?? null,
      createdAt: now,
    });
    commit.afterCommit(() => this.wake());
    return id;
  }

  private async resolve(to: MailRecipient): Promise<{ resolved: ResolvedRecipient; person: MailPerson | null } | null> {
    if ('userId' in to) {
      const person = await this.repository.person(to.userId);
      if (!person) return null;
      if (!isMailAddress(person.email)) {
        this.log.warn({ userId: person.id }, 'a person whose e-mail address cannot take mail; nothing queued');
        return null;
      }
      return {
        person,
        resolved: { userId: person.id, address: person.email, name: displayName(person.displayName), locale: toLocale(person.locale), timeZone: person.timeZone },
      };
    }
    if (!isMailAddress(to.address)) throw new Error('Not a deliverable e-mail address');
    return { person: null, resolved: { userId: null, address: to.address, name: displayName(to.name ?? ''), locale: toLocale(to.locale), timeZone: 'America/Santiago' } };
  }

  /** The signed-in person's choices, with every notification kind, labelled in their language. */
  async preferencesOf(person: { id: string; role: Role; locale: string; timeZone: string }): Promise<MailPreferencesView> {
    const chosen = await this.repository.preferencesOf(person.id);
    const locale = toLocale(person.locale);
    return {
      digestHour: (await this.repository.digestHourOf(person.id)) ?? DEFAULT_DIGEST_HOUR,
      timeZone: person.timeZone,
      kinds: this.notificationKinds().map(([kind, definition]) => {
        const defaultDelivery = definition.defaultFor(person.role);
        const digest = definition.digest !== false;
        let delivery = chosen.get(kind) ?? defaultDelivery;
        if (delivery === 'digest' && !digest) delivery = 'immediately';
        return { kind, label: definition.label[locale], delivery, defaultDelivery, digest };
      }),
    };
  }

  /** Stores the person's choices (one commit); throws on a kind no feature defined or a digest where the kind has none. */
  async setPreferences(userId: string, change: { digestHour?: number; kinds?: Record<string, Delivery> }): Promise<void> {
    const entries = Object.entries(change.kinds ?? {});
    const problems: Array<{ field: string; message: string }> = [];
    for (const [kind, delivery] of entries) {
      const definition = this.notificationKind(kind);
      if (!definition) problems.push({ field: `kinds.${kind}`, message: 'is not a kind of mail' });
      else if (!DELIVERIES.includes(delivery)) problems.push({ field: `kinds.${kind}`, message: 'must be immediately, digest or never' });
      else if (delivery === 'digest' && definition.digest === false) problems.push({ field: `kinds.${kind}`, message: 'is not sent in digests' });
    }
    if (problems.length > 0) throw Object.assign(new Error('invalid preferences'), { problems });
    await this.unitOfWork.run(async () => {
      const now = Date.now();
      for (const [kind, delivery] of entries) await this.repository.setPreference(userId, kind, delivery, now);
      if (change.digestHour !== undefined) await this.repository.setDigestHour(userId, change.digestHour, now);
    });
  }

  /**
   * RFC 8058's one click: this person gets no more mail of this kind. Null when the token is not
   * one we signed or names a kind no feature defines (any more); the person and kind otherwise,
   * whether they had already stopped it or not.
   */
  async unsubscribe(token: string): Promise<{ userId: string; kind: string; label: string; locale: Locale } | null> {
    const read = await this.readUnsubscribe(token);
    const definition = read ? this.notificationKind(read.kind) : null;
    if (!read || !definition) return null;
    await this.unitOfWork.run(() => this.repository.setPreference(read.userId, read.kind, 'never', Date.now()));
    const locale = toLocale((await this.repository.person(read.userId))?.locale);
    return { ...read, label: definition.label[locale], locale };
  }

  /** What an unsubscribe token stands for, without acting on it (the confirmation page). */
  async describeUnsubscribe(token: string): Promise<{ kind: string; label: string; locale: Locale } | null> {
    const read = await this.readUnsubscribe(token);
    const definition = read ? this.notificationKind(read.kind) : null;
    if (!read || !definition) return null;
    const locale = toLocale((await this.repository.person(read.userId))?.locale);
    return { kind: read.kind, label: definition.label[locale], locale };
  }

  private async readUnsubscribe(token: string): Promise<{ userId: string; kind: string } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const stored = await this.repository.token(token, 'unsubscribe');
    return stored ? { userId: stored.userId, kind: stored.kind } : null;
  }

  /** The person and subject a reply token was given for. */
  async readReplyToken(token: string): Promise<{ userId: string; about: SubjectRef } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const stored = await this.repository.token(token, 'reply');
    return stored ? { userId: stored.userId, about: { kind: stored.kind, id: stored.subjectId } } : null;
  }

  /** The texts mail shares, for features composing their own (greeting, footer, refusal reasons). */
  readonly texts = mailTexts;
}
