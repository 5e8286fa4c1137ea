/**
 * Shapes of the JSON the API answers with (server/features/*\/schemas.ts). Kept by hand:
 * the client must not import server code, which pulls in Node modules.
 */

export const ROLES = ['admin', 'coordinator', 'secretariat', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Locales the server stores for a person (server LOCALES); the interface is translated into each (UI_LOCALES). */
export type StoredLocale = 'es' | 'en' | 'pt' | 'fr';

export type DelegationRole = 'focal_point' | 'alternate' | null;

export interface Person {
  id: string;
  displayName: string;
  email: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  delegationRole: DelegationRole;
  jobTitle: string;
  bio: string;
  timeZone: string;
  locale: string;
}

export interface User extends Person {
  groupId: string;
  groupName: string;
}

export interface AdminUser extends Person {
  active: boolean;
  joinedAt: string;
  deactivatedAt: string | null;
}

export interface Country {
  id: string;
  iso2: string;
  iso3: string;
  nameEn: string;
  nameEs: string;
  language: string;
  /** The capital's IANA zone. */
  timeZone: string;
  /** The capital's name, for meeting times ("10:00 Santiago"). */
  capitalEs: string;
  capitalEn: string;
}

export interface Organization {
  id: string;
  acronymEn: string;
  acronymEs: string;
  nameEn: string;
  nameEs: string;
}

export interface Directory {
  countries: Array<{ countryId: string; focalPoint: Person | null; alternates: Person[] }>;
  organizations: Array<{ organizationId: string; people: Person[] }>;
  others: Person[];
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  invitedByName: string;
  createdAt: string;
  expiresAt: string;
  status: InvitationStatus;
}

export interface InvitationPreview {
  email: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  groupName: string;
  expiresAt: string;
}

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
