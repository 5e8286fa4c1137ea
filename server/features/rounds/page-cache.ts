import { LRUCache } from 'lru-cache';
import { AnswerCache } from '../../shared/answer-cache.js';

/**
 * The round pages' memory (GET /api/rounds/:id was rebuilt on every request: the directory, the
 * structures, every comment, 145 KB serialized and compressed each time).
 *
 * - `data`: what a round's answer is built from, loaded once per round per generation.
 * - `answers`: finished answers keyed by round and the reader's kind (visibility, party, what
 *   they may do: see viewerKey in routes/round-page.ts), stamped with the generation they were
 *   built from (server/shared/answer-cache.ts).
 *
 * A round's generation moves on every change to it (the round's writes call forget; other
 * processes' reach it through the cache registry), when its clock crosses a deadline (the data
 * says until when it holds), and for every round when the directory or the library changes (the
 * cache registry again, for this process's changes too).
 * An answer of an older generation is never handed out again; the next one for its key replaces it.
 */
export class RoundPageCache<Data extends { validUntil: number }> {
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly data = new LRUCache<string, { generation: string; data: Data }>({ max: 200 });
  readonly answers = new AnswerCache({ maxBytes: 32 * 1024 * 1024, maxAnswerBytes: 8 * 1024 * 1024 });

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
    if (known && known.generation === generation) this.forget(roundId); // a deadline passed: answers of before it are stale too
    const started = this.generation(roundId);
    const data = await build();
    if (!data) return undefined;
    // A change that landed while it was being read leaves it unkept (the next request reads again).
    if (this.generation(roundId) === started) this.data.set(roundId, { generation: started, data });
    return { generation: started, data };
  }
}
