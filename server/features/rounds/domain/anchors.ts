import { refuse, accept, type Result } from '../../../shared/result.js';
import { blockById, type DocumentStructure } from './structure.js';
import { normalizeText } from './text.js';

/**
 * Where a comment points: the whole document, a paragraph, or a passage in a paragraph.
 *
 * A passage is held as the W3C Web Annotation model holds one: a TextQuoteSelector (the exact words
 * with up to CONTEXT_CHARS characters of context each side, as Hypothesis keeps them) and a
 * TextPositionSelector as a hint. Both are refinements of the paragraph (a FragmentSelector naming
 * the block id): positions count JavaScript string indices in the paragraph's normalized text, not
 * in the whole document, so a change elsewhere does not shift them. The quote is what re-anchoring
 * trusts; the position only breaks ties between equal quotes.
 */

export const CONTEXT_CHARS = 32;
export const MAX_PASSAGE_LENGTH = 5_000;

export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}
export interface TextPosition {
  start: number;
  end: number;
}
export type Anchor =
  | { kind: 'document' }
  | { kind: 'paragraph'; blockId: string; label: string }
  | { kind: 'passage'; blockId: string; label: string; quote: TextQuote; position: TextPosition };

/** What the browser sends: the block id, and for a passage the selected text and (optionally) its offsets. */
export type AnchorInput =
  | { kind: 'document' }
  | { kind: 'paragraph'; blockId: string }
  | { kind: 'passage'; blockId: string; exact: string; start?: number; end?: number };

/** The quote and position of text.slice(start, end), context taken from the same text. */
export function quoteAt(text: string, start: number, end: number): { quote: TextQuote; position: TextPosition } {
  return {
    quote: { exact: text.slice(start, end), prefix: text.slice(Math.max(0, start - CONTEXT_CHARS), start), suffix: text.slice(end, end + CONTEXT_CHARS) },
    position: { start, end },
  };
}

export function occurrences(text: string, exact: string): number[] {
  const found: number[] = [];
  if (!exact) return found;
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) found.push(at);
  return found;
}

/** Checks what the browser sent against the version's structure and completes it. */
export function resolveAnchor(doc: DocumentStructure, input: AnchorInput): Result<Anchor> {
  if (input.kind === 'document') return accept({ kind: 'document' });
  const block = blockById(doc, input.blockId);
  if (!block) return refuse(400, 'unknown_paragraph', `This version has no paragraph "${input.blockId}".`);
  if (input.kind === 'paragraph') return accept({ kind: 'paragraph', blockId: block.id, label: block.label });
  if (input.exact.length > MAX_PASSAGE_LENGTH * 2) return refuse(400, 'passage_too_long', `A passage has at most ${MAX_PASSAGE_LENGTH} characters; comment on the paragraph instead.`);
  const exact = normalizeText(input.exact);
  if (!exact) return refuse(400, 'empty_passage', 'The selected passage is empty.');
  if (exact.length > MAX_PASSAGE_LENGTH) return refuse(400, 'passage_too_long', `A passage has at most ${MAX_PASSAGE_LENGTH} characters; comment on the paragraph instead.`);
  const found = occurrences(block.text, exact);
  if (found.length === 0) return refuse(400, 'passage_not_found', `The passage is not in ${block.label}.`);
  const hint = input.start ?? 0;
  const start = found.reduce((best, at) => (Math.abs(at - hint) < Math.abs(best - hint) ? at : best));
  return accept({ kind: 'passage', blockId: block.id, label: block.label, ...quoteAt(block.text, start, start + exact.length) });
}

/** "3.2 ¶2" for a paragraph or passage; "" for the whole document (the matrix says "General"). */
export function anchorLabel(anchor: Anchor): string {
  return anchor.kind === 'document' ? '' : anchor.label;
}

/** The anchor as a W3C Web Annotation target, for exports that other annotation tools read. */
export function webAnnotationTarget(anchor: Anchor, source: string): Record<string, unknown> {
  if (anchor.kind === 'document') return { source };
  const selector: Record<string, unknown> = { type: 'FragmentSelector', value: anchor.blockId };
  if (anchor.kind === 'passage') {
    selector.refinedBy = [
      { type: 'TextQuoteSelector', exact: anchor.quote.exact, prefix: anchor.quote.prefix, suffix: anchor.quote.suffix },
      { type: 'TextPositionSelector', start: anchor.position.start, end: anchor.position.end },
    ];
  }
  return { source, selector };
}
