import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import mdgJson from '../../../server/features/reference/mdg-indicators.json' with { type: 'json' };
import { loadMdgFramework, type MdgJson } from '../../../server/features/indicators/domain/mdg.js';
import { importSdgList } from '../../../server/features/indicators/domain/sdg-csv.js';
import { TagSuggester } from '../../../server/features/indicators/domain/tags.js';

const mdg = loadMdgFramework(mdgJson as unknown as MdgJson);
const sdg = (await importSdgList(createReadStream(new URL('../../fixtures/sdg-indicators-sample.csv', import.meta.url)), { id: 'sdg-2025', family: 'SDG', version: '2025', title: { en: 'SDG', es: 'ODS' }, effectiveDate: null })).framework!;
const suggester = new TagSuggester([mdg, sdg]);
const codes = (text: string, limit?: number) => suggester.suggest(text, limit === undefined ? {} : { limit }).map((s) => `${s.family} ${s.code}`);

describe('suggesting indicators from a text', () => {
  it('finds the indicator a Spanish text is about, from its title words in other forms', () => {
    const text = 'Chile: la cifra nacional de mortalidad de niños menores de cinco años difiere de la estimación del IGME para 2010.';
    expect(codes(text).slice(0, 2).sort()).toEqual(['MDG 4.1', 'SDG 3.2.1']);
  });

  it('finds it from an English text', () => {
    expect(codes('Our under-five mortality rate from vital statistics is lower than the modelled one.')[0]).toMatch(/^(MDG 4.1|SDG 3.2.1)$/);
    expect(codes('Maternal mortality ratio: registration of maternal deaths was corrected in 2012.').slice(0, 2).sort()).toEqual(['MDG 5.1', 'SDG 3.1.1']);
  });

  it('matches without accents and in any case', () => {
    expect(codes('PREVALENCIA DE LA SUBALIMENTACION EN EL CARIBE')[0]).toBe('SDG 2.1.1');
    expect(codes('Tasa de natalidad entre las adolescentes: dos fuentes')[0]).toBe('MDG 5.4');
  });

  it('ranks a code the text names above words it shares', () => {
    const suggestions = suggester.suggest('Sobre el indicador 4.2 y la mortalidad de niños menores de 5 años');
    expect(`${suggestions[0]!.family} ${suggestions[0]!.code}`).toBe('MDG 4.2');
    expect(suggestions[0]!.reasons).toContainEqual({ kind: 'code', text: '4.2' });
    expect(codes('Sobre el indicador 4.2 y la mortalidad de niños menores de 5 años')).toContain('MDG 4.1');
    // "indicador" shares its stem with "Índice" (de mortalidad materna): words about the catalogue are not evidence.
    expect(codes('Sobre el indicador 4.2 y la mortalidad de niños menores de 5 años')).not.toContain('SDG 3.1.1');
  });

  it('reads framework prefixes: ODS/SDG point to the SDG list, ODM/MDG to the MDG list', () => {
    expect(codes('Ver ODS 3.1.2 en el informe')[0]).toBe('SDG 3.1.2');
    expect(codes('MDG 7.8 and the JMP estimates')[0]).toBe('MDG 7.8');
    // "ODS 5.5" names an SDG target, not the MDG indicator 5.5.
    expect(codes('la meta ODS 5.5 sobre liderazgo')).not.toContain('MDG 5.5');
  });

  it('takes a bare three-part code, but not a bare number that looks like a two-part code', () => {
    expect(codes('Revisamos el 3.3.1 con ONUSIDA')[0]).toBe('SDG 3.3.1');
    expect(codes('La tasa fue 8.5 por mil en 2010 y 7.1 en 2011')).toEqual([]);
    expect(codes('Indicator 8.5 for small island States')[0]).toBe('MDG 8.5');
  });

  it('says why it suggests each indicator, with the words it matched', () => {
    const [first] = suggester.suggest('Proporción de partos con asistencia de personal sanitario especializado en zonas rurales');
    expect(first).toMatchObject({ family: 'MDG', code: '5.2', framework: 'mdg-2008' });
    expect(first!.reasons).toContainEqual(expect.objectContaining({ kind: 'words', words: expect.arrayContaining(['partos', 'personal', 'sanitario', 'especializado']) }));
    expect(first!.title.es).toBe('Proporción de partos con asistencia de personal sanitario especializado');
  });

  it('suggests nothing for a text about nothing in the catalogue, or made of common words only', () => {
    expect(codes('Recordatorio: la reunión virtual es el martes a las 10, hora de Santiago.')).toEqual([]);
    expect(codes('La proporción de la población total por año')).toEqual([]);
    expect(codes('')).toEqual([]);
  });

  it('limits and orders the suggestions by score', () => {
    const all = suggester.suggest('mortalidad materna, mortalidad infantil, mortalidad de menores de 5 años, mortalidad neonatal');
    expect(all.length).toBeGreaterThan(3);
    for (let i = 1; i < all.length; i += 1) expect(all[i]!.score).toBeLessThanOrEqual(all[i - 1]!.score);
    expect(suggester.suggest('mortalidad materna, mortalidad infantil, mortalidad neonatal', { limit: 2 })).toHaveLength(2);
  });

  it('only suggests: the text and the catalogue are left as they were', () => {
    const before = JSON.stringify([mdg, sdg]);
    suggester.suggest('indicador 4.1');
    expect(JSON.stringify([mdg, sdg])).toBe(before);
  });
});
