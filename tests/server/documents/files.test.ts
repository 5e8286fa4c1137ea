import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { minimalPdf } from '../../fixtures/documents.js';
import { populate, type People } from '../debates/support.js';
import { metadata, multipart, storedFiles, upload, uploadVersion } from './support.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

let t: TestApp;
let people: People;

beforeAll(async () => {
  t = await buildTestApp({ MAX_UPLOAD_MB: '1' });
  people = await populate(t.app);
});
afterAll(async () => t.close());

const download = (url: string, cookie: string, headers: Record<string, string> = {}) => request(t.app, { method: 'GET', url, cookie, headers });

describe('upload and download', () => {
  it('gives back exactly the bytes uploaded, with type, name, ETag and nosniff', async () => {
    const bytes = minimalPdf('Estimación de la mortalidad materna 2024');
    const created = await upload(t.app, people.secretariat, { name: 'Informe_conciliación_ODM.pdf', bytes });
    expect(created.statusCode, created.body).toBe(201);
    const document = created.json().document;
    expect(document.latestVersion).toMatchObject({ number: 1, fileName: 'Informe_conciliación_ODM.pdf', mime: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });

    const response = await download(`/api/documents/${document.id}/download`, people.member.cookie);
    expect(response.statusCode).toBe(200);
    expect(sha256(response.rawPayload)).toBe(sha256(bytes));
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.etag).toBe(`"${sha256(bytes)}"`);
    // RFC 6266 / 8187: the accented name survives in filename*, with an ASCII fallback beside it.
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toMatch(/^inline; /);
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    expect(decodeURIComponent(encoded!)).toBe('Informe_conciliación_ODM.pdf');

    const forced = await download(`/api/documents/${document.id}/download?disposition=attachment`, people.member.cookie);
    expect(String(forced.headers['content-disposition'])).toMatch(/^attachment; /);
  });

  it('answers If-None-Match with 304 and a Range with the exact slice', async () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => `linea ${i};valor ${i * 3}\n`).join(''));
    const created = await upload(t.app, people.secretariat, { name: 'serie.csv', bytes }, metadata({ type: 'dataset' }));
    expect(created.statusCode, created.body).toBe(201);
    const url = `/api/documents/${created.json().document.id}/download`;

    const revalidated = await download(url, people.member.cookie, { 'if-none-match': `"${sha256(bytes)}"` });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.rawPayload.length).toBe(0);

    const slice = await download(url, people.member.cookie, { range: 'bytes=1000-1999' });
    expect(slice.statusCode).toBe(206);
    expect(slice.headers['content-range']).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(slice.rawPayload.equals(bytes.subarray(1000, 2000))).toBe(true);

    const tail = await download(url, people.member.cookie, { range: 'bytes=-10' });
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const beyond = await download(url, people.member.cookie, { range: `bytes=${bytes.length + 10}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`);
    // Text is never shown inline: it downloads.
    expect(String(slice.headers['content-disposition'])).toMatch(/^attachment; /);
  });

  it('stores the same content once, however often it is uploaded', async () => {
    const bytes = minimalPdf('Nota metodológica sobre pobreza extrema');
    const before = storedFiles(t.dataDir);
    const first = await upload(t.app, people.secretariat, { name: 'nota.pdf', bytes });
    const second = await upload(t.app, people.coordinator, { name: 'copia de la nota.pdf', bytes }, metadata({ title: { es: 'Copia', en: '' } }));
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    const added = storedFiles(t.dataDir).filter((file) => !before.includes(file));
    expect(added).toEqual([`${sha256(bytes).slice(0, 2)}/${sha256(bytes).slice(2, 4)}/${sha256(bytes)}`]);
    expect(storedFiles(t.dataDir).filter((file) => file.startsWith('tmp/'))).toEqual([]);
  });

  it('keeps every version in order; links open the latest unless a version is asked for', async () => {
    const v1 = minimalPdf('Primera versión del cuestionario');
    const v2 = minimalPdf('Segunda versión del cuestionario');
    const v3 = minimalPdf('Tercera versión del cuestionario');
    const created = await upload(t.app, people.secretariat, { name: 'cuestionario.pdf', bytes: v1 }, metadata({ type: 'questionnaire' }));
    const id = created.json().document.id as string;
    expect((await uploadVersion(t.app, people.secretariat, id, { name: 'cuestionario v2.pdf', bytes: v2 }, 'Corrige la pregunta 3')).statusCode).toBe(201);
    const third = await uploadVersion(t.app, people.coordinator, id, { name: 'cuestionario v3.pdf', bytes: v3 }, 'Versión final');
    expect(third.statusCode, third.body).toBe(201);

    const detail = (await download(`/api/documents/${id}`, people.member.cookie)).json().document;
    expect(detail.versions.map((v: { number: number; changeNote: string; sha256: string }) => [v.number, v.changeNote, v.sha256])).toEqual([
      [3, 'Versión final', sha256(v3)],
      [2, 'Corrige la pregunta 3', sha256(v2)],
      [1, '', sha256(v1)],
    ]);
    expect(detail.latestVersion.number).toBe(3);
    expect(sha256((await download(`/api/documents/${id}/download`, people.member.cookie)).rawPayload)).toBe(sha256(v3));
    expect(sha256((await download(`/api/documents/${id}/download?version=1`, people.member.cookie)).rawPayload)).toBe(sha256(v1));
    expect((await download(`/api/documents/${id}/download?version=9`, people.member.cookie)).statusCode).toBe(404);
  });

  it('numbers versions uploaded at the same moment one after another, refusing none (PostgreSQL runs their writes side by side)', async () => {
    const id = (await upload(t.app, people.secretariat, { name: 'simultaneo.pdf', bytes: minimalPdf('simultaneo') })).json().document.id as string;
    const answers = await Promise.all([2, 3, 4, 5, 6].map((n) => uploadVersion(t.app, n % 2 ? people.coordinator : people.secretariat, id, { name: `simultaneo v${n}.pdf`, bytes: minimalPdf(`simultaneo ${n}`) })));
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([201, 201, 201, 201, 201]);
    const detail = (await download(`/api/documents/${id}`, people.member.cookie)).json().document;
    expect(detail.versions.map((v: { number: number }) => v.number)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(detail.latestVersion.number).toBe(6);
    expect(new Set(detail.versions.map((v: { fileName: string }) => v.fileName)).size).toBe(6);
  });

  it('counts downloads, but not revalidations, resumed ranges or HEAD requests', async () => {
    const bytes = minimalPdf('Contador de descargas');
    const id = (await upload(t.app, people.secretariat, { name: 'contador.pdf', bytes })).json().document.id as string;
    const url = `/api/documents/${id}/download`;
    await download(url, people.member.cookie);
    await download(url, people.observer.cookie);
    await download(url, people.member.cookie, { 'if-none-match': `"${sha256(bytes)}"` });
    await download(url, people.member.cookie, { range: 'bytes=100-' });
    const head = await request(t.app, { method: 'HEAD', url, cookie: people.member.cookie });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect((await download(`/api/documents/${id}`, people.member.cookie)).json().document.downloadCount).toBe(2);
  });
});

describe('refused uploads leave nothing behind', () => {
  const refusals: Array<[string, () => Promise<{ statusCode: number; json(): { error: { code: string } } }>, number, string]> = [
    ['a file over the size limit', () => upload(t.app, people.secretariat, { name: 'grande.pdf', bytes: Buffer.concat([minimalPdf('x'), Buffer.alloc(1024 * 1024 + 10, 32)]) }), 413, 'file_too_large'],
    ['a type not on the list', () => upload(t.app, people.secretariat, { name: 'programa.exe', bytes: Buffer.from('MZ\x90\x00\x03') }), 415, 'unsupported_type'],
    ['an HTML page renamed .pdf', () => upload(t.app, people.secretariat, { name: 'informe.pdf', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') }), 415, 'type_mismatch'],
    ['a PNG named .pdf', () => upload(t.app, people.secretariat, { name: 'grafico.pdf', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') }), 415, 'type_mismatch'],
    ['an SVG named .png', () => upload(t.app, people.secretariat, { name: 'logo.png', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') }), 415, 'type_mismatch'],
    ['a name with a path in it', () => upload(t.app, people.secretariat, { name: '../../etc/passwd.pdf', bytes: minimalPdf('x') }), 400, 'invalid_file_name'],
    ['a name with a Windows path in it', () => upload(t.app, people.secretariat, { name: '..\\..\\informe.pdf', bytes: minimalPdf('x') }), 400, 'invalid_file_name'],
    ['no file part', () => upload(t.app, people.secretariat, undefined), 400, 'no_file'],
    ['metadata that does not validate', () => upload(t.app, people.secretariat, { name: 'ok.pdf', bytes: minimalPdf('x') }, metadata({ type: 'novel', languages: [] })), 400, 'validation_failed'],
    ['no metadata before the file', () => upload(t.app, people.secretariat, { name: 'ok.pdf', bytes: minimalPdf('x') }, null), 400, 'validation_failed'],
    ['an unknown indicator code', () => upload(t.app, people.secretariat, { name: 'ok.pdf', bytes: minimalPdf('x') }, metadata({ indicatorCodes: ['9.9'] })), 400, 'validation_failed'],
    ['an unknown author country', () => upload(t.app, people.secretariat, { name: 'ok.pdf', bytes: minimalPdf('x') }, metadata({ authorCountryId: 'zz' })), 400, 'unknown_reference'],
    ['a body that is not multipart', () => request(t.app, { method: 'POST', url: '/api/documents', cookie: people.secretariat.cookie, payload: { title: 'x' } }), 415, 'not_multipart'],
  ];

  it.each(refusals)('%s', async (_name, send, status, code) => {
    const before = storedFiles(t.dataDir);
    const listed = (await request(t.app, { method: 'GET', url: '/api/documents?limit=50', cookie: people.admin.cookie })).json().total;
    const response = await send();
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(storedFiles(t.dataDir)).toEqual(before);
    expect((await request(t.app, { method: 'GET', url: '/api/documents?limit=50', cookie: people.admin.cookie })).json().total).toBe(listed);
  });

  it('refuses a change note holding a NUL character, which PostgreSQL cannot store, on either engine and keeps no version', async () => {
    const id = (await upload(t.app, people.secretariat, { name: 'notas.pdf', bytes: minimalPdf('notas') })).json().document.id as string;
    const before = storedFiles(t.dataDir);
    const response = await uploadVersion(t.app, people.secretariat, id, { name: 'notas v2.pdf', bytes: minimalPdf('notas v2') }, 'Corrige\u0000 la nota');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'changeNote', message: 'must not contain the NUL character (U+0000)' }] });
    expect(storedFiles(t.dataDir)).toEqual(before);
    expect((await download(`/api/documents/${id}`, people.member.cookie)).json().document.versions).toHaveLength(1);
  });

  it('refuses two files in one upload', async () => {
    const form = new FormData();
    form.append('metadata', JSON.stringify(metadata()));
    form.append('file', new Blob([new Uint8Array(minimalPdf('uno'))]), 'uno.pdf');
    form.append('file', new Blob([new Uint8Array(minimalPdf('dos'))]), 'dos.pdf');
    const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
    const before = storedFiles(t.dataDir);
    const response = await request(t.app, { method: 'POST', url: '/api/documents', cookie: people.secretariat.cookie, payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(storedFiles(t.dataDir)).toEqual(before);
  });

  it('tells the browser the size limit, so it can refuse a larger file before sending it', async () => {
    const response = await request(t.app, { method: 'GET', url: '/api/documents/limits', cookie: people.member.cookie });
    expect(response.json()).toEqual({ maxUploadBytes: 1024 * 1024 });
  });

  it('accepts the size limit exactly', async () => {
    const pdf = minimalPdf('borde');
    const bytes = Buffer.concat([pdf, Buffer.alloc(1024 * 1024 - pdf.length, 32)]);
    const response = await upload(t.app, people.secretariat, { name: 'justo.pdf', bytes });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('names the field that is wrong', async () => {
    const response = await upload(t.app, people.secretariat, { name: 'ok.pdf', bytes: minimalPdf('x') }, metadata({ publicationDate: 'ayer' }));
    expect(response.json().error.details).toContainEqual(expect.objectContaining({ field: 'publicationDate' }));
  });

  it('uses the multipart helper the way a browser sends files', async () => {
    const body = await multipart({ a: '1' }, { name: 'x.txt', bytes: Buffer.from('hola') });
    expect(body.contentType).toMatch(/^multipart\/form-data; boundary=/);
  });
});
