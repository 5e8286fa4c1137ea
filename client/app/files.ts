import { intlLocale } from './format.js';

/**
 * The files the forum takes, the same for the library's documents and for files attached to
 * posts (one store and one check on the server): what the file inputs offer, and how a stored
 * file is opened.
 */

/** What the file input offers; the server checks both the extension and the content. */
export const ACCEPTED_EXTENSIONS = ['.pdf', '.docx', '.xlsx', '.pptx', '.odt', '.ods', '.odp', '.csv', '.txt', '.zip', '.png', '.jpg', '.jpeg'] as const;

export const hasAcceptedExtension = (fileName: string) => ACCEPTED_EXTENSIONS.some((extension) => fileName.toLowerCase().endsWith(extension));

/** Types a browser shows by itself, so "Open" makes sense for them. */
export const opensInBrowser = (mime: string) => mime === 'application/pdf' || mime === 'image/png' || mime === 'image/jpeg';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** "1.2 MB": decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(intlLocale(), {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}
