import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { caseOf, importCases, populateRegister, publishCase, type Register, type Who } from './support.js';

/**
 * The matrix: answers remembered per group, reader class and filter, with an ETag; a change to a
 * case or a new release makes a fresh answer (never a 304 for the old one); readers of another
 * class never get another class's answer; the filters by goal, cause, status and agency.
 */

let t: TestApp;
let people: Register;

interface Matrix {
  by: string;
  rows: string[];
  countries: string[];
  cells: Array<{ row: string; countryId: string; cases: number; status: string; gap: number; published: number }>;
}
const matrix = (who: Who, query = '', headers: Record<string, string> = {}) => request(t.app, { url: `/api/discrepancies/matrix${query}`, cookie: people[who].cookie, headers });
const cellsOf = async (who: Who, query = '') => {
  const answer = await matrix(who, query);
  expect(answer.statusCode, answer.body).toBe(200);
  return (answer.json() as Matrix).cells.map((c) => `${c.row}/${c.countryId}/${c.cases}/${c.status}`).sort();
};

beforeAll(async () => {
  t = await buildTestApp();
  people = await populateRegister(t.app);
  await importCases(t.app, people);
});

afterAll(async () => {
  await t.close();
});

describe('the matrix, remembered', () => {
  it('answers with an ETag and a 304 to a reader who has it', async () => {
    const first = await matrix('coordinator');
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await matrix('coordinator', '', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // The same bytes, compressed for a browser.
    const compressed = await matrix('coordinator', '', { 'accept-encoding': 'gzip' });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(compressed.rawPayload).toString('utf8'))).toEqual(first.json());
  });

  it('a status change makes a new answer and a new ETag at once (no 304 for the old one)', async () => {
    const before = await matrix('secretariat', '?indicator=4.1');
    const etag = before.headers.etag as string;
    const cell = (before.json() as Matrix).cells.find((c) => c.countryId === 'cl' && c.row === '2010')!;
    expect(cell.status).toBe('identified');
    const chile2010 = await caseOf(t.app, people.chile.cookie, '4.1', 'cl', 2010);
    const moved = await request(t.app, { method: 'POST', url: `/api/discrepancies/cases/${chile2010.id}/status`, cookie: people.chile.cookie, payload: { to: 'under_review' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = await matrix('secretariat', '?indicator=4.1', { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect((after.json() as Matrix).cells.find((c) => c.countryId === 'cl' && c.row === '2010')!.status).toBe('under_review');
  });

  it('a new release makes a new answer', async () => {
    const etag = (await matrix('coordinator')).headers.etag as string;
    const { importFile, unsdCsv, unsdRow } = await import('./support.js');
    const answer = await importFile(t.app, people.secretariat.cookie, unsdCsv([unsdRow('32', 'Argentina', 2010, '50')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'Argentina only', });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await matrix('coordinator', '', { 'if-none-match': etag })).statusCode).toBe(200);
  });

  it('each reader class gets its own answer: Brazil never sees Chile’s unpublished cells, nor their ETag', async () => {
    // Brazil asks first, then Chile: neither answer is the other's.
    expect(await cellsOf('brazil')).toEqual(['4.1/br/1/identified']);
    expect(await cellsOf('chile')).toEqual(['2.1/cl/1/identified', '4.1/cl/2/identified']);
    expect(await cellsOf('brazil')).toEqual(['4.1/br/1/identified']);
    expect(await cellsOf('ilo')).toEqual([]);
    expect(await cellsOf('unicef')).toEqual(['2.1/cl/1/identified', '4.1/br/1/identified', '4.1/cl/2/identified']);
    const chileEtag = (await matrix('chile')).headers.etag as string;
    expect((await matrix('brazil', '', { 'if-none-match': chileEtag })).statusCode).toBe(200);
  });

  it('publication widens it: Brazil then sees the published cell', async () => {
    const chile2009 = await caseOf(t.app, people.chile.cookie, '4.1', 'cl', 2009);
    const brazilEtag = (await matrix('brazil')).headers.etag as string;
    await publishCase(t.app, people, chile2009.id);
    const after = await matrix('brazil', '', { 'if-none-match': brazilEtag });
    expect(after.statusCode).toBe(200);
    expect((after.json() as Matrix).cells.map((c) => `${c.row}/${c.countryId}/${c.cases}/${c.status}/${c.published}`).sort()).toEqual(['4.1/br/1/identified/0', '4.1/cl/1/documented/1']);
  });
});

describe('the matrix, filtered', () => {
  it('by goal, cause, status and agency', async () => {
    expect(await cellsOf('coordinator', '?goal=2')).toEqual(['2.1/cl/1/identified']);
    expect(await cellsOf('coordinator', '?goal=4')).toEqual(['4.1/br/1/identified', '4.1/cl/2/under_review']);
    // The published case's primary cause is agency_estimate, its secondary population_base.
    expect(await cellsOf('coordinator', '?cause=agency_estimate')).toEqual(['4.1/cl/1/documented']);
    expect(await cellsOf('coordinator', '?cause=population_base')).toEqual(['4.1/cl/1/documented']);
    expect(await cellsOf('coordinator', '?cause=units')).toEqual([]);
    expect(await cellsOf('coordinator', '?status=under_review')).toEqual(['4.1/cl/1/under_review']);
    expect(await cellsOf('coordinator', '?agencyId=unicef&goal=2')).toEqual(['2.1/cl/1/identified']);
    expect(await cellsOf('coordinator', '?agencyId=ilo')).toEqual([]);
  });

  it('refuses a malformed filter with a 400', async () => {
    for (const query of ['?goal=4%25', '?cause=nonsense', `?agencyId=${'x'.repeat(65)}`]) {
      const answer = await matrix('coordinator', query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json().error.code).toBeTruthy();
    }
  });
});
