import { describe, expect, it } from 'vitest';
import { Crosswalk, MDG_SDG_CROSSWALK } from '../../../server/features/indicators/domain/crosswalk.js';
import mdgJson from '../../../server/features/reference/mdg-indicators.json' with { type: 'json' };
import { loadMdgFramework, type MdgJson } from '../../../server/features/indicators/domain/mdg.js';
import { importSdgList } from '../../../server/features/indicators/domain/sdg-csv.js';
import { createReadStream } from 'node:fs';

const mdg = loadMdgFramework(mdgJson as unknown as MdgJson);
const sdg = (await importSdgList(createReadStream(new URL('../../fixtures/sdg-indicators-sample.csv', import.meta.url)), { id: 'sdg-2025', family: 'SDG', version: '2025', title: { en: 'SDG', es: 'ODS' }, effectiveDate: null })).framework!;

describe('the crosswalk between frameworks', () => {
  const crosswalk = new Crosswalk(MDG_SDG_CROSSWALK);

  it('links MDG 4.1 and SDG 3.2.1 both ways, as equivalent', () => {
    expect(crosswalk.linked('MDG', '4.1')).toEqual([{ family: 'SDG', code: '3.2.1', relation: 'equivalent' }]);
    expect(crosswalk.linked('SDG', '3.2.1')).toEqual([{ family: 'MDG', code: '4.1', relation: 'equivalent' }]);
  });

  it('tells an equivalent indicator from a related one', () => {
    expect(crosswalk.linked('MDG', '1.1')).toEqual([{ family: 'SDG', code: '1.1.1', relation: 'related' }]);
    expect(crosswalk.linked('MDG', '4.2')).toEqual([]);
  });

  it('names only indicators that exist in the MDG list and in the SDG sample', () => {
    expect(crosswalk.check([mdg, sdg])).toEqual([]);
    const wrong = new Crosswalk([...MDG_SDG_CROSSWALK, { from: { family: 'MDG', code: '9.9' }, to: { family: 'SDG', code: '3.2.1' }, relation: 'related' }]);
    expect(wrong.check([mdg, sdg])).toEqual([{ code: 'unknown_indicator', message: expect.stringContaining('MDG 9.9') }]);
  });

  it('refuses a link twice, a link to itself and an unknown relation', () => {
    expect(() => new Crosswalk([MDG_SDG_CROSSWALK[0]!, { from: MDG_SDG_CROSSWALK[0]!.to, to: MDG_SDG_CROSSWALK[0]!.from, relation: 'related' }])).toThrow(/twice/);
    expect(() => new Crosswalk([{ from: { family: 'MDG', code: '4.1' }, to: { family: 'MDG', code: '4.1' }, relation: 'related' }])).toThrow(/itself/);
    expect(() => new Crosswalk([{ from: { family: 'MDG', code: '4.1' }, to: { family: 'SDG', code: '3.2.2' }, relation: 'same' as never }])).toThrow(/relation/);
  });
});
