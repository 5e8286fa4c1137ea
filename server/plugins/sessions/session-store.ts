import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
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
  // Node's native SHA-256 (same digest as the pure-JS one) on every authenticated request.
  return createHash('sha256').update(token).digest('hex');
}

/** A row of the validation query: the session's expiry (ms) and its user. */
type SessionRow = SessionUser & { expiresAt: number };

/** Session persistence, following https://lucia-auth.com/sessions/basic. */
export class SessionStore {
  private readonly findByIdQuery;

  constructor(private readonly db: Db) {
    // Runs on every authenticated request: prepared once, and as a plain better-sqlite3
    // statement, which answers in a quarter of the time drizzle's prepared wrapper takes.
    this.findByIdQuery = db.$client.prepare<[string], SessionRow>(
      `select s.expires_at as expiresAt, u.id as id, u.email as email, u.display_name as displayName, u.locale as locale,
              u.time_zone as timeZone, m.group_id as groupId, m.role as role, m.country_id as countryId, m.organization_id as organizationId
         from sessions s
         join users u on u.id = s.user_id
         join memberships m on m.user_id = u.id
        where s.id = ? and u.deactivated_at is null
        order by m.joined_at asc
        limit 1`,
    );
  }

  async create(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = generateSecretToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    this.db.insert(sessions).values({ id: hashToken(token), userId, expiresAt, createdAt: now }).run();
    return { token, expiresAt };
  }

  async validate(token: string, now = new Date()): Promise<ValidatedSession | null> {
    const sessionId = hashToken(token);
    const found = this.findByIdQuery.get(sessionId);
    if (!found) return null;
    const row = { ...found, expiresAt: new Date(found.expiresAt) };
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
    const { expiresAt: _expires, ...user } = row;
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
