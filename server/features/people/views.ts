import type { SessionUser } from '../../plugins/sessions/index.js';
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

/** The signed-in user in the group the request works in, and every group of theirs with their role there (MeSchema). */
export const toMeView = (person: Person, user: Pick<SessionUser, 'groupId' | 'groupName' | 'groupSlug' | 'instanceAdmin'>, memberships: ReadonlyArray<Pick<SessionUser, 'groupId' | 'groupSlug' | 'groupName' | 'role'>>) => ({
  user: {
    ...toPublicPerson(person),
    groupId: user.groupId,
    groupName: user.groupName,
    groupSlug: user.groupSlug,
    groups: memberships.map((membership) => ({ id: membership.groupId, slug: membership.groupSlug, name: membership.groupName, role: membership.role })),
    instanceAdmin: user.instanceAdmin,
  },
});
