import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, primaryKey, uniqueIndex, check } from 'drizzle-orm/sqlite-core';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'expired'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const DELIVERIES = ['immediately', 'digest', 'never'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** What an outbox row holds to be sent: composed when it was queued, so every attempt sends the same message. */
export interface OutboxContent {
  subject: string;
  text: string;
  html: string;
  /** Reply-To (reply+<token>@domain), when the message takes replies. */
  replyTo?: string;
  inReplyTo?: string;
  references?: string[];
  /** Extra headers, names ours and values already made header-safe (List-Unsubscribe, List-Id, Auto-Submitted). */
  headers: Record<string, string>;
  /** A text/calendar alternative (and its .ics attachment), e.g. METHOD:REQUEST for a meeting invitation. */
  calendar?: { method: string; ics: string };
}

/**
 * Mail to be sent, written in the same commit as what caused it (the transactional outbox), then
 * worked by the sender: pending -> sending (leased to one sender) -> sent, or back to pending with
 * a later next_attempt_at, or failed after the last attempt. The user id is a plain column, not a
 * foreign key: this plugin imports no feature, and identity's tables live in one (until issue 13
 * moves them to a plugin; then it can reference users.id).
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    /** The Message-ID header, angle brackets included: one per row, the same on every attempt. */
    messageId: text('message_id').notNull(),
    kind: text('kind').notNull(),
    userId: text('user_id'),
    toAddress: text('to_address').notNull(),
    toName: text('to_name').notNull().default(''),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    content: text('content', { mode: 'json' }).$type<OutboxContent>().notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** While 'pending': not before this time (ms). While 'sending': the end of the sender's lease. */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** While 'sending': who took it (host/pid/boot), so a restarted server takes back its dead predecessor's rows at once. */
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    /** What the SMTP server answered to the DATA it accepted ("250 2.0.0 Ok: queued as ..."). */
    smtpResponse: text('smtp_response'),
    /** Not sent after this time (a reset link that expires): marked 'expired' instead. */
    discardAfter: integer('discard_after'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (table) => [
    uniqueIndex('mail_outbox_message_id').on(table.messageId),
    // What the sender looks for: due pending rows, and leases that ran out (one test on one column).
    index('mail_outbox_due').on(table.status, table.nextAttemptAt).where(sql`${table.status} in ('pending', 'sending')`),
    // The administrators' list, newest first, whole or by status.
    index('mail_outbox_created').on(table.createdAt, table.id),
    index('mail_outbox_status_created').on(table.status, table.createdAt, table.id),
    // Bounces sent to an address lately (at most a few a day, against backscatter).
    index('mail_outbox_to_kind').on(table.toAddress, table.kind, table.createdAt),
  ],
);

/** A person's choice per notification kind; a kind without a row takes the kind's default for the person's role. */
export const mailPreferences = sqliteTable(
  'mail_preferences',
  {
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    delivery: text('delivery', { enum: DELIVERIES }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.kind] })],
);

/** A person's mail settings beyond the kinds: the hour of their daily digest, in their own time zone. */
export const mailSettings = sqliteTable(
  'mail_settings',
  {
    userId: text('user_id').primaryKey(),
    digestHour: integer('digest_hour').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [check('mail_settings_digest_hour', sql`${table.digestHour} between 0 and 23`)],
);

export const TOKEN_PURPOSES = ['reply', 'unsubscribe'] as const;

/**
 * Tokens handed out in mail: reply addresses (reply+<token>@domain, per person and subject) and
 * one-click unsubscribe links (per person and kind of mail). Each token is an HMAC of what it
 * stands for under the forum's mail key, so handing it out again writes nothing new, and it is
 * stored so that it can be short: 32 characters fit a local part and a URL path segment whatever
 * the ids and kinds are.
 */
export const mailTokens = sqliteTable(
  'mail_tokens',
  {
    token: text('token').primaryKey(),
    purpose: text('purpose', { enum: TOKEN_PURPOSES }).notNull(),
    userId: text('user_id').notNull(),
    /** The subject's kind (reply) or the mail kind (unsubscribe). */
    kind: text('kind').notNull(),
    /** The subject's id (reply); empty for unsubscribe. */
    subjectId: text('subject_id').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
);

/**
 * The key that derives the tokens of reply addresses and unsubscribe links: made at first start, kept with the
 * data (a backup restores it, so links in mail already sent keep working). One row.
 */
export const mailKeys = sqliteTable(
  'mail_keys',
  {
    id: integer('id').primaryKey(),
    secret: text('secret').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [check('mail_keys_one_row', sql`${table.id} = 1`)],
);
