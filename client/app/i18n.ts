import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';

/**
 * Languages the interface is translated into: the four a profile may store (server LOCALES).
 * Portuguese is Brazilian Portuguese and French is written for an international audience.
 */
export const UI_LOCALES = ['es', 'en', 'pt', 'fr'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Each language names itself, so the switch reads right whatever the current language is. */
export const LANGUAGE_NAMES: Record<UiLocale, string> = { es: 'Español', en: 'English', pt: 'Português', fr: 'Français' };

/** The name of any language a profile may hold, in that language (an unknown code as is). */
export const languageName = (locale: string): string => (isUiLocale(locale) ? LANGUAGE_NAMES[locale] : locale);

/** The two languages content is written in: category, country and organization names, document titles. */
export type ContentLanguage = 'es' | 'en';

/**
 * Which of the Spanish or English version of bilingual content a reader gets first. Portuguese
 * readers get Spanish, the closer language to read; French readers get English. The one place
 * that decides it: other code asks `contentLanguage()` or `pickContent()`, never the locale.
 */
const CONTENT_LANGUAGE: Record<UiLocale, ContentLanguage> = { es: 'es', en: 'en', pt: 'es', fr: 'en' };

export function contentLanguage(locale: UiLocale = currentLocale()): ContentLanguage {
  return CONTENT_LANGUAGE[locale];
}

/** The Spanish or the English text, whichever the reader's content language is, else the other when it is empty. */
export function pickContent(es: string, en: string, locale: UiLocale = currentLocale()): string {
  return contentLanguage(locale) === 'es' ? es || en : en || es;
}

const STORAGE_KEY = 'concilia.locale';

const loaders: Record<Exclude<UiLocale, typeof sourceLocale>, () => Promise<LocaleModule>> = {
  es: () => import('../generated/locales/es.js'),
  pt: () => import('../generated/locales/pt.js'),
  fr: () => import('../generated/locales/fr.js'),
};

const localization = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: async (locale) => {
    const load = loaders[locale as keyof typeof loaders];
    if (!load) throw new Error(`No translation module for ${locale}`);
    return load();
  },
});

export const isUiLocale = (value: unknown): value is UiLocale => typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);

export function currentLocale(): UiLocale {
  const locale = localization.getLocale();
  return isUiLocale(locale) ? locale : 'en';
}

/** The interface language for a stored or browser locale ("es-CL" → es, "pt-BR" or "pt-PT" → pt, "fr-HT" → fr, anything else → en). */
export function toUiLocale(locale: string | null | undefined): UiLocale {
  const language = locale?.toLowerCase().split(/[-_]/)[0];
  return isUiLocale(language) ? language : 'en';
}

function readStored(): UiLocale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isUiLocale(stored) ? stored : null;
  } catch {
    return null; // storage can be blocked; the browser language is a fine fallback
  }
}

/** Before anyone signs in: the last choice made on this browser, else the browser's language. */
export function guestLocale(): UiLocale {
  return readStored() ?? toUiLocale(navigator.languages?.[0] ?? navigator.language);
}

/** Switches the interface language, updates <html lang> and remembers the choice on this browser. */
export async function applyLocale(locale: UiLocale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembering the choice locally is harmless; signed-in people keep it on the server.
  }
  document.documentElement.lang = locale;
  if (localization.getLocale() !== locale) await localization.setLocale(locale);
}
