import { and, asc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbTransaction } from '../../plugins/db.js';
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

const personColumns = {
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
};

/** People of a group: identities, profiles, roles, delegations. */
export class PeopleRepository {
  private readonly personByHandle;
  /** Prepared once: find() runs on many requests (a round's page asks it every time), and building the query cost more than running it. */
  private readonly personById;

  /** @param changed told after a person's profile, role, delegation or state changes (sessions remember people). */
  constructor(
    private readonly db: Db,
    private readonly changed: (userId: string) => void = () => {},
  ) {
    this.personByHandle = db
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(users.handle, sql.placeholder('handle')), eq(memberships.groupId, sql.placeholder('groupId')), isNull(users.deactivatedAt)))
      .prepare();
    this.personById = db
      .select(personColumns)
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.groupId, sql.placeholder('groupId')), eq(memberships.userId, sql.placeholder('userId'))))
      .prepare();
  }

  /** Synchronous on purpose: the markdown renderer's MentionResolver calls it mid-render, which is synchronous. */
  personIdByHandle(groupId: string, handle: string): string | undefined {
    return this.personByHandle.get({ handle, groupId })?.id;
  }

  /** Active people of the group whose handle or a word of whose name starts with `q`, by handle. */
  async mentionable(groupId: string, q: string, limit: number) {
    const pattern = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
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
      .limit(limit)
      .all()
      .map((row) => ({ ...row, handle: row.handle ?? '' }));
  }

  private peopleOf(groupId: string) {
    return this.db.select(personColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.groupId, groupId)).$dynamic();
  }

  async find(groupId: string, userId: string): Promise<Person | undefined> {
    return this.personById.get({ groupId, userId });
  }

  async idByEmail(email: string): Promise<string | undefined> {
    return this.db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).get()?.id;
  }

  async affiliationOf(userId: string): Promise<Affiliation | undefined> {
    return this.db
      .select({ countryId: memberships.countryId, organizationId: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.joinedAt), asc(memberships.groupId))
      .limit(1)
      .get();
  }

  /** Inside the caller's unit-of-work piece: the person's remembered sessions learn of the new group once it is committed. */
  addMembershipWithin(commit: PendingCommit, membership: NewMembership, now: Date): void {
    const { groupId, userId, role, countryId, organizationId } = membership;
    this.db
      .insert(memberships)
      .values({ groupId, userId, role, countryId, organizationId, delegationRole: role === 'member' && countryId ? 'alternate' : null, joinedAt: now })
      .run();
    commit.afterCommit(() => this.changed(userId));
  }

  async emailExists(email: string): Promise<boolean> {
    return this.db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).get() !== undefined;
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    this.db.update(users).set(changes).where(eq(users.id, userId)).run();
    this.changed(userId);
  }

  /** Active people, ordered for display: by country (Spanish name), then focal point first, then name. */
  async listDirectory(groupId: string): Promise<Person[]> {
    return this.db
      .select(personColumns)
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(countries, eq(countries.id, memberships.countryId))
      .leftJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(and(eq(memberships.groupId, groupId), isNull(users.deactivatedAt)))
      .orderBy(
        asc(countries.nameEs),
        asc(organizations.acronymEn),
        asc(sql`case ${memberships.delegationRole} when 'focal_point' then 0 when 'alternate' then 1 else 2 end`),
        asc(sql`${users.displayName} collate nocase`),
      )
      .all();
  }

  async list(groupId: string, filter: UserListFilter): Promise<{ items: Person[]; total: number }> {
    const conditions: SQL[] = [eq(memberships.groupId, groupId)];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // SQLite's LIKE has no default escape character: without ESCAPE, the "\_" above means a backslash, not a literal "_".
      conditions.push(or(sql`${users.displayName} like ${pattern} escape '\\'`, sql`${users.email} like ${pattern.toLowerCase()} escape '\\'`)!);
    }
    if (filter.role) conditions.push(eq(memberships.role, filter.role));
    if (filter.status === 'active') conditions.push(isNull(users.deactivatedAt));
    if (filter.status === 'deactivated') conditions.push(isNotNull(users.deactivatedAt));
    const where = and(...conditions);
    const items = this.peopleOf(groupId)
      .where(where)
      .orderBy(asc(sql`${users.displayName} collate nocase`), asc(users.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
    const total =
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(where)
        .get()?.n ?? 0;
    return { items, total };
  }

  async changeRole(
    groupId: string,
    userId: string,
    change: { role: Role; countryId: string | null; organizationId: string | null },
  ): Promise<void> {
    this.db
      .update(memberships)
      .set({ ...change, delegationRole: change.role === 'member' && change.countryId ? 'alternate' : null })
      .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)))
      .run();
    this.changed(userId);
  }

  /** Makes the person their country's focal point (the previous one becomes an alternate), or an alternate. */
  async setDelegationRole(groupId: string, userId: string, countryId: string, role: DelegationRole): Promise<void> {
    this.db.transaction((tx) => {
      if (role === 'focal_point') {
        tx.update(memberships)
          .set({ delegationRole: 'alternate' })
          .where(and(eq(memberships.groupId, groupId), eq(memberships.countryId, countryId), eq(memberships.delegationRole, 'focal_point')))
          .run();
      }
      tx.update(memberships)
        .set({ delegationRole: role })
        .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)))
        .run();
    });
    this.changed(userId);
  }

  async setDeactivated(userId: string, at: Date | null): Promise<void> {
    this.db.update(users).set({ deactivatedAt: at }).where(eq(users.id, userId)).run();
    this.changed(userId);
  }

  async countActiveAdmins(groupId: string): Promise<number> {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.groupId, groupId), eq(memberships.role, 'admin'), isNull(users.deactivatedAt)))
        .get()?.n ?? 0
    );
  }
}

/**
 * Inserts a user with their membership, inside the caller's transaction (set-up, accepted
 * invitations and the demo create people as part of larger writes). A member starts as an
 * alternate of their country's delegation.
 */
export function insertPerson(tx: DbTransaction | Db, person: NewPerson, now: Date): string {
  const userId = newId();
  const handle = freeHandle(tx, handleBase(person.displayName));
  tx.insert(users)
    .values({ id: userId, email: person.email.toLowerCase(), displayName: person.displayName, handle, passwordHash: person.passwordHash, locale: person.locale, timeZone: person.timeZone, createdAt: now })
    .run();
  tx.insert(memberships)
    .values({
      groupId: person.groupId,
      userId,
      role: person.role,
      countryId: person.countryId,
      organizationId: person.organizationId,
      delegationRole: person.role === 'member' && person.countryId ? 'alternate' : null,
      joinedAt: now,
    })
    .run();
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
function freeHandle(tx: DbTransaction | Db, base: string): string {
  const taken = new Set(
    tx
      .select({ handle: users.handle })
      .from(users)
      .where(or(eq(users.handle, base), sql`${users.handle} glob ${`${base}[0-9]*`}`))
      .all()
      .map((row) => row.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
