import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, ORIGIN, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { categoryId, populate, reply, startThread, type People } from '../debates/support.js';
import { expectError, openTestDb, type TestDb } from '../support.js';
import { metadata, storedFiles, upload } from './support.js';

/**
 * Multipart bodies no browser sends but anyone can: each must get a 400 in the standard shape,
 * store nothing and leave no temporary file, over inject and over a real socket alike.
 */

let t: TestApp;
let people: People;
let base: string;
let documentId: string;
let postId: string;
let db: TestDb;

beforeAll(async () => {
  t = await buildTestApp();
  db = openTestDb(t);
  people = await populate(t.app);
  documentId = (await upload(t.app, people.secretariat, { name: 'base.pdf', bytes: minimalPdf('documento base') })).json().document.id;
  const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Adjuntos rotos' });
  postId = (await reply(t.app, people.member, thread.thread.id, 'Respuesta con adjunto roto.')).id;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await db.close();
  await t.close();
});

const B = 'concilia-limite';
const field = (name: string, value: string) => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name = 'informe.pdf') => `--${B}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`;
const pdf = minimalPdf('cuerpo roto').toString('latin1');
const meta = () => field('metadata', JSON.stringify(metadata({ title: { es: 'Cuerpo malformado', en: '' } })));

/**
 * [what, content type, body, code]: the body already carries the fields each route needs before
 * the file. A part without a Content-Disposition is skipped by the parser, so that request simply
 * has no file.
 */
const bodies = (fields: () => string): Array<[string, string, Buffer, string?]> => [
  ['a boundary that is not the one announced', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}${fileHead()}${pdf}\r\n--${B}--\r\n`.replaceAll(B, 'otro-limite'), 'latin1')],
  ['part headers cut off', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}--${B}\r\nContent-Disposition: form-data; name="file"; filena`, 'latin1')],
  ['part headers that never end', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nX-Relleno: ${'x'.repeat(200)}`, 'latin1')],
  ['no closing boundary', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}${fileHead()}${pdf}`, 'latin1')],
  ['no closing boundary after a complete file part', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}${fileHead()}${pdf}\r\n--${B}\r\n`, 'latin1')],
  ['garbage', `multipart/form-data; boundary=${B}`, Buffer.from('\u0000\u00ff garbage \r\n\r\n--\r\n%%%\u0001'.repeat(20), 'latin1')],
  ['no boundary in the content type', 'multipart/form-data', Buffer.from(`${fields()}${fileHead()}${pdf}\r\n--${B}--\r\n`, 'latin1')],
  ['an empty boundary', 'multipart/form-data; boundary=', Buffer.from(`${fields()}${fileHead()}${pdf}\r\n--${B}--\r\n`, 'latin1')],
  ['a part without a Content-Disposition', `multipart/form-data; boundary=${B}`, Buffer.from(`${fields()}--${B}\r\nContent-Type: application/pdf\r\n\r\n${pdf}\r\n--${B}--\r\n`, 'latin1'), 'no_file'],
];

const routes: Array<[string, () => string, () => string]> = [
  ['POST /api/documents', () => '/api/documents', meta],
  ['POST /api/documents/:id/versions', () => `/api/documents/${documentId}/versions`, () => field('changeNote', 'nota')],
  ['POST /api/posts/:id/attachments', () => `/api/posts/${postId}/attachments`, () => ''],
];

const counts = async () => ({
  documents: await db.prepare('select count(*) from documents').value(),
  versions: await db.prepare('select count(*) from document_versions').value(),
  attachments: await db.prepare('select count(*) from attachments').value(),
  storedFiles: await db.prepare('select count(*) from stored_files').value(),
});

const cookieFor = (route: string) => (route.includes('posts') ? people.member.cookie : people.secretariat.cookie);

describe.each(routes)('%s with a malformed multipart body', (route, url, fields) => {
  describe.each(bodies(() => ''))('%s', (what) => {
    it('answers 400 in the standard shape and keeps nothing, over inject', async () => {
      const [, contentType, payload, code = 'malformed_multipart'] = bodies(fields).find(([name]) => name === what)!;
      const before = { files: storedFiles(t.dataDir), rows: await counts() };
      const response = await request(t.app, { method: 'POST', url: url(), cookie: cookieFor(route), payload, headers: { 'content-type': contentType } });
      expectError(response, 400, code);
      // Polled: the removal of the cut-off temporary file can finish just after the answer (seen again in CI on 2026-12-06, cause not found); left for good, it fails.
      await expect.poll(() => storedFiles(t.dataDir), { timeout: 3000 }).toEqual(before.files);
      expect(await counts()).toEqual(before.rows);
    });

    it('answers 400 in the standard shape and keeps nothing, over a real socket', async () => {
      const [, contentType, payload, code = 'malformed_multipart'] = bodies(fields).find(([name]) => name === what)!;
      const before = { files: storedFiles(t.dataDir), rows: await counts() };
      const response = await fetch(`${base}${url()}`, { method: 'POST', body: new Uint8Array(payload), headers: { 'content-type': contentType, origin: ORIGIN, cookie: cookieFor(route) } });
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(body.error.code).toBe(code);
      expect(Object.keys(body)).toEqual(['error']);
      // Polled: the removal of the cut-off temporary file can finish just after the answer (seen again in CI on 2026-12-06, cause not found); left for good, it fails.
      await expect.poll(() => storedFiles(t.dataDir), { timeout: 3000 }).toEqual(before.files);
      expect(await counts()).toEqual(before.rows);
    });
  });
});

describe('after malformed bodies', () => {
  it('a well-formed upload on the same server still works', async () => {
    const response = await upload(t.app, people.secretariat, { name: 'sano.pdf', bytes: minimalPdf('sigue sano') });
    expect(response.statusCode, response.body).toBe(201);
  });
});
