import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
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

/** How long a validated session is answered from memory before the database is asked again. */
const REMEMBER_MS = 60_000;
/** Past this many remembered sessions, the oldest is forgotten first. */
const REMEMBER_AT_MOST = 5_000;

/**
 * Session persistence, following https://lucia-auth.com/sessions/basic.
 *
 * Every request validates its session, and the join behind it was the largest single cost of a
 * cached thread page. So validated sessions are remembered for a minute. This process is the
 * only writer of sessions, users and memberships: it forgets a session when it ends, and a
 * person's sessions when the person changes (forgetUser), so nothing stale is served; a second
 * process writing the same database would need to tell this one.
 */
export class SessionStore {
  private readonly findByIdQuery;
  private readonly remembered = new LRUCache<string, SessionRow>({ max: REMEMBER_AT_MOST, ttl: REMEMBER_MS });
  /** A token's hash never changes: computed once per token seen recently, not on every request. */
  private readonly hashes = new LRUCache<string, string>({ max: REMEMBER_AT_MOST, memoMethod: hashToken });

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
    const sessionId = this.hashes.memo(token);
    const row = this.lookUp(sessionId);
    if (!row) return null;
    if (row.expiresAt <= now.getTime()) {
      this.forgetSession(sessionId);
      this.db.delete(sessions).where(eq(sessions.id, sessionId)).run();
      return null;
    }
    let renewed = false;
    if (row.expiresAt - now.getTime() < RENEW_WHEN_REMAINING_MS) {
      row.expiresAt = now.getTime() + SESSION_LIFETIME_MS;
      renewed = true;
      this.db.update(sessions).set({ expiresAt: new Date(row.expiresAt) }).where(eq(sessions.id, sessionId)).run();
    }
    const { expiresAt, ...user } = row;
    return { sessionId, expiresAt: new Date(expiresAt), renewed, user };
  }

  private lookUp(sessionId: string): SessionRow | undefined {
    let row = this.remembered.get(sessionId);
    if (row) return row;
    row = this.findByIdQuery.get(sessionId);
    if (row) this.remembered.set(sessionId, row);
    return row;
  }

  private forgetSession(sessionId: string): void {
    this.remembered.delete(sessionId);
  }

  /** The person's name, role, language or state changed: their next request reads them afresh. */
  forgetUser(userId: string): void {
    const theirs = [...this.remembered.entries()].filter(([, row]) => row.id === userId).map(([sessionId]) => sessionId);
    for (const sessionId of theirs) this.remembered.delete(sessionId);
  }

  async invalidate(sessionId: string): Promise<void> {
    this.forgetSession(sessionId);
    this.db.delete(sessions).where(eq(sessions.id, sessionId)).run();
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    this.forgetUser(userId);
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
