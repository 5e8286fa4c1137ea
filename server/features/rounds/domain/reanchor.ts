import search from 'approx-string-match';
import { alignVersions, type AlignedRow, type Alignment } from './alignment.js';
import { occurrences, quoteAt, type Anchor, type TextQuote } from './anchors.js';
import type { Block, DocumentStructure } from './structure.js';

/**
 * A comment's anchor carried onto the next version:
 * - `kept`: the paragraph is there unchanged, or the exact passage is in the paragraph that
 *   corresponds to the old one (its number may have changed, and its other words);
 * - `drifted`: found, but not as it was: the passage was reworded (found approximately), it is now in
 *   another paragraph, or its paragraph moved or changed (a paragraph anchor); with a score in (0, 1];
 * - `orphaned`: nowhere to be found with confidence; the comment keeps its old anchor for the record.
 *
 * Finding the passage follows Hypothesis's quote anchoring: candidates are exact occurrences and
 * approximate ones (approx-string-match, Myers' bit-parallel algorithm, up to a quarter of the quote's
 * length in edits), each scored on the quote (50), its prefix (20) and suffix (20) context, and its
 * distance from the old position (2). A candidate outside the corresponding paragraph scores less
 * (ELSEWHERE), must reach MIN_SCORE, and, for a short quote, must also be backed by its context: a
 * two-letter word is everywhere.
 */

export type ReanchorStatus = 'kept' | 'drifted' | 'orphaned';
export type ReanchorReason =
  | 'unchanged'
  | 'paragraph_changed'
  | 'paragraph_moved'
  | 'passage_changed'
  | 'passage_elsewhere'
  | 'paragraph_deleted'
  | 'passage_not_found';

export interface Reanchored {
  status: ReanchorStatus;
  /** The anchor in the new version; null when orphaned. */
  anchor: Anchor | null;
  /** 1 for an unchanged place; lower the less sure; 0 when orphaned. */
  score: number;
  reason: ReanchorReason;
  /** Where the anchor was in the old version (null for the whole document). */
  from: { blockId: string; label: string } | null;
}

export const MIN_SCORE = 0.5;
const ELSEWHERE = 0.85;
/** Quotes shorter than this are matched outside their paragraph only exactly and with their context. */
const SHORT_QUOTE = 20;
const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 };
const TOTAL_WEIGHT = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;

/** How well `context` (a prefix or suffix kept with the quote) matches the text found beside the candidate. */
function contextScore(kept: string, found: string): number {
  if (!kept) return found ? 0.5 : 1;
  if (!found) return 0;
  const best = search(found, kept, kept.length).reduce((min, match) => Math.min(min, match.errors), kept.length);
  return 1 - best / kept.length;
}

interface Candidate {
  block: Block;
  start: number;
  end: number;
  errors: number;
  inPlace: boolean;
  score: number;
  contextual: number;
}

function scored(block: Block, start: number, end: number, errors: number, quote: TextQuote, hint: number, inPlace: boolean): Candidate {
  const text = block.text;
  const quoteScore = 1 - errors / quote.exact.length;
  const prefix = contextScore(quote.prefix, text.slice(Math.max(0, start - quote.prefix.length), start));
  const suffix = contextScore(quote.suffix, text.slice(end, end + quote.suffix.length));
  const position = inPlace ? 1 - Math.min(1, Math.abs(start - hint) / Math.max(1, text.length)) : 0;
  const raw = (WEIGHTS.quote * quoteScore + WEIGHTS.prefix * prefix + WEIGHTS.suffix * suffix + WEIGHTS.position * position) / TOTAL_WEIGHT;
  return { block, start, end, errors, inPlace, score: inPlace ? raw : raw * ELSEWHERE, contextual: (prefix + suffix) / 2 };
}

function candidatesIn(block: Block, quote: TextQuote, hint: number, inPlace: boolean, fuzzy: boolean): Candidate[] {
  const exact = occurrences(block.text, quote.exact).map((start) => scored(block, start, start + quote.exact.length, 0, quote, hint, inPlace));
  if (exact.length > 0 || !fuzzy) return exact;
  const maxErrors = Math.floor(quote.exact.length / 4);
  if (maxErrors === 0) return [];
  return search(block.text, quote.exact, maxErrors).map((match) => scored(block, match.start, match.end, match.errors, quote, hint, inPlace));
}

const orphaned = (reason: ReanchorReason, from: Reanchored['from']): Reanchored => ({ status: 'orphaned', anchor: null, score: 0, reason, from });

function passageIn(anchor: Extract<Anchor, { kind: 'passage' }>, row: AlignedRow | undefined, to: DocumentStructure): Reanchored {
  const from = { blockId: anchor.blockId, label: anchor.label };
  const place = row?.new ?? null;
  const { quote } = anchor;
  const short = quote.exact.length < SHORT_QUOTE;
  const candidates = place ? candidatesIn(place, quote, anchor.position.start, true, true) : [];
  if (!candidates.some((c) => c.errors === 0)) {
    for (const block of to.blocks) {
      if (block === place) continue;
      for (const candidate of candidatesIn(block, quote, 0, false, !short)) if (!short || candidate.contextual >= 0.5) candidates.push(candidate);
    }
  }
  const best = candidates.reduce<Candidate | null>((top, c) => (top === null || c.score > top.score ? c : top), null);
  if (!best || best.score < MIN_SCORE) return orphaned('passage_not_found', from);
  const moved = { kind: 'passage' as const, blockId: best.block.id, label: best.block.label, ...quoteAt(best.block.text, best.start, best.end) };
  const score = Math.round(best.score * 1000) / 1000;
  if (best.inPlace && best.errors === 0 && row?.kind !== 'moved') {
    return { status: 'kept', anchor: moved, score: row?.kind === 'kept' && best.score > 0.99 ? 1 : score, reason: row?.kind === 'kept' ? 'unchanged' : 'paragraph_changed', from };
  }
  const reason = !best.inPlace ? 'passage_elsewhere' : best.errors > 0 ? 'passage_changed' : 'paragraph_moved';
  return { status: 'drifted', anchor: moved, score: Math.min(score, 0.999), reason, from };
}

export function reanchor(anchor: Anchor, from: DocumentStructure, to: DocumentStructure, alignment: Alignment = alignVersions(from, to)): Reanchored {
  if (anchor.kind === 'document') return { status: 'kept', anchor, score: 1, reason: 'unchanged', from: null };
  const row = alignment.byOld.get(anchor.blockId);
  if (anchor.kind === 'passage') return passageIn(anchor, row, to);
  const origin = { blockId: anchor.blockId, label: anchor.label };
  if (!row?.new) return orphaned('paragraph_deleted', origin);
  const moved = { kind: 'paragraph' as const, blockId: row.new.id, label: row.new.label };
  if (row.kind === 'kept') return { status: 'kept', anchor: moved, score: 1, reason: 'unchanged', from: origin };
  const score = Math.min(0.999, Math.round(row.similarity * 1000) / 1000);
  return { status: 'drifted', anchor: moved, score, reason: row.kind === 'moved' ? 'paragraph_moved' : 'paragraph_changed', from: origin };
}

/** Re-anchors many comments against one alignment of the two versions. */
export function reanchorAll<K>(items: ReadonlyArray<{ id: K; anchor: Anchor }>, from: DocumentStructure, to: DocumentStructure): Map<K, Reanchored> {
  const alignment = alignVersions(from, to);
  return new Map(items.map((item) => [item.id, reanchor(item.anchor, from, to, alignment)]));
}
