import type { Role } from '../../shared/roles.js';

/**
 * Who may do what with consultations: the single place these rules live.
 *
 * - Organizers (the coordinator, the secretariat, admins) create, edit, open and close, see the
 *   matrix, every submitted answer, the exports, and send queries. A consultation still a draft
 *   exists for them only.
 * - A respondent is a country's delegation (members of that country) or an agency invited to answer
 *   (observers of that organization, when it is among the targets). Its draft is its own: no one
 *   else reads it, not even the organizers. It reads its own submissions and the queries on them.
 * - Every participant of the group reads an open or closed consultation's page and its summary.
 * - Submitting (and declining, reopening) is the focal point's, or the alternate the focal point
 *   named; a delegation without a focal point lets any delegate submit; an agency any of its people.
 */

export const ORGANIZER_ROLES: Role[] = ['admin', 'coordinator', 'secretariat'];

export interface Reader {
  id: string;
  role: Role;
  groupId: string;
  countryId: string | null;
  organizationId: string | null;
}

export const isOrganizer = (reader: Pick<Reader, 'role'>) => ORGANIZER_ROLES.includes(reader.role);

/** The respondent this person answers for in a consultation addressed to `targets`, or null. */
export function respondentOf(reader: Reader, targets: readonly string[]): string | null {
  if (reader.role === 'member' && reader.countryId && targets.includes(reader.countryId)) return reader.countryId;
  if (reader.role === 'observer' && reader.organizationId && targets.includes(reader.organizationId)) return reader.organizationId;
  return null;
}

export function mayRead(reader: Reader, consultation: { groupId: string; status: string }): boolean {
  if (reader.groupId !== consultation.groupId) return false;
  return consultation.status !== 'draft' || isOrganizer(reader);
}

export const mayManage = (reader: Reader, consultation: { groupId: string }) => isOrganizer(reader) && reader.groupId === consultation.groupId;

export interface Delegation {
  /** Whether the respondent is a country (with focal point and alternates) or an agency. */
  country: boolean;
  focalPointIds: readonly string[];
}

/** Whether this delegate may submit, reopen or decline for the respondent. */
export function maySubmit(reader: Reader, delegation: Delegation, submitterId: string | null): boolean {
  if (!delegation.country) return true;
  if (delegation.focalPointIds.length === 0) return true;
  return delegation.focalPointIds.includes(reader.id) || submitterId === reader.id;
}
