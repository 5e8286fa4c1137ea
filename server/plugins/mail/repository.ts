import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../db.js';
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

const COLUMNS = `id, message_id as messageId, kind, user_id as userId, to_address as toAddress, to_name as toName, locale, subject, content,
  status, attempts, next_attempt_at as nextAttemptAt, lease_owner as leaseOwner, last_error as lastError, smtp_response as smtpResponse,
  discard_after as discardAfter, created_at as createdAt, sent_at as sentAt`;

/**
 * The mail plugin's tables, through prepared statements (the sender asks for due rows on every
 * wake-up, and enqueueing runs inside other features' commits). Reads of people go to the identity
 * tables (users, memberships) as the sessions plugin's do, by name, without importing a feature.
 * The administrators' outbox reads (byId, list, counts) are async, as a repository's boundary
 * should be. The rest is still synchronous: enqueueing, tokens, preferences and people are read and
 * written inside other features' units of work (deliveryOf decides inside a commit), and the
 * sender claims, leases and marks rows in statements of its own; an engine with an asynchronous
 * driver needs awaited twins of those.
 */
export class MailRepository {
  private readonly s;

  constructor(db: Db) {
    const sqlite: Database.Database = db.$client;
    this.s = {
      insert: sqlite.prepare(
        `insert into mail_outbox (id, message_id, kind, user_id, to_address, to_name, locale, subject, content, status, attempts, next_attempt_at, discard_after, created_at)
         values (@id, @messageId, @kind, @userId, @toAddress, @toName, @locale, @subject, @content, 'pending', 0, @createdAt, @discardAfter, @createdAt)`,
      ),
      expire: sqlite.prepare(
        "update mail_outbox set status = 'expired', lease_owner = null where status in ('pending', 'sending') and discard_after is not null and discard_after <= ?",
      ),
      // One statement: a row is taken by exactly one sender, whichever process asks first.
      claim: sqlite.prepare<[{ now: number; owner: string; leaseUntil: number; limit: number }], RawRow>(
        `update mail_outbox set status = 'sending', lease_owner = @owner, next_attempt_at = @leaseUntil, attempts = attempts + 1
          where id in (select id from mail_outbox where status in ('pending', 'sending') and next_attempt_at <= @now order by next_attempt_at, id limit @limit)
          returning ${COLUMNS}`,
      ),
      sent: sqlite.prepare("update mail_outbox set status = 'sent', sent_at = ?, smtp_response = ?, lease_owner = null, last_error = null where id = ? and status <> 'sent'"),
      retryLater: sqlite.prepare(
        "update mail_outbox set status = 'pending', next_attempt_at = ?, last_error = ?, lease_owner = null where id = ? and status = 'sending' and lease_owner = ?",
      ),
      failed: sqlite.prepare("update mail_outbox set status = 'failed', last_error = ?, lease_owner = null where id = ? and status = 'sending' and lease_owner = ?"),
      leasedOnHost: sqlite.prepare<[string], { id: string; leaseOwner: string }>(
        "select id, lease_owner as leaseOwner from mail_outbox where status = 'sending' and lease_owner like ? escape '\\'",
      ),
      releaseLease: sqlite.prepare("update mail_outbox set next_attempt_at = ? where id = ? and status = 'sending' and lease_owner = ?"),
      nextDue: sqlite.prepare<[], number | null>("select min(next_attempt_at) from mail_outbox where status in ('pending', 'sending')").pluck(),
      byId: sqlite.prepare<[string], RawRow>(`select ${COLUMNS} from mail_outbox where id = ?`),
      byMessageId: sqlite.prepare<[string], RawRow>(`select ${COLUMNS} from mail_outbox where message_id = ?`),
      list: sqlite.prepare<[number, number], RawRow>(`select ${COLUMNS} from mail_outbox order by created_at desc, id desc limit ? offset ?`),
      listByStatus: sqlite.prepare<[string, number, number], RawRow>(`select ${COLUMNS} from mail_outbox where status = ? order by created_at desc, id desc limit ? offset ?`),
      counts: sqlite.prepare<[], { status: OutboxStatus; n: number }>('select status, count(*) as n from mail_outbox group by status'),
      retry: sqlite.prepare(
        "update mail_outbox set status = 'pending', attempts = 0, next_attempt_at = ?, discard_after = null, lease_owner = null where id = ? and status in ('failed', 'expired')",
      ),
      retryAllFailed: sqlite.prepare("update mail_outbox set status = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = null where status = 'failed'"),
      purge: sqlite.prepare("delete from mail_outbox where status in ('sent', 'expired') and created_at < ?"),
      recentTo: sqlite.prepare<[string, string, number], number>('select count(*) from mail_outbox where to_address = ? and kind = ? and created_at >= ?').pluck(),
      preferences: sqlite.prepare<[string], { kind: string; delivery: Delivery }>('select kind, delivery from mail_preferences where user_id = ?'),
      preference: sqlite.prepare<[string, string], Delivery>('select delivery from mail_preferences where user_id = ? and kind = ?').pluck(),
      setPreference: sqlite.prepare(
        'insert into mail_preferences (user_id, kind, delivery, updated_at) values (?, ?, ?, ?) on conflict (user_id, kind) do update set delivery = excluded.delivery, updated_at = excluded.updated_at',
      ),
      digestHour: sqlite.prepare<[string], number>('select digest_hour from mail_settings where user_id = ?').pluck(),
      setDigestHour: sqlite.prepare(
        'insert into mail_settings (user_id, digest_hour, updated_at) values (?, ?, ?) on conflict (user_id) do update set digest_hour = excluded.digest_hour, updated_at = excluded.updated_at',
      ),
      saveToken: sqlite.prepare('insert or ignore into mail_tokens (token, purpose, user_id, kind, subject_id, created_at) values (?, ?, ?, ?, ?, ?)'),
      token: sqlite.prepare<[string, string], { userId: string; kind: string; subjectId: string }>(
        'select user_id as userId, kind, subject_id as subjectId from mail_tokens where token = ? and purpose = ?',
      ),
      ensureKey: sqlite.prepare('insert or ignore into mail_keys (id, secret, created_at) values (1, ?, ?)'),
      key: sqlite.prepare<[], string>('select secret from mail_keys where id = 1').pluck(),
      person: sqlite.prepare<[string], MailPerson>(
        `select u.id, u.email, u.display_name as displayName, u.locale, u.time_zone as timeZone,
                (select m.role from memberships m where m.user_id = u.id order by m.joined_at limit 1) as role
           from users u where u.id = ? and u.deactivated_at is null`,
      ),
      personByEmail: sqlite.prepare<[string], MailPerson>(
        `select u.id, u.email, u.display_name as displayName, u.locale, u.time_zone as timeZone,
                (select m.role from memberships m where m.user_id = u.id order by m.joined_at limit 1) as role
           from users u where u.email = ? and u.deactivated_at is null`,
      ),
    };
  }

  insert(row: NewOutboxRow): void {
    this.s.insert.run({ ...row, content: JSON.stringify(row.content) });
  }

  /**
   * Takes up to `limit` due rows for this sender: pending ones whose time has come, and rows whose
   * sender's lease ran out. Rows past their discard time are marked expired first.
   */
  claim(now: number, owner: string, leaseUntil: number, limit: number): OutboxRow[] {
    this.s.expire.run(now);
    return this.s.claim.all({ now, owner, leaseUntil, limit }).map(toRow);
  }

  markSent(id: string, response: string, now: number): void {
    this.s.sent.run(now, response.slice(0, 500), id);
  }

  /** Back to pending for another attempt; false when the row is no longer this sender's (its lease ran out and another took it). */
  retryLater(id: string, owner: string, error: string, at: number): boolean {
    return this.s.retryLater.run(at, error.slice(0, 1000), id, owner).changes > 0;
  }

  markFailed(id: string, owner: string, error: string): boolean {
    return this.s.failed.run(error.slice(0, 1000), id, owner).changes > 0;
  }

  /** Rows leased by senders on this host (lease owners are process-identity.ts ids, `<host>~...`; a lease of the older `host/pid/boot` form is not matched and runs out in its time). */
  leasedOnHost(host: string): Array<{ id: string; leaseOwner: string }> {
    return this.s.leasedOnHost.all(`${host.replace(/[\\%_]/g, '\\$&')}~%`);
  }

  /** A lease whose sender is known to be dead runs out now. */
  releaseLease(id: string, owner: string, now: number): void {
    this.s.releaseLease.run(now, id, owner);
  }

  nextDueAt(): number | null {
    return this.s.nextDue.get() ?? null;
  }

  async byId(id: string): Promise<OutboxRow | null> {
    const raw = this.s.byId.get(id);
    return raw ? toRow(raw) : null;
  }

  byMessageId(messageId: string): OutboxRow | null {
    const raw = this.s.byMessageId.get(messageId);
    return raw ? toRow(raw) : null;
  }

  async list(status: OutboxStatus | undefined, limit: number, offset: number): Promise<OutboxRow[]> {
    return (status ? this.s.listByStatus.all(status, limit, offset) : this.s.list.all(limit, offset)).map(toRow);
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, expired: 0 };
    for (const { status, n } of this.s.counts.all()) counts[status] = n;
    return counts;
  }

  /** A failed or expired row goes back to the queue with fresh attempts; false when it is in neither state. */
  retry(id: string, now: number): boolean {
    return this.s.retry.run(now, id).changes > 0;
  }

  retryAllFailed(now: number): number {
    return this.s.retryAllFailed.run(now).changes;
  }

  purgeDone(before: number): number {
    return this.s.purge.run(before).changes;
  }

  sentLately(address: string, kind: string, since: number): number {
    return this.s.recentTo.get(address, kind, since) ?? 0;
  }

  preferencesOf(userId: string): Map<string, Delivery> {
    return new Map(this.s.preferences.all(userId).map((row) => [row.kind, row.delivery]));
  }

  preferenceOf(userId: string, kind: string): Delivery | null {
    return this.s.preference.get(userId, kind) ?? null;
  }

  setPreference(userId: string, kind: string, delivery: Delivery, now: number): void {
    this.s.setPreference.run(userId, kind, delivery, now);
  }

  digestHourOf(userId: string): number | null {
    return this.s.digestHour.get(userId) ?? null;
  }

  setDigestHour(userId: string, hour: number, now: number): void {
    this.s.setDigestHour.run(userId, hour, now);
  }

  saveToken(token: string, purpose: TokenPurpose, userId: string, kind: string, subjectId: string, now: number): void {
    this.s.saveToken.run(token, purpose, userId, kind, subjectId, now);
  }

  /** Whom a token of this purpose stands for, and for what (a mail kind, or a subject's kind and id). */
  token(token: string, purpose: TokenPurpose): { userId: string; kind: string; subjectId: string } | null {
    return this.s.token.get(token, purpose) ?? null;
  }

  /** The forum's mail key, made on first use (by whichever process comes first). */
  secret(now: number): Buffer {
    this.s.ensureKey.run(randomBytes(32).toString('base64'), now);
    return Buffer.from(this.s.key.get()!, 'base64');
  }

  person(userId: string): MailPerson | null {
    return this.s.person.get(userId) ?? null;
  }

  /** E-mail addresses are stored lower-cased. */
  personByEmail(email: string): MailPerson | null {
    return this.s.personByEmail.get(email.toLowerCase()) ?? null;
  }
}
