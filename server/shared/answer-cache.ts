import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { compressBody, preferredEncoding, type ContentEncoding } from './compression.js';

/**
 * Finished answers of heavy reads (a round's page, a person's home, a consultation's side-by-side
 * view), kept by key with the stamp of what each was worked out from, and handed out again only
 * under the same stamp. The caller says what the stamp is, from whatever tells it of changes:
 * the newest stored live event (every change is one), a generation its cache-registry entry
 * moves (server/plugins/live/caches.ts: this process's writes and other processes'), or a
 * digest of a few small reads. An answer built while a change landed is kept under the stamp it
 * was built from, which is never asked for again. So nothing needs to be told to forget: a newer
 * answer under the key takes the older one's place, and the least recently read go first once
 * the bytes kept (bodies and their compressed copies) pass the bound.
 */
export interface KeptAnswer {
  readonly body: Buffer;
  /** A digest of the body: equal answers revalidate across processes and restarts. */
  readonly etag: string;
  /** The body compressed, per encoding, once asked for (see AnswerCache.encoded). */
  readonly encoded: Partial<Record<ContentEncoding, Buffer>>;
}

class Answer implements KeptAnswer {
  readonly encoded: Partial<Record<ContentEncoding, Buffer>> = {};
  private digest: string | undefined;
  constructor(readonly body: Buffer) {}

  /** Worked out on first use: not every cache sends an ETag. */
  get etag(): string {
    return (this.digest ??= `W/"${createHash('sha1').update(this.body).digest('base64url').slice(0, 27)}"`);
  }
}

interface Entry {
  stamp: string;
  answer: Answer;
  /** The instants (ms) between which it may be handed out (from inclusive, until exclusive). */
  from: number;
  until: number;
  uses: readonly string[];
}

export interface KeepOptions {
  /** For an answer the clock changes: it is handed out only while `from <= now < until` (get's `now`). */
  from?: number;
  until?: number;
  /** What the answer used besides what its stamp covered (the documents it names), for the caller's next stamp (see uses). */
  uses?: readonly string[];
}

export class AnswerCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(options: { maxBytes: number; maxAnswerBytes?: number }) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: options.maxBytes,
      maxEntrySize: options.maxAnswerBytes ?? options.maxBytes / 4,
      sizeCalculation: ({ answer }) => 200 + answer.body.length + Object.values(answer.encoded).reduce((sum, buffer) => sum + buffer.length, 0),
    });
  }

  /** The answer kept for the key under this stamp, if there is one (and, for one kept for a time, `now` is within it). */
  get(key: string, stamp: string, now = 0): KeptAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.stamp !== stamp || now < entry.from || now >= entry.until) return undefined;
    return entry.answer;
  }

  /** What the answer last kept for the key said it used (KeepOptions.uses); none when nothing is kept. */
  uses(key: string): readonly string[] {
    return this.entries.peek(key)?.uses ?? [];
  }

  /** The JSON text as an answer, kept for the key under the stamp of what it was worked out from. */
  keep(key: string, stamp: string, json: string, options: KeepOptions = {}): KeptAnswer {
    const answer = new Answer(Buffer.from(json));
    this.entries.set(key, { stamp, answer, from: options.from ?? Number.NEGATIVE_INFINITY, until: options.until ?? Number.POSITIVE_INFINITY, uses: options.uses ?? [] });
    return answer;
  }

  /** The body in an encoding the reader accepts (null: as it is), compressed once and kept with the answer. */
  encoded(key: string, answer: KeptAnswer, encoding: ContentEncoding | null): Buffer {
    if (!encoding) return answer.body;
    let buffer = answer.encoded[encoding];
    if (!buffer) {
      buffer = compressBody(answer.body, encoding);
      answer.encoded[encoding] = buffer;
      // Set again as a new entry: the LRU works out an entry's size only when its value changes.
      const entry = this.entries.peek(key);
      if (entry?.answer === answer) this.entries.set(key, { ...entry });
    }
    return buffer;
  }

  /** Sends a kept answer as JSON with its ETag (304 to a matching If-None-Match), compressed as the reader accepts; private, revalidated on each use. */
  send(request: FastifyRequest, reply: FastifyReply, key: string, answer: KeptAnswer): FastifyReply {
    reply.header('etag', answer.etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === answer.etag) return reply.status(304).send();
    const encoding = preferredEncoding(request.headers['accept-encoding']);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.type('application/json; charset=utf-8').send(this.encoded(key, answer, encoding));
  }

  /** The bytes kept (bodies and compressed copies, with a little for each entry): what the bound applies to. */
  get size(): number {
    return this.entries.calculatedSize;
  }
}
