/**
 * Shapes of the JSON the API answers with, derived from the server's schemas
 * (server/features/*\/schemas.ts) through type-only imports: no server code reaches the bundle
 * (tests/client/bundle.test.ts), and a field renamed on the server no longer type-checks here.
 */
import type { Static } from 'typebox';
import type { InvitationPreview as InvitationPreviewSchema, InvitationSchema } from '../../server/features/invitations/schemas.js';
import type { GroupSummarySchema } from '../../server/features/groups/routes.js';
import type { AdminUserSchema, DirectorySchema, MembershipSchema, MeSchema, PersonSchema } from '../../server/features/people/schemas.js';
import type { CountrySchema, OrganizationSchema } from '../../server/features/reference/schemas.js';
import type { LOCALES, ROLES as SERVER_ROLES } from '../../server/shared/roles.js';

/** The roles, in the server's order (a copy for the bundle; the type says when they differ). */
export const ROLES = ['admin', 'coordinator', 'secretariat', 'member', 'observer'] as const satisfies typeof SERVER_ROLES;
export type Role = (typeof ROLES)[number];

/** Locales the server stores for a person (server LOCALES); the interface is translated into each (UI_LOCALES). */
export type StoredLocale = (typeof LOCALES)[number];

export type Person = Static<typeof PersonSchema>;
export type DelegationRole = Person['delegationRole'];
/** The signed-in person, with the group this page works in and all their groups (`groups`, oldest membership first). */
export type User = Static<typeof MeSchema>['user'];
/** One of the person's groups, with their role in it. */
export type GroupMembership = Static<typeof MembershipSchema>;
/** A group as the instance administrators' list shows it (GET /api/instance/groups). */
export type InstanceGroup = Static<typeof GroupSummarySchema>;

/** The person's groups, oldest membership first. */
export const groupsOf = (user: User | null | undefined): GroupMembership[] => user?.groups ?? [];
export type AdminUser = Static<typeof AdminUserSchema>;

/** A country; `timeZone` is its capital's IANA zone and `capitalEs/En` its name, for meeting times ("10:00 Santiago"). */
export type Country = Static<typeof CountrySchema>;
export type Organization = Static<typeof OrganizationSchema>;
export type Directory = Static<typeof DirectorySchema>;

export type Invitation = Static<typeof InvitationSchema>;
export type InvitationStatus = Invitation['status'];
export type InvitationPreview = Static<typeof InvitationPreviewSchema>;

export interface Page<T> {
  items: T[];
  total: number;
}

/** A page of a list paged by cursor: `nextCursor` asks for the next one, null at the end. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Which affiliation a role needs (mirrors server/shared/roles.ts). */
export function affiliationRule(role: Role): 'country' | 'organization' | 'either' {
  if (role === 'member') return 'country';
  if (role === 'secretariat' || role === 'observer') return 'organization';
  return 'either';
}

/** Who uploads, edits, versions and deletes library documents (docs/documents-api.md). */
export const isPublisher = (user: { role: Role } | null | undefined): boolean =>
  user?.role === 'admin' || user?.role === 'coordinator' || user?.role === 'secretariat';
