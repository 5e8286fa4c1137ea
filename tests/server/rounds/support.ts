import type { Person } from '../../../server/features/rounds/domain/participants.js';

/** People of a working group, as the rounds domain sees them. */
export const people = {
  secretariat: { id: 'sec', role: 'secretariat', countryId: null, organizationId: 'eclac', delegationRole: null },
  coordinator: { id: 'coord', role: 'coordinator', countryId: 'cl', organizationId: null, delegationRole: null },
  admin: { id: 'admin', role: 'admin', countryId: null, organizationId: 'eclac', delegationRole: null },
  peFocal: { id: 'pe-focal', role: 'member', countryId: 'pe', organizationId: null, delegationRole: 'focal_point' },
  peAlternate: { id: 'pe-alt', role: 'member', countryId: 'pe', organizationId: null, delegationRole: 'alternate' },
  peDelegate: { id: 'pe-delegate', role: 'member', countryId: 'pe', organizationId: null, delegationRole: null },
  mxFocal: { id: 'mx-focal', role: 'member', countryId: 'mx', organizationId: null, delegationRole: 'focal_point' },
  mxAlternate: { id: 'mx-alt', role: 'member', countryId: 'mx', organizationId: null, delegationRole: 'alternate' },
  brFocal: { id: 'br-focal', role: 'member', countryId: 'br', organizationId: null, delegationRole: 'focal_point' },
  ttMember: { id: 'tt-member', role: 'member', countryId: 'tt', organizationId: null, delegationRole: 'alternate' },
  unicef: { id: 'unicef-obs', role: 'observer', countryId: null, organizationId: 'unicef', delegationRole: null },
  unicef2: { id: 'unicef-obs2', role: 'observer', countryId: null, organizationId: 'unicef', delegationRole: null },
  paho: { id: 'paho-obs', role: 'observer', countryId: null, organizationId: 'paho', delegationRole: null },
} satisfies Record<string, Person>;

/** A clock the test moves by hand. */
export function clock(start = '2026-05-04T15:00:00.000Z') {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    advance: (hours: number) => {
      at += hours * 3_600_000;
    },
    set: (iso: string) => {
      at = new Date(iso).getTime();
    },
  };
}

export const hours = (from: Date, count: number) => new Date(from.getTime() + count * 3_600_000);

export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}
