import type { Role } from '../../shared/roles.js';
import type { Visibility } from './tables.js';

/**
 * Who may do what in the library: the single place these rules live. Publishers (the secretariat,
 * the coordinator and admins) upload, edit, version and delete; every other participant reads;
 * restoring from the trash is for admins. A document someone may not read does not exist for them.
 */
export const PUBLISHER_ROLES: Role[] = ['admin', 'coordinator', 'secretariat'];

export interface Reader {
  role: Role;
  groupId: string;
  /** The reader's country (a delegate) or organization (an observer): the audience of a restricted document. */
  countryId?: string | null;
  organizationId?: string | null;
}

export const isPublisher = (reader: Pick<Reader, 'role'>) => PUBLISHER_ROLES.includes(reader.role);

export function mayRead(reader: Reader | null, document: { groupId: string; visibility: Visibility; audience?: readonly string[] | null; deletedAt: number | null }): boolean {
  if (document.deletedAt !== null) return reader?.role === 'admin' && reader.groupId === document.groupId;
  if (document.visibility === 'public') return true;
  // Shared with the whole instance: anyone signed in, whichever group they work in.
  if (document.visibility === 'instance') return reader !== null;
  if (!reader || reader.groupId !== document.groupId) return false;
  if (document.visibility === 'restricted') return isPublisher(reader) || inAudience(reader, document.audience ?? []);
  return document.visibility === 'group' || isPublisher(reader);
}

const inAudience = (reader: Reader, audience: readonly string[]) =>
  (!!reader.countryId && audience.includes(reader.countryId)) || (!!reader.organizationId && audience.includes(reader.organizationId));

export const mayEdit = (reader: Reader, document: { groupId: string; deletedAt: number | null }) =>
  isPublisher(reader) && reader.groupId === document.groupId && document.deletedAt === null;

export const mayRestore = (reader: Reader, document: { groupId: string }) => reader.role === 'admin' && reader.groupId === document.groupId;
