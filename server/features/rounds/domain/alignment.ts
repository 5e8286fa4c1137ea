import { diffArrays, diffWordsWithSpace } from 'diff';
import type { Block, BlockKind, BlockRole, DocumentStructure } from './structure.js';

/**
 * Which paragraph of one version became which paragraph of the next: the paragraph-level diff that
 * both the comparison view and re-anchoring stand on.
 *
 * 1. jsdiff's diffArrays (Myers' diff) over the blocks' kinds and texts finds the unchanged ones in
 *    order: `kept` (a kept paragraph may have a new number, when a section was inserted before it).
 * 2. In each stretch that differs, removed and added blocks of the same kind are paired in order by
 *    their similarity (at least CHANGED_AT): `changed`, with the word-level changes inside them.
 * 3. What is left unpaired across the whole document is matched by text: the same text, or one at
 *    least MOVED_AT similar, elsewhere is `moved`; the rest is `deleted` or `inserted`.
 *
 * Similarity is difflib's ratio over words: twice the characters the two texts share (in jsdiff's
 * word diff, spaces not counted) over their total length. A cheap measure over word pairs filters
 * candidate pairs first, so a long document with many changes does not diff every pair.
 */

export type AlignmentKind = 'kept' | 'changed' | 'moved' | 'inserted' | 'deleted';
export interface WordChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface AlignedRow {
  kind: AlignmentKind;
  old: Block | null;
  new: Block | null;
  /** 1 for kept, the ratio for changed and moved, 0 for inserted and deleted. */
  similarity: number;
  /** The word-level changes of a changed paragraph, or of a moved one whose text changed; null otherwise. */
  words: WordChange[] | null;
}
export interface Alignment {
  /** In the new version's reading order; a deleted block stands where it stood. */
  rows: AlignedRow[];
  byOld: Map<string, AlignedRow>;
  byNew: Map<string, AlignedRow>;
}

export const CHANGED_AT = 0.5;
export const MOVED_AT = 0.75;
/** Beyond this many edits between two paragraphs the word diff gives up: they are simply different. */
const MAX_WORD_EDITS = 2_000;
/** A stretch of more removed × added pairs than this is not searched for pairs (a rewrite). */
const MAX_PAIRS = 250_000;
/** Below this many word pairs a text is diffed without the cheap filter. */
const SHORT_PAIRS = 8;

export function wordChanges(before: string, after: string): WordChange[] {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDITS });
  if (!changes) {
    return [
      ...(before ? [{ op: 'delete' as const, text: before }] : []),
      ...(after ? [{ op: 'insert' as const, text: after }] : []),
    ];
  }
  return changes.map((change) => ({ op: change.added ? 'insert' : change.removed ? 'delete' : 'equal', text: change.value }));
}

/** Characters that count: the spaces between words are shared by any two texts. */
const weight = (text: string) => text.replace(/\s+/g, '').length;
const ratioOf = (parts: WordChange[], a: string, b: string) => {
  const total = weight(a) + weight(b);
  const shared = parts.filter((part) => part.op === 'equal').reduce((sum, part) => sum + weight(part.text), 0);
  return total === 0 ? 0 : (2 * shared) / total;
};

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  return ratioOf(wordChanges(a, b), a, b);
}

/** A paragraph's pairs of consecutive words (and its single word, if only one), lower-cased. */
function bigrams(text: string): Set<string> {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length < 2) return new Set(words);
  const out = new Set<string>();
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  return out;
}
/**
 * Dice's coefficient over the sets of word pairs: a cheap filter before the real ratio. Word pairs
 * rather than words, because paragraphs of one document share most of their words: a bag of words
 * let every pair through, and diffing two unrelated paragraphs of sixty words costs milliseconds.
 */
function roughSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const pair of a) if (b.has(pair)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}
/** Tokens of jsdiff's word diff (words, punctuation, runs of spaces), roughly. */
const tokenCount = (text: string) => (text.match(/[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]/gu) ?? []).length;

/** Heading and title may pair with each other (a title demoted to a heading), never with a paragraph. */
const family = (kind: BlockKind) => (kind === 'paragraph' ? 'paragraph' : 'heading');
const comparable = (a: Block, b: Block) => family(a.kind) === family(b.kind);

const keyed = (block: Block) => `${family(block.kind)}\u0000${block.text}`;

interface Candidate {
  similarity: number;
  words: WordChange[] | null;
}

function measure(a: Block, b: Block, bags: Map<Block, Set<string>>, floor: number): Candidate | null {
  if (!comparable(a, b)) return null;
  if (a.text === b.text) return { similarity: 1, words: null };
  // An edit every few words leaves about half the word pairs: half the floor lets such pairs through.
  // Short texts (headings) are diffed at once: one changed word of two leaves no pair in common.
  const pairsA = bags.get(a)!;
  const pairsB = bags.get(b)!;
  if (Math.min(pairsA.size, pairsB.size) >= SHORT_PAIRS && roughSimilarity(pairsA, pairsB) < floor / 2) return null;
  // Past this many edited tokens the ratio cannot reach the floor (twice over, as the ratio counts
  // characters and a token may be a single space): the diff stops there.
  const maxEdits = Math.ceil(2 * (1 - floor) * (tokenCount(a.text) + tokenCount(b.text))) + 2;
  const changes = diffWordsWithSpace(a.text, b.text, { maxEditLength: maxEdits });
  if (!changes) return null;
  const parts = changes.map((change): WordChange => ({ op: change.added ? 'insert' : change.removed ? 'delete' : 'equal', text: change.value }));
  const ratio = ratioOf(parts, a.text, b.text);
  return ratio >= floor ? { similarity: ratio, words: parts } : null;
}

/** Pairs removed and added blocks of one stretch in order, maximizing total similarity (a weighted LCS). */
function pairStretch(removed: Block[], added: Block[], bags: Map<Block, Set<string>>): Array<{ i: number; j: number; candidate: Candidate }> {
  const m = removed.length;
  const n = added.length;
  if (m === 0 || n === 0 || m * n > MAX_PAIRS) return [];
  const scores: Array<Array<Candidate | null>> = removed.map((a) => added.map((b) => measure(a, b, bags, CHANGED_AT)));
  const best: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) {
    for (let j = n - 1; j >= 0; j--) {
      const here = scores[i]![j];
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, here ? here.similarity + best[i + 1]![j + 1]! : 0);
    }
  }
  const pairs: Array<{ i: number; j: number; candidate: Candidate }> = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    const here = scores[i]![j];
    if (here && best[i]![j] === here.similarity + best[i + 1]![j + 1]!) {
      pairs.push({ i, j, candidate: here });
      i += 1;
      j += 1;
    } else if (best[i]![j] === best[i + 1]![j]) i += 1;
    else j += 1;
  }
  return pairs;
}

type Piece = { type: 'kept'; old: Block; new: Block } | { type: 'stretch'; removed: Block[]; added: Block[] };

export function alignVersions(from: DocumentStructure, to: DocumentStructure): Alignment {
  const bags = new Map<Block, Set<string>>();
  for (const block of [...from.blocks, ...to.blocks]) bags.set(block, bigrams(block.text));

  // 1. Unchanged blocks, in order.
  const pieces: Piece[] = [];
  let oi = 0;
  let ni = 0;
  let stretch: { removed: Block[]; added: Block[] } | null = null;
  // Diffed as small integers, one per distinct kind and text: comparing numbers, not long strings.
  const codes = new Map<string, number>();
  const code = (block: Block) => {
    const key = keyed(block);
    let value = codes.get(key);
    if (value === undefined) codes.set(key, (value = codes.size));
    return value;
  };
  for (const change of diffArrays(from.blocks.map(code), to.blocks.map(code))) {
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      if (stretch) pieces.push({ type: 'stretch', ...stretch });
      stretch = null;
      for (let k = 0; k < count; k++) pieces.push({ type: 'kept', old: from.blocks[oi++]!, new: to.blocks[ni++]! });
      continue;
    }
    stretch ??= { removed: [], added: [] };
    for (let k = 0; k < count; k++) {
      if (change.removed) stretch.removed.push(from.blocks[oi++]!);
      else stretch.added.push(to.blocks[ni++]!);
    }
  }
  if (stretch) pieces.push({ type: 'stretch', ...stretch });

  // 2. Changed blocks, paired within each stretch.
  const changedPairs = new Map<Piece, Array<{ i: number; j: number; candidate: Candidate }>>();
  const unpairedOld: Block[] = [];
  const unpairedNew: Block[] = [];
  for (const piece of pieces) {
    if (piece.type !== 'stretch') continue;
    const pairs = pairStretch(piece.removed, piece.added, bags);
    changedPairs.set(piece, pairs);
    const oldPaired = new Set(pairs.map((p) => p.i));
    const newPaired = new Set(pairs.map((p) => p.j));
    piece.removed.forEach((block, i) => oldPaired.has(i) || unpairedOld.push(block));
    piece.added.forEach((block, j) => newPaired.has(j) || unpairedNew.push(block));
  }

  // 3. Moves: the same text first, then the most similar, each block used once.
  const movedTo = new Map<Block, { old: Block; candidate: Candidate }>();
  const movedFrom = new Set<Block>();
  const byText = new Map<string, Block[]>();
  for (const block of unpairedOld) byText.set(keyed(block), [...(byText.get(keyed(block)) ?? []), block]);
  for (const block of unpairedNew) {
    const same = byText.get(keyed(block))?.find((old) => !movedFrom.has(old));
    if (same) {
      movedTo.set(block, { old: same, candidate: { similarity: 1, words: null } });
      movedFrom.add(same);
    }
  }
  const fuzzy: Array<{ old: Block; new: Block; candidate: Candidate }> = [];
  const leftOld = unpairedOld.filter((block) => !movedFrom.has(block));
  const leftNew = unpairedNew.filter((block) => !movedTo.has(block));
  if (leftOld.length * leftNew.length <= MAX_PAIRS) {
    for (const b of leftNew) for (const a of leftOld) {
      const candidate = measure(a, b, bags, MOVED_AT);
      if (candidate) fuzzy.push({ old: a, new: b, candidate });
    }
  }
  fuzzy.sort((x, y) => y.candidate.similarity - x.candidate.similarity);
  for (const match of fuzzy) {
    if (movedFrom.has(match.old) || movedTo.has(match.new)) continue;
    movedTo.set(match.new, { old: match.old, candidate: match.candidate });
    movedFrom.add(match.old);
  }

  // Rows in the new version's order.
  const rows: AlignedRow[] = [];
  const removedRow = (block: Block) => {
    if (!movedFrom.has(block)) rows.push({ kind: 'deleted', old: block, new: null, similarity: 0, words: null });
  };
  const addedRow = (block: Block) => {
    const moved = movedTo.get(block);
    if (moved) rows.push({ kind: 'moved', old: moved.old, new: block, similarity: moved.candidate.similarity, words: moved.candidate.words });
    else rows.push({ kind: 'inserted', old: null, new: block, similarity: 0, words: null });
  };
  for (const piece of pieces) {
    if (piece.type === 'kept') {
      rows.push({ kind: 'kept', old: piece.old, new: piece.new, similarity: 1, words: null });
      continue;
    }
    let i = 0;
    let j = 0;
    for (const pair of changedPairs.get(piece) ?? []) {
      while (i < pair.i) removedRow(piece.removed[i++]!);
      while (j < pair.j) addedRow(piece.added[j++]!);
      rows.push({ kind: 'changed', old: piece.removed[i++]!, new: piece.added[j++]!, similarity: pair.candidate.similarity, words: pair.candidate.words });
    }
    while (i < piece.removed.length) removedRow(piece.removed[i++]!);
    while (j < piece.added.length) addedRow(piece.added[j++]!);
  }

  const byOld = new Map<string, AlignedRow>();
  const byNew = new Map<string, AlignedRow>();
  for (const row of rows) {
    if (row.old) byOld.set(row.old.id, row);
    if (row.new) byNew.set(row.new.id, row);
  }
  return { rows, byOld, byNew };
}

/** A block as the comparison view shows it. */
export interface ComparedBlock {
  id: string;
  label: string;
  kind: BlockKind;
  role: BlockRole;
  text: string;
}
export interface ComparisonRow {
  kind: AlignmentKind;
  old: ComparedBlock | null;
  new: ComparedBlock | null;
  similarity: number;
  words: WordChange[] | null;
}
export interface Comparison {
  /**
   * Side by side: each row's old block on the left and new on the right. Inline: each row in turn,
   * kept as the new text, changed as its word changes, inserted and deleted marked, moved with its
   * old label ("moved from 2.1 ¶3").
   */
  rows: ComparisonRow[];
  counts: Record<AlignmentKind, number>;
}

const shown = (block: Block | null): ComparedBlock | null => (block ? { id: block.id, label: block.label, kind: block.kind, role: block.role, text: block.text } : null);

export function compareVersions(from: DocumentStructure, to: DocumentStructure, alignment: Alignment = alignVersions(from, to)): Comparison {
  const counts: Record<AlignmentKind, number> = { kept: 0, changed: 0, moved: 0, inserted: 0, deleted: 0 };
  const rows = alignment.rows.map((row) => {
    counts[row.kind] += 1;
    return { kind: row.kind, old: shown(row.old), new: shown(row.new), similarity: row.similarity, words: row.words };
  });
  return { rows, counts };
}
