import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { allPosts, api, categoryId, populate, reply, startThread, type People, type Participant } from '../debates/support.js';
import { openTestDb } from '../support.js';
import { multipart, storedFiles } from './support.js';

let t: TestApp;
let people: People;
let threadId: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  threadId = (await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Cifras de mortalidad infantil' })).thread.id;
});
afterAll(async () => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function attach(who: Participant, postId: string, name: string, bytes: Buffer) {
  const body = await multipart({}, { name, bytes });
  return request(t.app, { method: 'POST', url: `/api/posts/${postId}/attachments`, cookie: who.cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
}

const attachmentsOn = async (who: Participant, postId: string) => (await allPosts(t.app, who, threadId, 'chronological')).find((post) => post.id === postId) as unknown as { attachments: Array<{ id: string; fileName: string; size: number }> };

describe('files attached to debate posts', () => {
  it('lets the author attach a file that everyone in the thread sees under the post and downloads intact', async () => {
    const post = await reply(t.app, people.member, threadId, 'Adjunto la serie revisada.');
    const bytes = Buffer.from('año;tasa\n2020;14,2\n2021;13,8\n');
    const attached = await attach(people.member, post.id, 'serie_mortalidad_año.csv', bytes);
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json().post.attachments).toEqual([{ id: attached.json().attachment.id, fileName: 'serie_mortalidad_año.csv', mime: 'text/csv; charset=utf-8', size: bytes.length }]);

    const seen = await attachmentsOn(people.otherMember, post.id);
    expect(seen.attachments.map((file) => file.fileName)).toEqual(['serie_mortalidad_año.csv']);
    const download = await api(t.app, people.observer, 'GET', `/attachments/${seen.attachments[0]!.id}/download`);
    expect(download.statusCode).toBe(200);
    expect(sha256(download.rawPayload)).toBe(sha256(bytes));
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(download.headers['content-disposition']))![1]!)).toBe('serie_mortalidad_año.csv');
  });

  it('refuses others, bad files, and keeps nothing of them', async () => {
    const post = await reply(t.app, people.member, threadId, 'Otro aporte.');
    const before = storedFiles(t.dataDir);
    expect((await attach(people.otherMember, post.id, 'ajeno.pdf', minimalPdf('ajeno'))).statusCode).toBe(403);
    const mismatch = await attach(people.member, post.id, 'informe.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(mismatch.statusCode).toBe(415);
    expect(mismatch.json().error.code).toBe('type_mismatch');
    expect((await attach(people.member, post.id, '../informe.pdf', minimalPdf('x'))).json().error.code).toBe('invalid_file_name');
    expect(storedFiles(t.dataDir)).toEqual(before);
    expect((await attachmentsOn(people.member, post.id)).attachments).toEqual([]);
  });

  it('hides the files of a hidden post from everyone but moderators and its author, and of a withdrawn post from all', async () => {
    const post = await reply(t.app, people.member, threadId, 'Texto que se ocultará.');
    const id = (await attach(people.member, post.id, 'oculto.pdf', minimalPdf('oculto'))).json().attachment.id as string;
    expect((await api(t.app, people.coordinator, 'POST', `/posts/${post.id}/hide`, { reason: 'Datos personales' })).statusCode).toBe(200);
    expect((await attachmentsOn(people.otherMember, post.id)).attachments).toEqual([]);
    expect((await api(t.app, people.otherMember, 'GET', `/attachments/${id}/download`)).statusCode).toBe(404);
    expect((await attachmentsOn(people.coordinator, post.id)).attachments).toHaveLength(1);
    expect((await attachmentsOn(people.member, post.id)).attachments).toHaveLength(1);
    expect((await api(t.app, people.member, 'GET', `/attachments/${id}/download`)).statusCode).toBe(200);

    const withdrawn = await reply(t.app, people.otherMember, threadId, 'Me retracto.');
    const gone = (await attach(people.otherMember, withdrawn.id, 'retirado.pdf', minimalPdf('retirado'))).json().attachment.id as string;
    expect((await api(t.app, people.otherMember, 'POST', `/posts/${withdrawn.id}/withdraw`, {})).statusCode).toBe(200);
    expect((await api(t.app, people.coordinator, 'GET', `/attachments/${gone}/download`)).statusCode).toBe(404);
  });

  it('lets the author or a moderator remove a file; the page and its ETag change', async () => {
    const post = await reply(t.app, people.member, threadId, 'Con dos archivos.');
    const first = (await attach(people.member, post.id, 'uno.pdf', minimalPdf('uno'))).json().attachment.id as string;
    const second = (await attach(people.member, post.id, 'dos.pdf', minimalPdf('dos'))).json().attachment.id as string;
    const page = await api(t.app, people.otherMember, 'GET', `/threads/${threadId}/posts?view=chronological&limit=100`);
    expect((await api(t.app, people.otherMember, 'DELETE', `/attachments/${first}`)).statusCode).toBe(403);
    expect((await api(t.app, people.member, 'DELETE', `/attachments/${first}`)).statusCode).toBe(204);
    expect((await api(t.app, people.coordinator, 'DELETE', `/attachments/${second}`)).statusCode).toBe(204);
    const revalidated = await request(t.app, { method: 'GET', url: `/api/threads/${threadId}/posts?view=chronological&limit=100`, cookie: people.otherMember.cookie, headers: { 'if-none-match': String(page.headers.etag) } });
    expect(revalidated.statusCode).toBe(200);
    expect((await attachmentsOn(people.otherMember, post.id)).attachments).toEqual([]);
    expect((await api(t.app, people.otherMember, 'GET', `/attachments/${first}/download`)).statusCode).toBe(404);
  });

  it('keeps a removed file until the purge, and then only if nothing else uses it', async () => {
    const post = await reply(t.app, people.member, threadId, 'Archivo que se quita.');
    const bytes = minimalPdf('quitado para siempre');
    const id = (await attach(people.member, post.id, 'quitado.pdf', bytes)).json().attachment.id as string;
    await api(t.app, people.member, 'DELETE', `/attachments/${id}`);
    const onDisk = `${sha256(bytes).slice(0, 2)}/${sha256(bytes).slice(2, 4)}/${sha256(bytes)}`;
    expect(storedFiles(t.dataDir)).toContain(onDisk);
    await t.app.documents.purge(new Date(Date.now() + 31 * 24 * 60 * 60 * 1000));
    expect(storedFiles(t.dataDir)).not.toContain(onDisk);
  });

  it("tells the thread's readers live through the post.updated event (the post carries its files)", async () => {
    const post = await reply(t.app, people.member, threadId, 'Evento en vivo.');
    await attach(people.member, post.id, 'vivo.pdf', minimalPdf('vivo'));
    const db = openTestDb(t);
    const stored = await db.prepare<{ payload: string }>("select payload from live_events where topic = ? and type = 'post.updated' order by id desc limit 1").get(`thread:${threadId}`);
    await db.close();
    expect(JSON.parse(stored!.payload).post).toMatchObject({ id: post.id, attachments: [expect.objectContaining({ fileName: 'vivo.pdf' })] });
  });
});
