import { msg } from '@lit/localize';
import { hasAcceptedExtension } from '../../app/files.js';
import { intlLocale, upperFirst } from '../../app/format.js';
import { contentLanguage, type ContentLanguage } from '../../app/i18n.js';
import type { DocumentType, LocalizedText, Visibility } from './models.js';

/** How long the trash keeps a document before it is deleted for good (docs/documents-api.md). */
export const TRASH_DAYS = 30;

/** What is wrong with a form's chosen `file`, if anything: none chosen (`missing`), or a type the library refuses. */
export function fileProblem(data: FormData, missing: string): string | null {
  const file = data.get('file');
  if (!(file instanceof File) || !file.name) return missing;
  if (!hasAcceptedExtension(file.name)) return msg('This type of file is not accepted. Choose a PDF, office document, CSV or text file, ZIP archive, or PNG or JPEG image.');
  return null;
}

/**
 * A title or description in the reader's content language (contentLanguage: Spanish for Portuguese
 * readers, English for French ones), else in the other one; `lang` says which was shown, so a
 * screen reader pronounces it in its own language.
 */
export function localizedText(text: LocalizedText): { text: string; lang: ContentLanguage } {
  const preferred = contentLanguage();
  const other = preferred === 'es' ? 'en' : 'es';
  return text[preferred].trim() ? { text: text[preferred], lang: preferred } : { text: text[other], lang: other };
}

export function typeLabel(type: DocumentType): string {
  switch (type) {
    case 'report':
      return msg('Report', { desc: 'Type of document' });
    case 'methodology_note':
      return msg('Methodology note', { desc: 'Type of document' });
    case 'minutes':
      return msg('Minutes', { desc: 'Type of document: the record of a meeting' });
    case 'presentation':
      return msg('Presentation', { desc: 'Type of document: slides' });
    case 'dataset':
      return msg('Dataset', { desc: 'Type of document' });
    case 'questionnaire':
      return msg('Questionnaire', { desc: 'Type of document' });
    case 'other':
      return msg('Other', { desc: 'Type of document' });
  }
}

export function visibilityLabel(visibility: Visibility): string {
  switch (visibility) {
    case 'draft':
      return msg('Draft', { desc: 'Visibility of a document: only publishers see it' });
    case 'group':
      return msg('Group', { desc: 'Visibility of a document: every participant of the group' });
    case 'public':
      return msg('Public', { desc: 'Visibility of a document: anyone with the link' });
    case 'restricted':
      return msg('Restricted', { desc: 'Visibility of a document: the organizers and the country that answered a consultation with it' });
    case 'instance':
      return msg('All groups', { desc: 'Visibility of a document: every participant of every working group of this Concilia' });
  }
}

export function visibilityHint(visibility: Visibility): string {
  switch (visibility) {
    case 'draft':
      return msg('Only the administrators, the coordinator and the secretariat see it.');
    case 'group':
      return msg('Every participant of the group sees it, and is notified.');
    case 'public':
      return msg('Anyone with the link can open and download it, even without an account.');
    case 'restricted':
      return msg('Only the administrators, the coordinator, the secretariat and the delegation that answered the consultation with it see it.');
    case 'instance':
      return msg("Every participant of every working group of this Concilia sees it in their library; this group's participants are notified.");
  }
}

/** An action of the audit trail in words; undefined for one this client does not know yet (shown as sent). */
export function auditActionLabel(action: string): string | undefined {
  switch (action) {
    case 'uploaded':
      return msg('Uploaded', { desc: 'Activity on a document' });
    case 'version_added':
      return msg('New version uploaded', { desc: 'Activity on a document' });
    case 'updated':
      return msg('Details edited', { desc: 'Activity on a document' });
    case 'deleted':
      return msg('Moved to the trash', { desc: 'Activity on a document' });
    case 'restored':
      return msg('Restored from the trash', { desc: 'Activity on a document' });
    case 'purged':
      return msg('Deleted for good', { desc: 'Activity on a document' });
    default:
      return undefined;
  }
}

/** A language code named in the interface language: "pt" → "Portuguese" / "portugués". */
export function languageLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames([intlLocale()], { type: 'language' }).of(code) ?? code;
    return upperFirst(name);
  } catch {
    return code;
  }
}

/**
 * A publication date (YYYY-MM-DD) is a day on the calendar, not an instant: it is shown in
 * UTC so that no reader's time zone moves it to the day before.
 */
export function formatCalendarDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** Today's date (YYYY-MM-DD) where the person is. */
export function todayIn(timeZone: string | undefined): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).formatToParts(new Date());
  } catch {
    parts = new Intl.DateTimeFormat('en', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** "a, b ,#c" → ["a", "b", "c"], without repeats. */
export const parseTags = (value: string): string[] => [
  ...new Set(
    value
      .split(',')
      .map((tag) => tag.trim().replace(/^#/, ''))
      .filter(Boolean),
  ),
];

/** A debate's id from what was pasted: its address (…/debates/t/ID#post-…) or the id itself. */
export function threadIdFrom(value: string): string {
  const trimmed = value.trim();
  const fromPath = /\/debates\/t\/([^/?#\s]+)/.exec(trimmed);
  return fromPath ? decodeURIComponent(fromPath[1]!) : trimmed;
}
