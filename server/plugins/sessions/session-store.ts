import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { memberships, users } from '../../features/people/tables.js';
import { sessions } from './tables.js';
import type { Role } from '../../shared/roles.js';

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Sliding expiry: a session used in its second half is pushed back to the full lifetime. */
const RENEW_WHEN_REMAINING_MS = SESSION_LIFETIME_MS / 2;

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  timeZone: string;
  groupId: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

export interface ValidatedSession {
  sessionId: string;
  expiresAt: Date;
  /** True when the expiry moved and the cookie must be sent again. */
  renewed: boolean;
  user: SessionUser;
}

/** A random token with 100 bits of entropy, as Lucia's guide recommends; only its hash is stored. */
export function generateSecretToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Session persistence, following https://lucia-auth.com/sessions/basic. */
export class SessionStore {
  private readonly findByIdQuery;

  constructor(private readonly db: Db) {
    // Runs on every authenticated request: prepared once.
    this.findByIdQuery = db
      .select({
        sessionId: sessions.id,
        expiresAt: sessions.expiresAt,
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        locale: users.locale,
        timeZone: users.timeZone,
        groupId: memberships.groupId,
        role: memberships.role,
        countryId: memberships.countryId,
        organizationId: memberships.organizationId,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(sessions.id, sql.placeholder('id')), isNull(users.deactivatedAt)))
      .orderBy(asc(memberships.joinedAt))
      .limit(1)
      .prepare();
  }

  async create(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = generateSecretToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    this.db.insert(sessions).values({ id: hashToken(token), userId, expiresAt, createdAt: now }).run();
    return { token, expiresAt };
  }

  async validate(token: string, now = new Date()): Promise<ValidatedSession | null> {
    const sessionId = hashToken(token);
    const row = this.findByIdQuery.get({ id: sessionId });
    if (!row) return null;
    if (row.expiresAt.getTime() <= now.getTime()) {
      this.db.delete(sessions).where(eq(sessions.id, sessionId)).run();
      return null;
    }
    let expiresAt = row.expiresAt;
    let renewed = false;
    if (expiresAt.getTime() - now.getTime() < RENEW_WHEN_REMAINING_MS) {
      expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
      renewed = true;
      this.db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId)).run();
    }
    const { sessionId: _id, expiresAt: _expires, ...user } = row;
    return { sessionId, expiresAt, renewed, user };
  }

  async invalidate(sessionId: string): Promise<void> {
    this.db.delete(sessions).where(eq(sessions.id, sessionId)).run();
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    this.db.delete(sessions).where(eq(sessions.userId, userId)).run();
  }

  async countForUser(userId: string): Promise<number> {
    const row = this.db.select({ n: sql<number>`count(*)` }).from(sessions).where(eq(sessions.userId, userId)).get();
    return row?.n ?? 0;
  }

  async deleteExpired(now = new Date()): Promise<number> {
    return this.db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
  }
}
