import type { Group } from '../groups/public.js';
import type { Person } from './public.js';

/** What any participant sees of another (PersonSchema). */
export const toPublicPerson = (person: Person) => ({
  id: person.id,
  displayName: person.displayName,
  email: person.email,
  role: person.role,
  countryId: person.countryId,
  organizationId: person.organizationId,
  delegationRole: person.delegationRole,
  jobTitle: person.jobTitle,
  bio: person.bio,
  timeZone: person.timeZone,
  locale: person.locale,
});

export type PublicPerson = ReturnType<typeof toPublicPerson>;

/** What administrators see (AdminUserSchema). */
export const toAdminView = (person: Person) => ({
  ...toPublicPerson(person),
  active: person.deactivatedAt === null,
  joinedAt: person.joinedAt.toISOString(),
  deactivatedAt: person.deactivatedAt?.toISOString() ?? null,
});

/** One of the groups a person belongs to, with their role there (MeSchema's `groups`). */
export interface MembershipView {
  id: string;
  slug: string;
  name: string;
  role: Person['role'];
}

/** The signed-in user in the group the request works in, and every group of theirs (MeSchema). */
export const toMeView = (person: Person, group: Group, groups: MembershipView[], instanceAdmin: boolean) => ({
  user: { ...toPublicPerson(person), groupId: group.id, groupName: group.name, groupSlug: group.slug, groups, instanceAdmin },
});
