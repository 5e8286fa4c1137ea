import type { AppServices } from './contexts.js';
import { affiliationLabel, formatDateTime, intlLocale, roleLabel } from './format.js';
import type { Role } from './models.js';

/*
 * Formatting that only the pages of features use, kept out of format.ts: the shell and the
 * sign-in page load format.ts in the first download, and do not need these.
 */

/** "Member · Mexico": a person's role and whom they speak for, as shown beside their name (an author, an agreement). */
export function authorDetails(author: { role: Role; countryId: string | null; organizationId: string | null }, services: AppServices): string {
  return [roleLabel(author.role), affiliationLabel(author, services.countries, services.organizations)].filter(Boolean).join(' · ');
}

/** Country names for ISO ids ("mx" → "Mexico"), in the interface language. */
export function countryNames(ids: readonly string[], services: AppServices): string[] {
  return ids.map((id) => affiliationLabel({ countryId: id, organizationId: null }, services.countries, services.organizations) || id.toUpperCase());
}

/** "3 minutes ago" for recent times, else the date and time in the reader's zone. */
export function formatWhen(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const rtf = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return formatDateTime(iso, timeZone);
}
