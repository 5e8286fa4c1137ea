import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, request, type TestApp } from '../../helper.js';
import { buildMeetingsApp, TestClock } from '../meetings/support.js';
import { chileAnswers } from './fixtures.js';
import { call, changesFor, openFicha, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * The side-by-side view is built once and kept per consultation and language (server/shared/answer-cache.ts):
 * what it shows must still follow every change, a submission, a reopening, and the clock passing
 * the deadline with no write at all.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-side-by-side-'));
const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
/** 30 June 2026 23:59 in Santiago (UTC-4). */
const DEADLINE = Date.parse('2026-07-01T03:59:00.000Z');
let t: TestApp;
let people: ConsultationPeople;

beforeAll(async () => {
  t = await buildMeetingsApp(clock, dataDir);
  people = await populateConsultations(t.app);
}, 60_000);
afterAll(async () => {
  await t.app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Entry = { respondent: string; status: string; display: string };
type View = { sections: Array<{ questions: Array<{ id: string; entries?: Entry[] }> }> };
const entries = (view: View, question: string) => view.sections.flatMap((section) => section.questions).find((q) => q.id === question)!.entries!;
const entryOf = (view: View, question: string, respondent: string) => entries(view, question).find((entry) => entry.respondent === respondent)!;

async function submit(who: ConsultationPeople['member'], id: string, answers: ReturnType<typeof chileAnswers>) {
  const { draft } = (await call(t.app, who, 'GET', `/consultations/${id}/draft`)).json() as { draft: { revision: number } };
  const saved = await call(t.app, who, 'PATCH', `/consultations/${id}/draft`, { base: draft.revision, changes: changesFor(answers) });
  expect(saved.statusCode, saved.body).toBe(200);
  const submitted = await call(t.app, who === people.member ? people.focal : who, 'POST', `/consultations/${id}/submit`, { revision: saved.json().draft.revision });
  expect(submitted.statusCode, submitted.body).toBe(200);
}

const view = (id: string, headers: Record<string, string> = {}) => request(t.app, { method: 'GET', url: `/api/consultations/${id}/side-by-side`, cookie: people.coordinator.cookie, headers });

describe('the side-by-side view, kept between requests', () => {
  it('answers 304 to its ETag until something it shows changes, then the new answer', async () => {
    const id = await openFicha(t.app, people.coordinator);
    await submit(people.member, id, chileAnswers());

    const first = await view(id);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toContain('application/json');
    const etag = String(first.headers.etag);
    expect(entryOf(first.json(), 'institution', 'cl').display).toBe('Instituto Nacional de Estadísticas');
    expect(entryOf(first.json(), 'institution', 'mx')).toMatchObject({ status: 'not_started', display: '' });

    const again = await view(id, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    // Compressed once and sent as it is: the same JSON.
    const compressed = await view(id, { 'accept-encoding': 'br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(compressed.rawPayload).toString('utf8'))).toEqual(first.json());

    // Mexico submits: the view shows it at once.
    const mexico = chileAnswers();
    mexico.institution = { type: 'short_text', text: 'Instituto Nacional de Estadística y Geografía' };
    await submit(people.otherMember, id, mexico);
    const after = await view(id, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(entryOf(after.json(), 'institution', 'mx')).toMatchObject({ status: 'submitted', display: 'Instituto Nacional de Estadística y Geografía' });

    // Chile reopens and submits another answer: its new answer, not the kept one.
    expect((await call(t.app, people.focal, 'POST', `/consultations/${id}/reopen`)).statusCode).toBe(200);
    const corrected = chileAnswers();
    corrected.institution = { type: 'short_text', text: 'INE Chile' };
    await submit(people.member, id, corrected);
    expect(entryOf((await view(id)).json(), 'institution', 'cl').display).toBe('INE Chile');
  });

  it('follows the clock: past the deadline, a country that never answered reads "late" with nothing written', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    await submit(people.member, id, chileAnswers());
    const before = await view(id);
    expect(entryOf(before.json(), 'institution', 'mx').status).toBe('not_started');
    clock.set(DEADLINE + 60_000);
    const after = await view(id, { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(entryOf(after.json(), 'institution', 'mx').status).toBe('late');
    expect(entryOf(after.json(), 'institution', 'cl').status).toBe('submitted');
  });

  it('is in the reader’s language, kept apart per language', async () => {
    clock.set('2026-06-01T12:00:00.000Z');
    const id = await openFicha(t.app, people.coordinator);
    await submit(people.member, id, chileAnswers());
    const spanish = (await view(id)).json() as View & { sections: Array<{ questions: Array<{ label: string }> }> };
    const englishReader = await addPerson(t.app, people.admin.cookie, 'secretariat', {}, { displayName: 'Emma English', locale: 'en' });
    const english = (await request(t.app, { method: 'GET', url: `/api/consultations/${id}/side-by-side`, cookie: englishReader.cookie })).json() as typeof spanish;
    const label = (v: typeof spanish) => v.sections[0]!.questions[0]!.label;
    expect(label(spanish)).toBe('Institución que responde');
    expect(label(english)).toBe('Institution answering');
    // Asked again in Spanish: still Spanish.
    expect(label((await view(id)).json())).toBe('Institución que responde');
  });
});
