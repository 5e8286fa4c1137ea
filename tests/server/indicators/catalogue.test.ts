import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFramework, indexCatalogue, type Framework } from '../../../server/features/indicators/domain/model.js';
import mdgJson from '../../../server/features/reference/mdg-indicators.json' with { type: 'json' };
import { loadMdgFramework, type MdgJson } from '../../../server/features/indicators/domain/mdg.js';
import { SDG_LIST_COLUMNS, importSdgList } from '../../../server/features/indicators/domain/sdg-csv.js';

const mdg = loadMdgFramework(mdgJson as unknown as MdgJson);
const sdgMeta = { id: 'sdg-2025', family: 'SDG', version: '2025', title: { en: 'Sustainable Development Goals', es: 'Objetivos de Desarrollo Sostenible' }, effectiveDate: '2025-03-01' };

describe('the MDG list of 2008 as a framework', () => {
  it('has 8 goals, 21 targets and 60 indicators, each titled in English and Spanish', () => {
    expect(mdg).toMatchObject({ id: 'mdg-2008', family: 'MDG', version: '2008', effectiveDate: '2008-01-15' });
    expect(mdg.goals).toHaveLength(8);
    expect(mdg.targets).toHaveLength(21);
    expect(mdg.indicators).toHaveLength(60);
    for (const item of [...mdg.goals, ...mdg.targets, ...mdg.indicators]) {
      expect(item.title?.en, item.code).toBeTruthy();
      expect(item.title?.es, item.code).toBeTruthy();
    }
    expect(checkFramework(mdg)).toEqual([]);
  });

  it('keeps an indicator that serves several targets once, with all its targets', () => {
    const byCode = new Map(mdg.indicators.map((i) => [i.code, i]));
    expect(byCode.get('4.1')).toMatchObject({ goal: '4', targets: ['4.A'], title: { en: 'Under-five mortality rate', es: 'Tasa de mortalidad de los niños menores de 5 años' }, tier: null, custodians: [], seriesCodes: [] });
    expect(byCode.get('7.1')?.targets).toEqual(['7.A', '7.B']);
    expect(byCode.get('8.12')?.targets).toEqual(['8.A', '8.B', '8.C', '8.D']);
    expect(mdg.targets.find((t) => t.code === '7.B')).toMatchObject({ goal: '7' });
  });

  it('lists indicators in their natural order (8.2 before 8.10)', () => {
    const goal8 = mdg.indicators.filter((i) => i.goal === '8').map((i) => i.code);
    expect(goal8.indexOf('8.2')).toBeLessThan(goal8.indexOf('8.10'));
  });
});

describe('checkFramework', () => {
  it('finds duplicate codes and dangling goals and targets', () => {
    const broken: Framework = {
      ...mdg,
      targets: [...mdg.targets, { code: '9.A', goal: '9', title: null }],
      indicators: [...mdg.indicators, { ...mdg.indicators[0]! }, { ...mdg.indicators[1]!, code: '1.99', targets: ['1.Z'] }],
    };
    expect(checkFramework(broken).map((p) => p.code).sort()).toEqual(['duplicate_indicator', 'unknown_goal', 'unknown_target']);
  });
});

describe('an SDG indicator list from CSV', () => {
  it('describes its columns in English and Spanish', () => {
    expect(SDG_LIST_COLUMNS.map((c) => c.key)).toEqual(['goal', 'goal_title_en', 'goal_title_es', 'target', 'target_title_en', 'target_title_es', 'code', 'title_en', 'title_es', 'tier', 'custodians', 'series_codes', 'unit']);
    for (const c of SDG_LIST_COLUMNS) expect(c.description.es.length).toBeGreaterThan(5);
  });

  it('builds the framework from the sample list', async () => {
    const result = await importSdgList(createReadStream(new URL('../../fixtures/sdg-indicators-sample.csv', import.meta.url)), sdgMeta);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const sdg = result.framework!;
    expect(sdg).toMatchObject({ id: 'sdg-2025', family: 'SDG', version: '2025' });
    expect(sdg.goals.map((g) => g.code)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(sdg.targets.map((t) => t.code)).toEqual(['1.1', '2.1', '3.1', '3.2', '3.3', '4.1', '5.5', '6.1']);
    expect(sdg.targets.find((t) => t.code === '2.1')?.title).toBeNull();
    expect(sdg.indicators.find((i) => i.code === '3.2.1')).toEqual({
      code: '3.2.1', goal: '3', targets: ['3.2'], title: { en: 'Under-5 mortality rate', es: 'Tasa de mortalidad de niños menores de 5 años' },
      tier: 'I', custodians: ['UNICEF'], unit: 'PER_1000_LIVE_BIRTHS', seriesCodes: ['SH_DYN_MORT'],
    });
    expect(sdg.indicators.find((i) => i.code === '1.1.1')?.seriesCodes).toEqual(['SI_POV_DAY1', 'SI_POV_EMP1']);
    expect(sdg.indicators.find((i) => i.code === '6.1.1')?.custodians).toEqual(['WHO', 'UNICEF']);
    expect(checkFramework(sdg)).toEqual([]);
    const index = indexCatalogue([mdg, sdg]);
    expect(index.indicatorOfSeries('SH_DYN_MORT')).toMatchObject([{ framework: 'sdg-2025', code: '3.2.1' }]);
    expect(index.isKnownSeries('SH_DYN_MORT')).toBe(true);
    expect(index.isKnownSeries('SH_NOPE')).toBe(false);
    expect(index.indicator('mdg-2008', '4.1')?.title.en).toBe('Under-five mortality rate');
  });

  it('reads Spanish headers and a semicolon separator, and tiers written as "Tier II" or "I/II"', async () => {
    const text = 'objetivo;meta;codigo;titulo_en;titulo_es;nivel;custodios;series\n3;3.2;3.2.1;Under-5 mortality rate;Tasa de mortalidad;Tier II;UNICEF;SH_DYN_MORT\n3;3.b;3.b.1;Vaccine coverage;Cobertura;I/II;WHO;\n';
    const result = await importSdgList(text, sdgMeta);
    expect(result.errors).toEqual([]);
    expect(result.framework!.indicators.map((i) => [i.code, i.tier, i.seriesCodes])).toEqual([['3.2.1', 'II', ['SH_DYN_MORT']], ['3.b.1', 'I/II', []]]);
  });

  it('refuses bad rows with their row number and reason, and builds nothing', async () => {
    const header = 'goal,target,code,title_en,title_es,tier,custodians,series_codes';
    const text = [
      header,
      '3,3.2,3.2.1,Under-5 mortality rate,Tasa de mortalidad de niños menores de 5 años,I,UNICEF,SH_DYN_MORT',
      '3,3.2,3.2.1,Again,Otra vez,I,UNICEF,', // duplicate
      '3,3.2,3.3.1,HIV,VIH,I,UNAIDS,', // code not under its target
      '3,4.1,4.1.2,Completion,Finalización,I,UIS,', // target not under its goal
      '3,3.2,3.2.x,Bad code,Código malo,I,,', // malformed code
      '3,3.2,3.2.2,,Tasa de mortalidad neonatal,I,,', // English title missing
      '3,3.2,3.2.3,Something,Algo,IV,,', // bad tier
      '3,3.2,3.2.4,Something,Algo,I,,SH DYN', // bad series code
      '3,3.2,3.2.5,Something,Algo,I,,SH_DYN_MORT', // a series may serve two indicators (repeated indicators do): accepted
    ].join('\n');
    const result = await importSdgList(text, sdgMeta);
    expect(result.ok).toBe(false);
    expect(result.framework).toBeNull();
    expect(result.errors.map((e) => `${e.row}:${e.code}`)).toEqual([
      '3:duplicate_indicator', '4:code_outside_target', '5:target_outside_goal', '6:bad_indicator_code', '7:title_missing', '8:bad_tier', '9:bad_series',
    ]);
  });

  it('refuses two rows giving one goal different titles', async () => {
    const text = 'goal,goal_title_en,goal_title_es,target,code,title_en,title_es\n3,Health,Salud,3.2,3.2.1,A,A\n3,Wealth,Riqueza,3.2,3.2.2,B,B\n';
    expect((await importSdgList(text, sdgMeta)).errors).toMatchObject([{ row: 3, code: 'inconsistent_title' }]);
  });

  it('refuses a file without the required columns', async () => {
    expect((await importSdgList('code,title_en\n3.2.1,x\n', sdgMeta)).errors).toMatchObject([{ row: 1, code: 'missing_columns' }]);
  });
});
