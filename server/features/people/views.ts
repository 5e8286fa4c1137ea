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

/** The signed-in user with their group (MeSchema). */
export const toMeView = (person: Person, group: Group) => ({
  user: { ...toPublicPerson(person), groupId: group.id, groupName: group.name },
});
