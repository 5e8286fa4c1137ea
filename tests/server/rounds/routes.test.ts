import { createRequire } from 'node:module';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helper.js';
import { expectError } from '../support.js';
import { metadata, upload } from '../documents/support.js';
import { api, buildRoundsWorld, uploadSecondVersion, type RoundsWorld } from './world.js';

/**
 * Comment rounds over HTTP, on a controllable clock: a round on a DOCX version, drafts a delegation
 * keeps to itself, one submission per delegation (also when two requests race), dispositions and
 * replies with silence as acceptance, the next version with comments re-anchored (kept, drifted,
 * orphaned), the matrix as XLSX read back, and the silence procedure adopted and broken.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let now = new Date('2026-05-04T15:00:00.000Z');
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const inFuture = (ms: number) => new Date(now.getTime() + ms).toISOString();

let t: TestApp;
let w: RoundsWorld;

beforeAll(async () => {
  t = await buildTestApp({}, { now: () => now });
  w = await buildRoundsWorld(t.app);
});
afterAll(async () => t.close());

const openRound = async (consulted = { countryIds: ['pe', 'cl'], organizationIds: ['unicef'] }) => {
  const response = await api(t.app, w.secretariat, 'POST', '/rounds', { documentId: w.documentId, version: 1, consulted, deadline: inFuture(7 * DAY), instructions: 'Comenten antes del plazo.' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().round as { id: string; status: string };
};

/** The person's notification of this kind about the round, if any. */
const notified = async (who: RoundsWorld['admin'], kind: string, roundId: string) => {
  await t.app.notifications.settled();
  const items = (await api(t.app, who, 'GET', '/notifications?limit=50')).json().items as Array<{ kind: string; subject: { id: string } }>;
  return items.find((item) => item.kind === kind && item.subject.id === roundId);
};

const detail = async (who: RoundsWorld['admin'], id: string) => {
  const response = await api(t.app, who, 'GET', `/rounds/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

describe('a comment round from opening to conclusion', () => {
  let roundId = '';
  let peComment = '';
  let unicefComment = '';
  let clComment = '';

  it('opens on a DOCX version shown as numbered sections and paragraphs', async () => {
    const round = await openRound();
    roundId = round.id;
    expect(round.status).toBe('open');
    const body = await detail(w.clMember, roundId);
    const labels = body.structure.blocks.map((block: { label: string }) => block.label);
    expect(labels).toEqual(['Title', '1', '1 ¶1', '2', '2 ¶1', '2 ¶2', '3', '3.1', '3.1 ¶1', '3.2', '3.2 ¶1', '3.2 ¶2']);
    expect(body.me.party).toEqual({ kind: 'country', id: 'cl' });
    expect(body.parties.map((party: { key: string }) => party.key)).toEqual(['c:pe', 'c:cl', 'o:unicef']);
    // The consulted delegations are told; Mexico, not consulted, is not.
    expect(await notified(w.clMember, 'round_opened', roundId)).toMatchObject({ subject: { kind: 'round', id: roundId, title: 'Informe de actividades' }, excerpt: 'Comenten antes del plazo.' });
    expect(await notified(w.observer, 'round_opened', roundId)).toBeDefined();
    expect(await notified(w.mxMember, 'round_opened', roundId)).toBeUndefined();
  });

  it('keeps a delegation’s drafts from other countries until its focal point submits', async () => {
    const passage = await api(t.app, w.peAlternate, 'POST', `/rounds/${roundId}/comments`, {
      type: 'technical',
      text: 'Precisar qué se entiende por registros completos.',
      proposedText: 'cuando la cobertura de los registros vitales supera el 90 %',
      anchor: { kind: 'passage', blockId: 's3.2p1', exact: 'cuando los registros vitales son completos' },
    });
    expect(passage.statusCode, passage.body).toBe(201);
    peComment = passage.json().comment.id;
    expect(passage.json().comment.anchor).toMatchObject({ kind: 'passage', label: '3.2 ¶1', quote: { exact: 'cuando los registros vitales son completos' } });

    const other = await api(t.app, w.observer, 'POST', `/rounds/${roundId}/comments`, { type: 'editorial', text: 'Este párrafo sobra.', anchor: { kind: 'paragraph', blockId: 's2p2' } });
    expect(other.statusCode, other.body).toBe(201);
    unicefComment = other.json().comment.id;
    const chile = await api(t.app, w.clMember, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'Agregar el año.', anchor: { kind: 'paragraph', blockId: 's1p1' } });
    clComment = chile.json().comment.id;

    expect((await detail(w.peFocal, roundId)).comments.map((c: { id: string }) => c.id)).toEqual([peComment]);
    expect((await detail(w.clFocal, roundId)).comments.map((c: { id: string }) => c.id)).toEqual([clComment]);
    // Organizers do not read drafts either.
    expect((await detail(w.secretariat, roundId)).comments).toEqual([]);
    expectError(await api(t.app, w.clFocal, 'PATCH', `/rounds/${roundId}/comments/${peComment}`, { text: 'x' }), 404, 'not_found');
    // A passage that is not in the paragraph, and a paragraph that does not exist.
    expectError(await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'x', anchor: { kind: 'passage', blockId: 's3.2p1', exact: 'no está' } }), 400, 'passage_not_found');
    expectError(await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'x', anchor: { kind: 'paragraph', blockId: 's9p9' } }), 400, 'unknown_paragraph');
    // Not consulted: Mexico.
    expectError(await api(t.app, w.mxMember, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'x', anchor: { kind: 'document' } }), 403, 'forbidden');
  });

  it('takes one submission per delegation, from its focal point, even when two race', async () => {
    expectError(await api(t.app, w.peAlternate, 'POST', `/rounds/${roundId}/submission`), 403, 'not_submitter');
    const [first, second] = await Promise.all([api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/submission`), api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/submission`)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([201, 409]);
    expect([first, second].find((r) => r.statusCode === 409)!.json().error.code).toBe('already_submitted');
    // The organizers hear of it, once.
    const told = (await api(t.app, w.secretariat, 'GET', '/notifications?limit=50')).json().items.filter((n: { kind: string }) => n.kind === 'round_submitted');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ subject: { kind: 'round', id: roundId }, excerpt: 'Peru' });
    // Submitted: Chile reads it now; Peru adds nothing more unless it withdraws.
    expect((await detail(w.clMember, roundId)).comments.map((c: { id: string }) => c.id).sort()).toEqual([peComment, clComment].sort());
    expectError(await api(t.app, w.peAlternate, 'POST', `/rounds/${roundId}/comments`, { type: 'general', text: 'otra', anchor: { kind: 'document' } }), 409, 'already_submitted');
    expect((await api(t.app, w.observer, 'POST', `/rounds/${roundId}/submission`)).statusCode).toBe(201);
    // Chile withdraws its draft and submits nothing: an empty position.
    expect((await api(t.app, w.clFocal, 'DELETE', `/rounds/${roundId}/comments/${clComment}`)).statusCode).toBe(200);
    expect((await api(t.app, w.clFocal, 'POST', `/rounds/${roundId}/submission`)).json().submission.comments).toBe(0);
    const parties = (await detail(w.secretariat, roundId)).parties;
    expect(parties.every((party: { submittedAt: string | null }) => party.submittedAt !== null)).toBe(true);
  });

  it('lets the secretariat dispose of comments only once commenting is over, unpublished until it publishes', async () => {
    expectError(await api(t.app, w.secretariat, 'PUT', `/rounds/${roundId}/comments/${peComment}/disposition`, { kind: 'accepted' }), 409, 'round_not_closed');
    advance(7 * DAY + HOUR);
    expect((await detail(w.clMember, roundId)).round.status).toBe('closed');
    expectError(await api(t.app, w.secretariat, 'PUT', `/rounds/${roundId}/comments/${peComment}/disposition`, { kind: 'partially_accepted' }), 400, 'rationale_required');
    const disposed = await api(t.app, w.secretariat, 'PUT', `/rounds/${roundId}/comments/${peComment}/disposition`, { kind: 'partially_accepted', rationale: 'Se precisa, sin fijar el umbral.' });
    expect(disposed.statusCode, disposed.body).toBe(200);
    expect(disposed.json().disposition).toMatchObject({ kind: 'partially_accepted', revision: 1 });
    expectError(await api(t.app, w.peFocal, 'PUT', `/rounds/${roundId}/comments/${peComment}/disposition`, { kind: 'accepted' }), 403, 'forbidden');
    // Not published: Peru does not see it yet; the secretariat does.
    expect((await detail(w.peFocal, roundId)).comments[0].disposition).toBeNull();
    expect((await detail(w.secretariat, roundId)).comments.find((c: { id: string }) => c.id === peComment).disposition.kind).toBe('partially_accepted');
    expectError(await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/publish`, { replyDeadline: inFuture(7 * DAY) }), 409, 'dispositions_missing');
    await api(t.app, w.secretariat, 'PUT', `/rounds/${roundId}/comments/${unicefComment}/disposition`, { kind: 'accepted' });
    const published = await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/publish`, { replyDeadline: inFuture(7 * DAY) });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().round.status).toBe('dispositions');
    expect((await detail(w.peFocal, roundId)).comments.find((c: { id: string }) => c.id === peComment)).toMatchObject({ disposition: { kind: 'partially_accepted' }, effectiveReply: 'pending', mayReply: true });
  });

  it('re-anchors the comments onto version 2: kept, and orphaned where the paragraph went', async () => {
    await uploadSecondVersion(t.app, w);
    const attached = await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/next-version`, { version: 2 });
    expect(attached.statusCode, attached.body).toBe(200);
    const comments = (await detail(w.clMember, roundId)).comments;
    const pe = comments.find((c: { id: string }) => c.id === peComment);
    const unicef = comments.find((c: { id: string }) => c.id === unicefComment);
    expect(pe.reanchored).toMatchObject({ status: 'kept', anchor: { kind: 'passage', label: '3.2 ¶1', quote: { exact: 'cuando los registros vitales son completos' } } });
    expect(unicef.reanchored).toMatchObject({ status: 'orphaned', anchor: null, reason: 'paragraph_deleted' });
    // "Applied in" follows the passage into version 2.
    expect(pe.disposition.appliedIn).toEqual({ versionId: '2', blockId: 's3.2p1', label: '3.2 ¶1' });
    const comparison = await api(t.app, w.clMember, 'GET', `/rounds/${roundId}/comparison`);
    expect(comparison.statusCode, comparison.body).toBe(200);
    expect(comparison.json().comparison.counts).toMatchObject({ deleted: 1, changed: 2 });
  });

  it('takes the commenter’s reply, and silence as acceptance once the reply deadline passes', async () => {
    expectError(await api(t.app, w.peFocal, 'PUT', `/rounds/${roundId}/comments/${peComment}/reply`, { kind: 'objects' }), 400, 'reason_required');
    expectError(await api(t.app, w.peAlternate, 'PUT', `/rounds/${roundId}/comments/${peComment}/reply`, { kind: 'satisfied' }), 403, 'not_submitter');
    expectError(await api(t.app, w.clFocal, 'PUT', `/rounds/${roundId}/comments/${peComment}/reply`, { kind: 'satisfied' }), 403, 'forbidden');
    const replied = await api(t.app, w.peFocal, 'PUT', `/rounds/${roundId}/comments/${peComment}/reply`, { kind: 'objects', text: 'El umbral es indispensable.' });
    expect(replied.statusCode, replied.body).toBe(200);
    advance(7 * DAY + HOUR);
    const comments = (await detail(w.clMember, roundId)).comments;
    expect(comments.find((c: { id: string }) => c.id === peComment).effectiveReply).toBe('objects');
    expect(comments.find((c: { id: string }) => c.id === unicefComment).effectiveReply).toBe('accepted_by_silence');
    expect((await detail(w.clMember, roundId)).round.status).toBe('concluded');
    expectError(await api(t.app, w.peFocal, 'PUT', `/rounds/${roundId}/comments/${peComment}/reply`, { kind: 'satisfied' }), 409, 'replies_closed');
  });

  it('gives the matrix as XLSX that an independent reader reads back, and as a printable page', async () => {
    const xlsx = await api(t.app, w.clMember, 'GET', `/rounds/${roundId}/matrix.xlsx?lang=es`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const sheets = await readXlsxFile(xlsx.rawPayload);
    const rows = sheets[0]!.data.map((row) => row.map((cell) => String(cell ?? '')));
    const text = rows.flat().join('\n');
    expect(rows).toHaveLength(3);
    expect(text).toContain('Precisar qué se entiende por registros completos.');
    expect(text).toContain('Se precisa, sin fijar el umbral.');
    expect(text).toContain('El umbral es indispensable.');
    expect(text).toContain('Este párrafo sobra.');
    // Built in a worker thread that ended with it: exceljs was never loaded in the server's own thread.
    expect(Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/exceljs/'))).toBe(false);
    const html = await api(t.app, w.clMember, 'GET', `/rounds/${roundId}/matrix.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toContain('Precisar qué se entiende por registros completos.');
  });

  it('runs the silence procedure: broken by a country with a reason, adopted when nobody breaks it', async () => {
    expectError(await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/silence`, { deadline: inFuture(3 * DAY) }), 403, 'forbidden');
    expect((await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/silence`, { deadline: inFuture(3 * DAY) })).statusCode).toBe(201);
    expect((await detail(w.peFocal, roundId)).silence).toMatchObject({ outcome: 'running', mayBreak: true });
    expectError(await api(t.app, w.peAlternate, 'POST', `/rounds/${roundId}/silence/break`, { reason: 'No.' }), 403, 'not_submitter');
    expect((await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/silence/break`, { reason: 'Falta el umbral.' })).json().outcome).toBe('broken');
    expect(await notified(w.coordinator, 'silence_broken', roundId)).toMatchObject({ excerpt: 'Falta el umbral.' });
    expectError(await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/silence/break`, { reason: 'Otra vez.' }), 409, 'already_broken');
    expect((await detail(w.clMember, roundId)).silence.breaks).toMatchObject([{ party: { id: 'pe' }, reason: 'Falta el umbral.' }]);
    advance(3 * DAY + HOUR);
    expect((await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/silence/settle`)).json().outcome).toBe('broken');

    expect((await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/silence`, { deadline: inFuture(2 * DAY) })).statusCode).toBe(201);
    expectError(await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/silence/settle`), 409, 'deadline_not_reached');
    advance(2 * DAY + HOUR);
    expectError(await api(t.app, w.peFocal, 'POST', `/rounds/${roundId}/silence/break`, { reason: 'Tarde.' }), 409, 'deadline_passed');
    expect((await detail(w.clMember, roundId)).silence.outcome).toBe('adopted');
    expect((await api(t.app, w.secretariat, 'POST', `/rounds/${roundId}/silence/settle`)).json().outcome).toBe('adopted');
  });
});

describe('a prepared round', () => {
  it('exists for organizers only until it opens', async () => {
    const response = await api(t.app, w.coordinator, 'POST', '/rounds', { documentId: w.documentId, version: 1, consulted: { countryIds: ['pe'], organizationIds: [] }, deadline: inFuture(3 * DAY), open: false });
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().round.id;
    expectError(await api(t.app, w.peFocal, 'GET', `/rounds/${id}`), 404, 'not_found');
    expect((await api(t.app, w.peFocal, 'GET', '/rounds')).json().items.some((r: { id: string }) => r.id === id)).toBe(false);
    expect((await api(t.app, w.secretariat, 'GET', `/rounds/${id}`)).statusCode).toBe(200);
    expect((await api(t.app, w.secretariat, 'POST', `/rounds/${id}/open`)).json().round.status).toBe('open');
    expect((await api(t.app, w.peFocal, 'GET', `/rounds/${id}`)).statusCode).toBe(200);
  });

  it('opens on a Markdown text version, read with its headings', async () => {
    const uploaded = await upload(t.app, w.secretariat, { name: 'plan.txt', bytes: Buffer.from('# Plan de trabajo\n\n## Objetivos\n\nConciliar las cifras.\n\n## Calendario\n\nDos reuniones al año.\n') }, metadata());
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const created = await api(t.app, w.secretariat, 'POST', '/rounds', { documentId: uploaded.json().document.id, version: 1, consulted: { countryIds: ['pe'], organizationIds: [] }, deadline: inFuture(3 * DAY) });
    expect(created.statusCode, created.body).toBe(201);
    const labels = (await detail(w.peFocal, created.json().round.id)).structure.blocks.map((block: { label: string; text: string }) => `${block.label} ${block.text}`);
    expect(labels).toEqual(['Title Plan de trabajo', '1 Objetivos', '1 ¶1 Conciliar las cifras.', '2 Calendario', '2 ¶1 Dos reuniones al año.']);
  });

  it('refuses a deadline too soon, an unknown version and nobody consulted', async () => {
    const body = { documentId: w.documentId, version: 1, consulted: { countryIds: ['pe'], organizationIds: [] }, deadline: inFuture(10 * 60_000) };
    expectError(await api(t.app, w.secretariat, 'POST', '/rounds', body), 400, 'deadline_too_soon');
    expectError(await api(t.app, w.secretariat, 'POST', '/rounds', { ...body, deadline: inFuture(DAY), version: 9 }), 400, 'unknown_version');
    expectError(await api(t.app, w.secretariat, 'POST', '/rounds', { ...body, deadline: inFuture(DAY), consulted: { countryIds: [], organizationIds: [] } }), 400, 'nobody_consulted');
    expectError(await api(t.app, w.secretariat, 'POST', '/rounds', { ...body, deadline: inFuture(DAY), consulted: { countryIds: ['zz'], organizationIds: [] } }), 400, 'unknown_country');
  });
});
