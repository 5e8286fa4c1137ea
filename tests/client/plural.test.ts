import { describe, expect, it } from 'vitest';
import { plural, pluralCategory, type PluralForms } from '../../client/app/plural.js';

/** "N people invited" as each language writes it, one form per plural category it uses. */
const INVITED: Record<'es' | 'en' | 'pt' | 'fr', (n: number) => PluralForms> = {
  es: (n) => ({ one: `${n} persona invitada`, other: `${n} personas invitadas`, many: `${n} de personas invitadas` }),
  en: (n) => ({ one: `${n} person invited`, other: `${n} people invited` }),
  pt: (n) => ({ one: `${n} pessoa convidada`, other: `${n} pessoas convidadas`, many: `${n} de pessoas convidadas` }),
  fr: (n) => ({ one: `${n} personne invitée`, other: `${n} personnes invitées`, many: `${n} de personnes invitées` }),
};

const say = (locale: keyof typeof INVITED, n: number) => plural(n, INVITED[locale](n), locale);

describe('plural messages', () => {
  it('picks each language’s form for 0, 1, 2 and 5', () => {
    expect([0, 1, 2, 5].map((n) => say('es', n))).toEqual(['0 personas invitadas', '1 persona invitada', '2 personas invitadas', '5 personas invitadas']);
    expect([0, 1, 2, 5].map((n) => say('en', n))).toEqual(['0 people invited', '1 person invited', '2 people invited', '5 people invited']);
    // French and Brazilian Portuguese count 0 as singular.
    expect([0, 1, 2, 5].map((n) => say('pt', n))).toEqual(['0 pessoa convidada', '1 pessoa convidada', '2 pessoas convidadas', '5 pessoas convidadas']);
    expect([0, 1, 2, 5].map((n) => say('fr', n))).toEqual(['0 personne invitée', '1 personne invitée', '2 personnes invitées', '5 personnes invitées']);
  });

  it('uses the "many" form where a language has one, and "other" when a message gives none', () => {
    expect(pluralCategory(1_000_000, 'fr')).toBe('many');
    expect(say('fr', 1_000_000)).toBe('1000000 de personnes invitées');
    expect(say('en', 1_000_000)).toBe('1000000 people invited');
    expect(plural(1_000_000, { one: 'un', other: 'autres' }, 'fr')).toBe('autres');
  });

  it('follows the rules of the language, not "count === 1"', () => {
    expect(pluralCategory(0, 'fr')).toBe('one');
    expect(pluralCategory(0, 'pt')).toBe('one');
    expect(pluralCategory(0, 'es')).toBe('other');
    expect(pluralCategory(0, 'en')).toBe('other');
    expect(pluralCategory(1.5, 'fr')).toBe('one');
    expect(pluralCategory(1.5, 'en')).toBe('other');
  });
});
