import { and, eq, gt, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../plugins/db.js';
import type { PendingCommit } from '../../plugins/group-commit.js';
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
  /** @param sessionsEnded told after this repository deleted a person's sessions in one of its own transactions. */
  constructor(
    private readonly db: Db,
    private readonly sessionsEnded: (ended: SessionsEnded) => void = () => {},
  ) {}

  async findCredentials(email: string): Promise<Credentials | undefined> {
    const row = this.db
      .select({ userId: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.email, email.toLowerCase()))
      .get();
    return row && { userId: row.userId, passwordHash: row.passwordHash, deactivated: row.deactivatedAt !== null };
  }

  async findPasswordHash(userId: string): Promise<string | undefined> {
    return this.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get()?.hash;
  }

  /**
   * Sets the password and ends every session of the user but `keep` (the fresh session just made
   * for the client that changed it, which replaces its old one, `replacing`), in one transaction.
   */
  async replacePassword(userId: string, passwordHash: string, session: { keep: string; replacing: string | null }): Promise<void> {
    this.db.transaction((tx) => {
      tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
      tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, session.keep))).run();
    });
    this.sessionsEnded({ userId, kept: [session.keep], ...(session.replacing ? { replaced: { from: session.replacing, to: session.keep } } : {}) });
  }

  /** Milliseconds until any of these keys may try again, or 0. */
  async blockedFor(keys: string[], now: Date): Promise<number> {
    let longest = 0;
    for (const key of keys) {
      const row = this.db.select().from(loginThrottles).where(eq(loginThrottles.key, key)).get();
      if (row?.blockedUntil && row.blockedUntil > now) longest = Math.max(longest, row.blockedUntil.getTime() - now.getTime());
    }
    return longest;
  }

  /** Counts one failure against the key in a fixed window; blocks the key for a window once it reaches the limit. */
  async recordFailure(key: string, policy: ThrottlePolicy, now: Date): Promise<void> {
    this.db.transaction((tx) => {
      const row = tx.select().from(loginThrottles).where(eq(loginThrottles.key, key)).get();
      const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < policy.windowMs;
      const failures = windowOpen ? row.failures + 1 : 1;
      const windowStartedAt = windowOpen ? row.windowStartedAt : now;
      const blockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.windowMs) : null;
      tx.insert(loginThrottles)
        .values({ key, failures, windowStartedAt, blockedUntil })
        .onConflictDoUpdate({ target: loginThrottles.key, set: { failures, windowStartedAt, blockedUntil } })
        .run();
    });
  }

  async clearFailures(key: string): Promise<void> {
    this.db.delete(loginThrottles).where(eq(loginThrottles.key, key)).run();
  }

  async createPasswordReset(reset: { tokenHash: string; userId: string; createdBy: string | null; expiresAt: Date; now: Date }): Promise<void> {
    this.db.transaction((tx) => {
      // Only the newest link works.
      tx.update(passwordResets).set({ usedAt: reset.now }).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt))).run();
      tx.insert(passwordResets)
        .values({ tokenHash: reset.tokenHash, userId: reset.userId, createdBy: reset.createdBy, createdAt: reset.now, expiresAt: reset.expiresAt })
        .run();
    });
  }

  async findUsableReset(tokenHash: string, now: Date): Promise<{ userId: string; email: string; displayName: string } | undefined> {
    return this.db
      .select({ userId: passwordResets.userId, email: users.email, displayName: users.displayName })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now), isNull(users.deactivatedAt)))
      .get();
  }

  async pruneThrottles(now: Date, windowMs: number): Promise<void> {
    this.db
      .delete(loginThrottles)
      .where(and(sql`${loginThrottles.windowStartedAt} < ${now.getTime() - windowMs}`, sql`coalesce(${loginThrottles.blockedUntil}, 0) < ${now.getTime()}`))
      .run();
  }

  // The writes below run inside a group-commit piece (synchronous, no transaction of their own):
  // the mail they cause is queued in the same commit (fastify.mail.enqueueWithin).

  /** A new reset link for the person; only the newest one works. */
  createPasswordResetWithin(reset: { tokenHash: string; userId: string; createdBy: string | null; expiresAt: Date; now: Date }): void {
    this.db.update(passwordResets).set({ usedAt: reset.now }).where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt))).run();
    this.db.insert(passwordResets).values({ tokenHash: reset.tokenHash, userId: reset.userId, createdBy: reset.createdBy, createdAt: reset.now, expiresAt: reset.expiresAt }).run();
  }

  /** Counts one request against the key in a fixed window; true while the key is under its limit (this request included). */
  countRequest(key: string, policy: ThrottlePolicy, now: Date): boolean {
    const row = this.db.select().from(loginThrottles).where(eq(loginThrottles.key, key)).get();
    const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < policy.windowMs;
    const failures = windowOpen ? row.failures + 1 : 1;
    const windowStartedAt = windowOpen ? row.windowStartedAt : now;
    const blockedUntil = failures >= policy.maxFailures ? new Date(windowStartedAt.getTime() + policy.windowMs) : null;
    this.db.insert(loginThrottles).values({ key, failures, windowStartedAt, blockedUntil }).onConflictDoUpdate({ target: loginThrottles.key, set: { failures, windowStartedAt, blockedUntil } }).run();
    return failures <= policy.maxFailures;
  }

  /** The active person with this address, for a reset asked by address. */
  activeUserByEmail(email: string): { id: string } | undefined {
    return this.db.select({ id: users.id }).from(users).where(and(eq(users.email, email.toLowerCase()), isNull(users.deactivatedAt))).get();
  }

  /**
   * Uses the link, sets the password and ends all the person's sessions, inside the caller's piece;
   * null when the link was already used. The sessions cache is told once the piece has committed.
   */
  consumeResetWithin(commit: PendingCommit, tokenHash: string, passwordHash: string, now: Date): string | null {
    const reset = this.db
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
      .returning({ userId: passwordResets.userId })
      .get();
    if (!reset) return null;
    this.db.update(users).set({ passwordHash }).where(eq(users.id, reset.userId)).run();
    this.db.delete(sessions).where(eq(sessions.userId, reset.userId)).run();
    commit.afterCommit(() => this.sessionsEnded({ userId: reset.userId }));
    return reset.userId;
  }

  /** replacePassword inside the caller's piece. */
  replacePasswordWithin(commit: PendingCommit, userId: string, passwordHash: string, session: { keep: string; replacing: string | null }): void {
    this.db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
    this.db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, session.keep))).run();
    commit.afterCommit(() => this.sessionsEnded({ userId, kept: [session.keep], ...(session.replacing ? { replaced: { from: session.replacing, to: session.keep } } : {}) }));
  }

  /** A pending change of address; an earlier pending one of the same person stops working. */
  requestEmailChangeWithin(change: { tokenHash: string; userId: string; newEmail: string; expiresAt: Date; now: Date }): void {
    this.db.update(emailChanges).set({ usedAt: change.now }).where(and(eq(emailChanges.userId, change.userId), isNull(emailChanges.usedAt))).run();
    this.db.insert(emailChanges).values({ tokenHash: change.tokenHash, userId: change.userId, newEmail: change.newEmail.toLowerCase(), createdAt: change.now, expiresAt: change.expiresAt }).run();
  }

  /** The pending change a link stands for, while it works. */
  usableEmailChangeWithin(tokenHash: string, now: Date): EmailChange | undefined {
    return this.db
      .select({ userId: emailChanges.userId, newEmail: emailChanges.newEmail, oldEmail: users.email, displayName: users.displayName, locale: users.locale })
      .from(emailChanges)
      .innerJoin(users, eq(users.id, emailChanges.userId))
      .where(and(eq(emailChanges.tokenHash, tokenHash), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, now), isNull(users.deactivatedAt)))
      .get();
  }

  /** Uses the link and changes the address; 'taken' when another account has that address by now. */
  confirmEmailChangeWithin(tokenHash: string, now: Date): EmailChange | 'taken' | null {
    const change = this.usableEmailChangeWithin(tokenHash, now);
    if (!change) return null;
    if (this.db.select({ id: users.id }).from(users).where(eq(users.email, change.newEmail)).get()) return 'taken';
    this.db.update(emailChanges).set({ usedAt: now }).where(eq(emailChanges.tokenHash, tokenHash)).run();
    this.db.update(users).set({ email: change.newEmail }).where(eq(users.id, change.userId)).run();
    return change;
  }
}
