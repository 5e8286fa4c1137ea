import { normalizeText, splitPlainParagraphs } from './text.js';

/**
 * A version's text as numbered sections and paragraphs, the way ISO's commenting template cites a
 * place in a draft: clause "3.2", paragraph "3.2 ¶2".
 *
 * - Headings are numbered by their place in the outline: 1, 1.1, 1.1.1 … A heading that skips a
 *   level (H2 then H4) is one step down. A number the author typed ("3.2 Métodos") is adopted when
 *   it fits the outline (right depth, under its parent, after its previous sibling) and is then
 *   removed from the heading's text; one that does not fit stays in the text. A four-digit number
 *   ("2030 Agenda") is not a clause number.
 * - Paragraphs (list items, table rows, quotes and code blocks included) are numbered from 1 within
 *   their section, headings of subsections not counted. Paragraphs before the first heading have no
 *   section ("¶2").
 * - A document title (DOCX style Title, or a Markdown document's only level-1 heading when it comes
 *   first) is not numbered.
 *
 * Ids: "title", "s3.2" (heading), "s3.2p2" (paragraph), "p2" (paragraph before any heading). They are
 * unique and the same every time the same text is read, so they are stable within a version; they
 * say nothing across versions (see alignment.ts for that).
 */

export type SourceFormat = 'markdown' | 'docx' | 'pdf' | 'text';
export type BlockKind = 'title' | 'heading' | 'paragraph';
/** How a paragraph is shown: plain text, a list item, a table row ("cell | cell"), a quote, code. */
export type BlockRole = 'text' | 'list-item' | 'table-row' | 'quote' | 'code';

export interface Block {
  id: string;
  kind: BlockKind;
  /** The section the block is in ("3.2"), or "" before the first heading and for the title. */
  section: string;
  /** The paragraph's number within its section; 0 for a title or heading. */
  paragraph: number;
  /** A heading's depth in the outline (1 for "3", 2 for "3.2"); 0 for other blocks. */
  level: number;
  /** "Title", "3.2", "3.2 ¶2", "¶2". */
  label: string;
  role: BlockRole;
  /** Normalized (text.ts). */
  text: string;
}

export interface DocumentStructure {
  format: SourceFormat;
  title: string | null;
  /** In reading order. */
  blocks: Block[];
}

/** What a reader of a format hands over: a DOCX paragraph with its style, a Markdown block. */
export interface RawBlock {
  kind: BlockKind;
  /** A heading's level in its source (Heading1..9, #..######), clamped to 1–9; ignored otherwise. */
  level: number;
  text: string;
  role?: BlockRole;
}

export const TITLE_LABEL = 'Title';
const MAX_LEVEL = 9;

/** A typed clause number at the start of a heading: "3", "3.", "3.2", "3.2.1." followed by the title. */
const TYPED_NUMBER = /^(\d{1,3}(?:\.\d{1,3})*)\.?\s+(?=\S)/;

interface OpenHeading {
  level: number;
  path: number[];
}

export function buildStructure(format: SourceFormat, raw: readonly RawBlock[]): DocumentStructure {
  const blocks: Block[] = [];
  let title: string | null = null;
  const open: OpenHeading[] = [];
  /** The last child number used under each path ("" for the top level). */
  const lastChild = new Map<string, number>();
  let section = '';
  let paragraphs = 0;

  for (const item of raw) {
    const text = normalizeText(item.text);
    if (!text) continue;
    if (item.kind === 'title' && title === null && blocks.length === 0) {
      title = text;
      blocks.push({ id: 'title', kind: 'title', section: '', paragraph: 0, level: 0, label: TITLE_LABEL, role: 'text', text });
      continue;
    }
    if (item.kind === 'paragraph') {
      paragraphs += 1;
      const label = section ? `${section} ¶${paragraphs}` : `¶${paragraphs}`;
      const id = section ? `s${section}p${paragraphs}` : `p${paragraphs}`;
      blocks.push({ id, kind: 'paragraph', section, paragraph: paragraphs, level: 0, label, role: item.role ?? 'text', text });
      continue;
    }
    // A heading (or a second title, which is a heading of the first level).
    const sourceLevel = item.kind === 'title' ? 1 : Math.min(MAX_LEVEL, Math.max(1, Math.trunc(item.level) || 1));
    while (open.length > 0 && open[open.length - 1]!.level >= sourceLevel) open.pop();
    const parent = open.length > 0 ? open[open.length - 1]!.path : [];
    const parentKey = parent.join('.');
    const previous = lastChild.get(parentKey) ?? 0;
    const typed = TYPED_NUMBER.exec(text);
    const typedPath = typed ? typed[1]!.split('.').map(Number) : null;
    const fits =
      typedPath !== null &&
      typedPath.length === parent.length + 1 &&
      parent.every((n, i) => typedPath[i] === n) &&
      typedPath[typedPath.length - 1]! > previous;
    const path = fits ? typedPath : [...parent, previous + 1];
    const headingText = fits ? text.slice(typed![0].length) : text;
    lastChild.set(parentKey, path[path.length - 1]!);
    open.push({ level: sourceLevel, path });
    section = path.join('.');
    paragraphs = 0;
    blocks.push({ id: `s${section}`, kind: 'heading', section, paragraph: 0, level: path.length, label: section, role: 'text', text: headingText });
  }
  return { format, title, blocks };
}

/** Text extracted from a PDF (or a plain text file): paragraphs split on blank lines, no headings. */
export function structureFromPdfText(text: string, format: 'pdf' | 'text' = 'pdf'): DocumentStructure {
  return buildStructure(
    format,
    splitPlainParagraphs(text).map((paragraph) => ({ kind: 'paragraph', level: 0, text: paragraph })),
  );
}

/** A DOCX read by docxParagraphs (headings and list paragraphs kept). */
export function structureFromDocx(paragraphs: readonly RawBlock[]): DocumentStructure {
  return buildStructure('docx', paragraphs);
}

export function blockById(doc: DocumentStructure, id: string): Block | undefined {
  return doc.blocks.find((block) => block.id === id);
}

/** The block's position in reading order, for sorting comments by where they are; -1 if absent. */
export function blockOrder(doc: DocumentStructure): Map<string, number> {
  return new Map(doc.blocks.map((block, index) => [block.id, index]));
}
