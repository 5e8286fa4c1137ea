import { and, asc, count, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../../plugins/database.js';
import type { Affiliation, DelegationRole, NewMembership, NewPerson, Person } from './public.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { Role } from '../../shared/roles.js';
import { newId } from '../../shared/ids.js';
import { countries, organizations, memberships, users } from '../../plugins/identity/tables.js';

export interface ProfileChanges {
  displayName?: string;
  locale?: string;
  timeZone?: string;
  jobTitle?: string;
  bio?: string;
}

export interface UserListFilter {
  q?: string;
  role?: Role;
  status?: 'active' | 'deactivated';
  limit: number;
  offset: number;
}

// A function, not a constant: the columns are those of the tables bound to the process's engine
// when the query is built (server/plugins/engine-tables.ts), not those bound when this module loaded.
const personColumns = () => ({
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  locale: users.locale,
  timeZone: users.timeZone,
  jobTitle: users.jobTitle,
  bio: users.bio,
  role: memberships.role,
  countryId: memberships.countryId,
  organizationId: memberships.organizationId,
  delegationRole: memberships.delegationRole,
  joinedAt: memberships.joinedAt,
  deactivatedAt: users.deactivatedAt,
});

/** People of a group: identities, profiles, roles, delegations. */
export class PeopleRepository {
  private readonly personByHandle;
  /** Prepared once: find() runs on many requests (a round's page asks it every time), and building the query cost more than running it. */
  private readonly personById;
  private readonly db: Orm;

  /** @param changed told after a person's profile, role, delegation or state changes (sessions remember people). */
  constructor(
    private readonly database: Database,
    private readonly changed: (userId: string) => void = () => {},
  ) {
    this.db = database.orm;
    this.personByHandle = database.statement<[string, string], { id: string }>(
      'select u.id from users u join memberships m on m.user_id = u.id where u.handle = ? and m.group_id = ? and u.deactivated_at is null',
    );
    this.personById = database.statement<[string, string], Omit<Person, 'joinedAt' | 'deactivatedAt'> & { joinedAt: number; deactivatedAt: number | null }>(
      `select u.id, u.email, u.display_name as "displayName", u.locale, u.time_zone as "timeZone", u.job_title as "jobTitle", u.bio,
              m.role, m.country_id as "countryId", m.organization_id as "organizationId", m.delegation_role as "delegationRole",
              m.joined_at as "joinedAt", u.deactivated_at as "deactivatedAt"
         from memberships m join users u on u.id = m.user_id where m.group_id = ? and m.user_id = ?`,
    );
  }

  async personIdByHandle(groupId: string, handle: string): Promise<string | undefined> {
    return (await this.personByHandle.get(handle, groupId))?.id;
  }

  /** Of these handles, those of active people of the group, with their ids: what a text's @mentions resolve to. */
  async personIdsByHandles(groupId: string, handles: readonly string[]): Promise<Map<string, string>> {
    if (handles.length === 0) return new Map();
    const rows = await this.db
      .select({ id: users.id, handle: users.handle })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(inArray(users.handle, [...handles]), eq(memberships.groupId, groupId), isNull(users.deactivatedAt)));
    return new Map(rows.map((row) => [row.handle!, row.id]));
  }

  /** Active people of the group whose handle or a word of whose name starts with `q`, by handle. */
  async mentionable(groupId: string, q: string, limit: number) {
    const pattern = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .select({ id: users.id, handle: users.handle, displayName: users.displayName, countryId: memberships.countryId })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(
        and(
          eq(memberships.groupId, groupId),
          isNull(users.deactivatedAt),
          or(sql`${users.handle} like ${pattern} escape '\\'`, sql`lower(${users.displayName}) like ${pattern} escape '\\'`, sql`lower(${users.displayName}) like ${`% ${pattern}`} escape '\\'`),
        ),
      )
      .orderBy(asc(users.handle))
      .limit(limit);
    return rows.map((row) => ({ ...row, handle: row.handle ?? '' }));
  }

  private peopleOf(groupId: string) {
    return this.db.select(personColumns()).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.groupId, groupId)).$dynamic();
  }

  async find(groupId: string, userId: string): Promise<Person | undefined> {
    const row = await this.personById.get(groupId, userId);
    return row && { ...row, joinedAt: new Date(row.joinedAt), deactivatedAt: row.deactivatedAt === null ? null : new Date(row.deactivatedAt) };
  }

  async idByEmail(email: string): Promise<string | undefined> {
    return (await this.db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).limit(1))[0]?.id;
  }

  async affiliationOf(userId: string): Promise<Affiliation | undefined> {
    const rows = await this.db
      .select({ countryId: memberships.countryId, organizationId: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.joinedAt), asc(memberships.groupId))
      .limit(1);
    return rows[0];
  }

  /** Inside the caller's unit of work: the person's remembered sessions learn of the new group once it is committed. */
  async addMembershipWithin(commit: PendingCommit, membership: NewMembership, now: Date): Promise<void> {
    const { groupId, userId, role, countryId, organizationId } = membership;
    await this.db
      .insert(memberships)
      .values({ groupId, userId, role, countryId, organizationId, delegationRole: role === 'member' && countryId ? 'alternate' : null, joinedAt: now });
    commit.afterCommit(() => this.changed(userId));
  }

  async emailExists(email: string): Promise<boolean> {
    return (await this.idByEmail(email)) !== undefined;
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.db.update(users).set(changes).where(eq(users.id, userId));
    this.changed(userId);
  }

  /** Active people, ordered for display: by country (Spanish name), then focal point first, then name. */
  async listDirectory(groupId: string): Promise<Person[]> {
    return this.db
      .select(personColumns())
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(countries, eq(countries.id, memberships.countryId))
      .leftJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt)))
      .orderBy(
        asc(countries.nameEs),
        asc(organizations.acronymEn),
        asc(sql`case ${memberships.delegationRole} when 'focal_point' then 0 when 'alternate' then 1 else 2 end`),
        asc(sql`lower(${users.displayName})`),
      );
  }

  async list(groupId: string, filter: UserListFilter): Promise<{ items: Person[]; total: number }> {
    const conditions: SQL[] = [eq(memberships.groupId, groupId)];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // SQLite's LIKE has no default escape character: without ESCAPE, the "\_" above means a backslash, not a literal "_".
      conditions.push(or(sql`lower(${users.displayName}) like ${pattern.toLowerCase()} escape '\\'`, sql`${users.email} like ${pattern.toLowerCase()} escape '\\'`)!);
    }
    if (filter.role) conditions.push(eq(memberships.role, filter.role));
    if (filter.status === 'active') conditions.push(isNull(users.deactivatedAt));
    if (filter.status === 'deactivated') conditions.push(isNotNull(users.deactivatedAt));
    const where = and(...conditions);
    const items = await this.peopleOf(groupId)
      .where(where)
      .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
      .limit(filter.limit)
      .offset(filter.offset);
    const [counted] = await this.db.select({ n: count() }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(where);
    return { items, total: counted?.n ?? 0 };
  }

  async changeRole(
    groupId: string,
    userId: string,
    change: { role: Role; countryId: string | null; organizationId: string | null },
  ): Promise<void> {
    await this.db
      .update(memberships)
      .set({ ...change, delegationRole: change.role === 'member' && change.countryId ? 'alternate' : null })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
    this.changed(userId);
  }

  /**
   * Makes the person their country's focal point (the previous one becomes an alternate), or an
   * alternate. Inside the caller's unit of work, which holds both writes.
   */
  async setDelegationRoleWithin(commit: PendingCommit, groupId: string, userId: string, countryId: string, role: DelegationRole): Promise<void> {
    if (role === 'focal_point') {
      await this.db
        .update(memberships)
        .set({ delegationRole: 'alternate' })
        .where(and(eq(memberships.groupId, groupId), eq(memberships.countryId, countryId), eq(memberships.delegationRole, 'focal_point')));
    }
    await this.db
      .update(memberships)
      .set({ delegationRole: role })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
    commit.afterCommit(() => this.changed(userId));
  }

  async setDeactivated(userId: string, at: Date | null): Promise<void> {
    await this.db.update(users).set({ deactivatedAt: at }).where(eq(users.id, userId));
    this.changed(userId);
  }

  async countActiveAdmins(groupId: string): Promise<number> {
    const [counted] = await this.db
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, groupId), eq(memberships.role, 'admin'), isNull(users.deactivatedAt)));
    return counted?.n ?? 0;
  }
}

/**
 * Inserts a user with their membership, inside the caller's transaction (set-up, accepted
 * invitations and the demo create people as part of larger writes). A member starts as an
 * alternate of their country's delegation.
 */
export async function insertPerson(db: Orm, person: NewPerson, now: Date): Promise<string> {
  const userId = newId();
  const handle = await freeHandle(db, handleBase(person.displayName));
  await db
    .insert(users)
    .values({ id: userId, email: person.email.toLowerCase(), displayName: person.displayName, handle, passwordHash: person.passwordHash, locale: person.locale, timeZone: person.timeZone, createdAt: now });
  await db.insert(memberships).values({
      groupId: person.groupId,
      userId,
      role: person.role,
      countryId: person.countryId,
      organizationId: person.organizationId,
      delegationRole: person.role === 'member' && person.countryId ? 'alternate' : null,
    joinedAt: now,
  });
  return userId;
}

/** "Ana María Gómez" → "ana.maria.gomez": what a person is @mentioned by. */
export function handleBase(displayName: string): string {
  const base = displayName
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 36)
    .replace(/\.+$/, '');
  // A mention needs a letter first and three characters at least.
  return /^[a-z][a-z0-9.]{2,}$/.test(base) ? base : `user.${base}`.replace(/\.+$/, '').padEnd(5, 'x');
}

/** The base itself, or base2, base3… whichever nobody has yet. */
async function freeHandle(db: Orm, base: string): Promise<string> {
  // A handle is [a-z0-9.]: nothing in the base for `like` to read as a wildcard.
  const rows = await db.select({ handle: users.handle }).from(users).where(sql`${users.handle} like ${`${base}%`}`);
  const numbered = new RegExp(`^${base.replaceAll('.', '\\.')}[0-9]*$`);
  const taken = new Set(rows.map((row) => row.handle).filter((handle) => handle !== null && numbered.test(handle)));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
