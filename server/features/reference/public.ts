import type { countries, organizations } from '../../plugins/identity/tables.js';

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
}

declare module 'fastify' {
  interface FastifyInstance {
    reference: ReferenceService;
  }
}

export type { CountryResolver } from './country-codes.js';
