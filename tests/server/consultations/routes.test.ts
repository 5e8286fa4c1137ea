import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerChange, AnswerMap } from '../../../server/features/consultations/domain/schemas.js';
import { changesFor } from './support.js';
import { buildTestApp, type TestApp } from '../../helper.js';
import { openTestDb } from '../support.js';
import { buildMeetingsApp, TestClock } from '../meetings/support.js';
import { chileAnswers, DAY, HOUR } from './fixtures.js';
import { call, openFicha, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * The consultations' routes on a real database and a clock the test moves: lifecycle and the
 * deadline held by every write, one answer per country under racing submits, history and diffs,
 * pre-fill from an earlier round, conditions, reminders once (also across a restart), queries and
 * review, and exports read back by independent readers.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-consultations-'));
const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
/** 30 June 2026 23:59 in Santiago (UTC-4). */
const DEADLINE = Date.parse('2026-07-01T03:59:00.000Z');
let t: TestApp;
/** The apps a restart replaced: their databases are dropped once the last app is closed. */
const restarted: TestApp[] = [];
let people: ConsultationPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock, dataDir);
  people = await populateConsultations(t.app);
}, 60_000);
afterAll(async () => {
  await t.app.close();
  // Each one's app is closed already; close() drops the database it cloned (PostgreSQL).
  for (const replaced of restarted) await replaced.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function draftOf(who: ConsultationPeople['member'], id: string) {
  const response = await call(t.app, who, 'GET', `/consultations/${id}/draft`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { draft: { revision: number; answers: AnswerMap; fields: Record<string, { by: string | null; prefilled: unknown }> }; position: { status: string; maySubmit: boolean; submissions: number } };
}

async function save(who: ConsultationPeople['member'], id: string, base: number, changes: AnswerChange[]) {
  return call(t.app, who, 'PATCH', `/consultations/${id}/draft`, { base, changes });
}

async function answerCompletely(id: string, answers = chileAnswers()) {
  const { draft } = await draftOf(people.member, id);
  const saved = await save(people.member, id, draft.revision, changesFor(answers));
  expect(saved.statusCode, saved.body).toBe(200);
  return saved.json().draft.revision as number;
}

async function matrixStatus(id: string, respondent: string) {
  const response = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/matrix`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().rows as Array<{ respondent: { id: string }; status: string }>).find((row) => row.respondent.id === respondent)!.status;
}

/** Who got a reminder about the consultation of this title, by display name. */
async function remindedAbout(title: string) {
  const response = await call(t.app, people.admin, 'GET', '/admin/mail/outbox?limit=100');
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as Array<{ kind: string; to: { name: string }; subject: string }>)
    .filter((mail) => mail.kind === 'consultation.reminder' && mail.subject.includes(title))
    .map((mail) => mail.to.name)
    .sort();
}

describe('the lifecycle, on the clock', () => {
  it('draft → open → deadline → closed, the deadline holding on every write, with an extension for one country', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const created = await call(t.app, people.secretariat, 'POST', '/consultations', {
      title: { es: 'Financiamiento de las reuniones', en: 'Funding the meetings' },
      deadline: { date: '2026-06-30', time: '23:59', zone: 'America/Santiago' },
      targets: ['cl', 'mx'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const consultation = created.json().consultation;
    expect(consultation.status).toBe('draft');
    // Shown in the reader's zone: the secretariat's account is in Mexico City (UTC-6): 21:59 on the 30th.
    expect(consultation.deadlineAt).toBe('2026-07-01T03:59:00.000Z');
    expect(consultation.deadlineForReader).toMatchObject({ date: '2026-06-30', time: '21:59', zone: 'America/Mexico_City' });
    // A draft exists for the organizers only.
    expect((await call(t.app, people.member, 'GET', `/consultations/${consultation.id}`)).statusCode).toBe(404);
    // An empty questionnaire cannot open.
    const refused = await call(t.app, people.secretariat, 'POST', `/consultations/${consultation.id}/open`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('questionnaire_invalid');

    const id = await openFicha(t.app, people.secretariat);
    expect((await call(t.app, people.member, 'GET', `/consultations/${id}`)).json().consultation.mine).toMatchObject({ status: 'not_started', respondent: { id: 'cl' } });
    const { draft } = await draftOf(people.member, id);
    expect((await save(people.member, id, draft.revision, [{ question: 'institution', value: { type: 'short_text', text: 'INE' } }])).statusCode).toBe(200);
    expect(await matrixStatus(id, 'cl')).toBe('draft');
    expect(await matrixStatus(id, 'mx')).toBe('not_started');

    // The deadline passes: no job has run, yet the next write is refused and the draft kept.
    clock.set(DEADLINE);
    const late = await save(people.member, id, 1, [{ question: 'institution', value: { type: 'short_text', text: 'INE Chile' } }]);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('deadline_passed');
    expect((await draftOf(people.member, id)).draft.answers.institution).toEqual({ type: 'short_text', text: 'INE' });
    expect(await matrixStatus(id, 'cl')).toBe('late');

    // An extension for Chile only.
    const extended = await call(t.app, people.coordinator, 'PUT', `/consultations/${id}/respondents/cl/extension`, { until: new Date(DEADLINE + 3 * DAY).toISOString(), reason: 'Cambio de autoridades' });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json().status).toBe('extended');
    expect((await save(people.member, id, 1, [{ question: 'institution', value: { type: 'short_text', text: 'INE Chile' } }])).statusCode).toBe(200);
    expect((await save(people.otherMember, id, 0, [{ question: 'institution', value: { type: 'short_text', text: 'INEGI' } }])).json().error.code).toBe('deadline_passed');

    // Closing ends everything, extensions included.
    expect((await call(t.app, people.coordinator, 'POST', `/consultations/${id}/close`)).statusCode).toBe(200);
    expect((await save(people.member, id, 2, [{ question: 'comments', value: { type: 'long_text', text: 'x' } }])).json().error.code).toBe('consultation_closed');
  });
});

describe('answering together', () => {
  it('one answer per country: the focal point and the named alternate submit at once, one submission is kept', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const revision = await answerCompletely(id);
    // A delegate who is neither the focal point nor named may not submit.
    const notAllowed = await call(t.app, people.member, 'POST', `/consultations/${id}/submit`, { revision });
    expect(notAllowed.statusCode).toBe(403);
    // Only the focal point names an alternate.
    expect((await call(t.app, people.alternate, 'PUT', `/consultations/${id}/submitter`, { userId: people.alternate.id })).statusCode).toBe(403);
    expect((await call(t.app, people.focal, 'PUT', `/consultations/${id}/submitter`, { userId: people.alternate.id })).statusCode).toBe(200);

    const [a, b] = await Promise.all([
      call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision }),
      call(t.app, people.alternate, 'POST', `/consultations/${id}/submit`, { revision }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    expect([a, b].find((response) => response.statusCode === 409)!.json().error.code).toBe('already_submitted');
    const submitted = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/respondents/cl`);
    expect(submitted.json().submissions).toHaveLength(1);
    expect(await matrixStatus(id, 'cl')).toBe('submitted');
    // Standing on a submission, the draft is not written: reopen first.
    expect((await save(people.member, id, revision, [{ question: 'comments', value: { type: 'long_text', text: 'más' } }])).json().error.code).toBe('already_submitted');
  });

  it('refuses bad input with the draft intact: a required answer missing, a number out of range, a cell of the wrong type, a stale save', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const revision = await answerCompletely(id, { ...chileAnswers(), plan_year: { type: 'number', value: 1850 } });
    const missing = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('answers_invalid');
    expect(missing.json().error.details.map((problem: { field: string; code: string }) => `${problem.field} ${problem.code}`)).toContain('answers.plan_year below_min');
    const wrongCell = await save(people.member, id, revision, [{ question: 'sources', row: '3.2.1', column: 'latest_value', cell: 'siete' }]);
    expect(wrongCell.statusCode).toBe(400);
    expect(wrongCell.json().error.details[0]).toMatchObject({ code: 'wrong_type', question: 'sources', row: '3.2.1', column: 'latest_value' });
    // Two delegates on the same field: the later save based on the old revision is refused with both values.
    expect((await save(people.alternate, id, revision, [{ question: 'plan_year', value: { type: 'number', value: 2018 } }])).statusCode).toBe(200);
    const stale = await save(people.member, id, revision, [{ question: 'plan_year', value: { type: 'number', value: 2019 } }]);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_revision');
    expect(stale.json().error.details.conflicts[0]).toMatchObject({ field: 'plan_year', theirs: { value: { type: 'number', value: 2018 }, by: people.alternate.id }, yours: { type: 'number', value: 2019 } });
    // A different field saved on the old revision goes through: only the fields someone changed conflict.
    expect((await save(people.member, id, revision, [{ question: 'comments', value: { type: 'long_text', text: 'Nota' } }])).statusCode).toBe(200);
    const { draft } = await draftOf(people.member, id);
    expect(draft.answers.plan_year).toEqual({ type: 'number', value: 2018 });
    expect(draft.answers.comments).toEqual({ type: 'long_text', text: 'Nota' });
  });

  it('conditions: a hidden question is neither required nor submitted, and its draft answer is kept', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const answers = { ...chileAnswers(), has_plan: { type: 'yes_no', value: false } } as AnswerMap;
    delete answers.plan_year;
    let revision = await answerCompletely(id, answers);
    revision = (await save(people.member, id, revision, [{ question: 'plan_year', value: { type: 'number', value: 1850 } }])).json().draft.revision;
    // plan_year shows only when has_plan is yes: out of range but hidden, so no problem, and left out.
    const submitted = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const stored = (await call(t.app, people.focal, 'GET', `/consultations/${id}/respondents/cl`)).json().submissions[0];
    expect(stored.answers.plan_year).toBeUndefined();
    expect(stored.answers.has_plan).toEqual({ type: 'yes_no', value: false });
    expect((await draftOf(people.member, id)).draft.answers.plan_year).toEqual({ type: 'number', value: 1850 });
  });

  it('keeps who changed what, every submission, and what changed between submissions', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    let revision = await answerCompletely(id);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision })).statusCode).toBe(200);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/reopen`)).statusCode).toBe(200);
    revision = (await save(people.alternate, id, revision, [{ question: 'plan_year', value: { type: 'number', value: 2019 } }, { question: 'sources', row: '3.2.1', column: 'latest_value', cell: 7.2 }])).json().draft.revision;
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision })).statusCode).toBe(200);

    const history = await call(t.app, people.member, 'GET', `/consultations/${id}/draft/history?limit=2`);
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((item: { field: string; by: { displayName: string }; before: unknown; after: unknown }) => [item.field, item.by.displayName, item.before, item.after])).toEqual([
      ['sources/3.2.1/latest_value', 'Alberto Alterno', 7.4, 7.2],
      ['plan_year', 'Alberto Alterno', { type: 'number', value: 2018 }, { type: 'number', value: 2019 }],
    ]);
    const respondent = (await call(t.app, people.coordinator, 'GET', `/consultations/${id}/respondents/cl`)).json();
    expect(respondent.submissions.map((submission: { number: number }) => submission.number)).toEqual([1, 2]);
    // The coordinator reads Spanish.
    expect(respondent.submissions[1].changes).toEqual(['«Año de adopción del plan»: 2018 → 2019', '«Fuente de cada indicador», fila «3.2.1 Tasa de mortalidad de menores de 5 años», columna «Último valor»: 7,4 → 7,2']);
  });

  it('pre-fills a new round from the country’s answer to the earlier one, and refuses to submit it unread', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const earlier = await openFicha(t.app, people.coordinator);
    const revision = await answerCompletely(earlier);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${earlier}/submit`, { revision })).statusCode).toBe(200);

    const id = await openFicha(t.app, people.coordinator, { earlierRoundId: earlier, title: { es: 'Ficha técnica 2027', en: 'Technical questionnaire 2027' } });
    const { draft } = await draftOf(people.member, id);
    expect(draft.answers.plan_year).toEqual({ type: 'number', value: 2018 });
    expect(draft.fields.plan_year!.prefilled).toEqual({ from: expect.stringContaining(earlier) });
    const unread = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: draft.revision });
    expect(unread.statusCode).toBe(400);
    expect(unread.json().error.details.every((problem: { code: string }) => problem.code === 'prefill_unconfirmed')).toBe(true);
    const questions = Object.keys(chileAnswers());
    const confirmed = await save(people.member, id, draft.revision, questions.map((question) => ({ question, confirm: true as const })));
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const submitted = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: confirmed.json().draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);
  });
});

describe('reminders', () => {
  it('7 days and 1 day before, once each, never to a country that submitted, also across a restart', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const title = 'Consulta de recordatorios';
    const id = await openFicha(t.app, people.coordinator, { targets: ['cl', 'mx'], title: { es: title, en: title } });
    const revision = await answerCompletely(id);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision })).statusCode).toBe(200);

    clock.set(DEADLINE - 8 * DAY);
    await t.app.scheduler.runDue();
    expect(await remindedAbout(title)).toEqual([]);
    clock.set(DEADLINE - 7 * DAY + HOUR);
    await t.app.scheduler.runDue();
    // Mexico's one delegate; nobody of Chile, which submitted.
    expect(await remindedAbout(title)).toEqual(['Óscar Pérez']);

    // A restart on the same database, and the job's time again: nothing is sent twice. On
    // PostgreSQL the new app is given the first one's database (buildTestApp would clone a new one).
    await t.app.close();
    const sameDatabase: Record<string, string> = t.config.databaseUrl === null ? {} : { DATABASE_URL: t.config.databaseUrl };
    restarted.push(t);
    t = await buildTestApp({ DATA_DIR: dataDir, ...sameDatabase }, { now: clock.now });
    await t.app.scheduler.runDue();
    clock.set(DEADLINE - 6 * DAY);
    await t.app.scheduler.runDue();
    expect(await remindedAbout(title)).toEqual(['Óscar Pérez']);
    // The deadline moves a day later: new checks are planned, yet the 7-day reminder was sent and is not sent again.
    const version = (await call(t.app, people.coordinator, 'GET', `/consultations/${id}`)).json().consultation.version;
    const moved = await call(t.app, people.coordinator, 'PATCH', `/consultations/${id}`, { version, deadline: { date: '2026-07-01', time: '23:59', zone: 'America/Santiago' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const later = DEADLINE + DAY;
    clock.set(later - 7 * DAY + HOUR);
    await t.app.scheduler.runDue();
    expect(await remindedAbout(title)).toEqual(['Óscar Pérez']);
    clock.set(later - DAY + HOUR);
    await t.app.scheduler.runDue();
    await t.app.scheduler.runDue();
    expect(await remindedAbout(title)).toEqual(['Óscar Pérez', 'Óscar Pérez']);
    const db = openTestDb(t);
    const stored = await db.prepare('select respondent, kind from consultation_reminders where consultation_id = ? order by kind').all(id).finally(() => db.close());
    expect(stored).toEqual([
      { respondent: 'mx', kind: '1d' },
      { respondent: 'mx', kind: '7d' },
    ]);
    // After the deadline, none.
    clock.set(later + HOUR);
    await t.app.scheduler.runDue();
    expect(await remindedAbout(title)).toHaveLength(2);
  });
});

describe('review: queries and acceptance', () => {
  it('a query goes back to the country, the delegation answers it, and the statuses follow', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const revision = await answerCompletely(id);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision })).statusCode).toBe(200);
    const opened = await call(t.app, people.coordinator, 'POST', `/consultations/${id}/respondents/cl/queries`, { question: 'plan_year', text: '¿El plan de 2018 sigue vigente?' });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json().review.status).toBe('query_open');
    const queryId = opened.json().review.queries[0].id as string;
    expect((await call(t.app, people.coordinator, 'GET', `/consultations/${id}/matrix`)).json().rows.find((row: { respondent: { id: string } }) => row.respondent.id === 'cl').openQueries).toBe(1);
    // Accepting while a query is open is refused; an unknown question is a 400.
    expect((await call(t.app, people.coordinator, 'PUT', `/consultations/${id}/respondents/cl/answers/plan_year/acceptance`)).json().error.code).toBe('query_open');
    expect((await call(t.app, people.coordinator, 'POST', `/consultations/${id}/respondents/cl/queries`, { question: 'nope', text: '?' })).statusCode).toBe(400);
    const answered = await call(t.app, people.member, 'POST', `/consultations/${id}/respondents/cl/queries/${queryId}/messages`, { text: 'Sí, hasta 2030.' });
    expect(answered.statusCode, answered.body).toBe(201);
    // The delegation was told of the query, the coordinator of the reply.
    await t.app.notifications.settled();
    const kinds = async (who: ConsultationPeople['member']) =>
      ((await call(t.app, who, 'GET', '/notifications?limit=50')).json().items as Array<{ kind: string; subject: { kind: string; id: string } }>).filter((n) => n.subject.kind === 'consultation' && n.subject.id === id).map((n) => n.kind);
    expect(await kinds(people.focal)).toContain('consultation_query');
    expect(await kinds(people.otherMember)).not.toContain('consultation_query');
    expect(await kinds(people.coordinator)).toContain('consultation_reply');
    expect(await kinds(people.member)).not.toContain('consultation_reply');
    expect(answered.json().review.queries[0].messages.map((message: { side: string; by: { displayName: string } }) => [message.side, message.by.displayName])).toEqual([
      ['organizer', 'Carla Coordinadora'],
      ['respondent', 'Mara Member'],
    ]);
    // Mexico may not read nor answer Chile's queries.
    expect((await call(t.app, people.otherMember, 'POST', `/consultations/${id}/respondents/cl/queries/${queryId}/messages`, { text: 'Hola' })).statusCode).toBe(403);
    expect((await call(t.app, people.coordinator, 'GET', `/consultations/${id}/matrix`)).json().rows.find((row: { respondent: { id: string } }) => row.respondent.id === 'cl').openQueries).toBe(0);
    expect((await call(t.app, people.member, 'POST', `/consultations/${id}/respondents/cl/queries/${queryId}/resolve`)).statusCode).toBe(403);
    const resolved = await call(t.app, people.coordinator, 'POST', `/consultations/${id}/respondents/cl/queries/${queryId}/resolve`);
    expect(resolved.json().review.status).toBe('resolved');
    const accepted = await call(t.app, people.secretariat, 'PUT', `/consultations/${id}/respondents/cl/answers/plan_year/acceptance`);
    expect(accepted.json().review.status).toBe('accepted');
    const seen = (await call(t.app, people.focal, 'GET', `/consultations/${id}/respondents/cl`)).json();
    expect(seen.reviews.map((review: { question: string; status: string }) => [review.question, review.status])).toEqual([['plan_year', 'accepted']]);
  });
});

describe('exports, read back by independent readers', () => {
  it('XLSX by read-excel-file and CSV by csv-parse: figures as numbers, accents intact, unanswered countries listed', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const chile = await answerCompletely(id);
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: chile })).statusCode).toBe(200);
    const mexico = chileAnswers();
    mexico.institution = { type: 'short_text', text: 'Instituto Nacional de Estadística y Geografía' };
    mexico.coverage = { type: 'number', value: 98.7 };
    const draft = await draftOf(people.otherMember, id);
    const saved = await save(people.otherMember, id, draft.draft.revision, changesFor(mexico));
    expect(saved.statusCode, saved.body).toBe(200);
    const mexicoSubmitted = await call(t.app, people.otherMember, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(mexicoSubmitted.statusCode, mexicoSubmitted.body).toBe(200);

    const xlsx = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/export.xlsx?layout=wide`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const sheets = await readXlsxFile(xlsx.rawPayload);
    const [header, ...rows] = sheets[0]!.data;
    const col = (name: string) => header!.findIndex((cell) => String(cell).includes(`[${name}]`));
    const byName = (name: string) => rows.find((row) => row[1] === name)!;
    expect(byName('Chile')[col('plan_year')]).toBe(2018);
    expect(byName('México')[col('coverage')]).toBe(98.7);
    expect(byName('México')[col('institution')]).toBe('Instituto Nacional de Estadística y Geografía');
    expect(rows.map((row) => row[1])).toEqual(['Chile', 'Fondo de las Naciones Unidas para la Infancia', 'México']);
    expect(sheets.map((sheet) => sheet.sheet)).toHaveLength(3);

    const csv = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/export.csv?layout=long`);
    expect(csv.statusCode).toBe(200);
    const records = parse(csv.body, { bom: true }) as string[][];
    const find = (code: string, question: string) => records.find((record) => record[0] === code && record[2] === question)!;
    expect(find('MEX', 'institution')[8]).toBe('Instituto Nacional de Estadística y Geografía');
    expect(Number(find('MEX', 'coverage')[8])).toBe(98.7);
    expect(records.filter((record) => record[0] === 'UNICEF')).toEqual([]);
    // Semicolons and decimal commas for spreadsheets in Spanish.
    const semicolon = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/export.csv?layout=long&separator=semicolon`);
    const parsed = parse(semicolon.body, { bom: true, delimiter: ';' }) as string[][];
    expect(parsed.find((record) => record[0] === 'MEX' && record[2] === 'coverage')![8]).toBe('98,7');

    // The consolidated report: every answer side by side, a printable page in the reader's language.
    const report = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/report.html`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('text/html');
    const style = /<style>([\s\S]*?)<\/style>/.exec(report.body)![1]!;
    expect(style).toContain('@media print');
    expect(String(report.headers['content-security-policy'])).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(report.body).not.toContain('<script');
    expect(report.body).toContain('Informe consolidado');
    expect(report.body).toContain('Institución que responde');
    expect(report.body).toContain('<td>Instituto Nacional de Estadística y Geografía</td>');
    expect(report.body).toContain('<td>Instituto Nacional de Estadísticas</td>');
    expect(report.body).toContain('2/3 enviadas');
    expect((await call(t.app, people.focal, 'GET', `/consultations/${id}/report.html`)).statusCode).toBe(403);
  });
});
