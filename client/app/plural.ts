import { currentLocale } from './i18n.js';

/**
 * Counted messages, ICU style: each message lists its plural forms and the language's own rules
 * (Intl.PluralRules, CLDR) pick one. @lit/localize has no plural support, and "count === 1"
 * is wrong outside English: French and Brazilian Portuguese use the singular for 0 as well
 * ("0 personne invitée"), and Spanish, French and Portuguese have a "many" form for round
 * millions ("1 000 000 de personnes").
 *
 * Each form is its own msg() with an id "<message>.<form>", so translators see the forms
 * side by side, and every form keeps the number in it (the "one" form covers 0 in French;
 * only a count that can never be 0 may spell "one" out):
 *
 *   plural(n, {
 *     one: msg(str`${formatNumber(n)} reply`, { id: 'replies.one' }),
 *     other: msg(str`${formatNumber(n)} replies`, { id: 'replies.other' }),
 *   })
 *
 * "many" is optional: a language whose rules ask for it gets "other" when a message has none.
 */
export interface PluralForms {
  one: string;
  other: string;
  many?: string;
}

/** The interface languages as Intl knows them; plural rules of Spanish and Portuguese differ by region. */
const RULES_LOCALE: Record<string, string> = { es: 'es-419', en: 'en', pt: 'pt-BR', fr: 'fr' };
const rules = new Map<string, Intl.PluralRules>();

/** The CLDR category of `count` in a language ("one", "many", "other", …). */
export function pluralCategory(count: number, locale: string = currentLocale()): Intl.LDMLPluralRule {
  const tag = RULES_LOCALE[locale] ?? locale;
  let rule = rules.get(tag);
  if (!rule) {
    rule = new Intl.PluralRules(tag);
    rules.set(tag, rule);
  }
  return rule.select(count);
}

/** The form of a counted message for `count` in the interface language (or `locale`). */
export function plural(count: number, forms: PluralForms, locale?: string): string {
  const category = pluralCategory(count, locale);
  if (category === 'one') return forms.one;
  if (category === 'many' && forms.many !== undefined) return forms.many;
  return forms.other;
}
