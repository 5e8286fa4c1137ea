import { msg } from '@lit/localize';
import { currentLocale, pickContent, type UiLocale } from './i18n.js';
import type { Country, DelegationRole, Organization, Role } from './models.js';

/** Country names in the reader's content language (see pickContent: Spanish for Portuguese readers). */
export function countryName(country: Country | undefined | null): string {
  if (!country) return '';
  return pickContent(country.nameEs, country.nameEn);
}

export function organizationAcronym(organization: Organization | undefined | null): string {
  if (!organization) return '';
  return pickContent(organization.acronymEs, organization.acronymEn);
}

export function organizationName(organization: Organization | undefined | null): string {
  if (!organization) return '';
  return pickContent(organization.nameEs, organization.nameEn);
}

/** "Chile" or "ECLAC", whichever the person speaks for; empty when neither. */
export function affiliationLabel(
  person: { countryId: string | null; organizationId: string | null },
  countries: readonly Country[],
  organizations: readonly Organization[],
): string {
  if (person.countryId) return countryName(countries.find((c) => c.id === person.countryId)) || person.countryId.toUpperCase();
  if (person.organizationId) return organizationAcronym(organizations.find((o) => o.id === person.organizationId)) || person.organizationId;
  return '';
}

export function roleLabel(role: Role): string {
  switch (role) {
    case 'admin':
      return msg('Administrator', { desc: 'Role: manages accounts of the forum' });
    case 'coordinator':
      return msg('Coordinator', { desc: 'Role: coordinates the working group' });
    case 'secretariat':
      return msg('Secretariat', { desc: 'Role: ECLAC staff acting as technical secretariat' });
    case 'member':
      return msg('Member', { desc: 'Role: represents a country (national statistics office)' });
    case 'observer':
      return msg('Observer', { desc: 'Role: international agency following the work' });
  }
}

export function delegationLabel(role: DelegationRole): string {
  if (role === 'focal_point') return msg('Focal point', { desc: 'The main contact of a country delegation' });
  if (role === 'alternate') return msg('Alternate', { desc: 'A member of a country delegation who is not the focal point' });
  return '';
}

/** The language tag for Intl (dates, numbers, sorting): Spanish as used in Latin America, Brazilian Portuguese. */
const INTL_LOCALES: Record<UiLocale, string> = { es: 'es-419', en: 'en', pt: 'pt-BR', fr: 'fr' };

export function intlLocale(): string {
  return INTL_LOCALES[currentLocale()];
}

function safeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** A date and time in the reader's time zone (their profile's, else the browser's). */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: safeZone(timeZone) }).format(date);
}

export function formatDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: safeZone(timeZone) }).format(date);
}

/** The time it is now in a zone, e.g. for "local time" on a profile. */
export function formatTimeNow(timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(), { timeStyle: 'short', timeZone: safeZone(timeZone) }).format(new Date());
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlLocale()).format(value);
}

/** Sorting by a human name in the interface language (accents and case handled). */
export function compareText(a: string, b: string): number {
  return a.localeCompare(b, intlLocale(), { sensitivity: 'base' });
}

/** Lower case without accents: "México" is found by "mexico". */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/**
 * The first letter in capitals, the rest as the language writes it: "diciembre de 2026" →
 * "Diciembre de 2026" where a heading starts. (CSS text-transform: capitalize would capitalize
 * every word: "Diciembre De 2026".)
 */
export function upperFirst(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return head.toLocaleUpperCase(intlLocale()) + text.slice(head.length);
}

/**
 * A message that ends with a period after a value which may end with its own ("11:00 a.m.",
 * "etc."): the sentence gets one period, not "a.m..". Use on messages whose last value is a
 * formatted date, time or name.
 */
export function sentence(text: string): string {
  return text.replace(/(?<!\.)\.\.(?!\.)/g, '.');
}
