import type { Role } from '../../shared/roles.js';
import type { Viewer } from './permissions.js';

/**
 * Who may do what with minutes and action items (docs/meetings-api.md, "Minutes and action items").
 * Minutes are the coordinator's and the secretariat's work (and admins'), whatever the meeting's
 * kind; everyone who may see a meeting reads its published minutes.
 */
export const MINUTES_WRITER_ROLES: Role[] = ['admin', 'coordinator', 'secretariat'];

export const mayWriteMinutes = (viewer: Pick<Viewer, 'role'>) => MINUTES_WRITER_ROLES.includes(viewer.role);

/** An action item is closed (or reopened) by the minutes' writers, the person responsible, or the delegation of the country responsible. */
export const mayChangeActionItem = (viewer: Viewer, item: { responsiblePersonId: string | null; responsibleCountryId: string | null }) =>
  mayWriteMinutes(viewer) || item.responsiblePersonId === viewer.id || (item.responsibleCountryId !== null && item.responsibleCountryId === viewer.countryId);
