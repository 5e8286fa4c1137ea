import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';

/** Languages the interface is translated into. A person may store another (pt, fr): we fall back. */
export const UI_LOCALES = ['es', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Each language names itself, so the switch reads right whatever the current language is. */
export const LANGUAGE_NAMES: Record<UiLocale, string> = { es: 'Español', en: 'English' };

const STORED_LANGUAGE_NAMES: Record<string, string> = { ...LANGUAGE_NAMES, pt: 'Português', fr: 'Français' };

/** The name of any language a profile may hold, in that language. */
export const languageName = (locale: string): string => STORED_LANGUAGE_NAMES[locale] ?? locale;

const STORAGE_KEY = 'concilia.locale';

const loaders: Record<string, () => Promise<LocaleModule>> = {
  es: () => import('../generated/locales/es.js'),
};

const localization = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: async (locale) => {
    const load = loaders[locale];
    if (!load) throw new Error(`No translation module for ${locale}`);
    return load();
  },
});

export const isUiLocale = (value: unknown): value is UiLocale => typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);

export function currentLocale(): UiLocale {
  const locale = localization.getLocale();
  return isUiLocale(locale) ? locale : 'en';
}

/** The interface language for a stored or browser locale ("es-CL" → es, anything else → en). */
export function toUiLocale(locale: string | null | undefined): UiLocale {
  return locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
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
