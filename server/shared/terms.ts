/**
 * Fixed wording in several languages (export headers, printable pages), written term by term: each
 * term with all its languages side by side, so a translation left out is a type error and a term is
 * reviewed in one place, then turned into one record per language for the code that writes in one.
 *
 *   const WORDS = byLanguage(['en', 'es'], { year: { en: 'Year', es: 'Año' } });
 *   WORDS.es.year; // 'Año'
 */
export function byLanguage<const L extends string, K extends string>(languages: readonly L[], terms: Record<K, Record<L, string>>): Record<L, Record<K, string>> {
  const entries = Object.entries(terms) as Array<[K, Record<L, string>]>;
  return Object.fromEntries(languages.map((language) => [language, Object.fromEntries(entries.map(([key, text]) => [key, text[language]]))])) as Record<L, Record<K, string>>;
}
