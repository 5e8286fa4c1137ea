import type { countries, organizations } from '../../plugins/identity/tables.js';
import type { CountryResolver } from './country-codes.js';

/**
 * What other features may use of the reference feature: the countries and organizations of the
 * working group, and the official indicator list. Type-only; the service is `fastify.reference`.
 */

export type Country = typeof countries.$inferSelect;
export type Organization = typeof organizations.$inferSelect;

export interface ReferenceService {
  /** Every country, by Spanish name (kept in memory: written only from the bundled catalogue at start). */
  listCountries(): Promise<Country[]>;
  /** Every organization, by English acronym. */
  listOrganizations(): Promise<Organization[]>;
  findCountry(id: string): Promise<Country | undefined>;
  findOrganization(id: string): Promise<Organization | undefined>;
  /** The indicator codes without repeats; a 400 `unknown_indicator` naming each code not in the official list. */
  knownIndicatorCodes(codes: string[] | undefined): string[];
  /** The group's countries under ISO alpha-2, alpha-3 and UN M49 codes, for importers of statistical files. */
  countryCodes(): CountryResolver;
}

declare module 'fastify' {
  interface FastifyInstance {
    reference: ReferenceService;
  }
}

export type { CountryResolver } from './country-codes.js';
