import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ENGINE, type TestApp } from '../../helper.js';
import { expectError, openTestDb } from '../support.js';
import { api, categoryId, populate, reply, startThread, type Participant, type People } from './support.js';

let t: TestApp;
let people: People;
let general: string;
let training: string;
let threadId: string;
const ids: Record<string, string> = {};

interface Hit {
  threadId: string;
  threadTitle: string;
  postId: string;
  seq: number;
  categoryId: string;
  author: { id: string; countryId: string | null };
  snippetHtml: string;
}

const search = async (who: Participant, query: string): Promise<{ items: Hit[]; total: number }> => {
  const response = await api(t.app, who, 'GET', `/search?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const postIds = (result: { items: Hit[] }) => result.items.map((item) => item.postId).sort();

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  general = await categoryId(t.app, people.member, 'general');
  training = await categoryId(t.app, people.member, 'training');
  const started = await startThread(t.app, people.member, {
    categoryId: general,
    title: 'Estimaciones de población',
    body: 'Las proyecciones de **población** urbana difieren del censo.',
    indicatorCodes: ['7.10'],
  });
  threadId = started.thread.id;
  ids.opening = started.post.id;
  ids.mexican = (await reply(t.app, people.otherMember, threadId, 'En México la POBLACIÓN rural se mide con la encuesta <b>ENIGH</b> & otros.')).id;
  ids.hidden = (await reply(t.app, people.member, threadId, 'Dato confidencial de población indígena')).id;
  ids.withdrawn = (await reply(t.app, people.member, threadId, 'Borrador sobre población penitenciaria')).id;
  await api(t.app, people.coordinator, 'POST', `/posts/${ids.hidden}/hide`, { reason: 'Datos personales' });
  await api(t.app, people.member, 'POST', `/posts/${ids.withdrawn}/withdraw`, {});
  const other = await startThread(t.app, people.observer, { categoryId: training, title: 'Curso de muestreo', body: 'Taller sobre muestreo y población objetivo.' });
  ids.training = other.post.id;
});
afterAll(async () => t.close());

describe('GET /api/search', () => {
  it('is accent- and case-insensitive', async () => {
    const expected = [ids.opening, ids.mexican, ids.training].sort();
    expect(postIds(await search(people.observer, 'q=poblacion'))).toEqual(expected);
    expect(postIds(await search(people.observer, 'q=POBLACIÓN'))).toEqual(expected);
    expect(postIds(await search(people.observer, `q=${encodeURIComponent('PóBlAcIoN')}`))).toEqual(expected);
    expect(postIds(await search(people.observer, 'q=mexico'))).toEqual([ids.mexican]);
  });

  it('finds thread titles, and every word must match', async () => {
    expect(postIds(await search(people.observer, 'q=estimaciones'))).toEqual([ids.opening]);
    expect(postIds(await search(people.observer, 'q=poblacion%20rural'))).toEqual([ids.mexican]);
    expect((await search(people.observer, 'q=inexistente')).total).toBe(0);
  });

  it('highlights matches with <mark> and escapes everything else', async () => {
    const [hit] = (await search(people.observer, 'q=enigh')).items;
    expect(hit!.snippetHtml).toContain('<mark>ENIGH</mark>');
    expect(hit!.snippetHtml).toContain('&lt;b&gt;');
    expect(hit!.snippetHtml).toContain('&amp;');
    expect(hit!.snippetHtml.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(hit).toMatchObject({ threadId, threadTitle: 'Estimaciones de población', seq: 2, categoryId: general, author: { id: people.otherMember.id, countryId: 'mx' } });
  });

  it('never shows hidden posts to non-moderators, and withdrawn posts to nobody', async () => {
    for (const who of [people.member, people.otherMember, people.observer, people.secretariat]) {
      expect(postIds(await search(who, 'q=indigena'))).toEqual([]);
    }
    for (const who of [people.admin, people.coordinator]) {
      expect(postIds(await search(who, 'q=indigena'))).toEqual([ids.hidden]);
    }
    for (const who of [people.member, people.admin, people.coordinator]) {
      expect(postIds(await search(who, 'q=penitenciaria'))).toEqual([]);
    }
  });

  it('filters by category, author, country, indicator and date', async () => {
    expect(postIds(await search(people.observer, `q=poblacion&categoryId=${training}`))).toEqual([ids.training]);
    expect(postIds(await search(people.observer, `q=poblacion&authorId=${people.otherMember.id}`))).toEqual([ids.mexican]);
    expect(postIds(await search(people.observer, 'q=poblacion&countryId=cl'))).toEqual([ids.opening]);
    expect(postIds(await search(people.observer, 'q=poblacion&indicator=7.10'))).toEqual([ids.opening, ids.mexican].sort());
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await search(people.observer, `q=poblacion&from=${encodeURIComponent(future)}`)).total).toBe(0);
    expect((await search(people.observer, `q=poblacion&to=${encodeURIComponent(future)}`)).total).toBe(3);
  });

  it('follows edits and retitles, and pages with limit/offset and a total', async () => {
    await api(t.app, people.otherMember, 'PATCH', `/posts/${ids.mexican}`, { body: 'Ahora hablamos de vivienda.' });
    expect(postIds(await search(people.observer, 'q=enigh'))).toEqual([]);
    expect(postIds(await search(people.observer, 'q=vivienda'))).toEqual([ids.mexican]);
    await api(t.app, people.member, 'PATCH', `/threads/${threadId}`, { title: 'Proyecciones demográficas' });
    expect(postIds(await search(people.observer, 'q=demograficas'))).toEqual([ids.opening]);
    const page = await search(people.observer, 'q=poblacion&limit=1&offset=1');
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
  });

  it('treats query syntax as plain words', async () => {
    for (const q of ['"unbalanced', 'NEAR(a b', 'title:x', 'a OR b AND NOT c', '*', '-poblacion', '^x']) {
      expect((await api(t.app, people.observer, 'GET', `/search?q=${encodeURIComponent(q)}`)).statusCode).toBe(200);
    }
    expectError(await api(t.app, people.observer, 'GET', '/search'), 400, 'validation_failed');
  });
});

describe('GET /api/search: word forms', () => {
  const forms: Record<string, string> = {};

  beforeAll(async () => {
    const thread = await startThread(t.app, people.member, { categoryId: general, title: 'Revisión de series', body: 'Las cifras nacionales de 2020 difieren.' });
    forms.plural = thread.post.id;
    forms.singular = (await reply(t.app, people.otherMember, thread.thread.id, 'La cifra nacional es la oficial.')).id;
    forms.accented = (await reply(t.app, people.member, thread.thread.id, 'Las naciones revisan la población y la estimación con un indicador propio.')).id;
    forms.unaccented = (await reply(t.app, people.otherMember, thread.thread.id, 'Revisamos las estimaciones de poblaciones indigenas.')).id;
    forms.english = (await reply(t.app, people.observer, thread.thread.id, 'The agency estimated the rate; our estimates differ from that estimation.')).id;
  });

  it('finds plural and singular forms of Spanish words, the exact form first', async () => {
    const found = await search(people.observer, `q=${encodeURIComponent('cifra nacional')}`);
    expect(found.items.map((item) => item.postId)).toEqual([forms.singular, forms.plural]);
    expect(found.items[1]!.snippetHtml).toContain('<mark>cifras</mark> <mark>nacionales</mark>');
    expect(postIds(await search(people.observer, `q=${encodeURIComponent('cifras nacionales')}`))).toEqual([forms.plural, forms.singular].sort());
  });

  it('matches word forms with and without accents, both ways', async () => {
    const find = async (q: string) => postIds(await search(people.observer, `q=${encodeURIComponent(q)}`));
    for (const q of ['poblaciones', 'POBLACIONES', 'estimaciones', 'indicadores', 'naciones']) expect(await find(q), q).toContain(forms.accented);
    // A form before the last word (which is also a prefix): "estimacion" does not begin "estimaciones".
    for (const q of ['estimacion poblaciones', 'estimación poblaciones', 'ESTIMACIÓN POBLACIÓN']) expect(await find(q), q).toEqual([forms.accented, forms.unaccented].sort());
    expect(await find('indicadores revisan')).toEqual([forms.accented]);
  });

  it('finds English word forms', async () => {
    for (const q of ['estimate', 'estimates', 'estimated', 'estimation']) {
      expect(postIds(await search(people.observer, `q=${q}`)), q).toContain(forms.english);
    }
    const [hit] = (await search(people.observer, 'q=estimate')).items;
    expect(hit!.snippetHtml).toContain('<mark>estimated</mark>');
    expect(hit!.snippetHtml).toContain('<mark>estimation</mark>');
  });

  it('brings together forms that PostgreSQL\'s own stemming keeps apart: año and años, estimación and estimaciones', async () => {
    const thread = await startThread(t.app, people.member, { categoryId: general, title: 'Mortalidad infantil', body: 'Niños menores de cinco años, por año de nacimiento.' });
    const other = (await reply(t.app, people.otherMember, thread.thread.id, 'La estimación del ano base.')).id;
    const find = async (q: string) => postIds(await search(people.observer, `q=${encodeURIComponent(q)}`));
    expect(await find('anos menores')).toEqual([thread.post.id]);
    expect(await find('año nino')).toEqual([thread.post.id]);
    expect(await find('estimaciones base')).toEqual([other]);
  });

  it('still needs every word', async () => {
    expect((await search(people.observer, `q=${encodeURIComponent('cifras vivienda')}`)).total).toBe(0);
  });

  // On PostgreSQL the remembered answers' generation is the write-ahead log's position, which another
  // instance's write moves too (here a second connection plays that instance). On SQLite another
  // process's posts reach the cache through the cache registry's events instead (tests/server/cache-registry.test.ts).
  it.skipIf(TEST_ENGINE !== 'postgres')('forgets a remembered answer once another instance writes', async () => {
    const post = await reply(t.app, people.member, threadId, 'Cobertura de vacunación contra el sarampión.');
    expect(postIds(await search(people.observer, 'q=sarampion'))).toEqual([post.id]);
    expect(postIds(await search(people.observer, 'q=sarampion'))).toEqual([post.id]);
    const other = openTestDb(t);
    try {
      await other.prepare("update posts set state = 'hidden' where id = ?").run(post.id);
    } finally {
      await other.close();
    }
    expect(postIds(await search(people.observer, 'q=sarampion'))).toEqual([]);
  });
});
