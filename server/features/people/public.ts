import type { SessionUser } from '../../plugins/sessions/index.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
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

/** A person's place in one more group. */
export interface NewMembership extends Affiliation {
  groupId: string;
  userId: string;
  role: Role;
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
  /**
   * The MeSchema answer: the session's person as they work in `user`'s group, with every group of
   * theirs (`memberships`, as the session store gives them); a 404 when they are not of that group.
   */
  meView(user: Pick<SessionUser, 'id' | 'groupId' | 'groupName' | 'groupSlug' | 'instanceAdmin'>, memberships: ReadonlyArray<Pick<SessionUser, 'groupId' | 'groupSlug' | 'groupName' | 'role'>>): Promise<MeView>;
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
  insertWithin(commit: PendingCommit, person: NewPerson, now: Date): Promise<string>;
  /** The account with this e-mail (any case), or undefined. */
  idByEmail(email: string): Promise<string | undefined>;
  /** An existing person joins one more group, inside the caller's unit-of-work piece; their sessions see it once committed. */
  addMembershipWithin(commit: PendingCommit, membership: NewMembership, now: Date): Promise<void>;
  /** What the person speaks for (country, organization) in their oldest group, or undefined for no such person. */
  affiliationOf(userId: string): Promise<Affiliation | undefined>;
  /** The active person of the group with this @handle. */
  personIdByHandle(groupId: string, handle: string): Promise<string | undefined>;
  /**
   * How @handles and @country codes resolve in this text of a person of the group (markdown.render's
   * resolver): its handles are looked up now, because the render that asks about them is synchronous.
   */
  mentionResolver(groupId: string, source: string): Promise<MentionResolver>;
}

declare module 'fastify' {
  interface FastifyInstance {
    people: PeopleService;
  }
}
