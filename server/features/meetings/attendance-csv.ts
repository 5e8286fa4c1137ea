import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Country, Organization } from '../reference/public.js';
import { defuseFormula as defuse } from '../../shared/csv-cells.js';
import type { Role } from '../../shared/roles.js';
import type { AttendeeRow } from './room-repository.js';
import { sortAttendees } from './room-views.js';

export type CsvLanguage = 'es' | 'en';

const HEADERS: Record<CsvLanguage, (zone: string) => string[]> = {
  en: (zone) => ['Country code', 'Country', 'Name', 'Role', 'Organization', 'Status', 'Joined at (UTC)', `Joined at (${zone})`, 'Marked by'],
  es: (zone) => ['Código de país', 'País', 'Nombre', 'Rol', 'Organización', 'Estado', 'Ingreso (UTC)', `Ingreso (${zone})`, 'Marcado por'],
};

const ROLES: Record<CsvLanguage, Record<Role, string>> = {
  en: { admin: 'Administrator', coordinator: 'Coordinator', secretariat: 'Secretariat', member: 'Member', observer: 'Observer' },
  es: { admin: 'Administración', coordinator: 'Coordinación', secretariat: 'Secretaría', member: 'Miembro', observer: 'Observador' },
};

const STATUSES: Record<CsvLanguage, Record<'joined' | 'marked' | 'absent', string>> = {
  en: { joined: 'joined', marked: 'marked by hand', absent: 'absent' },
  es: { joined: 'ingresó a la sala', marked: 'marcado a mano', absent: 'ausente' },
};

export interface AttendanceCsvInput {
  attendees: AttendeeRow[];
  /** Invited countries with nobody recorded get a row of their own, "absent". */
  absentCountryIds: string[];
  countries: Map<string, Country>;
  organizations: Map<string, Organization>;
  timeZone: string;
  language: CsvLanguage;
  separator: 'comma' | 'semicolon';
}

/**
 * Attendance by country as RFC 4180 CSV (csv-stringify: quoting of commas, quotes and line breaks,
 * CRLF), with a UTF-8 byte order mark so Excel reads the accents of "Perú" and "México".
 */
export function attendanceCsv(input: AttendanceCsvInput): string {
  const { language: lang, countries, organizations, timeZone } = input;
  const countryName = (id: string | null) => (id === null ? '' : lang === 'es' ? (countries.get(id)?.nameEs ?? id) : (countries.get(id)?.nameEn ?? id));
  const countryCode = (id: string | null) => (id === null ? '' : (countries.get(id)?.iso2 ?? id.toUpperCase()));
  const utc = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const local = (ms: number | null) => (ms === null ? '' : DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm'));

  type Line = { countryId: string | null; displayName: string; cells: string[] };
  const lines: Line[] = input.attendees.map((row) => ({
    countryId: row.countryId,
    displayName: row.displayName,
    cells: [
      countryCode(row.countryId),
      countryName(row.countryId),
      row.displayName,
      row.role ? ROLES[lang][row.role] : '',
      row.organizationId ? (lang === 'es' ? organizations.get(row.organizationId)?.acronymEs : organizations.get(row.organizationId)?.acronymEn) ?? row.organizationId : '',
      STATUSES[lang][row.joinedAt !== null ? 'joined' : 'marked'],
      utc(row.joinedAt),
      local(row.joinedAt),
      row.markedBy !== null ? (row.markedByName ?? '') : '',
    ],
  }));
  for (const countryId of input.absentCountryIds) {
    // Sorted with the attendees; an empty name puts the country's absence before nobody.
    lines.push({ countryId, displayName: '', cells: [countryCode(countryId), countryName(countryId), '', '', '', STATUSES[lang].absent, '', '', ''] });
  }
  const records = [HEADERS[lang](timeZone), ...sortAttendees(lines, countries).map((line) => line.cells.map(defuse))];
  return stringify(records, { bom: true, delimiter: input.separator === 'semicolon' ? ';' : ',', record_delimiter: 'windows' });
}
