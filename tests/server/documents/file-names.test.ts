import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { categoryId, populate, reply, startThread, type People } from '../debates/support.js';
import { expectError } from '../support.js';
import { metadata, multipart, storedFiles, upload, uploadVersion } from './support.js';

/**
 * A file name is shown to everyone who sees the document or the post: a name whose characters
 * change how it reads (a right-to-left override turns "invoice\u202Egpj.pdf" into what looks like
 * "invoicefdp.jpg") or that hide in it (zero-width characters, controls) is refused, the same way
 * for library documents, their versions and post attachments.
 */

let t: TestApp;
let people: People;
let documentId: string;
let threadId: string;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  documentId = (await upload(t.app, people.secretariat, { name: 'base.pdf', bytes: minimalPdf('base') })).json().document.id;
  const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Nombres de archivo' });
  threadId = thread.thread.id;
});
afterAll(async () => t.close());

const senders: Array<[string, (name: string) => ReturnType<typeof upload>]> = [
  ['a library document', (name) => upload(t.app, people.secretariat, { name, bytes: minimalPdf(`contenido ${name}`) }, metadata({ title: { es: `Documento ${name}`, en: '' } }))],
  ['a new version', (name) => uploadVersion(t.app, people.secretariat, documentId, { name, bytes: minimalPdf(`versión ${name}`) })],
  [
    'a post attachment',
    async (name) => {
      // A post of its own each time: a post holds at most ten files.
      const postId = (await reply(t.app, people.member, threadId, 'Con adjunto.')).id;
      const body = await multipart({}, { name, bytes: minimalPdf(`adjunto ${name}`) });
      return request(t.app, { method: 'POST', url: `/api/posts/${postId}/attachments`, cookie: people.member.cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
    },
  ],
];

const refused: Array<[string, string]> = [
  ['right-to-left override (U+202E)', 'invoice\u202Egpj.pdf'],
  ['left-to-right embedding (U+202A)', 'informe\u202Afinal.pdf'],
  ['pop directional formatting (U+202C)', 'informe\u202Cfinal.pdf'],
  ['left-to-right isolate (U+2066)', 'informe\u2066final.pdf'],
  ['right-to-left isolate (U+2067)', 'informe\u2067fdp.pdf'],
  ['pop directional isolate (U+2069)', 'informe\u2069final.pdf'],
  ['left-to-right mark (U+200E)', 'informe\u200Efinal.pdf'],
  ['right-to-left mark (U+200F)', 'informe\u200Ffinal.pdf'],
  ['zero-width space (U+200B)', 'informe\u200Bfinal.pdf'],
  ['zero-width non-joiner (U+200C)', 'informe\u200Cfinal.pdf'],
  ['zero-width joiner (U+200D)', 'informe\u200Dfinal.pdf'],
  ['byte order mark at the start (U+FEFF)', '\uFEFFinforme.pdf'],
  ['byte order mark inside (U+FEFF)', 'info\uFEFFrme.pdf'],
  ['word joiner (U+2060)', 'informe\u2060final.pdf'],
  ['a C0 control (U+0001)', 'informe\u0001final.pdf'],
  ['delete (U+007F)', 'informe\u007Ffinal.pdf'],
  ['a C1 control (U+0085, next line)', 'informe\u0085final.pdf'],
  ['a C1 control (U+009B, control sequence introducer)', 'informe\u009B31mfinal.pdf'],
  ['a soft hyphen (U+00AD)', 'infor\u00ADme.pdf'],
  ['the Arabic letter mark (U+061C)', 'informe\u061Cfinal.pdf'],
  ['a line separator (U+2028)', 'informe\u2028final.pdf'],
];

describe.each(senders)('the name of %s', (_what, send) => {
  it.each(refused)('with a %s is refused with 400 invalid_file_name, and nothing is kept', async (_char, name) => {
    const before = storedFiles(t.dataDir);
    const response = await send(name);
    const error = expectError(response, 400, 'invalid_file_name');
    expect(error.message).toMatch(/U\+[0-9A-F]{4}/);
    expect(storedFiles(t.dataDir)).toEqual(before);
  });

  it('with accents, spaces, punctuation and letters of the group\'s languages is kept as sent', async () => {
    const name = 'Población año 2024 – São Paulo, Cœur (révision nº 3) ç.pdf';
    const response = await send(name);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).toContain(JSON.stringify(name).slice(1, -1));
  });
});
