import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helper.js';
import { metadata, upload } from '../documents/support.js';
import { buildMeetingsApp, createMeeting, TestClock } from '../meetings/support.js';
import { call, openFicha, populateConsultations, type ConsultationPeople } from './support.js';

/**
 * What a consultation is about: related library documents and meetings (subject links, shown to
 * each reader only as far as they may read them) and indicators of the official list.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-consultations-related-'));
const clock = new TestClock(Date.parse('2026-06-01T12:00:00.000Z'));
let t: TestApp;
let people: ConsultationPeople;
const ids = { published: '', draftDocument: '', meeting: '' };

const pdf = (name: string) => ({ name, bytes: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`) });

beforeAll(async () => {
  t = await buildMeetingsApp(clock, dataDir);
  people = await populateConsultations(t.app);
  const published = await upload(t.app, people.secretariat, pdf('guia.pdf'), metadata({ title: { es: 'Guía de la ficha técnica', en: 'Technical questionnaire guide' } }));
  expect(published.statusCode, published.body).toBe(201);
  ids.published = published.json().document.id;
  const draft = await upload(t.app, people.secretariat, pdf('borrador.pdf'), metadata({ title: { es: 'Borrador interno', en: 'Internal draft' }, visibility: 'draft' }));
  expect(draft.statusCode, draft.body).toBe(201);
  ids.draftDocument = draft.json().document.id;
  ids.meeting = (await createMeeting(t.app, people.coordinator)).id;
}, 60_000);
afterAll(async () => {
  await t.app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const detail = async (who: ConsultationPeople['member'], id: string) => {
  const response = await call(t.app, who, 'GET', `/consultations/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().consultation as { version: number; related: { items: Array<{ kind: string; id: string; title: string; href: string }>; indicators: string[] } };
};

describe('related indicators, documents and meetings', () => {
  it('are kept with the consultation and shown to each reader only as far as they may read them', async () => {
    const id = await openFicha(t.app, people.coordinator, { related: { documents: [ids.published, ids.draftDocument], meetings: [ids.meeting], indicators: ['4.1'] } });
    const organizer = await detail(people.secretariat, id);
    expect(organizer.related.indicators).toEqual(['4.1']);
    expect(organizer.related.items.map((item) => [item.kind, item.id])).toEqual(
      expect.arrayContaining([
        ['document', ids.published],
        ['document', ids.draftDocument],
        ['meeting', ids.meeting],
      ]),
    );
    expect(organizer.related.items.find((item) => item.id === ids.published)).toMatchObject({ title: 'Guía de la ficha técnica', href: `/documents/${ids.published}` });
    // A delegate does not see the library's draft among them.
    const delegate = await detail(people.member, id);
    expect(delegate.related.items.map((item) => item.id).sort()).toEqual([ids.meeting, ids.published].sort());
  });

  it('are replaced by an edit, and refused when unknown or unreadable, nothing changed', async () => {
    const created = await call(t.app, people.secretariat, 'POST', '/consultations', { title: { es: 'Financiamiento', en: 'Funding' }, deadline: { date: '2026-06-30', time: '23:59', zone: 'America/Santiago' }, related: { documents: [ids.published] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().consultation.id as string;
    const unknown = await call(t.app, people.secretariat, 'PATCH', `/consultations/${id}`, { version: 1, related: { documents: ['no-such-document'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_related');
    const badIndicator = await call(t.app, people.secretariat, 'PATCH', `/consultations/${id}`, { version: 1, related: { indicators: ['99.99.99'] } });
    expect(badIndicator.statusCode).toBe(400);
    expect((await detail(people.secretariat, id)).related.items.map((item) => item.id)).toEqual([ids.published]);
    const edited = await call(t.app, people.secretariat, 'PATCH', `/consultations/${id}`, { version: 1, related: { documents: [], meetings: [ids.meeting] } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().consultation.related.items.map((item: { id: string }) => item.id)).toEqual([ids.meeting]);
  });
});
