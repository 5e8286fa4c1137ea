import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { openTestDb, type TestDb } from '../support.js';
import { importFile, nationalCsv, nationalRow, populateRegister, unsdCsv, unsdRow, type Register } from './support.js';

/**
 * An import streams its accepted rows into a staging table and plans the cases a batch of series
 * at a time (so a large release is never held in memory): what that must not change. Nothing of a
 * refused file stays behind, staged rows of an import that never finished are dropped, and a
 * release larger than one planning batch opens, counts and re-pairs its cases as one.
 */

let t: TestApp;
let people: Register;
let db: TestDb;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  people = await populateRegister(t.app);
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const count = async (table: string) => db.prepare(`select count(*) from ${table}`).value<number>();
const international = (body: string, title: string) => importFile(t.app, people.secretariat.cookie, body, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title });
const national = (who: keyof Register, body: string) => importFile(t.app, people[who].cookie, body, { side: 'national', format: 'national_csv', title: 'Nacional' });

const AREAS = [
  ['152', 'Chile', 'CHL'],
  ['76', 'Brazil', 'BRA'],
  ['484', 'Mexico', 'MEX'],
  ['32', 'Argentina', 'ARG'],
  ['604', 'Peru', 'PER'],
] as const;
const YEARS = 34;
/** 36 series × 5 countries × 34 years: 6,120 values, several planning batches (about 1,000 values each). */
const SERIES = Array.from({ length: 36 }, (_, i) => `SH_STAGED_${i}`);
const value = (s: number, c: number, y: number) => 10 + s + c + y / 10;

function release(shift: (s: number, c: number, y: number) => number): string {
  const rows: string[] = [];
  SERIES.forEach((series, s) =>
    AREAS.forEach(([m49, name], c) => {
      for (let y = 0; y < YEARS; y++) rows.push(unsdRow(m49, name, 1990 + y, (value(s, c, y) + shift(s, c, y)).toFixed(2), series, '3.2'));
    }),
  );
  return unsdCsv(rows);
}

describe('staging an import', () => {
  it('leaves no staged row behind once a file is stored', async () => {
    const answer = await international(unsdCsv([unsdRow('152', 'Chile', 2010, '8.5')]), 'Small');
    expect(answer.statusCode, answer.body).toBe(201);
    expect(await count('discrepancy_import_rows')).toBe(0);
  });

  it('drops the rows it had staged when a row past the first chunks is refused, and stores nothing', async () => {
    const observations = await count('discrepancy_observations');
    const rows = Array.from({ length: 2_500 }, (_, i) => unsdRow('76', 'Brazil', 1900 + (i % 200), '12.5', `SH_REFUSED_${Math.floor(i / 200)}`));
    rows[2_400] = rows[2_400]!.replace(',12.5,', ',doce,');
    const answer = await international(unsdCsv(rows), 'Refused');
    expect(answer.statusCode).toBe(422);
    expect(answer.json().error.details).toMatchObject({ rows: 2_500, refusedRows: 1, errors: [{ row: 2_402, code: 'non_numeric_value' }] });
    expect(await count('discrepancy_import_rows')).toBe(0);
    expect(await count('discrepancy_observations')).toBe(observations);
  });

  it('drops the staged rows of a file that turns out malformed after its first chunks', async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => unsdRow('76', 'Brazil', 1900 + (i % 200), '12.5', `SH_BROKEN_${Math.floor(i / 200)}`));
    const answer = await international(`${unsdCsv(rows)}"an unclosed quote,`, 'Malformed');
    expect(answer.statusCode).toBe(422);
    expect(answer.json().error.details.errors[0]).toMatchObject({ code: 'malformed_csv' });
    expect(await count('discrepancy_import_rows')).toBe(0);
  });

  it('drops, at the next import, rows left an hour ago by an import that never finished; not those of one under way', async () => {
    const stage = db.prepare(
      "insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at) values (?, 'k', 'k', 'SH_X', 'CHL', 2010, '', '{}', ?)",
    );
    await stage.run('stopped-mid-file', Date.now() - 2 * 60 * 60 * 1000);
    await stage.run('under-way', Date.now() - 60 * 1000);
    expect((await international(unsdCsv([unsdRow('152', 'Chile', 2011, '8.4')]), 'Next')).statusCode).toBe(201);
    expect(await db.prepare('select import_id from discrepancy_import_rows').values()).toEqual(['under-way']);
    await db.prepare("delete from discrepancy_import_rows where import_id = 'under-way'").run();
  });

  it('drops a refused import’s staged rows once the answer is given, and only its own (another import under way keeps its rows)', async () => {
    await db
      .prepare("insert into discrepancy_import_rows (import_id, obs_key, series_key, series, country, year, reporting_type, data, created_at) values ('under-way', 'k', 'k', 'SH_X', 'CHL', 2010, '', '{}', ?)")
      .run(Date.now());
    // Three chunks staged before the last row is refused.
    const rows = Array.from({ length: 800 }, (_, i) => unsdRow('484', 'Mexico', 1900 + (i % 200), '3.5', `SH_ONCE_${Math.floor(i / 200)}`));
    rows.push(unsdRow('484', 'Mexico', 2000, 'tres', 'SH_ONCE_X'));
    const answer = await international(unsdCsv(rows), 'Refused at the end');
    expect(answer.statusCode).toBe(422);
    expect(answer.json().error.details).toMatchObject({ rows: 801, refusedRows: 1 });
    expect(await db.prepare('select import_id from discrepancy_import_rows').values()).toEqual(['under-way']);
    await db.prepare("delete from discrepancy_import_rows where import_id = 'under-way'").run();
  });

  it('refuses a delegation’s rows of another country by their row numbers, alongside the other refused rows', async () => {
    const answer = await national('brazil', nationalCsv([nationalRow('BRA', 2001, '14.0'), nationalRow('CHL', 2002, '7.1'), nationalRow('BRA', 2003, 'catorce'), nationalRow('MEX', 2004, '9.9')]));
    expect(answer.statusCode).toBe(422);
    expect(answer.json().error.details.errors).toEqual([
      expect.objectContaining({ row: 3, code: 'other_country', value: 'CHL' }),
      expect.objectContaining({ row: 4, code: 'non_numeric_value' }),
      expect.objectContaining({ row: 5, code: 'other_country', value: 'MEX' }),
    ]);
    expect(await count('discrepancy_import_rows')).toBe(0);
  });
});

describe('a release larger than one planning batch', () => {
  const gapped = (s: number, c: number, y: number) => (s * 1000 + c * 100 + y) % 10 === 0;
  const cases = async (query = '') => (await request(t.app, { url: `/api/discrepancies/cases?limit=1${query}`, cookie: people.secretariat.cookie })).json() as { total: number };

  it('stores every value of the release', async () => {
    const answer = await international(release(() => 0), 'Large 1');
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json().release).toMatchObject({ rowCount: 6_120, summary: { observations: 6_120, casesOpened: 0 } });
    expect(await db.prepare("select count(*) from discrepancy_observations where side = 'international' and series like 'SH_STAGED_%'").value()).toBe(6_120);
  });

  it('opens a case on every gap of a national file spanning every batch, and counts them all', async () => {
    const rows: string[] = [];
    let expected = 0;
    SERIES.forEach((series, s) =>
      AREAS.forEach(([, , iso3], c) => {
        for (let y = 0; y < YEARS; y++) {
          if (gapped(s, c, y)) expected += 1;
          rows.push(nationalRow(iso3, 1990 + y, (value(s, c, y) * (gapped(s, c, y) ? 0.8 : 1)).toFixed(2), series, '3.2'));
        }
      }),
    );
    expect(expected).toBeGreaterThan(500);
    const answer = await national('secretariat', nationalCsv(rows));
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json().release.summary).toMatchObject({ observations: 6_120, casesOpened: expected });
    expect((await cases('&indicator=3.2')).total).toBe(expected);
  });

  it('re-pairs the open cases of every batch on the next release and sums what changed', async () => {
    // Every value 0.01 higher: each open case changes value and stays beyond tolerance.
    const answer = await international(release(() => 0.01), 'Large 2');
    expect(answer.statusCode, answer.body).toBe(201);
    const opened = (await cases('&indicator=3.2')).total;
    expect(answer.json().release.summary).toMatchObject({ observations: 6_120, casesOpened: 0, changes: { value_changed: opened } });
    expect(await count('discrepancy_import_rows')).toBe(0);
  });

  it('replaces the keys a national file restates, in every batch, and says which cases are now within tolerance', async () => {
    const opened = (await cases('&indicator=3.2')).total;
    const rows: string[] = [];
    SERIES.forEach((series, s) =>
      AREAS.forEach(([, , iso3], c) => {
        for (let y = 0; y < YEARS; y++) rows.push(nationalRow(iso3, 1990 + y, (value(s, c, y) + 0.01).toFixed(2), series, '3.2'));
      }),
    );
    const answer = await national('secretariat', nationalCsv(rows));
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json().release.summary).toMatchObject({ observations: 6_120, casesOpened: 0, changes: { now_within_tolerance: opened } });
    expect(await db.prepare("select count(*) from discrepancy_observations where side = 'national' and series like 'SH_STAGED_%'").value()).toBe(6_120);
    expect(await count('discrepancy_import_rows')).toBe(0);
  });
});

describe('imports at the same moment', () => {
  const CONCURRENT = Array.from({ length: 3 }, (_, i) => `SH_CONCURRENT_${i}`);
  const file = (shift: number) =>
    unsdCsv(CONCURRENT.flatMap((series, s) => AREAS.flatMap(([m49, name], c) => Array.from({ length: 10 }, (_, y) => unsdRow(m49, name, 2000 + y, (10 + s + c + y / 10 + shift).toFixed(2), series, '3.3')))));
  const nationalFile = () =>
    nationalCsv(CONCURRENT.flatMap((series, s) => AREAS.flatMap(([, , iso3], c) => Array.from({ length: 10 }, (_, y) => nationalRow(iso3, 2000 + y, ((10 + s + c + y / 10) * 0.8).toFixed(2), series, '3.3')))));

  it('stores each, one after another, whatever the engine runs side by side: the last release replaces the others, the national file pairs with it', async () => {
    const answers = await Promise.all([international(file(0), 'Concurrent 1'), international(file(0.5), 'Concurrent 2'), national('secretariat', nationalFile()), international(file(1), 'Concurrent 3')]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body.slice(0, 300)).join('\n')).toEqual([201, 201, 201, 201]);
    const values = CONCURRENT.length * AREAS.length * 10;
    expect(await db.prepare("select count(*) from discrepancy_observations where side = 'international' and series like 'SH_CONCURRENT_%'").value()).toBe(values);
    expect(await db.prepare("select count(*) from discrepancy_observations where side = 'national' and series like 'SH_CONCURRENT_%'").value()).toBe(values);
    // Every national value is 20 % below any of the releases: one case per key, never two.
    expect(await db.prepare("select count(*) from discrepancy_cases where series = 'SH_CONCURRENT_0' or series = 'SH_CONCURRENT_1' or series = 'SH_CONCURRENT_2'").value()).toBe(values);
    expect(await count('discrepancy_import_rows')).toBe(0);
  });
});
