import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { compressBody, type ContentEncoding } from '../../shared/compression.js';

/** A finished answer of GET /api/rounds/:id for one kind of reader: its bytes, ETag and compressed forms. */
export interface RoundBody {
  etag: string;
  plain: Buffer;
  encoded: Partial<Record<ContentEncoding, Buffer>>;
}

/**
 * The round pages' memory (GET /api/rounds/:id was rebuilt on every request: the directory, the
 * structures, every comment, 145 KB serialized and compressed each time).
 *
 * - `data`: what a round's answer is built from, loaded once per round per generation.
 * - `bodies`: finished answers keyed by round, generation and the reader's kind (visibility,
 *   party, what they may do: see viewerKey in routes/rounds.ts), with their ETag.
 *
 * A round's generation moves on every change to it (the round's writes call forget; other
 * processes' reach it through the cache registry), when its clock crosses a deadline (the data
 * says until when it holds), and for every round when the directory or the library changes (the
 * cache registry again, for this process's changes too).
 * Bodies of an older generation are never looked up again and age out of the LRU.
 */
export class RoundPageCache<Data extends { validUntil: number }> {
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly data = new LRUCache<string, { generation: string; data: Data }>({ max: 200 });
  private readonly bodies = new LRUCache<string, RoundBody>({
    maxSize: 32 * 1024 * 1024,
    maxEntrySize: 8 * 1024 * 1024,
    sizeCalculation: (body) => body.plain.length + Object.values(body.encoded).reduce((sum, buffer) => sum + buffer.length, 0),
  });

  /** The round's current generation: what every cached piece of it is keyed by. */
  generation(roundId: string): string {
    return `${this.epoch}.${this.generations.get(roundId) ?? 0}`;
  }

  /** The round changed: what was remembered of it is not looked up again. */
  forget(roundId: string): void {
    this.generations.set(roundId, (this.generations.get(roundId) ?? 0) + 1);
    this.data.delete(roundId);
  }

  /** Something every round's answer shows changed (a person's name or delegation role, a document). */
  forgetAll(): void {
    this.epoch += 1;
    this.data.clear();
  }

  /** The round's data if it is of the current generation and its time has not run out; built and kept otherwise. */
  async load(roundId: string, now: number, build: () => Promise<Data | undefined>): Promise<{ generation: string; data: Data } | undefined> {
    const generation = this.generation(roundId);
    const known = this.data.get(roundId);
    if (known && known.generation === generation && now < known.data.validUntil) return known;
    if (known && known.generation === generation) this.forget(roundId); // a deadline passed: bodies of before it are stale too
    const started = this.generation(roundId);
    const data = await build();
    if (!data) return undefined;
    // A change that landed while it was being read leaves it unkept (the next request reads again).
    if (this.generation(roundId) === started) this.data.set(roundId, { generation: started, data });
    return { generation: started, data };
  }

  body(key: string): RoundBody | undefined {
    return this.bodies.get(key);
  }

  /** Keeps a finished answer; its ETag is a digest of its bytes, so equal answers revalidate across processes and restarts. */
  keep(key: string, roundId: string, generation: string, json: string): RoundBody {
    const plain = Buffer.from(json);
    const body: RoundBody = { etag: `W/"${createHash('sha1').update(plain).digest('base64url').slice(0, 27)}"`, plain, encoded: {} };
    if (this.generation(roundId) === generation) this.bodies.set(key, body);
    return body;
  }

  /** The body compressed for this encoding, compressed once. */
  encoded(key: string, body: RoundBody, encoding: ContentEncoding): Buffer {
    let buffer = body.encoded[encoding];
    if (!buffer) {
      buffer = compressBody(body.plain, encoding);
      body.encoded[encoding] = buffer;
      // Re-set so the LRU's size accounts for the compressed copy.
      if (this.bodies.get(key) === body) this.bodies.set(key, body);
    }
    return buffer;
  }
}
