/**
 * What other features may use of the discrepancy register: its code lists, units and the shape of
 * an observation (pure domain values), and its service `fastify.discrepancies`. Consultations' data
 * validation rounds build their tables from the international values it holds and record what each
 * country said of them on the matching cases.
 */
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { Role } from '../../shared/roles.js';
import type { Cause } from './domain/codes.js';
import type { Observation } from './domain/observations.js';

export { AGE_GROUPS, CAUSES, LOCATIONS, SEXES, type Cause, type Lang } from './domain/codes.js';
export { TOTAL, observationKey, type Observation } from './domain/observations.js';
export { UNITS, parseUnit, unitLabel } from './domain/units.js';

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';

/** Which international values: these countries (ISO alpha-3) and years, of these series or these indicators. */
export interface ValuesQuery {
  countries: readonly string[];
  years: readonly number[];
  series?: readonly string[];
  indicators?: readonly string[];
}

/** What a country says of one international value: confirmed (neither field), corrected (a national value) or explained. */
export interface CountryWord {
  international: Observation;
  /** The national value, unit and source: paired with the international value as a national file's would be. */
  national?: Observation;
  /** A cause of the register's list and a text, for the case on this value. */
  explanation?: { cause: Cause; text: string };
}

export interface CountryWordInput {
  groupId: string;
  /** The platform's country id ("cl") and its ISO alpha-3 code: only this country's values are recorded. */
  countryId: string;
  iso3: string;
  /** Who speaks for the country (the delegate who submitted): the case's history names them. */
  actor: { id: string; role: Role; countryId: string | null; organizationId: string | null };
  words: readonly CountryWord[];
  /** Where it was said (a subject of a registered kind): every case opened or changed links to it (relation `raised_in`); the title names the national values' release. */
  source: { kind: string; id: string; title: string };
  now: number;
}

/**
 * Per word, in order: `opened` / `updated` (a correction beyond tolerance), `explained` (the case
 * took the cause and text), `within_tolerance` (no case: the values agree), `not_comparable`,
 * `no_national_value` (an explanation with nothing to compare), `concluded` (the case is closed or
 * published: left as it is), `refused`, `confirmed`, `other_country`.
 */
export interface CountryWordResult {
  key: string;
  caseId: string | null;
  outcome: 'opened' | 'updated' | 'explained' | 'within_tolerance' | 'not_comparable' | 'no_national_value' | 'concluded' | 'refused' | 'confirmed' | 'other_country';
}

export interface DiscrepanciesService {
  /** The current international values asked for, in key order. */
  internationalValues(groupId: string, query: ValuesQuery): Promise<Observation[]>;
  /** Records a country's word on each value inside the caller's write (a unit-of-work piece): cases opened or updated, linked back to `source`. */
  recordCountryWordWithin(commit: PendingCommit, input: CountryWordInput): Promise<CountryWordResult[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    discrepancies: DiscrepanciesService;
  }
}
