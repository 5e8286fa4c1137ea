import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mdgJson from '../../../server/features/reference/mdg-indicators.json' with { type: 'json' };
import { loadMdgFramework, type MdgJson } from '../../../server/features/indicators/domain/mdg.js';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { api, categoryId, populate, startThread, type Participant, type People } from '../debates/support.js';
import { metadata, upload } from '../documents/support.js';
import { minimalPdf } from '../../fixtures/documents.js';

/**
 * The indicator catalogue through its routes (docs/indicators-api.md): the MDG list as it ships,
 * extended without code (a regional framework, a version, an indicator), an SDG list imported from
 * CSV all or nothing, the crosswalk read both ways, threads and documents tagged through the join
 * table and found by indicator, the hub showing only what its reader may read, and suggestions.
 */

const sdgCsv = readFileSync(new URL('../../fixtures/sdg-indicators-sample.csv', import.meta.url));
const mdg = loadMdgFramework(mdgJson as unknown as MdgJson);

let t: TestApp;
let people: People;
let general: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  general = await categoryId(t.app, people.member, 'general');
});
afterAll(async () => t.close());

const get = async (who: Participant, url: string) => {
  const response = await api(t.app, who, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

const importList = (who: Participant, framework: string, version: string, body: string | Buffer) =>
  request(t.app, {
    method: 'POST',
    url: `/api/indicators/frameworks/${framework}/import?${new URLSearchParams({ version, titleEn: `SDG list ${version}`, titleEs: `Lista de los ODS ${version}` })}`,
    headers: { 'content-type': 'text/csv' },
    payload: body,
    cookie: who.cookie,
  });

interface CatalogueAnswer {
  goals: Array<{ code: string; count: number; targets: Array<{ code: string; count: number; indicators: Array<{ code: string; ref: string; count: number; sharedWith: string | null; title: { en: string; es: string } }> }> }>;
  shown: number;
}

describe('the catalogue as it ships', () => {
  it('holds the MDG list of 2008 (8 goals, 21 targets, 60 indicators) exactly as the reference data gives it', async () => {
    const frameworks = await get(people.member, '/indicators/frameworks');
    const family = frameworks.items.find((f: { id: string }) => f.id === 'MDG');
    expect(family.versions).toEqual([expect.objectContaining({ id: 'mdg-2008', version: '2008', effectiveDate: '2008-01-15', goalCount: 8, targetCount: 21, indicatorCount: 60 })]);
    const catalogue = (await get(people.member, '/indicators/versions/mdg-2008')) as CatalogueAnswer;
    expect(catalogue.shown).toBe(60);
    expect(catalogue.goals.map((g) => g.code)).toEqual(mdg.goals.map((g) => g.code));
    expect(catalogue.goals.flatMap((g) => g.targets.map((target) => target.code))).toEqual(mdg.targets.map((target) => target.code));
    // Each indicator under its own target, with both titles of the list; one serving several targets is listed under each.
    const home = catalogue.goals.flatMap((g) => g.targets.flatMap((target) => target.indicators.filter((i) => i.sharedWith === null)));
    expect(home.map((i) => [i.code, i.title])).toEqual(mdg.indicators.map((i) => [i.code, i.title]));
    const target7b = catalogue.goals[6]!.targets.find((target) => target.code === '7.B')!;
    expect(target7b.indicators.map((i) => [i.code, i.sharedWith])).toContainEqual(['7.1', '7.A']);
  });

  it('finds indicators by words in either language or by code, and answers 404 for a version it lacks', async () => {
    const codes = async (q: string) => ((await get(people.member, `/indicators/versions/mdg-2008?q=${encodeURIComponent(q)}`)) as CatalogueAnswer).goals.flatMap((g) => g.targets.flatMap((target) => target.indicators.map((i) => i.code)));
    expect(await codes('mortalidad niños')).toEqual(['4.1']);
    expect(await codes('Mortalidad INFANTIL')).toEqual(['4.2']);
    expect(await codes('infant mortality')).toEqual(['4.2']);
    const byCode = (await get(people.member, '/indicators/versions/mdg-2008?q=8.16')) as CatalogueAnswer;
    expect(byCode.shown).toBe(1);
    expect((await api(t.app, people.member, 'GET', '/indicators/versions/sdg-1999')).statusCode).toBe(404);
    expect((await api(t.app, people.member, 'GET', '/indicators/versions/mdg-2008/indicators/9.9')).statusCode).toBe(404);
  });
});

describe('extending the catalogue', () => {
  it('lets the secretariat add a regional framework, a version and a complementary indicator that things can be tagged with', async () => {
    const framework = await api(t.app, people.secretariat, 'POST', '/indicators/frameworks', { id: 'ALC', kind: 'regional', title: { en: 'Regional complementary indicators', es: 'Indicadores complementarios regionales' } });
    expect(framework.statusCode, framework.body).toBe(201);
    expect((await api(t.app, people.secretariat, 'POST', '/indicators/frameworks', { id: 'ALC', kind: 'regional', title: { en: 'Again', es: 'Otra vez' } })).statusCode).toBe(409);
    const version = await api(t.app, people.secretariat, 'POST', '/indicators/frameworks/ALC/versions', { version: '2026', title: { en: 'Regional list 2026', es: 'Lista regional 2026' }, effectiveDate: '2026-03-01' });
    expect(version.statusCode, version.body).toBe(201);
    expect(version.json().version).toMatchObject({ id: 'alc-2026', frameworkId: 'ALC', indicatorCount: 0 });
    const added = await api(t.app, people.secretariat, 'POST', '/indicators/versions/alc-2026/indicators', {
      code: 'H.1.1',
      goal: 'H',
      target: 'H.1',
      goalTitle: { en: 'Hunger', es: 'Hambre' },
      title: { en: 'Prevalence of stunting among children under five', es: 'Prevalencia de retraso del crecimiento en menores de cinco años' },
      tier: 'I',
      custodians: ['UNICEF', 'WHO'],
      unit: 'PERCENT',
      seriesCodes: ['SH_STA_STNT'],
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().indicator).toMatchObject({ id: 'alc-2026:H.1.1', ref: 'alc-2026:H.1.1', complementary: true, custodians: ['UNICEF', 'WHO'], seriesCodes: ['SH_STA_STNT'] });
    expect((await api(t.app, people.secretariat, 'POST', '/indicators/versions/alc-2026/indicators', { code: 'H.1.1', goal: 'H', target: 'H.1', title: { en: 'x', es: 'x' } })).statusCode).toBe(409);
    const outside = await api(t.app, people.secretariat, 'POST', '/indicators/versions/alc-2026/indicators', { code: 'E.1.1', goal: 'H', target: 'H.1', title: { en: 'x', es: 'x' } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.code).toBe('code_outside_goal');
    expect((await api(t.app, people.member, 'POST', '/indicators/versions/alc-2026/indicators', { code: 'H.1.2', goal: 'H', target: 'H.1', title: { en: 'x', es: 'x' } })).statusCode).toBe(403);

    const catalogue = (await get(people.member, '/indicators/versions/alc-2026')) as CatalogueAnswer;
    expect(catalogue.goals).toEqual([expect.objectContaining({ code: 'H', title: { en: 'Hunger', es: 'Hambre' }, targets: [expect.objectContaining({ code: 'H.1', indicators: [expect.objectContaining({ code: 'H.1.1' })] })] })]);
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Retraso del crecimiento', indicatorCodes: ['alc-2026:H.1.1', '4.1'] });
    expect((await get(people.member, `/threads/${thread.id}`)).thread.indicatorCodes).toEqual(['alc-2026:H.1.1', '4.1']);
    const listed = await get(people.member, `/threads?indicator=${encodeURIComponent('alc-2026:H.1.1')}`);
    expect(listed.items.map((item: { id: string }) => item.id)).toEqual([thread.id]);
  });
});

describe('two curators at once', () => {
  it('store one framework, and the other is told it exists (409), never a 500', async () => {
    const body = { id: 'TWICE', kind: 'regional', title: { en: 'Twice', es: 'Dos veces' } };
    const answers = await Promise.all([api(t.app, people.secretariat, 'POST', '/indicators/frameworks', body), api(t.app, people.admin, 'POST', '/indicators/frameworks', body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('framework_exists');
  });
});

describe('importing an SDG list from CSV', () => {
  it('refuses a list with one bad row whole, naming the row, and stores nothing', async () => {
    const lines = sdgCsv.toString('utf8').trimEnd().split('\n');
    // Row 6 of the file: the indicator's code is not under its target.
    lines[5] = lines[5]!.replace(',3.2.1,', ',3.9.1,');
    const refused = await importList(people.secretariat, 'SDG', '2025', lines.join('\n'));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'import_refused', details: { errorCount: 1, errors: [expect.objectContaining({ row: 6, code: 'code_outside_target', column: 'code' })] } });
    const sdg = (await get(people.member, '/indicators/frameworks')).items.find((f: { id: string }) => f.id === 'SDG');
    expect(sdg.versions).toEqual([]);
    expect((await api(t.app, people.member, 'GET', '/indicators/versions/sdg-2025')).statusCode).toBe(404);
  });

  it('refuses what is not CSV, and lets only the curators import', async () => {
    const notCsv = await request(t.app, { method: 'POST', url: '/api/indicators/frameworks/SDG/import?version=2025&titleEn=x&titleEs=x', payload: { a: 1 }, cookie: people.secretariat.cookie });
    expect(notCsv.statusCode).toBe(415);
    expect((await importList(people.coordinator, 'SDG', '2025', sdgCsv)).statusCode).toBe(403);
    const noColumns = await importList(people.secretariat, 'SDG', '2025', 'a,b\n1,2\n');
    expect(noColumns.statusCode).toBe(422);
    expect(noColumns.json().error.details.errors[0]).toMatchObject({ row: 1, code: 'missing_columns' });
  });

  // PostgreSQL's text holds no U+0000 (it refused the row: a 500) where SQLite stored it: refused as not text on both.
  it('refuses a list holding a NUL character as not being UTF-8 text, and stores nothing', async () => {
    const lines = sdgCsv.toString('utf8').trimEnd().split('\n');
    lines[5] = lines[5]!.replace('Under-5 mortality rate', 'Under-5\u0000mortality rate');
    const refused = await importList(people.secretariat, 'SDG', '2025', lines.join('\n'));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'import_refused', details: { errorCount: 1, errors: [expect.objectContaining({ row: 1, code: 'bad_encoding' })] } });
    expect((await api(t.app, people.member, 'GET', '/indicators/versions/sdg-2025')).statusCode).toBe(404);
  });

  it('imports a good list as a new version, with tiers, custodians, series and units', async () => {
    const imported = await importList(people.secretariat, 'SDG', '2025', sdgCsv);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().version).toMatchObject({ id: 'sdg-2025', frameworkId: 'SDG', indicatorCount: 10 });
    const hub = await get(people.member, '/indicators/versions/sdg-2025/indicators/3.1.2');
    expect(hub.indicator).toMatchObject({ ref: 'sdg-2025:3.1.2', tier: 'I', custodians: ['UNICEF', 'WHO'], seriesCodes: ['SH_STA_BRTC'], unit: 'PERCENT' });
    expect((await importList(people.secretariat, 'SDG', '2025', sdgCsv)).statusCode).toBe(409);
  });
});

describe('the crosswalk', () => {
  it('is read both ways: MDG 4.1 leads to SDG 3.2.1 and back', async () => {
    const mdgHub = await get(people.member, '/indicators/versions/mdg-2008/indicators/4.1');
    expect(mdgHub.crosswalk).toContainEqual({ family: 'SDG', code: '3.2.1', relation: 'equivalent', indicators: [expect.objectContaining({ id: 'sdg-2025:3.2.1', ref: 'sdg-2025:3.2.1' })] });
    const sdgHub = await get(people.member, '/indicators/versions/sdg-2025/indicators/3.2.1');
    expect(sdgHub.crosswalk).toEqual([{ family: 'MDG', code: '4.1', relation: 'equivalent', indicators: [expect.objectContaining({ id: 'mdg-2008:4.1', ref: '4.1' })] }]);
  });

  it('takes a new link, changes its relation, and removes it whichever way it is named', async () => {
    const link = { from: { family: 'SDG', code: '3.2.2' }, to: { family: 'MDG', code: '4.2' }, relation: 'related' };
    expect((await api(t.app, people.secretariat, 'PUT', '/indicators/crosswalk', link)).statusCode).toBe(200);
    expect((await get(people.member, '/indicators/versions/mdg-2008/indicators/4.2')).crosswalk).toEqual([expect.objectContaining({ family: 'SDG', code: '3.2.2', relation: 'related' })]);
    expect((await api(t.app, people.admin, 'PUT', '/indicators/crosswalk', { ...link, relation: 'equivalent' })).statusCode).toBe(200);
    expect((await get(people.member, '/indicators/versions/sdg-2025/indicators/3.2.2')).crosswalk).toEqual([expect.objectContaining({ family: 'MDG', code: '4.2', relation: 'equivalent' })]);
    expect((await get(people.member, '/indicators/crosswalk')).items.filter((l: { to: { code: string } }) => l.to.code === '4.2')).toHaveLength(1);

    const unknown = await api(t.app, people.secretariat, 'PUT', '/indicators/crosswalk', { from: { family: 'SDG', code: '17.1.1' }, to: { family: 'MDG', code: '4.2' }, relation: 'related' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_indicator');
    expect((await api(t.app, people.secretariat, 'PUT', '/indicators/crosswalk', { from: { family: 'MDG', code: '4.1' }, to: { family: 'MDG', code: '4.2' }, relation: 'related' })).json().error.code).toBe('same_framework');
    expect((await api(t.app, people.member, 'PUT', '/indicators/crosswalk', link)).statusCode).toBe(403);

    expect((await api(t.app, people.secretariat, 'DELETE', '/indicators/crosswalk', { from: { family: 'MDG', code: '4.2' }, to: { family: 'SDG', code: '3.2.2' } })).statusCode).toBe(200);
    expect((await get(people.member, '/indicators/versions/mdg-2008/indicators/4.2')).crosswalk).toEqual([]);
    expect((await api(t.app, people.secretariat, 'DELETE', '/indicators/crosswalk', { from: { family: 'MDG', code: '4.2' }, to: { family: 'SDG', code: '3.2.2' } })).statusCode).toBe(404);
  });
});

describe('tags through the join table', () => {
  const taggedRows = (kind: string, id: string) =>
    t.app.database.statement('select indicator_id as indicator, position from subject_indicators where subject_kind = ? and subject_id = ? order by position').all(kind, id);

  it('tags a thread, retags it, and its list filter finds it by the new tags only', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Pobreza y subalimentación', indicatorCodes: ['1.1', '1.9'] });
    expect(await taggedRows('thread', thread.id)).toEqual([{ indicator: 'mdg-2008:1.1', position: 0 }, { indicator: 'mdg-2008:1.9', position: 1 }]);
    const patched = await api(t.app, people.member, 'PATCH', `/threads/${thread.id}`, { indicatorCodes: ['sdg-2025:2.1.1', '1.9'] });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().thread.indicatorCodes).toEqual(['sdg-2025:2.1.1', '1.9']);
    expect(await taggedRows('thread', thread.id)).toEqual([{ indicator: 'sdg-2025:2.1.1', position: 0 }, { indicator: 'mdg-2008:1.9', position: 1 }]);
    const ids = async (query: string) => (await get(people.observer, `/threads?${query}`)).items.map((item: { id: string }) => item.id);
    expect(await ids('indicator=1.9')).toEqual([thread.id]);
    expect(await ids(`indicator=${encodeURIComponent('sdg-2025:2.1.1')}`)).toEqual([thread.id]);
    expect(await ids('indicator=1.1')).toEqual([]);
    // An unknown reference is refused whole; a code outside the MDG pattern does not pass validation.
    const unknown = await api(t.app, people.member, 'PATCH', `/threads/${thread.id}`, { indicatorCodes: ['1.9', 'sdg-2025:9.9.9'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'unknown_indicator', details: [{ field: 'indicatorCodes', message: 'sdg-2025:9.9.9 is not in the catalogue' }] });
    expect(await taggedRows('thread', thread.id)).toHaveLength(2);
  });

  it('tags documents, finds them by indicator in the library, and keeps the filter with other filters', async () => {
    const created = await upload(t.app, people.secretariat, { name: 'nota.pdf', bytes: minimalPdf('Nota sobre la malaria') }, metadata({ title: { es: 'Nota sobre malaria', en: '' }, tags: ['salud'], indicatorCodes: ['6.6', 'sdg-2025:3.3.1'] }));
    expect(created.statusCode, created.body).toBe(201);
    const document = created.json().document as { id: string; indicatorCodes: string[] };
    expect(document.indicatorCodes).toEqual(['6.6', 'sdg-2025:3.3.1']);
    expect(await taggedRows('document', document.id)).toEqual([{ indicator: 'mdg-2008:6.6', position: 0 }, { indicator: 'sdg-2025:3.3.1', position: 1 }]);
    const titles = async (query: string) => (await get(people.member, `/documents?${query}`)).items.map((item: { id: string }) => item.id);
    expect(await titles('indicator=6.6')).toEqual([document.id]);
    expect(await titles(`indicator=${encodeURIComponent('sdg-2025:3.3.1')}&tag=salud`)).toEqual([document.id]);
    expect(await titles('indicator=6.6&tag=otra')).toEqual([]);
    const unknown = await upload(t.app, people.secretariat, { name: 'x.pdf', bytes: minimalPdf('x') }, metadata({ indicatorCodes: ['sdg-2025:9.9.9'] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_indicator');
  });
});

describe("an indicator's hub and the catalogue's counts", () => {
  it('show what is tagged with the indicator, by kind, and only what the reader may read', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Mortalidad infantil en Chile', indicatorCodes: ['4.2'] });
    const draft = await upload(t.app, people.secretariat, { name: 'borrador.pdf', bytes: minimalPdf('Borrador') }, metadata({ title: { es: 'Borrador sobre mortalidad infantil', en: '' }, visibility: 'draft', indicatorCodes: ['4.2'] }));
    expect(draft.statusCode, draft.body).toBe(201);
    const draftId = draft.json().document.id as string;

    const forStaff = await get(people.secretariat, '/indicators/versions/mdg-2008/indicators/4.2');
    expect(forStaff.tagged).toHaveLength(2);
    expect(forStaff.tagged).toEqual(
      expect.arrayContaining([
        { kind: 'thread', items: [{ kind: 'thread', id: thread.id, title: 'Mortalidad infantil en Chile', href: `/debates/t/${thread.id}` }] },
        { kind: 'document', items: [{ kind: 'document', id: draftId, title: 'Borrador sobre mortalidad infantil', href: `/documents/${draftId}` }] },
      ]),
    );
    expect(forStaff.indicator.count).toBe(2);
    expect(forStaff.discrepancies.href).toBe('/discrepancies/cases?indicator=4.2');
    const forMember = await get(people.otherMember, '/indicators/versions/mdg-2008/indicators/4.2');
    expect(forMember.tagged).toEqual([{ kind: 'thread', items: [expect.objectContaining({ id: thread.id })] }]);
    expect(JSON.stringify(forMember)).not.toContain(draftId);

    const count = async (who: Participant) => {
      const catalogue = (await get(who, '/indicators/versions/mdg-2008')) as CatalogueAnswer;
      const goal4 = catalogue.goals.find((g) => g.code === '4')!;
      return { goal: goal4.count, indicator: goal4.targets[0]!.indicators.find((i) => i.code === '4.2')!.count };
    };
    expect(await count(people.secretariat)).toEqual({ goal: 3, indicator: 2 });
    expect(await count(people.otherMember)).toEqual({ goal: 2, indicator: 1 });
  });

  it('is only for people signed in', async () => {
    expect((await request(t.app, { method: 'GET', url: '/api/indicators/versions/mdg-2008/indicators/4.2' })).statusCode).toBe(401);
  });
});

describe('suggestions from a text', () => {
  it('suggest the indicators a text is about, best first, and tag nothing', async () => {
    const { thread } = await startThread(t.app, people.member, { categoryId: general, title: 'Sin indicadores' });
    const response = await api(t.app, people.member, 'POST', '/indicators/suggest', { text: 'La tasa de mortalidad de los niños menores de 5 años (ODS 3.2.1) difiere de la estimación de UN IGME.' });
    expect(response.statusCode, response.body).toBe(200);
    const refs = response.json().items.map((item: { ref: string }) => item.ref);
    expect(refs.slice(0, 2).sort()).toEqual(['4.1', 'sdg-2025:3.2.1']);
    expect(response.json().items[0].reasons.length).toBeGreaterThan(0);
    expect((await get(people.member, `/threads/${thread.id}`)).thread.indicatorCodes).toEqual([]);
    expect((await api(t.app, people.member, 'POST', '/indicators/suggest', { text: 'x'.repeat(200_001) })).statusCode).toBe(400);
  });
});
