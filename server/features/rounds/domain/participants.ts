/**
 * Who takes part in a round, and for whom they speak.
 *
 * A **party** is what a comment is made on behalf of: a country (its delegation: focal point,
 * alternates, other members of that country) or an agency (its observers). Organizers (the
 * secretariat and the coordinator) run the round and write dispositions; they comment only as a
 * party, when their own country is consulted. Platform admins have no say in a round.
 *
 * A party's **submitter** turns its drafts into the party's position: for a country, its focal point,
 * or one alternate the focal point names for the round (or, for a country with no focal point on
 * record, any of its alternates); for an agency, any of its observers (agencies have no focal point).
 */

export type Role = 'admin' | 'coordinator' | 'secretariat' | 'member' | 'observer';
export type DelegationRole = 'focal_point' | 'alternate';

export interface Person {
  id: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
  delegationRole: DelegationRole | null;
}

export type Party = { kind: 'country'; id: string } | { kind: 'organization'; id: string };

export interface Consulted {
  countryIds: readonly string[];
  organizationIds: readonly string[];
}

/** Who may act as a party's submitter: the focal point on record and the alternate it named. */
export interface Delegation {
  focalPointId: string | null;
  designatedId: string | null;
}

/** "c:pe", "o:unicef": the key a repository stores, unique per round (see docs/rounds-domain.md). */
export const partyKey = (party: Party) => `${party.kind === 'country' ? 'c' : 'o'}:${party.id}`;

export const isOrganizer = (person: Person) => person.role === 'secretariat' || person.role === 'coordinator';

/** The party a person belongs to by affiliation, consulted or not. */
export function affiliation(person: Person): Party | null {
  if ((person.role === 'member' || person.role === 'coordinator') && person.countryId) return { kind: 'country', id: person.countryId };
  if (person.role === 'observer' && person.organizationId) return { kind: 'organization', id: person.organizationId };
  return null;
}

export const sameParty = (a: Party | null, b: Party | null) => a !== null && b !== null && a.kind === b.kind && a.id === b.id;

/** The party a person comments for in a round with these consulted parties, or null. */
export function partyOf(person: Person, consulted: Consulted): Party | null {
  const party = affiliation(person);
  if (!party) return null;
  const ids = party.kind === 'country' ? consulted.countryIds : consulted.organizationIds;
  return ids.includes(party.id) ? party : null;
}

export function consultedParties(consulted: Consulted): Party[] {
  return [...consulted.countryIds.map((id) => ({ kind: 'country' as const, id })), ...consulted.organizationIds.map((id) => ({ kind: 'organization' as const, id }))];
}

/** Whether the person may submit (and withdraw, and reply to dispositions) for the party. */
export function maySubmitFor(person: Person, party: Party, delegation: Delegation): boolean {
  if (!sameParty(affiliation(person), party)) return false;
  if (party.kind === 'organization') return true;
  if (delegation.focalPointId === null) return person.delegationRole === 'alternate';
  return person.id === delegation.focalPointId || person.id === delegation.designatedId;
}
