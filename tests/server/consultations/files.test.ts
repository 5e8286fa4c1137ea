import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../fixtures/documents.js';
import { request, type TestApp } from '../../helper.js';
import type { Participant } from '../debates/support.js';
import { multipart } from '../documents/support.js';
import { buildMeetingsApp, TestClock } from '../meetings/support.js';
import { chileAnswers, fichaTecnica } from './fixtures.js';
import { call, changesFor, openFicha, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * File questions: the delegate uploads the file (POST /consultations/:id/files), which goes to the
 * library as a document only the answering delegation and the organizers read; the draft names it
 * like any other answer; the side-by-side view, the report and the exports show its name and link.
 */

const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
/** 30 June 2026 23:59 in Santiago (UTC-4). */
const DEADLINE = Date.parse('2026-07-01T03:59:00.000Z');
let t: TestApp;
let people: ConsultationPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateConsultations(t.app);
}, 60_000);
afterAll(async () => t?.close());

async function uploadFor(who: Participant | null, id: string, question: string, name = 'Plan Estratégico 2025–2030.pdf') {
  const body = await multipart({ question }, { name, bytes: minimalPdf('Plan estadístico nacional') });
  return request(t.app, { method: 'POST', url: `/api/consultations/${id}/files`, payload: body.payload, headers: { 'content-type': body.contentType }, ...(who ? { cookie: who.cookie } : {}) });
}

async function draftOf(who: Participant, id: string) {
  const response = await call(t.app, who, 'GET', `/consultations/${id}/draft`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { draft: { revision: number; answers: Record<string, unknown> }; documents: Record<string, { title: { es: string } }> };
}

/** The ficha with the plan required when the country has one (a condition on has_plan). */
function withRequiredPlan() {
  const questionnaire = fichaTecnica();
  const plan = questionnaire.sections[0]!.questions.find((question) => question.id === 'plan_document')!;
  Object.assign(plan, { required: true, condition: { question: 'has_plan', op: 'yes_no', value: true } });
  return questionnaire;
}

describe('a file question', () => {
  it('files the upload in the library for the delegation and the organizers only, and the answer shows its name and link', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator, { questionnaire: withRequiredPlan() });

    const uploaded = await uploadFor(people.member, id, 'plan_document');
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const document = uploaded.json().document as { id: string; title: { es: string } };
    expect(document.title.es).toBe('Plan Estratégico 2025–2030.pdf');

    // The library: Chile's delegates and the organizers read it; Mexico, UNICEF and other participants do not know it exists.
    for (const reader of [people.member, people.focal, people.coordinator, people.secretariat]) {
      expect((await call(t.app, reader, 'GET', `/documents/${document.id}`)).statusCode).toBe(200);
    }
    for (const reader of [people.otherMember, people.observer, people.paho]) {
      expect((await call(t.app, reader, 'GET', `/documents/${document.id}`)).statusCode).toBe(404);
      expect((await call(t.app, reader, 'GET', `/documents/${document.id}/download`)).statusCode).toBe(404);
      const listed = (await call(t.app, reader, 'GET', '/documents')).json() as { items: Array<{ id: string }> };
      expect(listed.items.map((item) => item.id)).not.toContain(document.id);
    }
    const chileList = (await call(t.app, people.member, 'GET', '/documents')).json() as { items: Array<{ id: string; visibility: string }> };
    expect(chileList.items.find((item) => item.id === document.id)?.visibility).toBe('restricted');
    expect((await call(t.app, people.member, 'GET', `/documents/${document.id}/download`)).statusCode).toBe(200);

    // Required when shown: a plan declared but not attached is refused; hidden (no plan), it is not asked.
    const answers = chileAnswers();
    let { draft } = await draftOf(people.member, id);
    const saved = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, { base: draft.revision, changes: changesFor(answers) });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json().error.details)).toContain('plan_document');

    const attached = await call(t.app, people.member, 'PATCH', `/consultations/${id}/draft`, { base: saved.json().draft.revision, changes: [{ question: 'plan_document', value: { type: 'file', documentIds: [document.id] } }] });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json().documents[document.id].title.es).toBe('Plan Estratégico 2025–2030.pdf');
    ({ draft } = await draftOf(people.focal, id));
    const submitted = await call(t.app, people.focal, 'POST', `/consultations/${id}/submit`, { revision: draft.revision });
    expect(submitted.statusCode, submitted.body).toBe(200);

    // The organizers: the side-by-side view names and links the file, and so do the report and the export.
    const view = (await call(t.app, people.coordinator, 'GET', `/consultations/${id}/side-by-side`)).json() as { sections: Array<{ questions: Array<{ id: string; entries?: Array<{ respondent: string; display: string; files?: Array<{ id: string; title: string; url: string }> }> }> }> };
    const entry = view.sections[0]!.questions.find((question) => question.id === 'plan_document')!.entries!.find((candidate) => candidate.respondent === 'cl')!;
    expect(entry.display).toBe('Plan Estratégico 2025–2030.pdf');
    expect(entry.files).toEqual([{ id: document.id, title: 'Plan Estratégico 2025–2030.pdf', url: expect.stringMatching(new RegExp(`/documents/${document.id}$`)) }]);
    const report = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/report.html`);
    expect(report.body).toMatch(new RegExp(`<a href="[^"]*/documents/${document.id}">Plan Estratégico 2025–2030.pdf</a>`));
    const csv = await call(t.app, people.coordinator, 'GET', `/consultations/${id}/export.csv?layout=long`);
    expect(csv.body).toContain('Plan Estratégico 2025–2030.pdf');
    const respondent = (await call(t.app, people.coordinator, 'GET', `/consultations/${id}/respondents/cl`)).json();
    expect(respondent.documents[document.id].title.es).toBe('Plan Estratégico 2025–2030.pdf');

    // Renamed in the library by the secretariat: the kept side-by-side view follows.
    const renamed = await call(t.app, people.secretariat, 'PATCH', `/documents/${document.id}`, { title: { es: 'Plan nacional (versión oficial).pdf', en: 'National plan.pdf' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await call(t.app, people.coordinator, 'GET', `/consultations/${id}/side-by-side`)).body).toContain('Plan nacional (versión oficial).pdf');
  });

  it('refuses a file for a question that is not a file question, a document the delegate may not read, and uploads past the deadline', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const notFile = await uploadFor(people.member, id, 'institution');
    expect(notFile.statusCode).toBe(400);
    expect(notFile.json().error.code).toBe('unknown_question');

    // Chile's file is not Mexico's to name in its answer; nor is an id that names nothing.
    const chile = (await uploadFor(people.member, id, 'plan_document')).json().document.id as string;
    const { draft } = await draftOf(people.otherMember, id);
    for (const documentIds of [[chile], ['no-such-document']]) {
      const borrowed = await call(t.app, people.otherMember, 'PATCH', `/consultations/${id}/draft`, { base: draft.revision, changes: [{ question: 'plan_document', value: { type: 'file', documentIds } }] });
      expect(borrowed.statusCode).toBe(400);
      expect(borrowed.json().error.code).toBe('unknown_document');
    }
    expect((await draftOf(people.otherMember, id)).draft.answers.plan_document).toBeUndefined();

    clock.set(DEADLINE + 60_000);
    const late = await uploadFor(people.member, id, 'plan_document');
    expect(late.statusCode).toBe(409);
    clock.set('2026-06-01T12:00:00.000Z');
  });

  it('is for the addressed delegations only', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    const statuses = [];
    for (const who of [people.member, people.otherMember, people.observer, people.paho, people.coordinator, null]) statuses.push((await uploadFor(who, id, 'plan_document')).statusCode);
    // Chile, Mexico and UNICEF are addressed; PAHO and the coordinator answer for nobody here; nobody signed in is asked to.
    expect(statuses).toEqual([201, 201, 201, 403, 403, 401]);
  });
});
