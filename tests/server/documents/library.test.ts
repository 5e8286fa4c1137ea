import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalDocx, minimalPdf } from '../../fixtures/documents.js';
import { api, populate, type People } from '../debates/support.js';
import { openTestDb } from '../support.js';
import { metadata, storedFiles, upload, uploadVersion } from './support.js';

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

const search = async (q: string, who = people.member) => {
  const response = await api(t.app, who, 'GET', `/documents?q=${encodeURIComponent(q)}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Array<{ id: string; snippetHtml: string | null; title: { es: string }; matchedVersion: number | null }>; total: number };
};

describe('finding documents by the text inside their files', () => {
  let pdfId: string;
  let docxId: string;

  beforeAll(async () => {
    const pdf = await upload(t.app, people.secretariat, { name: 'nota.pdf', bytes: minimalPdf('La estimación de la desnutrición crónica usa el método zarzamora.') }, metadata({ title: { es: 'Nota técnica', en: '' }, tags: [], indicatorCodes: [] }));
    expect(pdf.statusCode, pdf.body).toBe(201);
    pdfId = pdf.json().document.id;
    const docx = await upload(t.app, people.secretariat, { name: 'cuestionario.docx', bytes: minimalDocx('Preguntas sobre la población indígena y el empadronamiento arándano.') }, metadata({ title: { es: 'Cuestionario', en: '' }, type: 'questionnaire', tags: [], indicatorCodes: [] }));
    expect(docx.statusCode, docx.body).toBe(201);
    docxId = docx.json().document.id;
  });

  it('finds a word that appears only inside a PDF, with and without its accents', async () => {
    expect((await search('zarzamora')).items.map((item) => item.id)).toEqual([pdfId]);
    expect((await search('desnutrición')).items.map((item) => item.id)).toEqual([pdfId]);
    expect((await search('desnutricion')).items.map((item) => item.id)).toEqual([pdfId]);
    expect((await search('ESTIMACION cronica')).items.map((item) => item.id)).toEqual([pdfId]);
  });

  it('finds a word that appears only inside a DOCX, with and without its accents', async () => {
    expect((await search('arándano')).items.map((item) => item.id)).toEqual([docxId]);
    expect((await search('arandano')).items.map((item) => item.id)).toEqual([docxId]);
    expect((await search('poblacion indigena')).items.map((item) => item.id)).toEqual([docxId]);
  });

  it('highlights the match and escapes the rest', async () => {
    const [hit] = (await search('zarzamora')).items;
    expect(hit!.snippetHtml).toContain('<mark>zarzamora</mark>');
    expect(hit!.snippetHtml!.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  it('finds the text of every version, at once, and names the earlier version a match comes from', async () => {
    const created = await upload(t.app, people.secretariat, { name: 'serie.txt', bytes: Buffer.from('Serie original: frambuesa') }, metadata({ type: 'dataset', tags: [], indicatorCodes: [] }));
    const id = created.json().document.id as string;
    expect((await search('frambuesa')).items.map((item) => [item.id, item.matchedVersion])).toEqual([[id, null]]);
    expect((await uploadVersion(t.app, people.secretariat, id, { name: 'serie.txt', bytes: Buffer.from('Serie revisada: grosella') }, 'Revisión')).statusCode).toBe(201);
    expect((await uploadVersion(t.app, people.secretariat, id, { name: 'serie.txt', bytes: Buffer.from('Serie final: grosellas y moras') }, 'Final')).statusCode).toBe(201);
    // Only version 1 has it: found once, through version 1.
    const old = await search('frambuesa');
    expect(old.items.map((item) => [item.id, item.matchedVersion])).toEqual([[id, 1]]);
    expect(old.total).toBe(1);
    expect(old.items[0]!.snippetHtml).toContain('<mark>frambuesa</mark>');
    // Versions 2 and 3 have it (3 as a plural): the latest one answers, and the document comes once.
    const current = await search('grosella');
    expect(current.items.map((item) => [item.id, item.matchedVersion])).toEqual([[id, null]]);
    expect(current.total).toBe(1);
    expect(current.items[0]!.snippetHtml).toContain('<mark>grosellas</mark>');
    // Words of two versions together are not one version's match.
    expect((await search('frambuesa moras')).total).toBe(0);
    // Metadata changes reach every version's row.
    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { title: { es: 'Serie de arándanos', en: '' } })).statusCode).toBe(200);
    expect((await search('arandanos frambuesa')).items.map((item) => [item.id, item.matchedVersion])).toEqual([[id, 1]]);
  });

  it('finds word forms: plural for singular and back, in Spanish and English', async () => {
    const created = await upload(t.app, people.secretariat, { name: 'metodo.txt', bytes: Buffer.from('Las cifras nacionales de los indicadores fueron estimated by the agency.') }, metadata({ title: { es: 'Método', en: '' }, description: { es: '', en: '' }, tags: [], indicatorCodes: [] }));
    const id = created.json().document.id as string;
    for (const q of ['cifra nacional', 'indicador', 'estimates', 'CIFRA NACIÓN']) {
      expect((await search(q)).items.map((item) => item.id), q).toContain(id);
    }
    const [hit] = (await search('cifra nacional')).items.filter((item) => item.id === id);
    expect(hit!.snippetHtml).toContain('<mark>cifras</mark> <mark>nacionales</mark>');
  });

  it('finds documents by their metadata in either language', async () => {
    await upload(t.app, people.secretariat, { name: 'presentacion.pdf', bytes: minimalPdf('Diapositivas') }, metadata({ title: { es: 'Taller regional de conciliación', en: 'Regional reconciliation workshop' }, type: 'presentation', tags: ['taller-2026'] }));
    expect((await search('workshop')).total).toBe(1);
    expect((await search('conciliacion taller')).total).toBe(1);
    expect((await search('taller-2026')).total).toBe(1);
  });

  it('never shows drafts or trashed documents to those who may not see them', async () => {
    const draft = await upload(t.app, people.secretariat, { name: 'borrador.pdf', bytes: minimalPdf('Borrador con la palabra mandarina') }, metadata({ visibility: 'draft' }));
    expect(draft.statusCode).toBe(201);
    expect((await search('mandarina', people.member)).total).toBe(0);
    expect((await search('mandarina', people.observer)).total).toBe(0);
    expect((await search('mandarina', people.coordinator)).total).toBe(1);
    const id = draft.json().document.id as string;
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    expect((await search('mandarina', people.coordinator)).total).toBe(0);
  });

  it('ignores FTS syntax typed into the box', async () => {
    const response = await api(t.app, people.member, 'GET', `/documents?q=${encodeURIComponent('"zarza* OR NEAR(')}`);
    expect(response.statusCode).toBe(200);
  });
});

describe('the library list', () => {
  it('filters by type, language, year, tag and indicator, sorts and pages', async () => {
    const mk = (overrides: Record<string, unknown>, name: string) => upload(t.app, people.coordinator, { name, bytes: minimalPdf(name) }, metadata(overrides));
    await mk({ title: { es: 'Alfa', en: '' }, type: 'minutes', languages: ['pt'], publicationDate: '2019-03-01', tags: ['actas'], indicatorCodes: ['7.8'] }, 'alfa.pdf');
    await mk({ title: { es: 'Beta', en: '' }, type: 'minutes', languages: ['fr', 'es'], publicationDate: '2019-05-01', tags: ['actas'], indicatorCodes: [] }, 'beta.pdf');
    await mk({ title: { es: 'Gamma', en: '' }, type: 'minutes', languages: ['es'], publicationDate: '2018-05-01', tags: [], indicatorCodes: ['7.8'] }, 'gamma.pdf');
    const titles = async (query: string) => ((await api(t.app, people.member, 'GET', `/documents?${query}`)).json().items as Array<{ title: { es: string } }>).map((item) => item.title.es);
    expect(await titles('type=minutes')).toEqual(['Beta', 'Alfa', 'Gamma']);
    expect(await titles('type=minutes&year=2019')).toEqual(['Beta', 'Alfa']);
    expect(await titles('type=minutes&language=pt')).toEqual(['Alfa']);
    expect(await titles('type=minutes&tag=actas&sort=title')).toEqual(['Alfa', 'Beta']);
    expect(await titles('type=minutes&indicator=7.8')).toEqual(['Alfa', 'Gamma']);
    const page = (await api(t.app, people.member, 'GET', '/documents?type=minutes&limit=2&offset=2')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((item: { title: { es: string } }) => item.title.es)).toEqual(['Gamma']);
    expect((await api(t.app, people.member, 'GET', '/documents?type=novela')).statusCode).toBe(400);
  });

  it('needs a session', async () => {
    const response = await request(t.app, { method: 'GET', url: '/api/documents' });
    expect(response.statusCode).toBe(401);
  });
});

describe('publishing tells the group', () => {
  it('notifies every participant but the publisher when a group document is published, and nobody for a draft until it is visible', async () => {
    const unread = async (who = people.member) => (await api(t.app, who, 'GET', '/notifications/unread-count')).json().count as number;
    const before = await unread();
    const publisherBefore = await unread(people.secretariat);
    const draft = await upload(t.app, people.secretariat, { name: 'aviso.pdf', bytes: minimalPdf('Aviso') }, metadata({ title: { es: 'Informe anual', en: 'Annual report' }, visibility: 'draft' }));
    expect(await unread()).toBe(before);
    const id = draft.json().document.id as string;
    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { visibility: 'group' })).statusCode).toBe(200);
    expect(await unread()).toBe(before + 1);
    expect(await unread(people.observer)).toBeGreaterThan(0);
    expect(await unread(people.secretariat)).toBe(publisherBefore);
    const [latest] = (await api(t.app, people.member, 'GET', '/notifications?limit=1')).json().items;
    expect(latest).toMatchObject({ kind: 'document', subject: { kind: 'document', id, title: 'Informe anual' }, details: {}, actor: { id: people.secretariat.id } });
  });

  it('no longer shows a notice\'s title or excerpt once its document is back in draft or in the trash for the reader, and shows them again when it returns', async () => {
    const published = await upload(t.app, people.secretariat, { name: 'reservado.pdf', bytes: minimalPdf('Reservado') }, metadata({ title: { es: 'Cifras preliminares de Chile', en: '' }, description: { es: 'Borrador reservado', en: '' }, visibility: 'group' }));
    const id = published.json().document.id as string;
    const notice = async (who = people.member) => ((await api(t.app, who, 'GET', '/notifications?limit=100')).json().items as Array<{ subject: { id: string; title: string; available: boolean }; excerpt: string }>).find((n) => n.subject.id === id)!;
    expect(await notice()).toMatchObject({ subject: { title: 'Cifras preliminares de Chile', available: true } });

    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { visibility: 'draft' })).statusCode).toBe(200);
    const asDraft = await notice();
    expect(asDraft).toMatchObject({ subject: { id, title: '', available: false }, excerpt: '' });
    expect(JSON.stringify(asDraft)).not.toMatch(/Chile|Reservado/);

    expect((await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { visibility: 'group' })).statusCode).toBe(200);
    expect(await notice()).toMatchObject({ subject: { title: 'Cifras preliminares de Chile', available: true } });
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    expect(JSON.stringify(await notice())).not.toMatch(/Chile|Reservado/);
    // Those who may still read it (the library's managers) keep the whole notice.
    expect(await notice(people.admin)).toMatchObject({ subject: { title: 'Cifras preliminares de Chile', available: true } });
  });
});

describe('trash, restore, purge and the audit trail', () => {
  it('keeps a deleted document restorable by an admin, then purges it and its unreferenced file', async () => {
    const bytes = minimalPdf('Documento que se borra: ciruela');
    const created = await upload(t.app, people.secretariat, { name: 'ciruela.pdf', bytes }, metadata({ title: { es: 'Ciruela', en: '' } }));
    const id = created.json().document.id as string;
    const sha = created.json().document.latestVersion.sha256 as string;
    const fileOnDisk = `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;

    expect((await api(t.app, people.member, 'DELETE', `/documents/${id}`)).statusCode).toBe(403);
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    expect((await api(t.app, people.member, 'GET', `/documents/${id}`)).statusCode).toBe(404);
    expect((await api(t.app, people.member, 'GET', `/documents/${id}/download`)).statusCode).toBe(404);
    const trash = (await api(t.app, people.admin, 'GET', '/documents/trash')).json().items as Array<{ id: string; deletedBy: { id: string }; purgeAfter: string; deletedAt: string }>;
    const entry = trash.find((item) => item.id === id)!;
    expect(entry.deletedBy.id).toBe(people.secretariat.id);
    expect(new Date(entry.purgeAfter).getTime() - new Date(entry.deletedAt).getTime()).toBe(30 * 24 * 60 * 60 * 1000);
    expect((await api(t.app, people.secretariat, 'GET', '/documents/trash')).statusCode).toBe(403);
    expect((await api(t.app, people.coordinator, 'POST', `/documents/${id}/restore`, {})).statusCode).toBe(403);

    expect((await api(t.app, people.admin, 'POST', `/documents/${id}/restore`, {})).statusCode).toBe(200);
    expect((await api(t.app, people.member, 'GET', `/documents/${id}`)).statusCode).toBe(200);
    expect((await api(t.app, people.admin, 'POST', `/documents/${id}/restore`, {})).statusCode).toBe(409);

    // Deleted again; 29 days later it is still there, 31 days later it and its file are gone.
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    const day = 24 * 60 * 60 * 1000;
    expect((await t.app.documents.purge(new Date(Date.now() + 29 * day))).documents).toBe(0);
    expect(storedFiles(t.dataDir)).toContain(fileOnDisk);
    expect((await t.app.documents.purge(new Date(Date.now() + 31 * day))).documents).toBeGreaterThanOrEqual(1);
    expect(storedFiles(t.dataDir)).not.toContain(fileOnDisk);
    expect((await api(t.app, people.admin, 'POST', `/documents/${id}/restore`, {})).statusCode).toBe(404);
    expect((await search('ciruela', people.admin)).total).toBe(0);
  });

  it('purges a trashed document once when two instances purge at the same moment (each runs the hourly purge)', async () => {
    const id = (await upload(t.app, people.secretariat, { name: 'dos-purgas.pdf', bytes: minimalPdf('Dos purgas a la vez') })).json().document.id as string;
    expect((await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`)).statusCode).toBe(204);
    const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
    const purged = await Promise.all([t.app.documents.purge(later), t.app.documents.purge(later), t.app.documents.purge(later)]);
    expect(purged.map((each) => each.documents).reduce((a, b) => a + b)).toBe(1);
    const db = openTestDb(t);
    try {
      expect(await db.prepare("select count(*) from audit_log where subject_kind = 'document' and subject_id = ? and action = 'document.purged'").value(id)).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('keeps a file another document still uses', async () => {
    const bytes = minimalPdf('Contenido compartido: membrillo');
    const kept = await upload(t.app, people.secretariat, { name: 'a.pdf', bytes }, metadata({ title: { es: 'Se queda', en: '' } }));
    const removed = await upload(t.app, people.secretariat, { name: 'b.pdf', bytes }, metadata({ title: { es: 'Se va', en: '' } }));
    await api(t.app, people.secretariat, 'DELETE', `/documents/${removed.json().document.id}`);
    await t.app.documents.purge(new Date(Date.now() + 31 * 24 * 60 * 60 * 1000));
    const download = await api(t.app, people.member, 'GET', `/documents/${kept.json().document.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
  });

  it('records who uploaded, changed, deleted and restored what', async () => {
    const created = await upload(t.app, people.secretariat, { name: 'auditado.pdf', bytes: minimalPdf('Auditoría') }, metadata({ title: { es: 'Auditado', en: '' } }));
    const id = created.json().document.id as string;
    await uploadVersion(t.app, people.coordinator, id, { name: 'auditado-2.pdf', bytes: minimalPdf('Auditoría 2') }, 'Segunda');
    await api(t.app, people.secretariat, 'PATCH', `/documents/${id}`, { tags: ['auditoria'], type: 'report' });
    await api(t.app, people.secretariat, 'DELETE', `/documents/${id}`);
    await api(t.app, people.admin, 'POST', `/documents/${id}/restore`, {});
    const trail = (await api(t.app, people.coordinator, 'GET', `/documents/${id}/audit`)).json().items as Array<{ action: string; actor: { id: string }; details: Record<string, unknown> }>;
    expect(trail.map((entry) => [entry.action, entry.actor.id])).toEqual([
      ['restored', people.admin.id],
      ['deleted', people.secretariat.id],
      ['updated', people.secretariat.id],
      ['version_added', people.coordinator.id],
      ['uploaded', people.secretariat.id],
    ]);
    expect(trail[2]!.details).toEqual({ fields: ['tags'] });
    expect(trail[3]!.details).toMatchObject({ version: 2, fileName: 'auditado-2.pdf', changeNote: 'Segunda' });
    expect((await api(t.app, people.member, 'GET', `/documents/${id}/audit`)).statusCode).toBe(403);
  });
});
