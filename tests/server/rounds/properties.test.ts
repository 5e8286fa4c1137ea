import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignVersions, wordChanges } from '../../../server/features/rounds/domain/alignment.js';
import { resolveAnchor } from '../../../server/features/rounds/domain/anchors.js';
import { reanchor } from '../../../server/features/rounds/domain/reanchor.js';
import { blockById, buildStructure, type DocumentStructure, type RawBlock } from '../../../server/features/rounds/domain/structure.js';

/**
 * Invariants of alignment and re-anchoring over random documents and random edits of them (a small
 * vocabulary, so that paragraphs share words and sentences repeat, as in real drafts).
 */
const WORDS = ['el', 'grupo', 'método', 'directo', 'tasa', 'de', 'mortalidad', 'infantil', 'censo', 'registro', 'país', 'estimación', 'año', 'la', 'oficina', 'nacional'];
const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }).map((words) => `${words.join(' ')}.`);
const rawBlock: fc.Arbitrary<RawBlock> = fc.oneof(
  { weight: 5, arbitrary: sentence.map((text) => ({ kind: 'paragraph' as const, level: 0, text })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), sentence).map(([level, text]) => ({ kind: 'heading' as const, level, text })) },
);
const raws = fc.array(rawBlock, { minLength: 0, maxLength: 25 });

type Edit = { op: 'insert'; at: number; block: RawBlock } | { op: 'delete'; at: number } | { op: 'modify'; at: number; text: string } | { op: 'move'; from: number; to: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), block: rawBlock }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('modify' as const), at: fc.nat(), text: sentence }),
  fc.record({ op: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
);
function apply(blocks: RawBlock[], edits: Edit[]): RawBlock[] {
  const out = [...blocks];
  for (const e of edits) {
    if (e.op === 'insert') out.splice(e.at % (out.length + 1), 0, e.block);
    else if (out.length === 0) continue;
    else if (e.op === 'delete') out.splice(e.at % out.length, 1);
    else if (e.op === 'modify') {
      const i = e.at % out.length;
      out[i] = { ...out[i]!, text: `${out[i]!.text} ${e.text}` };
    } else {
      const [moved] = out.splice(e.from % out.length, 1);
      out.splice(e.to % (out.length + 1), 0, moved!);
    }
  }
  return out;
}
const pair = fc.tuple(raws, fc.array(edit, { maxLength: 6 })).map(([blocks, edits]): [DocumentStructure, DocumentStructure] => [buildStructure('text', blocks), buildStructure('text', apply(blocks, edits))]);

describe('alignment invariants', () => {
  it('accounts for every block of both versions exactly once, new blocks in reading order, non-moved old blocks in order', () => {
    fc.assert(
      fc.property(pair, ([from, to]) => {
        const { rows } = alignVersions(from, to);
        const olds = rows.flatMap((r) => (r.old ? [r.old.id] : []));
        const news = rows.flatMap((r) => (r.new ? [r.new.id] : []));
        expect([...olds].sort()).toEqual(from.blocks.map((b) => b.id).sort());
        expect(news).toEqual(to.blocks.map((b) => b.id));
        const inPlace = rows.filter((r) => r.old && r.kind !== 'moved').map((r) => from.blocks.indexOf(r.old!));
        expect(inPlace).toEqual([...inPlace].sort((a, b) => a - b));
        for (const r of rows) {
          if (r.kind === 'kept') expect(r.old!.text).toBe(r.new!.text);
          if (r.old && r.new) expect(r.old.kind === 'paragraph').toBe(r.new.kind === 'paragraph');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rebuilds both texts from the word changes', () => {
    fc.assert(
      fc.property(sentence, sentence, (a, b) => {
        const parts = wordChanges(a, b);
        expect(parts.filter((p) => p.op !== 'insert').map((p) => p.text).join('')).toBe(a);
        expect(parts.filter((p) => p.op !== 'delete').map((p) => p.text).join('')).toBe(b);
      }),
    );
  });
});

describe('re-anchoring invariants', () => {
  const withPassage = pair.chain(([from, to]) => {
    const paragraphs = from.blocks.filter((b) => b.kind === 'paragraph');
    if (paragraphs.length === 0) return fc.constant(null);
    return fc.tuple(fc.constantFrom(...paragraphs), fc.nat(), fc.nat()).map(([block, a, b]) => {
      const start = a % block.text.length;
      const end = start + 1 + (b % (block.text.length - start));
      return { from, to, block, start, end };
    });
  });

  it('keeps every passage, at the same place, onto the same version', () => {
    fc.assert(
      fc.property(withPassage, (c) => {
        if (!c) return;
        const exact = c.block.text.slice(c.start, c.end);
        const anchor = resolveAnchor(c.from, { kind: 'passage', blockId: c.block.id, exact, start: c.start, end: c.end });
        if (!anchor.ok) return; // a selection of spaces only
        const result = reanchor(anchor.value, c.from, c.from);
        expect(result.status).toBe('kept');
        expect(result.anchor).toEqual(anchor.value);
      }),
      { numRuns: 150 },
    );
  });

  it('points a kept or drifted passage at text that is really there, and keeps a kept one word for word', () => {
    fc.assert(
      fc.property(withPassage, (c) => {
        if (!c) return;
        const exact = c.block.text.slice(c.start, c.end);
        const anchor = resolveAnchor(c.from, { kind: 'passage', blockId: c.block.id, exact, start: c.start, end: c.end });
        if (!anchor.ok || anchor.value.kind !== 'passage') return;
        const result = reanchor(anchor.value, c.from, c.to);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
        if (result.status === 'orphaned') {
          expect(result.anchor).toBeNull();
          return;
        }
        if (result.anchor?.kind !== 'passage') throw new Error('a passage re-anchors as a passage');
        const block = blockById(c.to, result.anchor.blockId)!;
        expect(block.text.slice(result.anchor.position.start, result.anchor.position.end)).toBe(result.anchor.quote.exact);
        if (result.status === 'kept') expect(result.anchor.quote.exact).toBe(anchor.value.quote.exact);
        else expect(result.score).toBeLessThan(1);
      }),
      { numRuns: 150 },
    );
  });
});
