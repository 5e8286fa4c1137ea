import { and, eq, gt, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Database, Orm, Statement } from '../../plugins/database.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import { sessions } from '../../plugins/sessions/tables.js';
import type { SessionsEnded } from '../../plugins/sessions/index.js';
import { emailChanges, loginThrottles, passwordResets } from './tables.js';
import { users } from '../../plugins/identity/tables.js';

export interface Credentials {
  userId: string;
  passwordHash: string;
  deactivated: boolean;
}

export interface EmailChange {
  userId: string;
  newEmail: string;
  oldEmail: string;
  displayName: string;
  locale: string;
}

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
}

/** Credentials, password resets and the failed-login counters. */
export class AuthRepository {
  private readonly db: Orm;
  private readonly throttleOf;
  private readonly countFrom: Record<'now' | 'window', Statement<unknown[], { failures: number }>>;

  /** @param sessionsEnded told after this repository deleted a person's sessions, once that is committed. */
  constructor(
    database: Database,
    private readonly sessionsEnded: (ended: SessionsEnded) => void = () => {},
  ) {
    this.db = database.orm;
    this.throttleOf = database.statement<[string], { blockedUntil: number | null }>('select blocked_until as "blockedUntil" from login_throttles where key = ?');
    this.countFrom = { now: database.statement(countStatement('now')), window: database.statement(countStatement('window')) };
  }

  async findCredentials(email: string): Promise<Credentials | undefined> {
    const [row] = await this.db
      .select({ userId: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.email, email.toLowerCase()))
      .limit(1);
    return row && { userId: row.userId, passwordHash: row.passwordHash, deactivated: row.deactivatedAt !== null };
  }

  async findPasswordHash(userId: string): Promise<string | undefined> {
    return (await this.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1))[0]?.hash;
  }

  /** Milliseconds until any of these keys may try again, or 0. */
  async blockedFor(keys: string[], now: Date): Promise<number> {
    let longest = 0;
    for (const key of keys) {
      const row = await this.throttleOf.get(key);
      if (row?.blockedUntil && row.blockedUntil > now.getTime()) longest = Math.max(longest, row.blockedUntil - now.getTime());
    }
    return longest;
  }

  /**
   * Counts one failure (or request) against the key in a fixed window, inside the caller's unit of
   * work; blocks the key once it reaches the limit, until `blockFrom` ('now' or the window's start)
   * plus a window. Resolves with the count in the window, this one included.
   */
  async countWithin(key: string, policy: ThrottlePolicy, now: Date, blockFrom: 'now' | 'window'): Promise<number> {
    const at = now.getTime();
    const window = policy.windowMs;
    // In the order of countStatement's `?`: the new row's, then the window's test in each use.
    const params = [key, at, policy.maxFailures <= 1 ? at + window : null, window, window, window, policy.maxFailures, ...(blockFrom === 'window' ? [window] : []), window];
    const row = await this.countFrom[blockFrom].get(...params);
    return row!.failures;
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.delete(loginThrottles).where(eq(loginThrottles.key, key));
  }

  async findUsableReset(tokenHash: string, now: Date): Promise<{ userId: string; email: string; displayName: string } | undefined> {
    const [found] = await this.db
      .select({ userId: passwordResets.userId, email: users.email, displayName: users.displayName })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now), isNull(users.deactivatedAt)))
      .limit(1);
    return found;
  }

  async pruneThrottles(now: Date, windowMs: number): Promise<void> {
    await this.db
      .delete(loginThrottles)
      .where(and(sql`${loginThrottles.windowStartedAt} < ${now.getTime() - windowMs}`, sql`coalesce(${loginThrottles.blockedUntil}, 0) < ${now.getTime()}`));
  }

  // The writes below run inside the caller's unit of work: the mail they cause is queued in the
  // same commit (fastify.mail.enqueueWithin).

  /** A new reset link for the person; only the newest one works. */
  async createPasswordResetWithin(reset: { tokenHash: string; userId: string; createdBy: string | null; expiresAt: Date; now: Date }): Promise<void> {
    await this.db.update(passwordResets).set({ usedAt: reset.now }).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    await this.db.insert(passwordResets).values({ tokenHash: reset.tokenHash, userId: reset.userId, createdBy: reset.createdBy, createdAt: reset.now, expiresAt: reset.expiresAt });
  }

  /** The active person with this address, for a reset asked by address. */
  async activeUserByEmail(email: string): Promise<{ id: string } | undefined> {
    return (await this.db.select({ id: users.id }).from(users).where(and(eq(users.email, email.toLowerCase()), isNull(users.deactivatedAt))).limit(1))[0];
  }

  /**
   * Uses the link, sets the password and ends all the person's sessions, inside the caller's unit
   * of work; null when the link was already used. The sessions cache is told once it has committed.
   */
  async consumeResetWithin(commit: PendingCommit, tokenHash: string, passwordHash: string, now: Date): Promise<string | null> {
    const [reset] = await this.db
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, tokenHash),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
          // As in findUsableReset: deactivating someone retires their outstanding links.
          notInArray(passwordResets.userId, this.db.select({ id: users.id }).from(users).where(isNotNull(users.deactivatedAt))),
        ),
      )
      .returning({ userId: passwordResets.userId });
    if (!reset) return null;
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, reset.userId));
    await this.db.delete(sessions).where(eq(sessions.userId, reset.userId));
    commit.afterCommit(() => this.sessionsEnded({ userId: reset.userId }));
    return reset.userId;
  }

  /**
   * Sets the password and ends every session of the user but `keep` (the fresh session just made
   * for the client that changed it, which replaces its old one, `replacing`), inside the caller's unit of work.
   */
  async replacePasswordWithin(commit: PendingCommit, userId: string, passwordHash: string, session: { keep: string; replacing: string | null }): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await this.db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, session.keep)));
    commit.afterCommit(() => this.sessionsEnded({ userId, kept: [session.keep], ...(session.replacing ? { replaced: { from: session.replacing, to: session.keep } } : {}) }));
  }

  /** A pending change of address; an earlier pending one of the same person stops working. */
  async requestEmailChangeWithin(change: { tokenHash: string; userId: string; newEmail: string; expiresAt: Date; now: Date }): Promise<void> {
    await this.db.update(emailChanges).set({ usedAt: change.now }).where(and(eq(emailChanges.userId, change.userId), isNull(emailChanges.usedAt)));
    await this.db.insert(emailChanges).values({ tokenHash: change.tokenHash, userId: change.userId, newEmail: change.newEmail.toLowerCase(), createdAt: change.now, expiresAt: change.expiresAt });
  }

  /** The pending change a link stands for, while it works. */
  async usableEmailChange(tokenHash: string, now: Date): Promise<EmailChange | undefined> {
    const [change] = await this.db
      .select({ userId: emailChanges.userId, newEmail: emailChanges.newEmail, oldEmail: users.email, displayName: users.displayName, locale: users.locale })
      .from(emailChanges)
      .innerJoin(users, eq(users.id, emailChanges.userId))
      .where(and(eq(emailChanges.tokenHash, tokenHash), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, now), isNull(users.deactivatedAt)))
      .limit(1);
    return change;
  }

  /** Uses the link and changes the address, inside the caller's unit of work; 'taken' when another account has that address by now. */
  async confirmEmailChangeWithin(tokenHash: string, now: Date): Promise<EmailChange | 'taken' | null> {
    const change = await this.usableEmailChange(tokenHash, now);
    if (!change) return null;
    if ((await this.db.select({ id: users.id }).from(users).where(eq(users.email, change.newEmail)).limit(1)).length > 0) return 'taken';
    await this.db.update(emailChanges).set({ usedAt: now }).where(eq(emailChanges.tokenHash, tokenHash));
    await this.db.update(users).set({ email: change.newEmail }).where(eq(users.id, change.userId));
    return change;
  }
}

/**
 * One failure counted in a single upsert that reads and writes the counter at once: on PostgreSQL
 * two failures at once must both count, a key's first two as well (there is no row to lock then;
 * the unique key makes the second insert wait for the first and update its row). `excluded` is
 * the row proposed for a new key: its window starts now. Within the window the count goes up;
 * after it, a new window starts now with one failure. Reaching the limit blocks the key for a
 * window from `blockFrom`: now, or the window's start. Parameters: see countWithin.
 */
function countStatement(blockFrom: 'now' | 'window'): string {
  const open = 'excluded.window_started_at - login_throttles.window_started_at < ?';
  const failures = `case when ${open} then login_throttles.failures + 1 else 1 end`;
  const start = blockFrom === 'now' ? 'excluded.window_started_at' : `case when ${open} then login_throttles.window_started_at else excluded.window_started_at end`;
  return `insert into login_throttles (key, failures, window_started_at, blocked_until) values (?, 1, ?, ?)
    on conflict (key) do update set
      failures = ${failures},
      window_started_at = case when ${open} then login_throttles.window_started_at else excluded.window_started_at end,
      blocked_until = case when ${failures} >= ? then ${start} + ? end
    returning failures`;
}
