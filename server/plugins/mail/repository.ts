import { randomBytes } from 'node:crypto';
import type { Database } from '../database.js';
import type { Role } from '../../shared/roles.js';
import type { Delivery, OutboxContent, OutboxStatus, TOKEN_PURPOSES } from './tables.js';

type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface NewOutboxRow {
  id: string;
  messageId: string;
  kind: string;
  userId: string | null;
  toAddress: string;
  toName: string;
  locale: string;
  subject: string;
  content: OutboxContent;
  discardAfter: number | null;
  createdAt: number;
}

export interface OutboxRow extends NewOutboxRow {
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  lastError: string | null;
  smtpResponse: string | null;
  sentAt: number | null;
}

/** A person as mail needs them: where to write, in which language, and their role for the kinds' defaults. */
export interface MailPerson {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  timeZone: string;
  /** Their role in their first group; null without a membership. */
  role: Role | null;
}

type RawRow = Omit<OutboxRow, 'content'> & { content: string };
const toRow = (raw: RawRow): OutboxRow => ({ ...raw, content: JSON.parse(raw.content) as OutboxContent });

const COLUMNS = `id, message_id as "messageId", kind, user_id as "userId", to_address as "toAddress", to_name as "toName", locale, subject, content,
  status, attempts, next_attempt_at as "nextAttemptAt", lease_owner as "leaseOwner", last_error as "lastError", smtp_response as "smtpResponse",
  discard_after as "discardAfter", created_at as "createdAt", sent_at as "sentAt"`;

const PERSON = `select u.id, u.email, u.display_name as "displayName", u.locale, u.time_zone as "timeZone",
       (select m.role from memberships m where m.user_id = u.id order by m.joined_at limit 1) as role
  from users u`;

/**
 * The mail plugin's tables, through statements prepared once (the sender asks for due rows on
 * every wake-up, and enqueueing runs inside other features' units of work). Reads of people go to
 * the identity tables (users, memberships) as the sessions plugin's do, by name, without importing
 * a feature. Enqueueing, tokens, preferences and people are read and written inside the caller's
 * unit of work; the sender claims, leases and marks rows in statements of its own, outside any.
 */
export class MailRepository {
  private readonly s;

  constructor(database: Database) {
    this.s = {
      insert: database.statement<[string, string, string, string | null, string, string, string, string, string, number, number | null, number]>(
        `insert into mail_outbox (id, message_id, kind, user_id, to_address, to_name, locale, subject, content, status, attempts, next_attempt_at, discard_after, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      ),
      expire: database.statement<[number]>(
        "update mail_outbox set status = 'expired', lease_owner = null where status in ('pending', 'sending') and discard_after is not null and discard_after <= ?",
      ),
      // One statement: a row is taken by exactly one sender, whichever process asks first. On
      // PostgreSQL two such statements run side by side, and the second, once the first's rows
      // are free, would take them again (only its outer condition is checked anew): its choice
      // skips the rows another sender holds. A row past its discard time is never taken, even
      // one committed after the expiry that ran just before.
      claim: database.statement<[string, number, number, number, number], RawRow>({
        sqlite: `update mail_outbox set status = 'sending', lease_owner = ?, next_attempt_at = ?, attempts = attempts + 1
          where id in (select id from mail_outbox where status in ('pending', 'sending') and next_attempt_at <= ? and (discard_after is null or discard_after > ?)
                        order by next_attempt_at, id limit ?)
          returning ${COLUMNS}`,
        postgres: `update mail_outbox set status = 'sending', lease_owner = $1, next_attempt_at = $2, attempts = attempts + 1
          where id in (select id from mail_outbox where status in ('pending', 'sending') and next_attempt_at <= $3 and (discard_after is null or discard_after > $4)
                        order by next_attempt_at, id limit $5 for update skip locked)
          returning ${COLUMNS}`,
      }),
      sent: database.statement<[number, string, string]>(
        "update mail_outbox set status = 'sent', sent_at = ?, smtp_response = ?, lease_owner = null, last_error = null where id = ? and status <> 'sent'",
      ),
      retryLater: database.statement<[number, string, string, string]>(
        "update mail_outbox set status = 'pending', next_attempt_at = ?, last_error = ?, lease_owner = null where id = ? and status = 'sending' and lease_owner = ?",
      ),
      failed: database.statement<[string, string, string]>(
        "update mail_outbox set status = 'failed', last_error = ?, lease_owner = null where id = ? and status = 'sending' and lease_owner = ?",
      ),
      // A prefix match that means the same on both engines: no like, whose case rules differ.
      leasedOnHost: database.statement<[number, string], { id: string; leaseOwner: string }>(
        `select id, lease_owner as "leaseOwner" from mail_outbox where status = 'sending' and substr(lease_owner, 1, ?) = ?`,
      ),
      releaseLease: database.statement<[number, string, string]>("update mail_outbox set next_attempt_at = ? where id = ? and status = 'sending' and lease_owner = ?"),
      nextDue: database.statement<[]>("select min(next_attempt_at) from mail_outbox where status in ('pending', 'sending')"),
      byId: database.statement<[string], RawRow>(`select ${COLUMNS} from mail_outbox where id = ?`),
      byMessageId: database.statement<[string], RawRow>(`select ${COLUMNS} from mail_outbox where message_id = ?`),
      list: database.statement<[number, number], RawRow>(`select ${COLUMNS} from mail_outbox order by created_at desc, id desc limit ? offset ?`),
      listByStatus: database.statement<[string, number, number], RawRow>(`select ${COLUMNS} from mail_outbox where status = ? order by created_at desc, id desc limit ? offset ?`),
      counts: database.statement<[], { status: OutboxStatus; n: number }>('select status, count(*) as n from mail_outbox group by status'),
      retry: database.statement<[number, string]>(
        "update mail_outbox set status = 'pending', attempts = 0, next_attempt_at = ?, discard_after = null, lease_owner = null where id = ? and status in ('failed', 'expired')",
      ),
      retryAllFailed: database.statement<[number]>("update mail_outbox set status = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = null where status = 'failed'"),
      purge: database.statement<[number]>("delete from mail_outbox where status in ('sent', 'expired') and created_at < ?"),
      recentTo: database.statement<[string, string, number]>('select count(*) from mail_outbox where to_address = ? and kind = ? and created_at >= ?'),
      preferences: database.statement<[string], { kind: string; delivery: Delivery }>('select kind, delivery from mail_preferences where user_id = ?'),
      preference: database.statement<[string, string]>('select delivery from mail_preferences where user_id = ? and kind = ?'),
      setPreference: database.statement<[string, string, Delivery, number]>(
        'insert into mail_preferences (user_id, kind, delivery, updated_at) values (?, ?, ?, ?) on conflict (user_id, kind) do update set delivery = excluded.delivery, updated_at = excluded.updated_at',
      ),
      digestHour: database.statement<[string]>('select digest_hour from mail_settings where user_id = ?'),
      setDigestHour: database.statement<[string, number, number]>(
        'insert into mail_settings (user_id, digest_hour, updated_at) values (?, ?, ?) on conflict (user_id) do update set digest_hour = excluded.digest_hour, updated_at = excluded.updated_at',
      ),
      saveToken: database.statement<[string, TokenPurpose, string, string, string, number]>(
        'insert into mail_tokens (token, purpose, user_id, kind, subject_id, created_at) values (?, ?, ?, ?, ?, ?) on conflict do nothing',
      ),
      token: database.statement<[string, TokenPurpose], { userId: string; kind: string; subjectId: string }>(
        'select user_id as "userId", kind, subject_id as "subjectId" from mail_tokens where token = ? and purpose = ?',
      ),
      ensureKey: database.statement<[string, number]>('insert into mail_keys (id, secret, created_at) values (1, ?, ?) on conflict do nothing'),
      key: database.statement<[]>('select secret from mail_keys where id = 1'),
      person: database.statement<[string], MailPerson>(`${PERSON} where u.id = ? and u.deactivated_at is null`),
      personByEmail: database.statement<[string], MailPerson>(`${PERSON} where u.email = ? and u.deactivated_at is null`),
    };
  }

  async insert(row: NewOutboxRow): Promise<void> {
    await this.s.insert.run(
      row.id,
      row.messageId,
      row.kind,
      row.userId,
      row.toAddress,
      row.toName,
      row.locale,
      row.subject,
      JSON.stringify(row.content),
      row.createdAt,
      row.discardAfter,
      row.createdAt,
    );
  }

  /**
   * Takes up to `limit` due rows for this sender: pending ones whose time has come, and rows whose
   * sender's lease ran out. Rows past their discard time are marked expired first.
   */
  async claim(now: number, owner: string, leaseUntil: number, limit: number): Promise<OutboxRow[]> {
    await this.s.expire.run(now);
    return (await this.s.claim.all(owner, leaseUntil, now, now, limit)).map(toRow);
  }

  async markSent(id: string, response: string, now: number): Promise<void> {
    await this.s.sent.run(now, response.slice(0, 500), id);
  }

  /** Back to pending for another attempt; false when the row is no longer this sender's (its lease ran out and another took it). */
  async retryLater(id: string, owner: string, error: string, at: number): Promise<boolean> {
    return (await this.s.retryLater.run(at, error.slice(0, 1000), id, owner)) > 0;
  }

  async markFailed(id: string, owner: string, error: string): Promise<boolean> {
    return (await this.s.failed.run(error.slice(0, 1000), id, owner)) > 0;
  }

  /** Rows leased by senders on this host (lease owners are process-identity.ts ids, `<host>~...`; a lease of the older `host/pid/boot` form is not matched and runs out in its time). */
  async leasedOnHost(host: string): Promise<Array<{ id: string; leaseOwner: string }>> {
    const prefix = `${host}~`;
    return this.s.leasedOnHost.all(prefix.length, prefix);
  }

  /** A lease whose sender is known to be dead runs out now. */
  async releaseLease(id: string, owner: string, now: number): Promise<void> {
    await this.s.releaseLease.run(now, id, owner);
  }

  async nextDueAt(): Promise<number | null> {
    return (await this.s.nextDue.value<number | null>()) ?? null;
  }

  async byId(id: string): Promise<OutboxRow | null> {
    const raw = await this.s.byId.get(id);
    return raw ? toRow(raw) : null;
  }

  async byMessageId(messageId: string): Promise<OutboxRow | null> {
    const raw = await this.s.byMessageId.get(messageId);
    return raw ? toRow(raw) : null;
  }

  async list(status: OutboxStatus | undefined, limit: number, offset: number): Promise<OutboxRow[]> {
    return (await (status ? this.s.listByStatus.all(status, limit, offset) : this.s.list.all(limit, offset))).map(toRow);
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, expired: 0 };
    for (const { status, n } of await this.s.counts.all()) counts[status] = n;
    return counts;
  }

  /** A failed or expired row goes back to the queue with fresh attempts; false when it is in neither state. */
  async retry(id: string, now: number): Promise<boolean> {
    return (await this.s.retry.run(now, id)) > 0;
  }

  async retryAllFailed(now: number): Promise<number> {
    return this.s.retryAllFailed.run(now);
  }

  async purgeDone(before: number): Promise<number> {
    return this.s.purge.run(before);
  }

  async sentLately(address: string, kind: string, since: number): Promise<number> {
    return (await this.s.recentTo.value<number>(address, kind, since)) ?? 0;
  }

  async preferencesOf(userId: string): Promise<Map<string, Delivery>> {
    return new Map((await this.s.preferences.all(userId)).map((row) => [row.kind, row.delivery]));
  }

  async preferenceOf(userId: string, kind: string): Promise<Delivery | null> {
    return (await this.s.preference.value<Delivery>(userId, kind)) ?? null;
  }

  async setPreference(userId: string, kind: string, delivery: Delivery, now: number): Promise<void> {
    await this.s.setPreference.run(userId, kind, delivery, now);
  }

  async digestHourOf(userId: string): Promise<number | null> {
    return (await this.s.digestHour.value<number>(userId)) ?? null;
  }

  async setDigestHour(userId: string, hour: number, now: number): Promise<void> {
    await this.s.setDigestHour.run(userId, hour, now);
  }

  async saveToken(token: string, purpose: TokenPurpose, userId: string, kind: string, subjectId: string, now: number): Promise<void> {
    await this.s.saveToken.run(token, purpose, userId, kind, subjectId, now);
  }

  /** Whom a token of this purpose stands for, and for what (a mail kind, or a subject's kind and id). */
  async token(token: string, purpose: TokenPurpose): Promise<{ userId: string; kind: string; subjectId: string } | null> {
    return (await this.s.token.get(token, purpose)) ?? null;
  }

  /** The forum's mail key, made on first use (by whichever process comes first). */
  async secret(now: number): Promise<Buffer> {
    await this.s.ensureKey.run(randomBytes(32).toString('base64'), now);
    return Buffer.from((await this.s.key.value<string>())!, 'base64');
  }

  async person(userId: string): Promise<MailPerson | null> {
    return (await this.s.person.get(userId)) ?? null;
  }

  /** E-mail addresses are stored lower-cased. */
  async personByEmail(email: string): Promise<MailPerson | null> {
    return (await this.s.personByEmail.get(email.toLowerCase())) ?? null;
  }
}
