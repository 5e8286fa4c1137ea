import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../server/plugins/sessions/index.js';
import { validationTableQuestion } from '../../../server/features/consultations/domain/validation-round.js';
import type { AnswerChange, RowDefinition } from '../../../server/features/consultations/domain/schemas.js';
import { request, type TestApp } from '../../helper.js';
import { buildMeetingsApp, TestClock } from '../meetings/support.js';
import { call, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * A data validation round end to end (issue 15, must-show 3), on a real database: the table of
 * each country is made from the discrepancy register's international values when the round opens;
 * Chile confirms one value, explains another (the case already open on it takes the cause and
 * text and moves to "explained") and corrects a third with a national value (a case is opened);
 * every case touched links back to Chile's answer; a resubmission updates the same cases.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-validation-round-'));
const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
let t: TestApp;
let people: ConsultationPeople;
let id: string;

/** UNSD's SDG API CSV layout, as tests/server/discrepancies/register.test.ts writes it. */
const UNSD_HEADER =
  'Goal,Target,Indicator,SeriesCode,SeriesDescription,GeoAreaCode,GeoAreaName,TimePeriod,Value,Time_Detail,TimeCoverage,UpperBound,LowerBound,BasePeriod,Source,GeoInfoUrl,FootNote,[Age],[Location],[Nature],[Reporting Type],[Sex],[Units]';
const unsdCsv = (rows: string[]) => `${UNSD_HEADER}\r\n${rows.join('\r\n')}\r\n`;
const HEADER_ROW = (area: string, name: string, year: number, value: string) =>
  `4,4.A,4.1,SH_DYN_MORT,"Under-five mortality rate (deaths per 1,000 live births)",${area},${name},${year},${value},${year},,,,,"UN IGME, estimates 2025",,"Model estimate.",<5Y,ALLAREA,E,G,_T,PER_1000_LIVE_BIRTHS`;
const NATIONAL = 'indicator,series,country,year,value,unit,unit_mult,sex,age,location,other_disaggregation,source_type,source_detail,footnote,obs_status\n4.1,SH_DYN_MORT,CHL,2009,11.2,PER_1000_LIVE_BIRTHS,0,_T,Y_LT5,_T,,civil_registration,Estadísticas vitales,,A\n';

const csvImport = (cookie: string, body: string, query: Record<string, string>) =>
  request(t.app, { method: 'POST', url: `/api/discrepancies/releases?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/csv' }, cookie });

type Case = { id: string; year: number; status: string; nationalValue: number; internationalValue: number; primaryCause: string | null };
const casesOf = async (who: ConsultationPeople['member']) => (await call(t.app, who, 'GET', '/discrepancies/cases?countryId=cl')).json().items as Case[];
const draftOf = async (who: ConsultationPeople['member']) => {
  const response = await call(t.app, who, 'GET', `/consultations/${id}/draft`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { draft: { revision: number }; generatedRows: Record<string, RowDefinition[]> };
};
const rowOf = (rows: RowDefinition[], year: number) => rows.find((row) => row.given?.year === year)!;
const cells = (rowId: string, values: Record<string, string | number>): AnswerChange[] => Object.entries(values).map(([column, cell]) => ({ question: 'values', row: rowId, column, cell }));

beforeAll(async () => {
  t = await buildMeetingsApp(clock, dataDir);
  people = await populateConsultations(t.app);
  // The international side: UNICEF's values for Chile (2008-2010) and Mexico (2010), and one year outside the round.
  const international = await csvImport(people.secretariat.cookie, unsdCsv([HEADER_ROW('152', 'Chile', 2008, '8.9'), HEADER_ROW('152', 'Chile', 2009, '8.7'), HEADER_ROW('152', 'Chile', 2010, '8.5'), HEADER_ROW('152', 'Chile', 2011, '8.1'), HEADER_ROW('484', 'Mexico', 2010, '16.1')]), {
    side: 'international',
    format: 'unsd_csv',
    agencyId: 'unicef',
    title: 'SDG Global Database 2026.Q2',
  });
  expect(international.statusCode, international.body).toBe(201);
  // Chile's 2009 value already differs beyond tolerance: a case is open on it.
  const national = await csvImport(people.member.cookie, NATIONAL, { side: 'national', format: 'national_csv', title: 'Estadísticas vitales' });
  expect(national.statusCode, national.body).toBe(201);
}, 60_000);
afterAll(async () => {
  await t.app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a data validation round', () => {
  it('takes the round’s own columns for a generated table, whatever the builder sent', async () => {
    const question = { ...validationTableQuestion('values', undefined, { series: ['SH_DYN_MORT'], years: [2010] }), columns: [{ id: 'c1', type: 'text', label: { es: 'Otra', en: 'Other' }, required: false }] };
    const created = await call(t.app, people.secretariat, 'POST', '/consultations', { title: { es: 'Prueba', en: 'Test' }, deadline: { date: '2026-06-30', time: '23:59', zone: 'America/Santiago' }, questionnaire: { sections: [{ id: 'check', title: { es: 'V', en: 'V' }, questions: [question] }] } });
    expect(created.statusCode, created.body).toBe(201);
    const columns = created.json().consultation.questionnaire.sections[0].questions[0].columns.map((column: { id: string }) => column.id);
    expect(columns).toEqual(validationTableQuestion('x').columns.map((column) => column.id));
  });

  it('is built as a questionnaire whose table the register fills for each country when it opens', async () => {
    const created = await call(t.app, people.secretariat, 'POST', '/consultations', {
      title: { es: 'Validación de datos ODS 2026', en: 'SDG data validation 2026' },
      deadline: { date: '2026-06-30', time: '23:59', zone: 'America/Santiago' },
      targets: ['cl', 'mx', 'unicef'],
      questionnaire: { sections: [{ id: 'check', title: { es: 'Valores', en: 'Values' }, questions: [validationTableQuestion('values', undefined, { series: ['SH_DYN_MORT'], years: [2008, 2009, 2010] })] }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().consultation.id;
    const opened = await call(t.app, people.secretariat, 'POST', `/consultations/${id}/open`);
    expect(opened.statusCode, opened.body).toBe(200);

    const chile = await draftOf(people.member);
    const rows = chile.generatedRows.values!;
    expect(rows.map((row) => row.given?.year)).toEqual([2008, 2009, 2010]);
    expect(rowOf(rows, 2010).given).toMatchObject({ series: 'SH_DYN_MORT', indicator: '4.1', international_value: 8.5, unit: 'PER_1000_LIVE_BIRTHS', nature: 'E' });
    expect(rowOf(rows, 2010).label.es).toContain('2010');
    const mexico = await draftOf(people.otherMember);
    expect(mexico.generatedRows.values!.map((row) => [row.given?.year, row.given?.international_value])).toEqual([[2010, 16.1]]);
  });

  it('keeps the rows it opened with, whatever the register imports later', async () => {
    const later = await csvImport(people.secretariat.cookie, unsdCsv([HEADER_ROW('152', 'Chile', 2008, '9.9'), HEADER_ROW('152', 'Chile', 2009, '8.7'), HEADER_ROW('152', 'Chile', 2010, '8.5')]), { side: 'international', format: 'unsd_csv', agencyId: 'unicef', title: 'Revision' });
    expect(later.statusCode, later.body).toBe(201);
    const rows = (await draftOf(people.member)).generatedRows.values!;
    expect(rowOf(rows, 2008).given?.international_value).toBe(8.9);
  });

  it('refuses a row the table does not offer and a correction without its national value, keeping the draft', async () => {
    const rows = (await draftOf(people.member)).generatedRows.values!;
    const base = (await draftOf(people.member)).draft.revision;
    const unknown = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, { base, changes: cells('v2030-0000000000000000', { action: 'confirm' }) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('answer_invalid');

    const incomplete = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, { base, changes: cells(rowOf(rows, 2010).id, { action: 'correct' }) });
    expect(incomplete.statusCode, incomplete.body).toBe(200);
    const revision = incomplete.json().draft.revision;
    const refused = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('answers_invalid');
    expect(JSON.stringify(refused.json().error.details)).toContain('national_value');
    expect((await draftOf(people.member)).draft.revision).toBe(revision);
    expect((await casesOf(people.secretariat)).map((c) => c.year)).toEqual([2009]);
  });

  it('on submission opens a case for a correction, explains the open one, and links both back to the answer', async () => {
    const rows = (await draftOf(people.member)).generatedRows.values!;
    const base = (await draftOf(people.member)).draft.revision;
    const saved = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, {
      base,
      changes: [
        ...cells(rowOf(rows, 2008).id, { action: 'confirm' }),
        ...cells(rowOf(rows, 2009).id, { action: 'explain', cause: 'different_source', explanation: 'Las estadísticas vitales cubren todo el país; la estimación del organismo usa un modelo.' }),
        ...cells(rowOf(rows, 2010).id, { national_value: 12, national_unit: 'PER_1000_LIVE_BIRTHS', national_source: 'Estadísticas vitales 2010, INE' }),
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // The register's matrix, remembered before the submission, must not be answered from memory after it.
    const matrixBefore = await call(t.app, people.secretariat, 'GET', '/discrepancies/matrix');
    expect(matrixBefore.statusCode, matrixBefore.body).toBe(200);
    const submitted = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const matrixAfter = await call(t.app, people.secretariat, 'GET', '/discrepancies/matrix');
    expect(matrixAfter.headers.etag).not.toBe(matrixBefore.headers.etag);
    expect(matrixAfter.body).not.toBe(matrixBefore.body);

    const cases = await casesOf(people.secretariat);
    const explained = cases.find((c) => c.year === 2009)!;
    const opened = cases.find((c) => c.year === 2010)!;
    expect(cases.map((c) => c.year).sort()).toEqual([2009, 2010]);
    expect(explained).toMatchObject({ status: 'explained', primaryCause: 'different_source', nationalValue: 11.2, internationalValue: 8.7 });
    expect(opened).toMatchObject({ status: 'identified', nationalValue: 12, internationalValue: 8.5 });
    const detail = (await call(t.app, people.member, 'GET', `/discrepancies/cases/${explained.id}`)).json();
    expect(JSON.stringify(detail)).toContain('Las estadísticas vitales cubren todo el país');
    const openedDetail = (await call(t.app, people.member, 'GET', `/discrepancies/cases/${opened.id}`)).json();
    expect(JSON.stringify(openedDetail)).toContain('Estadísticas vitales 2010, INE');

    // Each case links back to Chile's answer; the answer is described to Chile and the organizers only.
    for (const c of [explained, opened]) expect(await t.app.links.targets({ kind: 'discrepancy_case', id: c.id }, 'raised_in')).toEqual([{ kind: 'consultation_answer', id: `${id}.cl` }]);
    const groupId = await groupIdOf();
    const reader = (who: { id: string }, role: SessionUser['role'], countryId: string | null) => ({ id: who.id, groupId, role, countryId, organizationId: null, locale: 'es' }) as unknown as SessionUser;
    const answer = [{ kind: 'consultation_answer', id: `${id}.cl` }];
    expect([...(await t.app.subjects.describe(reader(people.member, 'member', 'cl'), answer, 'es')).values()].map((s) => s.href)).toEqual([`/consultations/${id}`]);
    expect((await t.app.subjects.describe(reader(people.otherMember, 'member', 'mx'), answer, 'es')).size).toBe(0);

    // The submission says, row by row, what the register made of it.
    const view = (await call(t.app, people.secretariat, 'GET', `/consultations/${id}/respondents/cl`)).json();
    expect(view.submissions[0].validation).toEqual([
      { question: 'values', row: rowOf(rows, 2008).id, action: 'confirm', outcome: 'confirmed', caseId: null },
      { question: 'values', row: rowOf(rows, 2009).id, action: 'explain', outcome: 'explained', caseId: explained.id },
      { question: 'values', row: rowOf(rows, 2010).id, action: 'correct', outcome: 'opened', caseId: opened.id },
    ]);
  });

  it('a resubmission updates the same cases and keeps one link back', async () => {
    const rows = (await draftOf(people.member)).generatedRows.values!;
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/reopen`)).statusCode).toBe(200);
    const base = (await draftOf(people.member)).draft.revision;
    const saved = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, { base, changes: cells(rowOf(rows, 2010).id, { national_value: 12.5 }) });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const cases = await casesOf(people.secretariat);
    expect(cases).toHaveLength(2);
    const opened = cases.find((c) => c.year === 2010)!;
    expect(opened.nationalValue).toBe(12.5);
    expect(await t.app.links.targets({ kind: 'discrepancy_case', id: opened.id }, 'raised_in')).toHaveLength(1);
    const view = (await call(t.app, people.member, 'GET', `/consultations/${id}/respondents/cl`)).json();
    expect(view.submissions[1].validation.find((line: { row: string }) => line.row === rowOf(rows, 2010).id)).toMatchObject({ outcome: 'updated', caseId: opened.id });
    expect(view.submissions[1].changes.join(' ')).toContain('«Valor nacional»: 12 → 12,5');
  });

  it('an explanation with no national value to compare opens nothing, and says so', async () => {
    const waiting = async () => ((await call(t.app, people.otherMember, 'GET', '/home')).json().sections as Array<{ id: string; count: number; items: Array<{ id: string; path: string; state: string }> }>).find((section) => section.id === 'consultations.waiting')!;
    expect((await waiting()).items).toEqual([expect.objectContaining({ id, path: `/consultations/${id}`, state: 'not_started' })]);
    // Chile has submitted: its delegates' home page waits for nothing.
    expect(((await call(t.app, people.member, 'GET', '/home')).json().sections as Array<{ id: string; count: number }>).find((section) => section.id === 'consultations.waiting')!.count).toBe(0);
    const rows = (await draftOf(people.otherMember)).generatedRows.values!;
    const base = (await draftOf(people.otherMember)).draft.revision;
    const saved = await call(t.app, people.otherMember, 'PATCH', `/consultations/${id}/draft`, { base, changes: cells(rows[0]!.id, { action: 'explain', cause: 'timeliness', explanation: 'Cifra preliminar.' }) });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await call(t.app, people.otherMember, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const view = (await call(t.app, people.otherMember, 'GET', `/consultations/${id}/respondents/mx`)).json();
    expect(view.submissions[0].validation).toEqual([{ question: 'values', row: rows[0]!.id, action: 'explain', outcome: 'no_national_value', caseId: null }]);
    expect((await call(t.app, people.secretariat, 'GET', '/discrepancies/cases?countryId=mx')).json().total).toBe(0);
    expect((await waiting()).count).toBe(0);
  });
});

async function groupIdOf(): Promise<string> {
  return (await call(t.app, people.member, 'GET', '/me')).json().user.groupId as string;
}
