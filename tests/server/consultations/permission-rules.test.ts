import { describe, expect, it } from 'vitest';
import { isOrganizer, mayManage, mayRead, maySubmit, ORGANIZER_ROLES, respondentOf, type Reader } from '../../../server/features/consultations/permissions.js';
import { ROLES } from '../../../server/shared/roles.js';

/**
 * The consultations' rules of who may do what (server/features/consultations/permissions.ts) on
 * their own, case by case: what the route matrix (./permissions.test.ts) cannot reach with the
 * people of one group, such as another working group, an affiliation that is not addressed, or a
 * delegate the focal point named. Pure functions: this file runs in well under a second, and is
 * what `npm run mutate` tries the module's mutants against first (tests/mutation/modules.ts).
 */

const reader = (overrides: Partial<Reader> = {}): Reader => ({ id: 'p-1', role: 'member', groupId: 'g', countryId: 'cl', organizationId: null, ...overrides });
const TARGETS = ['cl', 'mx', 'unicef'];

describe('organizers', () => {
  it('are the admins, the coordinator and the secretariat, and no one else', () => {
    expect([...ORGANIZER_ROLES].sort()).toEqual(['admin', 'coordinator', 'secretariat']);
    expect(ROLES.filter((role) => isOrganizer({ role })).sort()).toEqual(['admin', 'coordinator', 'secretariat']);
    expect(isOrganizer({ role: 'member' })).toBe(false);
    expect(isOrganizer({ role: 'observer' })).toBe(false);
  });
});

describe('respondentOf: who a person answers for', () => {
  it("a member answers for their country when it is addressed, and only then", () => {
    expect(respondentOf(reader(), TARGETS)).toBe('cl');
    expect(respondentOf(reader({ countryId: 'ar' }), TARGETS)).toBeNull();
    expect(respondentOf(reader({ countryId: null }), TARGETS)).toBeNull();
    // An organization a member is tied to makes them no agency's respondent.
    expect(respondentOf(reader({ countryId: 'ar', organizationId: 'unicef' }), TARGETS)).toBeNull();
  });

  it("an observer answers for their agency when it is invited, and only then", () => {
    expect(respondentOf(reader({ role: 'observer', countryId: null, organizationId: 'unicef' }), TARGETS)).toBe('unicef');
    expect(respondentOf(reader({ role: 'observer', countryId: null, organizationId: 'paho' }), TARGETS)).toBeNull();
    expect(respondentOf(reader({ role: 'observer', countryId: null, organizationId: null }), TARGETS)).toBeNull();
    // An observer from an addressed country does not answer for it.
    expect(respondentOf(reader({ role: 'observer', countryId: 'cl', organizationId: 'paho' }), TARGETS)).toBeNull();
  });

  it('the organizers answer for nobody, whatever their country or agency', () => {
    for (const role of ORGANIZER_ROLES) {
      expect(respondentOf(reader({ role, countryId: 'cl', organizationId: 'unicef' }), TARGETS), role).toBeNull();
    }
  });
});

describe('mayRead: who sees a consultation', () => {
  it('nobody of another working group, not even an organizer, whatever its status', () => {
    for (const status of ['draft', 'open', 'closed']) {
      expect(mayRead(reader({ groupId: 'other' }), { groupId: 'g', status }), status).toBe(false);
      expect(mayRead(reader({ role: 'admin', groupId: 'other' }), { groupId: 'g', status }), status).toBe(false);
    }
  });

  it('a draft: the organizers of the group only; open or closed: everyone of the group', () => {
    for (const role of ROLES) {
      expect(mayRead(reader({ role }), { groupId: 'g', status: 'draft' }), role).toBe(ORGANIZER_ROLES.includes(role));
      expect(mayRead(reader({ role }), { groupId: 'g', status: 'open' }), role).toBe(true);
      expect(mayRead(reader({ role }), { groupId: 'g', status: 'closed' }), role).toBe(true);
    }
  });
});

describe('mayManage: who organizes a consultation', () => {
  it("the group's organizers, and nobody of another group", () => {
    for (const role of ROLES) expect(mayManage(reader({ role }), { groupId: 'g' }), role).toBe(ORGANIZER_ROLES.includes(role));
    for (const role of ORGANIZER_ROLES) expect(mayManage(reader({ role, groupId: 'other' }), { groupId: 'g' }), role).toBe(false);
  });
});

describe('maySubmit: who submits, declines and reopens for a respondent', () => {
  const delegate = reader({ id: 'delegate' });

  it("a country's focal point, or the delegate the focal point named, and no other delegate", () => {
    const chile = { country: true, focalPointIds: ['focal', 'second-focal'] };
    expect(maySubmit(reader({ id: 'focal' }), chile, null)).toBe(true);
    expect(maySubmit(reader({ id: 'second-focal' }), chile, null)).toBe(true);
    expect(maySubmit(delegate, chile, null)).toBe(false);
    expect(maySubmit(delegate, chile, 'someone-else')).toBe(false);
    expect(maySubmit(delegate, chile, 'delegate')).toBe(true);
    // Naming someone does not take the focal point's own right away.
    expect(maySubmit(reader({ id: 'focal' }), chile, 'delegate')).toBe(true);
  });

  it('any delegate of a country without a focal point', () => {
    expect(maySubmit(delegate, { country: true, focalPointIds: [] }, null)).toBe(true);
    expect(maySubmit(delegate, { country: true, focalPointIds: [] }, 'someone-else')).toBe(true);
  });

  it("any of an agency's people, whatever focal points are listed", () => {
    expect(maySubmit(delegate, { country: false, focalPointIds: [] }, null)).toBe(true);
    expect(maySubmit(delegate, { country: false, focalPointIds: ['focal'] }, 'someone-else')).toBe(true);
  });
});
