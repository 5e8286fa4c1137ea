import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../server/shared/answer-cache.js';

/**
 * server/shared/answer-cache.ts: the finished answers the round pages, the home page and the
 * consultations' side-by-side view keep (each feature's tests check that what they show follows
 * every change; these, the cache's own rules).
 */

const json = (size: number) => JSON.stringify({ text: randomBytes(size).toString('base64') });

describe('an answer cache', () => {
  it('hands an answer out only under the stamp it was kept under; a newer one takes its place', () => {
    const cache = new AnswerCache({ maxBytes: 1024 * 1024 });
    const first = cache.keep('round-1|es', 'generation 1', '{"a":1}');
    expect(cache.get('round-1|es', 'generation 1')).toBe(first);
    expect(cache.get('round-1|es', 'generation 2')).toBeUndefined();
    expect(cache.get('round-1|en', 'generation 1')).toBeUndefined();
    const second = cache.keep('round-1|es', 'generation 2', '{"a":2}');
    expect(cache.get('round-1|es', 'generation 2')).toBe(second);
    expect(cache.get('round-1|es', 'generation 1')).toBeUndefined();
    expect(second.body.toString()).toBe('{"a":2}');
  });

  it('hands out an answer kept for a time only within it', () => {
    const cache = new AnswerCache({ maxBytes: 1024 * 1024 });
    cache.keep('person', 'stamp', '{}', { from: 10_000, until: 11_000 });
    expect(cache.get('person', 'stamp', 10_000)).toBeDefined();
    expect(cache.get('person', 'stamp', 10_999)).toBeDefined();
    expect(cache.get('person', 'stamp', 11_000)).toBeUndefined();
    // A clock set back: not an answer of the future.
    expect(cache.get('person', 'stamp', 9_999)).toBeUndefined();
  });

  it('remembers what an answer used, for the next stamp', () => {
    const cache = new AnswerCache({ maxBytes: 1024 * 1024 });
    expect(cache.uses('consultation|es')).toEqual([]);
    cache.keep('consultation|es', 'stamp', '{}', { uses: ['document-1', 'document-2'] });
    expect(cache.uses('consultation|es')).toEqual(['document-1', 'document-2']);
  });

  it('names an answer by a digest of its bytes: equal answers, equal ETags, in any cache', () => {
    const one = new AnswerCache({ maxBytes: 1024 * 1024 }).keep('a', 's1', '{"same":true}');
    const other = new AnswerCache({ maxBytes: 1024 * 1024 }).keep('b', 's2', '{"same":true}');
    const different = new AnswerCache({ maxBytes: 1024 * 1024 }).keep('a', 's1', '{"same":false}');
    expect(one.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(other.etag).toBe(one.etag);
    expect(different.etag).not.toBe(one.etag);
  });

  it('counts the compressed copies in what it keeps, and lets the least recently read go past its bound', () => {
    const cache = new AnswerCache({ maxBytes: 300_000, maxAnswerBytes: 250_000 });
    const answer = cache.keep('a', 's', json(60_000));
    const plain = cache.size;
    expect(plain).toBeGreaterThan(answer.body.length);
    const br = cache.encoded('a', answer, 'br');
    expect(brotliDecompressSync(br).equals(answer.body)).toBe(true);
    expect(cache.encoded('a', answer, 'br')).toBe(br);
    expect(cache.size).toBe(plain + br.length);
    const gzip = cache.encoded('a', answer, 'gzip');
    expect(cache.size).toBe(plain + br.length + gzip.length);
    expect(cache.encoded('a', answer, null)).toBe(answer.body);

    cache.keep('b', 's', json(60_000));
    cache.get('a', 's');
    cache.keep('c', 's', json(60_000));
    // a (80 KB and its copies, some 200 KB), b and c (80 KB each) pass 300 KB: b, the least recently read, goes.
    expect(cache.get('b', 's')).toBeUndefined();
    expect(cache.get('a', 's')).toBe(answer);
    expect(cache.get('c', 's')).toBeDefined();
    expect(cache.size).toBeLessThanOrEqual(300_000);
  });

  it('keeps no answer larger than its bound for one', () => {
    const cache = new AnswerCache({ maxBytes: 400_000, maxAnswerBytes: 50_000 });
    const answer = cache.keep('big', 's', json(60_000));
    expect(answer.body.length).toBeGreaterThan(50_000);
    expect(cache.get('big', 's')).toBeUndefined();
  });

  it('sends an answer with its ETag, 304 to it, compressed as the reader accepts', async () => {
    const cache = new AnswerCache({ maxBytes: 1024 * 1024 });
    const answer = cache.keep('k', 's', json(2_000));
    const app = Fastify();
    app.get('/kept', (request, reply) => cache.send(request, reply, 'k', answer));
    try {
      const plain = await app.inject({ url: '/kept' });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers).toMatchObject({ etag: answer.etag, 'cache-control': 'private, no-cache', vary: 'accept-encoding', 'content-type': 'application/json; charset=utf-8' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.equals(answer.body)).toBe(true);
      const br = await app.inject({ url: '/kept', headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).equals(answer.body)).toBe(true);
      const gzip = await app.inject({ url: '/kept', headers: { 'accept-encoding': 'gzip' } });
      expect(gunzipSync(gzip.rawPayload).equals(answer.body)).toBe(true);
      const revalidated = await app.inject({ url: '/kept', headers: { 'if-none-match': answer.etag } });
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.rawPayload.length).toBe(0);
    } finally {
      await app.close();
    }
  });
});
