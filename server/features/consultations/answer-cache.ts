import { createHash } from 'node:crypto';
import { compressBody, type ContentEncoding } from '../../shared/compression.js';

/**
 * Finished answers of the organizers' heavy reads (the side-by-side view: every answer of every
 * country, some 600 KB of JSON for 60 questions and 33 countries), kept per consultation and
 * language with the stamp they were built at. Building one meant reading and parsing every
 * submission, formatting thousands of figures and serializing the lot: a p99 over 60 ms.
 *
 * The caller computes the stamp on every request from what the answer shows (the definition's
 * version, the submissions' and generated rows' counts, each respondent's status now, the titles
 * of attached documents): a few small reads. So the answer is never stale, whichever process
 * wrote, and a status that changes with the clock (a deadline passing) changes the stamp too;
 * nothing needs to be told to forget.
 */
export interface CachedAnswer {
  etag: string;
  body: Buffer;
  encoded: Partial<Record<ContentEncoding, Buffer>>;
}

/** Enough for every consultation organizers have open at once, in both languages; the least recently read go first. */
const MAX_ENTRIES = 32;

export class AnswerCache {
  private readonly entries = new Map<string, { stamp: string; answer: CachedAnswer; uses: readonly string[] }>();

  /**
   * The answer for `key`: kept, if `stampOf` gives the stamp it was built at, or built now. What
   * the builder says its answer used besides (the documents it names) is handed to `stampOf` next
   * time, whose stamp then covers them (their titles).
   */
  async answer(key: string, stampOf: (used: readonly string[]) => Promise<string>, build: () => Promise<{ json: string; uses?: readonly string[] }>): Promise<CachedAnswer> {
    const known = this.entries.get(key);
    const stamp = await stampOf(known?.uses ?? []);
    if (known?.stamp === stamp) {
      // Read again: the most recent in the map's order.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.answer;
    }
    const built = await build();
    const uses = built.uses ?? [];
    // Filed under the stamp of what it used (the stamp asked first covered what the last build used).
    const filedAt = await stampOf(uses);
    const answer: CachedAnswer = { etag: `W/"${createHash('sha1').update(`${key}|${filedAt}`).digest('base64url').slice(0, 22)}"`, body: Buffer.from(built.json), encoded: {} };
    this.entries.delete(key);
    this.entries.set(key, { stamp: filedAt, answer, uses });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }

  /** The body in an encoding the reader accepts, compressed once. */
  static encoded(answer: CachedAnswer, encoding: ContentEncoding | null): Buffer {
    if (!encoding) return answer.body;
    return (answer.encoded[encoding] ??= compressBody(answer.body, encoding));
  }
}
