import type { Participant } from '../../../server/features/proposals/domain/proposal.js';

const person = (id: string, role: Participant['role'], countryId: string | null, extra: Partial<Participant> = {}): Participant => ({
  id, role, countryId, organizationId: null, delegationRole: null, mayPost: true, isModerator: false, ...extra,
});

export const people = {
  proposer: person('prop', 'member', 'cl', { delegationRole: 'focal_point' }),
  moderator: person('mod', 'secretariat', null, { organizationId: 'eclac', isModerator: true }),
  peFocal: person('pe-focal', 'member', 'pe', { delegationRole: 'focal_point' }),
  peAlternate: person('pe-alt', 'member', 'pe', { delegationRole: 'alternate' }),
  mxFocal: person('mx-focal', 'member', 'mx', { delegationRole: 'focal_point' }),
  brFocal: person('br-focal', 'member', 'br', { delegationRole: 'focal_point' }),
  unicef: person('unicef-obs', 'observer', null, { organizationId: 'unicef' }),
  reader: person('reader', 'member', 'uy', { mayPost: false }),
  coordinator: person('coord', 'coordinator', 'cl'),
} satisfies Record<string, Participant>;

export function clock(start = '2026-05-04T15:00:00.000Z') {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    advance: (hours: number) => {
      at += hours * 3_600_000;
    },
  };
}
export const hours = (from: Date, count: number) => new Date(from.getTime() + count * 3_600_000);

export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  return result.value;
}
