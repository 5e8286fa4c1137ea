import type { Role } from '../../shared/roles.js';
import type { InviteeRow, Participant } from './repository.js';
import type { MeetingKind } from './tables.js';

/**
 * Who may do what with meetings: the single place these rules live (docs/meetings-api.md).
 * The coordinator and admins run every meeting; the secretariat runs workshops. Those three see
 * every meeting of the group; everyone else sees the meetings they are invited to. A meeting
 * someone may not see does not exist for them (404).
 */
export const STAFF_ROLES: Role[] = ['admin', 'coordinator', 'secretariat'];
export const CREATOR_ROLES: Role[] = ['admin', 'coordinator', 'secretariat'];

export interface Viewer {
  id: string;
  role: Role;
  groupId: string;
  countryId: string | null;
  organizationId: string | null;
}

interface MeetingAccess {
  groupId: string;
  kind: MeetingKind;
  organizerId: string;
  inviteEveryone: boolean;
}

/** May this role create (or turn a meeting into) a meeting of this kind? */
export const mayCreateKind = (role: Role, kind: MeetingKind) => role === 'admin' || role === 'coordinator' || (role === 'secretariat' && kind === 'virtual_workshop');

export const mayManage = (viewer: Viewer, meeting: MeetingAccess) => viewer.groupId === meeting.groupId && mayCreateKind(viewer.role, meeting.kind);

/** Invited by name, by country, by organization, or as everyone; the organizer always is. */
export function isInvited(person: { id: string; countryId: string | null; organizationId: string | null }, meeting: MeetingAccess, invitees: InviteeRow[]): boolean {
  if (meeting.inviteEveryone || meeting.organizerId === person.id) return true;
  return invitees.some(
    (invitee) =>
      (invitee.kind === 'person' && invitee.refId === person.id) ||
      (invitee.kind === 'country' && invitee.refId === person.countryId) ||
      (invitee.kind === 'organization' && invitee.refId === person.organizationId),
  );
}

/**
 * The meeting's fields (as its change history names them) that maySee reads and a change may
 * alter: a change to one of them changes who reads the meeting's live topic.
 */
export const ACCESS_FIELDS: ReadonlySet<string> = new Set(['invitees']);

export function maySee(viewer: Viewer, meeting: MeetingAccess, invitees: InviteeRow[]): boolean {
  if (viewer.groupId !== meeting.groupId) return false;
  return STAFF_ROLES.includes(viewer.role) || isInvited(viewer, meeting, invitees);
}

/** Poll and attendance answers: the invited, and those who run the meeting. */
export const mayAnswer = (viewer: Viewer, meeting: MeetingAccess, invitees: InviteeRow[]) =>
  viewer.groupId === meeting.groupId && (isInvited(viewer, meeting, invitees) || mayManage(viewer, meeting));

/** The people a meeting invites, among the group's active participants. */
export const invitedPeople = (participants: Participant[], meeting: MeetingAccess, invitees: InviteeRow[]) =>
  participants.filter((person) => isInvited(person, meeting, invitees));
