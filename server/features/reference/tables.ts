import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** ECLAC member states of Latin America and the Caribbean; seeded from countries.json at start. */
export const countries = sqliteTable('countries', {
  id: text('id').primaryKey(), // lower-case ISO 3166-1 alpha-2
  iso2: text('iso2').notNull().unique(),
  iso3: text('iso3').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameEs: text('name_es').notNull(),
  language: text('language').notNull(),
  /** The capital's IANA zone: the clock shown for the country in meeting times. */
  timeZone: text('time_zone').notNull(),
  /** Shown beside the country's local time of a meeting ("10:00 Santiago"). Filled from the catalogue at start. */
  capitalEn: text('capital_en').notNull().default(''),
  capitalEs: text('capital_es').notNull().default(''),
});

/** Organizations taking part: the secretariat (ECLAC) and international agencies. */
export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  acronymEn: text('acronym_en').notNull(),
  acronymEs: text('acronym_es').notNull(),
  nameEn: text('name_en').notNull(),
  nameEs: text('name_es').notNull(),
});
