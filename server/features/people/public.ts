import type { Db, DbTransaction } from '../../plugins/db.js';
import type { MentionResolver } from '../../plugins/markdown/index.js';
import type { Role } from '../../shared/roles.js';
import type { toMeView } from './views.js';

/**
 * What other features may use of the people feature: `fastify.people`, the types it speaks in,
 * and the schema of the signed-in user's answer (sign-in, set-up and invitations answer with it).
 */

export { MeSchema } from './schemas.js';

export type DelegationRole = 'focal_point' | 'alternate';

export interface Person {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  timeZone: string;
  jobTitle: string;
  bio: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  delegationRole: DelegationRole | null;
  joinedAt: Date;
  deactivatedAt: Date | null;
}

export interface NewPerson {
  groupId: string;
  email: string;
  displayName: string;
  passwordHash: string;
  locale: string;
  timeZone: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

export interface Affiliation {
  countryId: string | null;
  organizationId: string | null;
}

/** The MeSchema answer: the signed-in user with their group. */
export type MeView = ReturnType<typeof toMeView>;

export interface PeopleService {
  /** A person of the group (deactivated ones included), or undefined. */
  find(groupId: string, userId: string): Promise<Person | undefined>;
  emailExists(email: string): Promise<boolean>;
  /** Active people of the group, ordered for display: by country, focal point first, then name. */
  listDirectory(groupId: string): Promise<Person[]>;
  /** The MeSchema answer for a person in a group (by default the group their sessions work in); a 404 when they are not of it. */
  meView(userId: string, groupId?: string): Promise<MeView>;
  /** The group a session of the person works in (their first membership), or undefined for someone of no group. */
  sessionGroupOf(userId: string): Promise<string | undefined>;
  /**
   * A member speaks for a country, the secretariat and observers for an organization; admins and
   * the coordinator may have one or the other. The normalized pair, or a 400 saying what is wrong.
   */
  checkAffiliation(role: Role, requested: { countryId?: string | null; organizationId?: string | null }): Promise<Affiliation>;
  /**
   * Creates a person (their account and membership) inside the caller's transaction: set-up and
   * accepted invitations create people as part of larger writes; inside a unit-of-work piece the
   * database handle itself is the transaction. Returns the new user's id.
   */
  insertWithin(tx: DbTransaction | Db, person: NewPerson, now: Date): string;
  /** The active person of the group with this @handle. Synchronous: mentions resolve mid-render. */
  personIdByHandle(groupId: string, handle: string): string | undefined;
  /** How @handles and @country codes resolve in what people of the group write (markdown.render's resolver). */
  mentionResolver(groupId: string): MentionResolver;
}

declare module 'fastify' {
  interface FastifyInstance {
    people: PeopleService;
  }
}
