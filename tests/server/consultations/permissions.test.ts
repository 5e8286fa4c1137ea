import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helper.js';
import type { Participant } from '../debates/support.js';
import { buildMeetingsApp, TestClock } from '../meetings/support.js';
import { chileAnswers } from './fixtures.js';
import { call, changesFor, openFicha, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * Every consultation route × every kind of person: a Chilean delegate, Chile's focal point, a
 * delegate of another country (Mexico, also addressed), an observer whose agency is invited
 * (UNICEF) and one whose agency is not (PAHO), the coordinator, the secretariat, and nobody signed
 * in. Who sees drafts, submitted answers, queries, exports and the summary. Besides the status,
 * every answer is searched for words only some may see: Chile's draft, Chile's submitted answer,
 * the query on it, and a consultation still a draft.
 */

const PERSONAS = ['delegate', 'focal', 'foreign', 'invitedObserver', 'otherObserver', 'coordinator', 'secretariat', 'anonymous'] as const;
type Persona = (typeof PERSONAS)[number];

const CANARIES = {
  /** In Chile's draft after its submission: the delegation's own. */
  chileDraft: { word: 'qxchiledraft', seenBy: ['delegate', 'focal'] },
  /** In Chile's submitted answer: the delegation and the organizers. */
  chileSubmission: { word: 'qxchilesubmitted', seenBy: ['delegate', 'focal', 'coordinator', 'secretariat'] },
  query: { word: 'qxqueryonchile', seenBy: ['delegate', 'focal', 'coordinator', 'secretariat'] },
  draftConsultation: { word: 'qxunopened', seenBy: ['coordinator', 'secretariat'] },
} as const satisfies Record<string, { word: string; seenBy: readonly Persona[] }>;

const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
let t: TestApp;
let people: ConsultationPeople;
const ids = { open: '', draft: '', query: '' };

const who = (persona: Persona): Participant | null =>
  ({
    delegate: people.member,
    focal: people.focal,
    foreign: people.otherMember,
    invitedObserver: people.observer,
    otherObserver: people.paho,
    coordinator: people.coordinator,
    secretariat: people.secretariat,
    anonymous: null,
  })[persona];

beforeAll(async () => {
  t = await buildMeetingsApp(clock);
  people = await populateConsultations(t.app);
  ids.open = await openFicha(t.app, people.coordinator);
  const answers = chileAnswers();
  answers.comments = { type: 'long_text', text: `Enviado ${CANARIES.chileSubmission.word}` };
  const { draft } = (await call(t.app, people.member, 'GET', `/consultations/${ids.open}/draft`)).json();
  const changes = changesFor(answers);
  const saved = await call(t.app, people.member, 'PATCH', `/consultations/${ids.open}/draft`, { base: draft.revision, changes });
  expect((await call(t.app, people.focal, 'POST', `/consultations/${ids.open}/submit`, { revision: saved.json().draft.revision })).statusCode).toBe(200);
  expect((await call(t.app, people.focal, 'POST', `/consultations/${ids.open}/reopen`)).statusCode).toBe(200);
  const reopened = await call(t.app, people.member, 'PATCH', `/consultations/${ids.open}/draft`, { base: saved.json().draft.revision, changes: [{ question: 'comments', value: { type: 'long_text', text: `Borrador ${CANARIES.chileDraft.word}` } }] });
  expect(reopened.statusCode, reopened.body).toBe(200);
  const query = await call(t.app, people.coordinator, 'POST', `/consultations/${ids.open}/respondents/cl/queries`, { question: 'plan_year', text: `¿Vigente? ${CANARIES.query.word}` });
  ids.query = query.json().review.queries[0].id;
  expect((await call(t.app, people.secretariat, 'PUT', `/consultations/${ids.open}/summary`, { text: { es: 'Resumen publicado qxsummary', en: '' } })).statusCode).toBe(200);
  const unopened = await call(t.app, people.secretariat, 'POST', '/consultations', { title: { es: `Sin abrir ${CANARIES.draftConsultation.word}`, en: '' }, deadline: { date: '2026-09-30', time: '18:00', zone: 'America/Santiago' } });
  ids.draft = unopened.json().consultation.id;
}, 90_000);
afterAll(async () => t?.close());

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: () => string;
  body?: () => unknown;
  /** One status per persona, in PERSONAS order. */
  expect: string;
}

//                      deleg. focal foreign invObs othObs coord. secr. anon.
const SIGNED_IN =       '200   200   200     200    200    200    200   401';
const ORGANIZERS =      '403   403   403     403    403    200    200   401';
/** The respondent's own side: drafts and history are for whoever answers for an addressed country or agency. */
const RESPONDENTS =     '200   200   200     200    403    403    403   401';
const CHILE_AND_STAFF = '200   200   403     403    403    200    200   401';

const ROWS: Row[] = [
  { method: 'GET', url: () => '/consultations', expect: SIGNED_IN },
  { method: 'GET', url: () => `/consultations/${ids.open}`, expect: SIGNED_IN },
  { method: 'GET', url: () => `/consultations/${ids.draft}`, expect: '404 404 404 404 404 200 200 401' },
  { method: 'POST', url: () => '/consultations', body: () => ({ title: { es: 'Nueva', en: '' }, deadline: { date: '2026-12-01', time: '12:00', zone: 'America/Santiago' } }), expect: '403 403 403 403 403 201 201 401' },
  { method: 'PATCH', url: () => `/consultations/${ids.draft}`, body: () => ({ version: 999, purpose: { es: 'x', en: '' } }), expect: '403 403 403 403 403 409 409 401' },
  { method: 'POST', url: () => `/consultations/${ids.draft}/close`, expect: '403 403 403 403 403 409 409 401' },
  { method: 'PUT', url: () => `/consultations/${ids.open}/summary`, body: () => ({ text: { es: 'Resumen publicado qxsummary', en: '' } }), expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/draft`, expect: RESPONDENTS },
  { method: 'GET', url: () => `/consultations/${ids.open}/draft/history`, expect: RESPONDENTS },
  // A change to an unknown question: a 400 for those who may write this draft, the refusal for the others.
  { method: 'PATCH', url: () => `/consultations/${ids.open}/draft`, body: () => ({ base: 0, changes: [{ question: 'nope', value: null }] }), expect: '400 400 400 400 403 403 403 401' },
  // Chile's: the delegate is not the one who submits (403), the focal point's revision is stale (409); Mexico and UNICEF submit an empty draft (400).
  { method: 'POST', url: () => `/consultations/${ids.open}/submit`, body: () => ({ revision: 0 }), expect: '403 409 400 400 403 403 403 401' },
  { method: 'POST', url: () => `/consultations/${ids.open}/decline`, body: () => ({ reason: '' }), expect: '403 400 400 400 403 403 403 401' },
  { method: 'PUT', url: () => `/consultations/${ids.open}/submitter`, body: () => ({ userId: null }), expect: '403 200 403 403 403 403 403 401' },
  { method: 'GET', url: () => `/consultations/${ids.open}/matrix`, expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/side-by-side`, expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/export.xlsx`, expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/report.html`, expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/export.csv?layout=long`, expect: ORGANIZERS },
  { method: 'GET', url: () => `/consultations/${ids.open}/respondents/cl`, expect: CHILE_AND_STAFF },
  { method: 'POST', url: () => `/consultations/${ids.open}/respondents/cl/queries/${ids.query}/messages`, body: () => ({ text: 'Respuesta' }), expect: '201 201 403 403 403 201 201 401' },
  { method: 'POST', url: () => `/consultations/${ids.open}/respondents/cl/queries`, body: () => ({ question: 'comments', text: 'Otra consulta' }), expect: '403 403 403 403 403 201 201 401' },
  { method: 'POST', url: () => `/consultations/${ids.open}/respondents/mx/queries/${ids.query}/resolve`, expect: '403 403 403 403 403 404 404 401' },
  // Mexico has answered nothing: there is no answer to accept (409), and none accepted to withdraw.
  { method: 'PUT', url: () => `/consultations/${ids.open}/respondents/mx/answers/plan_year/acceptance`, expect: '403 403 403 403 403 409 409 401' },
  { method: 'PUT', url: () => `/consultations/${ids.open}/respondents/cl/answers/institution/acceptance`, expect: '403 403 403 403 403 200 409 401' },
  { method: 'DELETE', url: () => `/consultations/${ids.open}/respondents/cl/answers/institution/acceptance`, expect: '403 403 403 403 403 200 409 401' },
  // Granted by the coordinator, replaced by the secretariat; revoked once.
  { method: 'PUT', url: () => `/consultations/${ids.open}/respondents/mx/extension`, body: () => ({ until: '2026-08-01T00:00:00.000Z' }), expect: ORGANIZERS },
  { method: 'DELETE', url: () => `/consultations/${ids.open}/respondents/mx/extension`, expect: '403 403 403 403 403 200 409 401' },
  { method: 'POST', url: () => `/consultations/${ids.draft}/open`, expect: '403 403 403 403 403 400 400 401' },
];

describe('who may call what', () => {
  it.each(ROWS.map((row) => [`${row.method} ${row.url().replace(/[0-9a-f-]{36}/g, ':id')}`, row] as const))('%s', async (_name, row) => {
    const expected = row.expect.trim().split(/\s+/).map(Number);
    const got: number[] = [];
    const leaks: string[] = [];
    for (const persona of PERSONAS) {
      const response = await call(t.app, who(persona), row.method, row.url(), row.body?.());
      got.push(response.statusCode);
      if (response.statusCode >= 400) expect(Object.keys(response.json())).toEqual(['error']);
      const body = response.headers['content-type']?.toString().includes('spreadsheetml') ? '' : response.body;
      for (const [name, canary] of Object.entries(CANARIES)) {
        if (body.includes(canary.word) && !(canary.seenBy as readonly Persona[]).includes(persona)) leaks.push(`${name} shown to ${persona}`);
      }
    }
    expect(got).toEqual(expected);
    expect(leaks).toEqual([]);
  });

  it('the published summary is on the page for every participant', async () => {
    for (const persona of PERSONAS.filter((persona) => persona !== 'anonymous')) {
      const page = (await call(t.app, who(persona), 'GET', `/consultations/${ids.open}`)).json();
      expect(page.consultation.summary.text.es, persona).toBe('Resumen publicado qxsummary');
    }
  });

  it('the export holds the submitted answer, never the draft', async () => {
    const csv = await call(t.app, people.coordinator, 'GET', `/consultations/${ids.open}/export.csv?layout=long`);
    expect(csv.body).toContain(CANARIES.chileSubmission.word);
    expect(csv.body).not.toContain(CANARIES.chileDraft.word);
  });
});
