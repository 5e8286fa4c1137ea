import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { categoryId, populate, reply, startThread, type People } from '../debates/support.js';
import { expectError } from '../support.js';
import { metadata, multipart, storedFiles, upload } from './support.js';

/**
 * Text files as Excel and Windows Notepad save them: Windows-1252 ("CSV (delimitado por comas)"),
 * UTF-16 with a byte order mark ("Texto Unicode"), UTF-8 with a BOM. They are accepted, served as
 * uploaded with their charset, and their text is indexed as proper Unicode.
 */

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
});
afterAll(async () => t.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Bytes encoded here, independently of the server: Latin-1 covers every character used below the way Windows-1252 does. */
const windows1252 = (text: string) => Buffer.from(text, 'latin1');
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const bytes = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), bytes.swap16()]);
};

const found = async (q: string) => {
  const response = await request(t.app, { method: 'GET', url: `/api/documents?q=${encodeURIComponent(q)}`, cookie: people.member.cookie });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as Array<{ title: { es: string } }>).map((item) => item.title.es);
};

describe('text files in the encodings Excel and Notepad write', () => {
  it('accepts a Spanish CSV in Windows-1252, serves its bytes with that charset, and finds it with and without accents', async () => {
    // "€" is 0x80 in Windows-1252, a C1 control in Latin-1: written by hand.
    const bytes = Buffer.concat([windows1252('Población;Año;Gasto\r\nMéxico;2010;'), Buffer.from([0x80]), windows1252('12\r\nSão Tomé;2011;8\r\n')]);
    const created = await upload(t.app, people.secretariat, { name: 'poblacion.csv', bytes }, metadata({ type: 'dataset', title: { es: 'Serie en Windows-1252', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    const version = created.json().document.latestVersion;
    expect(version.mime).toBe('text/csv; charset=windows-1252');
    expect(version.sha256).toBe(sha256(bytes));

    const download = await request(t.app, { method: 'GET', url: `/api/documents/${created.json().document.id}/download`, cookie: people.member.cookie });
    expect(download.headers['content-type']).toBe('text/csv; charset=windows-1252');
    expect(download.rawPayload.equals(bytes)).toBe(true);

    for (const q of ['Población', 'poblacion', 'México', 'mexico', 'Año', 'ano', 'Tomé', 'tome']) expect(await found(q), q).toContain('Serie en Windows-1252');
  });

  it('accepts a UTF-16LE text file with a byte order mark and finds its words with and without accents', async () => {
    const bytes = utf16le('Estadísticas de niñez\r\nCiudad: São Paulo\r\nÍndice de pobreza: 12,5 %\r\n');
    const created = await upload(t.app, people.secretariat, { name: 'notas.txt', bytes }, metadata({ title: { es: 'Notas en UTF-16', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().document.latestVersion.mime).toBe('text/plain; charset=utf-16le');
    for (const q of ['niñez', 'ninez', 'estadisticas', 'Índice', 'indice', 'Paulo']) expect(await found(q), q).toContain('Notas en UTF-16');
  });

  it('accepts a UTF-16BE CSV with a byte order mark', async () => {
    const bytes = utf16be('País;Tasa\r\nPerú;7,1\r\n');
    const created = await upload(t.app, people.secretariat, { name: 'tasas.csv', bytes }, metadata({ type: 'dataset', title: { es: 'Tasas en UTF-16BE', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().document.latestVersion.mime).toBe('text/csv; charset=utf-16be');
    expect(await found('peru')).toContain('Tasas en UTF-16BE');
  });

  it('accepts UTF-8 with a byte order mark (Excel\'s "CSV UTF-8") as UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Región;Niños\nCaribe;3\n')]);
    const created = await upload(t.app, people.secretariat, { name: 'region.csv', bytes }, metadata({ type: 'dataset', title: { es: 'UTF-8 con BOM', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().document.latestVersion.mime).toBe('text/csv; charset=utf-8');
    expect(await found('ninos')).toContain('UTF-8 con BOM');
  });

  it('reads the encoding from the whole file, not only its beginning', async () => {
    // 200 KB of plain ASCII, then Windows-1252 accents: a sample of the first bytes would say UTF-8.
    const bytes = Buffer.concat([Buffer.from('fila;valor\n'.repeat(20_000)), windows1252('Panamá;Áreas protegidas\n')]);
    const created = await upload(t.app, people.secretariat, { name: 'larga.csv', bytes }, metadata({ type: 'dataset', title: { es: 'Larga en Windows-1252', en: '' } }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().document.latestVersion.mime).toBe('text/csv; charset=windows-1252');
    expect(await found('areas protegidas')).toContain('Larga en Windows-1252');
  });

  it('accepts the same encodings as post attachments', async () => {
    const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Series en Excel' });
    const post = await reply(t.app, people.member, thread.thread.id, 'Adjunto la serie.');
    const body = await multipart({}, { name: 'serie.csv', bytes: windows1252('Año;Población\n2020;1000\n') });
    const response = await request(t.app, { method: 'POST', url: `/api/posts/${post.id}/attachments`, cookie: people.member.cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().attachment.mime).toBe('text/csv; charset=windows-1252');
  });
});

describe('what is not text is still refused', () => {
  const refusals: Array<[string, Buffer]> = [
    ['binary bytes named .csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256))],
    ['a UTF-16LE BOM followed by an unpaired surrogate', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('texto', 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])])],
    ['a UTF-16 BOM followed by binary', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0])])],
    ['Latin text with NUL bytes in it', Buffer.concat([windows1252('Población;Año\n'), Buffer.from([0, 0, 0, 0]), windows1252('México\n')])],
    ['Windows-1252 with bytes it leaves undefined', Buffer.concat([windows1252('Población'), Buffer.from([0x81, 0x8d, 0x8f, 0x90, 0x9d])])],
  ];

  it.each(refusals)('%s', async (_what, bytes) => {
    const before = storedFiles(t.dataDir);
    const response = await upload(t.app, people.secretariat, { name: 'datos.csv', bytes }, metadata({ type: 'dataset' }));
    expectError(response, 415, 'type_mismatch');
    expect(storedFiles(t.dataDir)).toEqual(before);
  });
});
