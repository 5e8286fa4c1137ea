import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Database } from '../database.js';
import { FIRST_GROUP_SQL } from '../identity/instance.js';
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
  /** The group this request works in (`x-concilia-group`, or the person's home group), and the person's place in it. */
  groupId: string;
  groupSlug: string;
  groupName: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  /** An administrator of the instance's first group: they administer the instance (its groups, the mail outbox), whichever group they work in. */
  instanceAdmin: boolean;
}

export interface ValidatedSession {
  sessionId: string;
  expiresAt: Date;
  /** True when the expiry moved and the cookie must be sent again. */
  renewed: boolean;
  user: SessionUser;
  memberships: ReadonlyArray<Readonly<SessionUser>>;
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

/**
 * Which of a person's sessions ended. Whatever holds something on behalf of a session (an open
 * websocket) listens for this and lets go of exactly these.
 */
export interface SessionsEnded {
  userId: string;
  /** The sessions that ended. Absent: every session of the person, except those in `kept`. */
  sessionIds?: string[];
  kept?: string[];
  /**
   * A session ended only to be replaced, for the same client, by a new one (a password change
   * gives the client that made it a fresh cookie): what was bound to the old one moves to the new.
   */
  replaced?: { from: string; to: string };
}

export type SessionsEndedListener = (ended: SessionsEnded) => void;

/** Does the signal end this session? (A session it only replaces does not end, it moves.) */
export function endsSession(ended: SessionsEnded, sessionId: string): boolean {
  if (ended.replaced?.from === sessionId) return false;
  if (ended.sessionIds) return ended.sessionIds.includes(sessionId);
  return !(ended.kept?.includes(sessionId) ?? false);
}

/** A row of the validation query: the session's expiry (ms) and its person in one of their groups. */
type SessionRow = Omit<SessionUser, 'instanceAdmin'> & { expiresAt: number; instanceAdmin: number };
/** A validated session as remembered: its person in each of their groups, built once and handed to every request (read only). */
export interface RememberedSession {
  readonly sessionId: string;
  expiresAt: number;
  /** The person in their home group (the instance's first group when they belong to it, else their oldest): requests that name no group work there. */
  readonly user: Readonly<SessionUser>;
  /** The person in every group they belong to, their home group first. */
  readonly memberships: ReadonlyArray<Readonly<SessionUser>>;
}

/**
 * The person as they work in the group a request names by its slug (its first group when it names
 * none), or undefined when they are not a member of it: an unknown slug and a group of others are
 * the same answer, so a slug tells nobody whether a group exists.
 */
export function inGroup(session: Pick<RememberedSession, 'user' | 'memberships'>, slug: string | undefined): Readonly<SessionUser> | undefined {
  if (slug === undefined) return session.user;
  // A person belongs to a handful of groups: a scan beats building a map per session.
  for (const membership of session.memberships) if (membership.groupSlug === slug) return membership;
  return undefined;
}

/**
 * A person (`u`) in each of their groups: who they are, their place in the group, and whether they
 * administer the instance's first group (identity/instance.ts). Their home group first
 * (HOME_GROUP_FIRST): where a request naming no group works.
 */
const PERSON_IN_GROUPS = `u.id as id, u.email as email, u.display_name as "displayName", u.locale as locale, u.time_zone as "timeZone",
  m.group_id as "groupId", g.slug as "groupSlug", g.name as "groupName", m.role as role, m.country_id as "countryId", m.organization_id as "organizationId",
  exists (select 1 from memberships fm where fm.user_id = u.id and fm.role = 'admin' and fm.group_id = (${FIRST_GROUP_SQL})) as "instanceAdmin"`;
const GROUPS_OF_USER = 'join memberships m on m.user_id = u.id join groups g on g.id = m.group_id';
// The home group: old addresses (no group named) are the instance's first group's, so its
// membership leads when the person has one; then the others, oldest first.
const HOME_GROUP_FIRST = `order by m.group_id = (${FIRST_GROUP_SQL}) desc, m.joined_at asc, m.group_id asc`;

const toSessionUser = ({ instanceAdmin, ...user }: Omit<SessionRow, 'expiresAt'>): Readonly<SessionUser> => Object.freeze({ ...user, instanceAdmin: instanceAdmin === 1 });

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
 *
 * Every way a session ends (sign-out, expiry, a password change or reset, deactivation) goes
 * through here, or through sessionsEnded() for a repository that deleted sessions in a transaction
 * of its own, and is announced to the onEnded listeners right after the delete, synchronously: the
 * live channel closes the sockets those sessions opened.
 */
export class SessionStore {
  private readonly findByIdQuery;
  private readonly byUserQuery;
  private readonly remembered = new LRUCache<string, RememberedSession>({ max: REMEMBER_AT_MOST, ttl: REMEMBER_MS });
  /** A token's hash never changes: computed once per token seen recently, not on every request. */
  private readonly hashes = new LRUCache<string, string>({ max: REMEMBER_AT_MOST, memoMethod: hashToken });
  private readonly endedListeners = new Set<SessionsEndedListener>();
  private readonly deleteOneQuery;
  private readonly deleteExpiredQuery;
  private readonly insertQuery;
  private readonly renewQuery;
  private readonly deleteOfUserQuery;
  private readonly stillThereQuery;

  constructor(
    database: Database,
    /** Told when an onEnded listener throws: the sessions have ended by then, whatever the listener failed at. */
    private readonly onListenerError: (error: unknown) => void = () => {},
    /**
     * Whether a remembered session is confirmed in the database on every request (PostgreSQL, where
     * other instances may end it). Their notice reaches this instance's cache a few milliseconds
     * after their sign-out has answered, and not at all while the listening connection is down: a
     * signed-out session must be refused at once, so each request asks the sessions table by its key
     * (the person and their groups are still remembered, and forgotten on the other instances' notices).
     */
    private readonly confirmEachRequest = false,
  ) {
    // Runs on every request whose session is not remembered: prepared once, and as a plain
    // statement, which answers in a quarter of the time drizzle's prepared wrapper takes.
    this.findByIdQuery = database.statement<[string], SessionRow>(
      `select s.expires_at as "expiresAt", ${PERSON_IN_GROUPS}
         from sessions s join users u on u.id = s.user_id ${GROUPS_OF_USER}
        where s.id = ? and u.deactivated_at is null ${HOME_GROUP_FIRST}`,
    );
    this.byUserQuery = database.statement<[string], Omit<SessionRow, 'expiresAt'>>(
      `select ${PERSON_IN_GROUPS} from users u ${GROUPS_OF_USER} where u.id = ? and u.deactivated_at is null ${HOME_GROUP_FIRST}`,
    );
    // Each returns whose sessions went, for the announcement.
    this.deleteOneQuery = database.statement<[string], { userId: string }>('delete from sessions where id = ? returning user_id as "userId"');
    this.deleteExpiredQuery = database.statement<[number], { id: string; userId: string }>('delete from sessions where expires_at < ? returning id, user_id as "userId"');
    this.insertQuery = database.statement<[string, string, number, number]>('insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)');
    this.renewQuery = database.statement<[number, string]>('update sessions set expires_at = ? where id = ?');
    this.deleteOfUserQuery = database.statement<[string]>('delete from sessions where user_id = ?');
    this.stillThereQuery = database.statement<[string], { expiresAt: number }>('select expires_at as "expiresAt" from sessions where id = ?');
  }

  /** Listens for sessions that end; returns the function that stops listening. */
  onEnded(listener: SessionsEndedListener): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  async create(userId: string, now = new Date()): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
    const token = generateSecretToken();
    const sessionId = hashToken(token);
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await this.insertQuery.run(sessionId, userId, expiresAt.getTime(), now.getTime());
    return { token, sessionId, expiresAt };
  }

  /**
   * The session as remembered, synchronously: the common case of every request (a session seen
   * in the last minute and not yet due for renewal) needs neither the database nor a promise.
   * Undefined when validate() must be asked: not remembered, expired, or due for renewal.
   */
  validateRemembered(token: string, now = Date.now()): Readonly<RememberedSession> | undefined {
    if (this.confirmEachRequest) return undefined;
    const known = this.remembered.get(this.hashes.memo(token));
    // The remembered record itself: nothing is allocated on this path.
    return known && known.expiresAt - now >= RENEW_WHEN_REMAINING_MS ? known : undefined;
  }

  async validate(token: string, now = new Date()): Promise<ValidatedSession | null> {
    const sessionId = this.hashes.memo(token);
    const row = await this.lookUp(sessionId);
    if (!row) return null;
    if (row.expiresAt <= now.getTime()) {
      await this.endSession(sessionId);
      return null;
    }
    let renewed = false;
    if (row.expiresAt - now.getTime() < RENEW_WHEN_REMAINING_MS) {
      row.expiresAt = now.getTime() + SESSION_LIFETIME_MS;
      renewed = true;
      await this.renewQuery.run(row.expiresAt, sessionId);
    }
    return { sessionId, expiresAt: new Date(row.expiresAt), renewed, user: row.user, memberships: row.memberships };
  }

  /**
   * The session's person as they are now (read afresh if they changed), or null once the session
   * has ended or expired. For what outlives the request that validated the session (a websocket
   * accepted after some awaits): the session may have ended in between.
   */
  async current(sessionId: string, now = Date.now(), groupSlug?: string): Promise<SessionUser | null> {
    const row = await this.lookUp(sessionId);
    if (!row || row.expiresAt <= now) return null;
    return inGroup(row, groupSlug) ?? null;
  }

  /**
   * The session's person in each of their groups, their home group first, read afresh (a session
   * just opened); empty for an ended session. Not remembered: only validation remembers sessions.
   */
  async membershipsOf(sessionId: string, now = Date.now()): Promise<ReadonlyArray<Readonly<SessionUser>>> {
    const row = await this.read(sessionId);
    return row && row.expiresAt > now ? row.memberships : [];
  }

  /**
   * An active person in each of their groups, their home group first, as a request of theirs
   * would see them; empty for a deactivated or unknown person. For work done on someone's behalf
   * outside any request (their notification mail).
   */
  async membershipsOfPerson(userId: string): Promise<ReadonlyArray<Readonly<SessionUser>>> {
    return (await this.byUserQuery.all(userId)).map(toSessionUser);
  }

  private async lookUp(sessionId: string): Promise<RememberedSession | undefined> {
    const known = this.remembered.get(sessionId);
    if (known && this.confirmEachRequest) {
      const current = await this.stillThereQuery.get(sessionId);
      if (!current) {
        this.forgetSession(sessionId);
        return undefined;
      }
      // Renewed by another instance: its expiry, not the one remembered.
      if (current.expiresAt !== known.expiresAt) known.expiresAt = current.expiresAt;
      return known;
    }
    if (known) return known;
    const row = await this.read(sessionId);
    if (row) this.remembered.set(sessionId, row);
    return row;
  }

  private async read(sessionId: string): Promise<RememberedSession | undefined> {
    const found = await this.findByIdQuery.all(sessionId);
    if (found.length === 0) return undefined;
    // Split once here rather than copied apart on every request that reads it from memory.
    // Frozen: the same objects serve every request of this session, so none may change them for the others.
    const memberships = Object.freeze(found.map(({ expiresAt: _, ...user }) => toSessionUser(user)));
    return { sessionId, expiresAt: found[0]!.expiresAt, user: memberships[0]!, memberships };
  }

  private forgetSession(sessionId: string): void {
    this.remembered.delete(sessionId);
  }

  /** The person's name, role, language or state changed: their next request reads them afresh. */
  forgetUser(userId: string): void {
    const theirs = [...this.remembered.entries()].filter(([, row]) => row.user.id === userId).map(([sessionId]) => sessionId);
    for (const sessionId of theirs) this.remembered.delete(sessionId);
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.endSession(sessionId);
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    await this.deleteOfUserQuery.run(userId);
    this.sessionsEnded({ userId });
  }

  /**
   * Told by a repository that has deleted sessions in a transaction of its own (a password change
   * or reset): forgets them here and announces them.
   */
  sessionsEnded(ended: SessionsEnded): void {
    this.forgetUser(ended.userId);
    this.announce(ended);
  }

  private async endSession(sessionId: string): Promise<void> {
    this.forgetSession(sessionId);
    const row = await this.deleteOneQuery.get(sessionId);
    if (row) this.announce({ userId: row.userId, sessionIds: [sessionId] });
  }

  private announce(ended: SessionsEnded): void {
    for (const listener of this.endedListeners) {
      try {
        listener(ended);
      } catch (error) {
        // A listener's failure must not fail the sign-out, which has already happened.
        this.onListenerError(error);
      }
    }
  }

  async deleteExpired(now = new Date()): Promise<number> {
    const rows = await this.deleteExpiredQuery.all(now.getTime());
    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      this.forgetSession(row.id);
      byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.id]);
    }
    for (const [userId, sessionIds] of byUser) this.announce({ userId, sessionIds });
    return rows.length;
  }
}
