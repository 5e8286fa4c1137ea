import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, buildTestApp, request, setUpGroup, type TestApp } from '../helper.js';
import { openFicha } from './consultations/support.js';
import { myId } from './support.js';

/**
 * The audit log's entries for what takes sensitive figures out of their circle (issue 18): a
 * discrepancy case published to the whole group, and a consultation's answers exported as CSV or
 * XLSX. Each with who, what, when and from where, read back through the admin's audit log.
 */

let t: TestApp;
let clock = Date.parse('2026-05-11T13:00:00Z');
const people = {} as Record<'admin' | 'coordinator' | 'secretariat' | 'chile' | 'unicef', { id: string; cookie: string }>;

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => new Date(clock) });
  const adminCookie = await setUpGroup(t.app);
  people.admin = { id: await myId(t.app, adminCookie), cookie: adminCookie };
  people.coordinator = await addPerson(t.app, adminCookie, 'coordinator', {}, { displayName: 'Carla Coordinadora' });
  people.secretariat = await addPerson(t.app, adminCookie, 'secretariat', { organizationId: 'eclac' }, { displayName: 'Sergio Secretaría' });
  people.chile = await addPerson(t.app, adminCookie, 'member', { countryId: 'cl' }, { displayName: 'Camila Chile' });
  people.unicef = await addPerson(t.app, adminCookie, 'observer', { organizationId: 'unicef' }, { displayName: 'Úrsula UNICEF' });
});
afterAll(async () => t.close());

interface Entry {
  subjectKind: string;
  subjectId: string;
  actor: { id: string; displayName: string } | null;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
  at: string;
}
async function entries(query: string): Promise<Entry[]> {
  const response = await request(t.app, { url: `/api/admin/audit?${query}`, cookie: people.admin.cookie });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

describe('a discrepancy case published', () => {
  // UNSD's SDG API CSV layout (as tests/server/discrepancies/register.test.ts), one observation.
  const UNSD = 'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]\r\n'
    + '4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",152,Chile,2010,8.5,2010,,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS\r\n';
  const NATIONAL = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status\n4.1,SH_DYN_MORT,CHL,2010,10.5,PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,Estadísticas vitales,,A\n';
  const importFile = (who: keyof typeof people, body: string, query: Record<string, string>) =>
    request(t.app, { method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv' }, cookie: people[who].cookie });
  const act = (who: keyof typeof people, method: 'POST' | 'PUT', id: string, path: string, payload: unknown = {}, remoteAddress?: string) =>
    request(t.app, { method, url: `/api/discrepancies/cases/${id}/${path}`, payload: payload as Record<string, unknown>, cookie: people[who].cookie, ...(remoteAddress ? { remoteAddress } : {}) });

  it('is recorded with who published it, when, from where, and which case; a refused publication is not', async () => {
    expect((await importFile('secretariat', UNSD, { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'SDG 2026.Q2', releaseDate: '2026-06-30' })).statusCode).toBe(201);
    const national = await importFile('chile', NATIONAL, { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' });
    expect(national.statusCode, national.body).toBe(201);
    const listed = (await request(t.app, { url: '/api/discrepancies/cases', cookie: people.chile.cookie })).json().items as Array<{ id: string }>;
    expect(listed).toHaveLength(1);
    const id = listed[0]!.id;
    for (const [who, method, path, payload] of [
      ['chile', 'POST', 'status', { to: 'under_review' }],
      ['chile', 'PUT', 'causes', { primary: 'agency_model' }],
      ['chile', 'POST', 'status', { to: 'explained' }],
      ['unicef', 'PUT', 'explanation', { text: 'UN IGME models the series; Chile counts registered deaths.' }],
      ['chile', 'POST', 'agreement', {}],
      ['unicef', 'POST', 'agreement', {}],
      ['chile', 'POST', 'status', { to: 'documented' }],
    ] as const) {
      const response = await act(who, method, id, path, payload);
      expect(response.statusCode, `${path}: ${response.body}`).toBe(200);
    }
    // Refused (an observer may not publish): nothing recorded.
    expect((await act('unicef', 'POST', id, 'publish', {}, '192.0.2.9')).statusCode).toBe(403);
    expect(await entries(`action=discrepancy_case.published&subjectId=${id}`)).toEqual([]);

    clock += 60_000;
    expect((await act('chile', 'POST', id, 'publish', {}, '203.0.113.44')).statusCode).toBe(200);
    const recorded = await entries(`action=discrepancy_case.published&subjectId=${id}`);
    expect(recorded).toEqual([
      {
        id: expect.any(Number),
        subjectKind: 'discrepancy_case',
        subjectId: id,
        actor: { id: people.chile.id, displayName: 'Camila Chile' },
        action: 'discrepancy_case.published',
        details: { indicator: '4.1', series: 'SH_DYN_MORT', countryId: 'cl', year: 2010, status: 'documented' },
        ip: '203.0.113.44',
        at: new Date(clock).toISOString(),
      },
    ]);
    // Publishing again is refused and leaves the one entry.
    expect((await act('chile', 'POST', id, 'publish')).statusCode).toBe(409);
    expect(await entries(`action=discrepancy_case.published&subjectId=${id}`)).toHaveLength(1);
  });
});

describe('a consultation exported', () => {
  it('is recorded for each CSV and XLSX export, with who, the file, when and from where; a refused export is not', async () => {
    const id = await openFicha(t.app, people.coordinator);
    const get = (who: keyof typeof people, url: string, remoteAddress: string) => request(t.app, { url: `/api/consultations/${id}/${url}`, cookie: people[who].cookie, remoteAddress });

    expect((await get('chile', 'export.csv', '192.0.2.10')).statusCode).toBe(403);
    expect(await entries(`action=consultation.exported&subjectId=${id}`)).toEqual([]);

    clock += 60_000;
    const csv = await get('coordinator', 'export.csv?layout=long', '203.0.113.5');
    expect(csv.statusCode, csv.body).toBe(200);
    const csvAt = new Date(clock).toISOString();
    clock += 60_000;
    const xlsx = await get('secretariat', 'export.xlsx', '198.51.100.77');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // A file that does not exist is no export.
    expect((await get('coordinator', 'export.csv?layout=wide&file=99', '203.0.113.5')).statusCode).toBe(404);

    const recorded = await entries(`action=consultation.exported&subjectId=${id}`);
    expect(recorded.map(({ actor, details, ip, at, subjectKind }) => ({ actor: actor?.id, details, ip, at, subjectKind }))).toEqual([
      { actor: people.secretariat.id, details: { format: 'xlsx', layout: 'wide' }, ip: '198.51.100.77', at: new Date(clock).toISOString(), subjectKind: 'consultation' },
      { actor: people.coordinator.id, details: { format: 'csv', layout: 'long', file: expect.stringMatching(/\.csv$/) }, ip: '203.0.113.5', at: csvAt, subjectKind: 'consultation' },
    ]);
  });

  it('shows among the actions the admin can filter by', async () => {
    const response = await request(t.app, { url: '/api/admin/audit', cookie: people.admin.cookie });
    expect(response.json().actions).toEqual(expect.arrayContaining(['consultation.exported', 'discrepancy_case.published']));
  });
});
