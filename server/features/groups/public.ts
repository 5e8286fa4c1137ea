import type { groups } from '../../plugins/identity/tables.js';
import type { NewPerson } from '../people/public.js';

/** What other features may use of the groups feature: `fastify.groups`. Type-only. */

export type Group = typeof groups.$inferSelect;

/** A group as the instance's administrators list them. */
export type GroupSummary = Group & { memberCount: number };

/** A new group's first administrator: a new account, with their country or organization. */
export type GroupAdmin = Omit<NewPerson, 'groupId' | 'role'>;

export interface GroupsService {
  /** The instance's first group, the one set-up created (server/plugins/identity/instance.ts says which). */
  findDefault(): Promise<Group | null>;
  /** A group by id, or undefined. */
  find(groupId: string): Promise<Group | undefined>;
  /**
   * Creates a further group and its first administrator (a new account) in one unit of work; the
   * administrator then invites the group's other people. A 409 when the slug or the e-mail is
   * taken. The instance-administrator route that calls this comes later.
   */
  createGroup(group: { slug: string; name: string; description?: string }, admin: GroupAdmin, now?: Date): Promise<{ groupId: string; userId: string }>;
  /**
   * The start of a group's pages in the client, for links made outside a request (mail, calendar
   * feeds): '' for the instance's first group (its old addresses), `/g/<slug>` for another.
   * Synchronous, for mail built inside a unit-of-work piece: slugs never change, so they are remembered.
   */
  pathNow(groupId: string): string;
  /** Every group, oldest first, with its number of members (the instance administrators' list). */
  list(): Promise<GroupSummary[]>;
  /**
   * Creates a further group whose first administrators are existing people (the instance
   * administrator creating it, and whoever they name), each speaking for what they speak for in
   * their oldest group. A 409 when the slug is taken.
   */
  createWithAdmins(group: { slug: string; name: string; description?: string }, adminIds: readonly string[], now?: Date): Promise<Group>;
}

declare module 'fastify' {
  interface FastifyInstance {
    groups: GroupsService;
  }
}
