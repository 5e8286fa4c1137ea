import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { caseOf, importCases, populateRegister, publishCase, type Register, type Who } from './support.js';

/**
 * The register's exports, read back by readers independent of the writer: CSV with csv-parse, XLSX
 * by unzipping the workbook and reading its sheet XML (not with exceljs, which wrote it). Accents
 * and figures must come back intact; each export holds only what the caller may see.
 */

let t: TestApp;
let people: Register;
const get = (who: Who, url: string) => request(t.app, { url, cookie: people[who].cookie });

/** The cells of a workbook's sheet as text, rows of columns, from its XML (shared strings resolved). */
function sheetRows(xlsx: Buffer, sheet = 1): string[][] {
  const files = unzipSync(new Uint8Array(xlsx));
  const shared = files['xl/sharedStrings.xml'] ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')) : [];
  const xml = strFromU8(files[`xl/worksheets/sheet${sheet}.xml`]!);
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells: string[] = [];
    for (const cell of row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const column = [...cell[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const value = /<v>([\s\S]*?)<\/v>/.exec(cell[3] ?? '')?.[1] ?? /<t[^>]*>([\s\S]*?)<\/t>/.exec(cell[3] ?? '')?.[1] ?? '';
      cells[column] = unescape(/t="s"/.test(cell[2]!) ? shared[Number(value)]! : value);
    }
    return Array.from(cells, (c) => c ?? '');
  });
}

const csvRows = (body: string, delimiter = ',') => {
  expect(body.charCodeAt(0)).toBe(0xfeff);
  return parse(body.slice(1), { delimiter, relax_column_count: false }) as string[][];
};

beforeAll(async () => {
  t = await buildTestApp();
  people = await populateRegister(t.app);
  await importCases(t.app, people);
  // Chile 2009 published (with an accented explanation and causes); the others not.
  await publishCase(t.app, people, (await caseOf(t.app, people.chile.cookie, '4.1', 'cl', 2009)).id);
});

afterAll(async () => {
  await t.close();
});

describe('cases as CSV and XLSX', () => {
  it('CSV in English: every case the secretariat sees, figures and accents intact', async () => {
    const answer = await get('secretariat', '/api/discrepancies/exports/cases?format=csv');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toContain('text/csv');
    expect(answer.headers['content-disposition']).toContain('discrepancy-cases.csv');
    const [header, ...rows] = csvRows(answer.body);
    expect(header).toContain('National value');
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(4);
    const chile2010 = rows.find((r) => r[col('Indicator')] === '4.1' && r[col('Country')] === 'CHL' && r[col('Year')] === '2010')!;
    expect(Number(chile2010[col('National value')])).toBe(7.4);
    expect(Number(chile2010[col('International value')])).toBe(8.5);
    expect(Number(chile2010[col('Difference (international − national)')])).toBeCloseTo(1.1, 9);
    const chile2009 = rows.find((r) => r[col('Year')] === '2009')!;
    expect(chile2009[col('Status')]).toBe('Documented (side by side)');
    expect(chile2009[col('Primary cause')]).toBe('Estimate by the agency (E)');
    expect(chile2009[col('Published')]).toBe('yes');
  });

  it('CSV in Spanish: semicolons, decimal commas, Spanish labels with accents', async () => {
    const answer = await get('chile', '/api/discrepancies/exports/cases?format=csv&lang=es&indicator=4.1');
    const [header, ...rows] = csvRows(answer.body, ';');
    expect(header).toContain('País');
    expect(header).toContain('Causas secundarias');
    const col = (name: string) => header!.indexOf(name);
    // Chile's delegation: its two 4.1 cases; not Brazil's.
    expect(rows.map((r) => `${r[col('País')]} ${r[col('Año')]}`).sort()).toEqual(['CHL 2009', 'CHL 2010']);
    const published = rows.find((r) => r[col('Año')] === '2009')!;
    expect(published[col('Valor nacional')]).toBe('7,9');
    expect(published[col('Causas secundarias')]).toBe('Base de población o proyecciones');
    expect(published[col('Estado')]).toBe('Documentado (lado a lado)');
  });

  it('filters as the list does (status, cause, goal), and shows Brazil only its own and the published', async () => {
    const rowsOf = async (who: Who, query: string) => csvRows((await get(who, `/api/discrepancies/exports/cases?format=csv${query}`)).body).slice(1);
    expect(await rowsOf('secretariat', '&status=identified')).toHaveLength(3);
    expect(await rowsOf('secretariat', '&cause=population_base')).toHaveLength(1);
    expect(await rowsOf('secretariat', '&goal=2')).toHaveLength(1);
    const brazil = await rowsOf('brazil', '');
    expect(brazil.map((r) => `${r[3]} ${r[4]}`).sort()).toEqual(['BRA 2010', 'CHL 2009']);
    expect(await rowsOf('ilo', '')).toHaveLength(1);
  });

  it('XLSX read back from its sheet XML (not by exceljs): numbers as numbers, accents intact', async () => {
    const answer = await get('coordinator', '/api/discrepancies/exports/cases?format=xlsx&lang=es');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('spreadsheetml');
    const [header, ...rows] = sheetRows(answer.rawPayload);
    expect(header).toContain('Valor internacional');
    const col = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(4);
    const brazil = rows.find((r) => r[col('País')] === 'BRA')!;
    expect(Number(brazil[col('Valor nacional')])).toBe(14.2);
    expect(Number(brazil[col('Valor internacional')])).toBe(18.9);
    expect(rows.find((r) => r[col('Año')] === '2009')![col('Causa principal')]).toBe('Estimación del organismo (E)');
  });
});

describe('the matrix as CSV and XLSX', () => {
  it('CSV: one line per cell, as the caller sees the matrix', async () => {
    const [header, ...rows] = csvRows((await get('coordinator', '/api/discrepancies/exports/matrix?format=csv')).body);
    expect(header).toEqual(['Indicator', 'Country', 'Cases', 'Status', 'Largest gap', 'Published']);
    expect(rows.map((r) => `${r[0]}/${r[1]}/${r[2]}/${r[3]}/${r[5]}`).sort()).toEqual(['2.1/cl/1/Identified/0', '4.1/br/1/Identified/0', '4.1/cl/2/Identified/1']);
    const brazil = csvRows((await get('brazil', '/api/discrepancies/exports/matrix?format=csv')).body).slice(1);
    expect(brazil.map((r) => `${r[0]}/${r[1]}/${r[2]}`).sort()).toEqual(['4.1/br/1', '4.1/cl/1']);
  });

  it('XLSX: the grid (cases per cell) and the cells, read from the sheet XML', async () => {
    const answer = await get('coordinator', '/api/discrepancies/exports/matrix?format=xlsx&indicator=4.1&lang=es');
    const grid = sheetRows(answer.rawPayload, 1);
    expect(grid[0]).toEqual(['Año', 'br', 'cl']);
    expect(grid.slice(1)).toEqual([
      ['2009', '', '1'],
      ['2010', '1', '1'],
    ]);
    const cells = sheetRows(answer.rawPayload, 2);
    expect(cells[0]).toEqual(['Año', 'País', 'Casos', 'Estado', 'Mayor brecha', 'Publicado']);
    expect(cells.find((r) => r[0] === '2009')![3]).toBe('Documentado (lado a lado)');
  });
});

describe('the printable note', () => {
  it('a published case’s note for anyone of the group: both values, causes, explanation, the chart as SVG and a table', async () => {
    const chile2009 = await caseOf(t.app, people.chile.cookie, '4.1', 'cl', 2009);
    const answer = await get('brazil', `/api/discrepancies/cases/${chile2009.id}/note?lang=es`);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    expect(answer.headers['content-security-policy']).not.toContain('script');
    const html = answer.body;
    expect(html).toContain('Indicador 4.1 · CHL · 2009');
    expect(html).toContain('Valor nacional');
    expect(html).toMatch(/<p class="value">7,9<\/p>/);
    expect(html).toMatch(/<p class="value">8,7<\/p>/);
    expect(html).toContain('Estimación del organismo (E)');
    expect(html).toContain('El país usa registros vitales; la agencia, un modelo (UN IGME).');
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toMatch(/<path class="nat" d="M[\d.,]+/);
    expect(html).toMatch(/<path class="int" d="M[\d.,]+/);
    expect(html).toContain('<tr class="case-year"><td>2009</td><td>7,9</td><td>8,7</td>');
    expect(html).not.toContain('<script');
  });

  it('an unpublished case’s note only for its audience; others get the 404 the case gives', async () => {
    const brazil2010 = await caseOf(t.app, people.brazil.cookie, '4.1', 'br', 2010);
    for (const who of ['brazil', 'coordinator', 'secretariat', 'unicef'] as const) expect((await get(who, `/api/discrepancies/cases/${brazil2010.id}/note`)).statusCode, who).toBe(200);
    for (const who of ['chile', 'ilo', 'admin'] as const) expect((await get(who, `/api/discrepancies/cases/${brazil2010.id}/note`)).statusCode, who).toBe(404);
    expect((await request(t.app, { url: `/api/discrepancies/cases/${brazil2010.id}/note` })).statusCode).toBe(401);
    expect((await get('brazil', `/api/discrepancies/cases/${brazil2010.id}/note`)).body).toContain('No publicado');
  });

  it('escapes what people typed', async () => {
    const chile2010 = await caseOf(t.app, people.chile.cookie, '4.1', 'cl', 2010);
    const written = await request(t.app, { method: 'PUT', url: `/api/discrepancies/cases/${chile2010.id}/explanation`, cookie: people.chile.cookie, payload: { text: '<script>alert(1)</script> & «fin»' } });
    expect(written.statusCode, written.body).toBe(200);
    const html = (await get('chile', `/api/discrepancies/cases/${chile2010.id}/note?lang=en`)).body;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; «fin»');
    expect(html).not.toContain('<script>');
  });

  it('refuses bad input with a 400', async () => {
    expect((await get('coordinator', '/api/discrepancies/exports/cases?format=pdf')).statusCode).toBe(400);
    expect((await get('coordinator', '/api/discrepancies/exports/matrix')).statusCode).toBe(400);
    expect((await get('coordinator', '/api/discrepancies/exports/cases?format=csv&cause=nope')).statusCode).toBe(400);
  });
});
