import { asc, sql } from 'drizzle-orm';
import type { Database } from '../../plugins/database.js';
import catalogue from './countries.json' with { type: 'json' };
import { countries, organizations } from '../../plugins/identity/tables.js';
import type { Country, Organization } from './public.js';

/**
 * Countries and organizations: written only from the bundled catalogue at start, read constantly,
 * so the lists are kept in memory after the first read.
 */
export class ReferenceRepository {
  private countryCache: Country[] | null = null;
  private organizationCache: Organization[] | null = null;

  constructor(private readonly database: Database) {}

  /** Inserts or refreshes the catalogue rows, inside the caller's unit of work; never removes rows that users may point to. */
  async syncCatalogue(): Promise<void> {
    const orm = this.database.orm;
    for (const c of catalogue.countries) {
      const row = { id: c.id, iso2: c.iso2, iso3: c.iso3, nameEn: c.name.en, nameEs: c.name.es, language: c.language, timeZone: c.timeZone, capitalEn: c.capital.en, capitalEs: c.capital.es };
      await orm.insert(countries).values(row).onConflictDoUpdate({ target: countries.id, set: row });
    }
    for (const o of catalogue.organizations) {
      const row = { id: o.id, acronymEn: o.acronym.en, acronymEs: o.acronym.es, nameEn: o.name.en, nameEs: o.name.es };
      await orm.insert(organizations).values(row).onConflictDoUpdate({ target: organizations.id, set: row });
    }
    this.countryCache = null;
    this.organizationCache = null;
  }

  async listCountries(): Promise<Country[]> {
    // lower() in place of SQLite's `collate nocase`: the same order there (both fold ASCII only), and PostgreSQL has it.
    this.countryCache ??= await this.database.orm.select().from(countries).orderBy(asc(sql`lower(${countries.nameEs})`));
    return this.countryCache;
  }

  async listOrganizations(): Promise<Organization[]> {
    this.organizationCache ??= await this.database.orm.select().from(organizations).orderBy(asc(organizations.acronymEn));
    return this.organizationCache;
  }

  async findCountry(id: string): Promise<Country | undefined> {
    return (await this.listCountries()).find((country) => country.id === id);
  }

  async findOrganization(id: string): Promise<Organization | undefined> {
    return (await this.listOrganizations()).find((organization) => organization.id === id);
  }
}
