import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, request, type TestApp } from '../../helper.js';
import { categoryId, populate, reply, startThread, type People } from '../debates/support.js';
import { expectError } from '../support.js';
import { metadata, multipart, upload } from './support.js';

/**
 * Conditional and range requests on file downloads, as RFC 9110 (sections 13 and 14) orders them,
 * for every route that serves a stored file: library documents and post attachments.
 */

let t: TestApp;
let people: People;
const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => `fila ${i};${i * 7}\n`).join(''));
const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
let uploadedAt: number;
const urls: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  uploadedAt = Date.now();
  const created = await upload(t.app, people.secretariat, { name: 'serie.csv', bytes }, metadata({ type: 'dataset' }));
  expect(created.statusCode, created.body).toBe(201);
  urls.document = `/api/documents/${created.json().document.id}/download`;
  urls.version = `/api/documents/${created.json().document.id}/download?version=1`;
  const thread = await startThread(t.app, people.member, { categoryId: await categoryId(t.app, people.member, 'general'), title: 'Descargas' });
  const post = await reply(t.app, people.member, thread.thread.id, 'Con la serie adjunta.');
  const body = await multipart({}, { name: 'serie.csv', bytes });
  const attached = await request(t.app, { method: 'POST', url: `/api/posts/${post.id}/attachments`, cookie: people.member.cookie, payload: body.payload, headers: { 'content-type': body.contentType } });
  expect(attached.statusCode, attached.body).toBe(201);
  urls.attachment = `/api/attachments/${attached.json().attachment.id}/download`;
});
afterAll(async () => t.close());

const httpDate = (ms: number) => new Date(ms).toUTCString();
const HOUR = 60 * 60 * 1000;

describe.each(['document', 'version', 'attachment'])('downloading a %s', (kind) => {
  const get = (headers: Record<string, string>, method: 'GET' | 'HEAD' = 'GET') => request(t.app, { method, url: urls[kind]!, cookie: people.observer.cookie, headers });
  const isWholeFile = (response: Awaited<ReturnType<typeof get>>) => {
    expect(response.statusCode, response.body).toBe(200);
    expect(response.rawPayload.equals(bytes)).toBe(true);
  };

  describe('ranges', () => {
    it('answers a suffix range longer than the file with the whole file as 206', async () => {
      const response = await get({ range: 'bytes=-99999' });
      expect(response.statusCode).toBe(206);
      expect(response.headers['content-range']).toBe(`bytes 0-${bytes.length - 1}/${bytes.length}`);
      expect(response.rawPayload.equals(bytes)).toBe(true);
    });

    it('answers a suffix range with the last bytes', async () => {
      const response = await get({ range: 'bytes=-10' });
      expect(response.statusCode).toBe(206);
      expect(response.rawPayload.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    });

    it('answers a range past the end with 416, Content-Range and the standard error shape', async () => {
      const response = await get({ range: `bytes=${bytes.length + 10}-` });
      expectError(response, 416, 'range_not_satisfiable');
      expect(response.headers['content-range']).toBe(`bytes */${bytes.length}`);
      expect(response.headers['content-disposition']).toBeUndefined();
    });

    it('ignores a Range on HEAD (only GET has range semantics)', async () => {
      const response = await get({ range: 'bytes=0-9' }, 'HEAD');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-length']).toBe(String(bytes.length));
    });
  });

  describe('validators', () => {
    it('sends a strong ETag and a Last-Modified of when the file was uploaded', async () => {
      const response = await get({});
      expect(response.headers.etag).toBe(etag);
      const lastModified = Date.parse(String(response.headers['last-modified']));
      expect(Math.abs(lastModified - uploadedAt)).toBeLessThan(10_000);
    });
  });

  describe('If-Match and If-Unmodified-Since', () => {
    it('answers a failed If-Match with 412 in the standard error shape', async () => {
      const response = await get({ 'if-match': '"otra-version"' });
      expectError(response, 412, 'precondition_failed');
      expect(response.headers['content-disposition']).toBeUndefined();
    });

    it('compares If-Match strongly: a weak tag of the same content fails', async () => {
      expectError(await get({ 'if-match': `W/${etag}` }), 412, 'precondition_failed');
    });

    it('serves the file when If-Match holds: the tag, one in a list, or *', async () => {
      isWholeFile(await get({ 'if-match': etag }));
      isWholeFile(await get({ 'if-match': `"a", ${etag}` }));
      isWholeFile(await get({ 'if-match': '*' }));
    });

    it('checks If-Match before the range', async () => {
      expectError(await get({ 'if-match': '"otra"', range: 'bytes=0-9' }), 412, 'precondition_failed');
    });

    it('answers 412 when the file changed after If-Unmodified-Since, and serves it otherwise', async () => {
      expectError(await get({ 'if-unmodified-since': httpDate(uploadedAt - HOUR) }), 412, 'precondition_failed');
      isWholeFile(await get({ 'if-unmodified-since': httpDate(uploadedAt + HOUR) }));
    });

    it('ignores If-Unmodified-Since when If-Match is present, and when it is not a date', async () => {
      isWholeFile(await get({ 'if-match': etag, 'if-unmodified-since': httpDate(uploadedAt - HOUR) }));
      isWholeFile(await get({ 'if-unmodified-since': 'ayer' }));
    });
  });

  describe('If-None-Match and If-Modified-Since', () => {
    it('answers If-None-Match: * with 304 on GET and HEAD', async () => {
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await get({ 'if-none-match': '*' }, method);
        expect(response.statusCode, method).toBe(304);
        expect(response.rawPayload.length).toBe(0);
        expect(response.headers.etag).toBe(etag);
      }
    });

    it('compares If-None-Match weakly: the weak tag of the same content is not modified', async () => {
      expect((await get({ 'if-none-match': `W/${etag}` })).statusCode).toBe(304);
      expect((await get({ 'if-none-match': `"x", ${etag}` })).statusCode).toBe(304);
      isWholeFile(await get({ 'if-none-match': '"otra"' }));
    });

    it('answers If-Modified-Since with 304 when not modified since, and the file otherwise', async () => {
      // What a browser sends: the Last-Modified it was given.
      const lastModified = String((await get({})).headers['last-modified']);
      const notModified = await get({ 'if-modified-since': lastModified });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.headers['last-modified']).toBe(lastModified);
      expect((await get({ 'if-modified-since': httpDate(uploadedAt + HOUR) })).statusCode).toBe(304);
      isWholeFile(await get({ 'if-modified-since': httpDate(uploadedAt - HOUR) }));
      isWholeFile(await get({ 'if-modified-since': 'no es una fecha' }));
    });

    it('ignores If-Modified-Since when If-None-Match is present', async () => {
      isWholeFile(await get({ 'if-none-match': '"otra"', 'if-modified-since': httpDate(uploadedAt + HOUR) }));
    });

    it('puts If-Match before If-None-Match', async () => {
      expectError(await get({ 'if-match': '"otra"', 'if-none-match': '*' }), 412, 'precondition_failed');
    });
  });

  describe('If-Range', () => {
    it('serves the range when If-Range names the current ETag', async () => {
      const response = await get({ range: 'bytes=0-9', 'if-range': etag });
      expect(response.statusCode).toBe(206);
      expect(response.rawPayload.equals(bytes.subarray(0, 10))).toBe(true);
    });

    it('serves the whole file when If-Range names another ETag, or a weak one', async () => {
      isWholeFile(await get({ range: 'bytes=0-9', 'if-range': '"otra"' }));
      isWholeFile(await get({ range: 'bytes=0-9', 'if-range': `W/${etag}` }));
    });

    it('serves the range when If-Range is exactly the Last-Modified date, the whole file for any other date', async () => {
      const lastModified = String((await get({})).headers['last-modified']);
      expect((await get({ range: 'bytes=0-9', 'if-range': lastModified })).statusCode).toBe(206);
      isWholeFile(await get({ range: 'bytes=0-9', 'if-range': httpDate(Date.parse(lastModified) + HOUR) }));
      isWholeFile(await get({ range: 'bytes=0-9', 'if-range': httpDate(Date.parse(lastModified) - HOUR) }));
    });

    it('also answers an unsatisfiable range with the whole file when If-Range fails', async () => {
      isWholeFile(await get({ range: `bytes=${bytes.length + 10}-`, 'if-range': '"otra"' }));
    });
  });
});
