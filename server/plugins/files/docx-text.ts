import path from 'node:path/posix';
import type { Readable } from 'node:stream';
import { Parser } from 'htmlparser2';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * The searchable text of a Word (.docx) file, read as a stream with bounded memory and work,
 * whatever the archive claims or holds.
 *
 * A DOCX is a ZIP archive, and a ZIP can inflate a thousandfold (a 1 MB "zip bomb" holds gigabytes).
 * Reading it whole, as mammoth did (JSZip, then a DOM of the XML), took the server from 543 MB to
 * 2.2 GB on such a file; on an honest document it used some 70 times the XML's size (5.6 MB of XML:
 * +380 MB, 8 s; 28 MB: out of its worker's 512 MB heap). Here:
 * - the central directory is read first (yauzl) and an archive of too many entries, or whose parts
 *   to read declare more than the budget, is refused before a byte is inflated;
 * - the parts are inflated as streams against a running budget of inflated bytes, and yauzl stops
 *   an entry that inflates past its declared size (a bomb that lies about itself);
 * - the XML is parsed as a stream (htmlparser2) keeping only the text of `t` elements (w:t, and
 *   a:t of drawings), so memory stays at a chunk and the text; reading stops at `maxChars`.
 * The main part is the one _rels/.rels names, then its footnotes and endnotes. Deleted revisions
 * (w:delText), field codes (w:instrText) and the fallback copies of drawings (mc:Fallback) are not
 * text a reader sees, and are skipped.
 */
export class ArchiveLimitError extends Error {}

export interface DocxLimits {
  /** Entries in the central directory. Word writes a few dozen; thousands are a crafted archive. */
  maxEntries: number;
  /** Inflated bytes read across all parts, declared or actual. */
  maxInflatedBytes: number;
  /** Characters of text collected, after which reading stops. */
  maxChars: number;
}

export const DEFAULT_DOCX_LIMITS: Omit<DocxLimits, 'maxChars'> = { maxEntries: 5_000, maxInflatedBytes: 128 * 1024 * 1024 };

const MAIN_RELATIONSHIP = /\/officeDocument$/;

async function centralDirectory(zip: ZipFile, maxEntries: number): Promise<Map<string, Entry>> {
  if (zip.entryCount > maxEntries) throw new ArchiveLimitError(`the archive has ${zip.entryCount} entries (at most ${maxEntries} are read)`);
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  return entries;
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/** Feeds an entry's inflated bytes to `onChunk` until it ends, `onChunk` returns false, or the budget is spent. */
async function streamEntry(zip: ZipFile, entry: Entry, budget: { left: number }, onChunk: (text: string) => boolean): Promise<void> {
  if (entry.uncompressedSize > budget.left) {
    throw new ArchiveLimitError(`${entry.fileName} declares ${entry.uncompressedSize} bytes inflated, over the ${budget.left} left to read`);
  }
  const stream = await openEntry(zip, entry);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      budget.left -= chunk.length;
      // yauzl already stops an entry past its declared size; this also bounds a wrong size in a reader to come.
      if (budget.left < 0) throw new ArchiveLimitError(`${entry.fileName} inflates past the bytes left to read`);
      if (!onChunk(decoder.decode(chunk, { stream: true }))) return;
    }
    onChunk(decoder.decode());
  } finally {
    stream.destroy();
  }
}

/** Reads a small XML part (relationships) whole, within the budget. */
async function readPart(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<string> {
  let text = '';
  await streamEntry(zip, entry, budget, (chunk) => {
    text += chunk;
    return true;
  });
  return text;
}

/** The main document part's name: the target of _rels/.rels's officeDocument relationship. */
async function mainPartName(zip: ZipFile, entries: Map<string, Entry>, budget: { left: number }): Promise<string> {
  const rels = entries.get('_rels/.rels');
  if (!rels) return 'word/document.xml';
  let target: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (target === null && name.endsWith('Relationship') && MAIN_RELATIONSHIP.test(attributes.Type ?? '') && attributes.Target) target = attributes.Target;
      },
    },
    { xmlMode: true },
  );
  parser.end(await readPart(zip, rels, budget));
  return target ? path.normalize(String(target).replace(/^\//, '')) : 'word/document.xml';
}

/** Appends the visible text of a WordprocessingML part to `out`, up to `maxChars`; false once full. */
async function partText(zip: ZipFile, entry: Entry, budget: { left: number }, out: string[], counter: { chars: number }, maxChars: number): Promise<void> {
  let inText = 0;
  let skipped = 0;
  const add = (text: string) => {
    out.push(text);
    counter.chars += text.length;
  };
  const parser = new Parser(
    {
      onopentag(name) {
        const tag = local(name);
        if (tag === 'Fallback') skipped += 1;
        else if (tag === 't') inText += 1;
        else if (skipped === 0 && (tag === 'tab' || tag === 'br' || tag === 'cr')) add(' ');
      },
      ontext(text) {
        if (inText > 0 && skipped === 0) add(text);
      },
      onclosetag(name) {
        const tag = local(name);
        if (tag === 'Fallback') skipped -= 1;
        else if (tag === 't') inText -= 1;
        // A paragraph or a table cell ends a word.
        else if (skipped === 0 && (tag === 'p' || tag === 'tc')) add('\n');
      },
    },
    { xmlMode: true },
  );
  await streamEntry(zip, entry, budget, (chunk) => {
    parser.write(chunk);
    return counter.chars < maxChars;
  });
  parser.end();
}

interface OpenDocx {
  zip: ZipFile;
  entries: Map<string, Entry>;
  budget: { left: number };
  /** The main document part's name and entry. */
  main: string;
  mainEntry: Entry;
}

/**
 * Opens a Word file and hands the reader its central directory, main part and byte budget. `parts`
 * names the other parts (beside the main one) the reader will inflate: every part's declared size is
 * checked against the budget before any is inflated.
 */
async function withDocx<T>(file: string, limits: DocxLimits, parts: (main: string) => string[], read: (docx: OpenDocx, others: Entry[]) => Promise<T>): Promise<T> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  try {
    const entries = await centralDirectory(zip, limits.maxEntries);
    const budget = { left: limits.maxInflatedBytes };
    const main = await mainPartName(zip, entries, budget);
    const mainEntry = entries.get(main);
    if (!mainEntry) throw new Error(`the archive has no ${main}: not a Word document`);
    const others = parts(main)
      .map((name) => entries.get(name))
      .filter((entry) => entry !== undefined);
    const declared = [mainEntry, ...others].reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (declared > budget.left) throw new ArchiveLimitError(`the parts with text declare ${declared} bytes inflated, over the ${budget.left} read at most`);
    return await read({ zip, entries, budget, main, mainEntry }, others);
  } finally {
    zip.close();
  }
}

export async function docxText(file: string, limits: DocxLimits): Promise<string> {
  const notes = (main: string) => ['footnotes.xml', 'endnotes.xml'].map((name) => path.join(path.dirname(main), name));
  return withDocx(file, limits, notes, async ({ zip, budget, mainEntry }, others) => {
    const out: string[] = [];
    const counter = { chars: 0 };
    for (const entry of [mainEntry, ...others]) {
      if (counter.chars >= limits.maxChars) break;
      await partText(zip, entry, budget, out, counter, limits.maxChars);
    }
    return out.join('');
  });
}

/**
 * A Word file's paragraphs with their structure, for the comment rounds (numbered sections and
 * paragraphs): the title, headings with their level (1–9), list paragraphs and table rows, within
 * the same bounds as docxText. Footnotes and endnotes are left out (they have no place in the
 * outline). Text is as written (runs joined, tabs and breaks as spaces); the caller normalizes it.
 *
 * A heading is known by its paragraph style, looked up in word/styles.xml by its name, which Word
 * writes in English whatever the language of the install ("heading 2" for Spanish Word's "Ttulo2",
 * "Title" for its "Puesto"), or by an outline level (the style's, one it is based on, or the
 * paragraph's own). Without a styles part, by the usual style ids. A paragraph with numbering
 * (w:numPr) or a "List …" style that is not a heading is a list item. A table row is one paragraph,
 * its cells joined by " | " (a nested table's text stays in its cell).
 */
export interface DocxParagraph {
  kind: 'title' | 'heading' | 'paragraph';
  level: number;
  text: string;
  role: 'text' | 'list-item' | 'table-row';
}

/** Styles kept from word/styles.xml: Word writes a few hundred; more is a crafted file. */
const MAX_STYLES = 10_000;
/** How far a style's basedOn chain is followed. */
const MAX_STYLE_DEPTH = 10;

interface StyleInfo {
  name: string;
  basedOn: string | null;
  outline: number | null;
  numbered: boolean;
}
interface StyleClass {
  heading: number | null;
  title: boolean;
  list: boolean;
}

const attribute = (attributes: Record<string, string>, name: string) => attributes[`w:${name}`] ?? attributes[name] ?? Object.entries(attributes).find(([key]) => key.endsWith(`:${name}`))?.[1];
const local = (name: string) => name.slice(name.indexOf(':') + 1);

async function readStyles(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<Map<string, StyleInfo>> {
  const styles = new Map<string, StyleInfo>();
  let current: (StyleInfo & { id: string }) | null = null;
  let inPPr = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const tag = local(name);
        if (tag === 'style') current = { id: attribute(attributes, 'styleId') ?? '', name: '', basedOn: null, outline: null, numbered: false };
        else if (!current) return;
        else if (tag === 'name') current.name = attribute(attributes, 'val') ?? '';
        else if (tag === 'basedOn') current.basedOn = attribute(attributes, 'val') ?? null;
        else if (tag === 'pPr') inPPr = true;
        else if (inPPr && tag === 'outlineLvl') current.outline = Number(attribute(attributes, 'val'));
        else if (inPPr && tag === 'numId') current.numbered = attribute(attributes, 'val') !== '0';
      },
      onclosetag(name) {
        const tag = local(name);
        if (tag === 'pPr') inPPr = false;
        else if (tag === 'style' && current) {
          if (current.id && styles.size < MAX_STYLES) styles.set(current.id, current);
          current = null;
        }
      },
    },
    { xmlMode: true },
  );
  await streamEntry(zip, entry, budget, (chunk) => {
    parser.write(chunk);
    return true;
  });
  parser.end();
  return styles;
}

const HEADING_ID = /^(?:heading|titre|ttulo|título|berschrift|überschrift|kop|titolo)\s*([1-9])$/i;
const TITLE_ID = /^(?:title|titre|ttulo|título|titel|titolo)$/i;

function classify(styleId: string | null, styles: Map<string, StyleInfo>, depth = 0): StyleClass {
  const none: StyleClass = { heading: null, title: false, list: false };
  if (!styleId || depth > MAX_STYLE_DEPTH) return none;
  const style = styles.get(styleId);
  if (!style) {
    const heading = HEADING_ID.exec(styleId);
    return { heading: heading ? Number(heading[1]) : null, title: TITLE_ID.test(styleId), list: /^list/i.test(styleId) };
  }
  const name = style.name.trim().toLowerCase();
  const named = /^heading ([1-9])$/.exec(name);
  const own: StyleClass = {
    heading: named ? Number(named[1]) : style.outline !== null && style.outline >= 0 && style.outline < 9 ? style.outline + 1 : null,
    title: name === 'title',
    list: style.numbered || name.startsWith('list'),
  };
  if (own.heading !== null || own.title || !style.basedOn) return own;
  const inherited = classify(style.basedOn, styles, depth + 1);
  return { heading: inherited.heading, title: inherited.title, list: own.list || inherited.list };
}

interface OpenParagraph {
  styleId: string | null;
  outline: number | null;
  numbered: boolean;
  inPPr: boolean;
  text: string[];
}

export async function docxParagraphs(file: string, limits: DocxLimits): Promise<DocxParagraph[]> {
  const stylesPart = (main: string) => [path.join(path.dirname(main), 'styles.xml')];
  return withDocx(file, limits, stylesPart, async ({ zip, budget, mainEntry }, others) => {
    const styles = others[0] ? await readStyles(zip, others[0], budget) : new Map<string, StyleInfo>();
    const out: DocxParagraph[] = [];
    let chars = 0;
    const open: OpenParagraph[] = [];
    let inText = 0;
    let skipped = 0;
    let tableDepth = 0;
    let row: string[] | null = null;
    let cell: string[] | null = null;
    // A chunk holds many paragraphs: past maxChars the rest of it is parsed and dropped.
    const emit = (paragraph: DocxParagraph) => {
      if (chars >= limits.maxChars) return;
      out.push(paragraph);
      chars += paragraph.text.length;
    };
    const finish = (paragraph: OpenParagraph) => {
      const text = paragraph.text.join('');
      if (!text.trim()) return;
      if (cell) {
        cell.push(text);
        return;
      }
      const style = classify(paragraph.styleId, styles);
      const heading = paragraph.outline !== null && paragraph.outline >= 0 && paragraph.outline < 9 ? paragraph.outline + 1 : style.heading;
      if (style.title) emit({ kind: 'title', level: 0, text, role: 'text' });
      else if (heading !== null) emit({ kind: 'heading', level: heading, text, role: 'text' });
      else emit({ kind: 'paragraph', level: 0, text, role: paragraph.numbered || style.list ? 'list-item' : 'text' });
    };
    const parser = new Parser(
      {
        onopentag(name, attributes) {
          const tag = local(name);
          const top = open[open.length - 1];
          if (tag === 'Fallback') skipped += 1;
          else if (skipped > 0) return;
          else if (tag === 'p') open.push({ styleId: null, outline: null, numbered: false, inPPr: false, text: [] });
          else if (tag === 'pPr' && top) top.inPPr = true;
          else if (top?.inPPr) {
            if (tag === 'pStyle') top.styleId = attribute(attributes, 'val') ?? null;
            else if (tag === 'outlineLvl') top.outline = Number(attribute(attributes, 'val'));
            else if (tag === 'numId') top.numbered = attribute(attributes, 'val') !== '0';
          } else if (tag === 't') inText += 1;
          else if (top && (tag === 'tab' || tag === 'br' || tag === 'cr')) top.text.push(' ');
          else if (tag === 'tbl') tableDepth += 1;
          else if (tableDepth === 1 && tag === 'tr') row = [];
          else if (tableDepth === 1 && tag === 'tc') cell = [];
        },
        ontext(text) {
          const top = open[open.length - 1];
          if (inText > 0 && skipped === 0 && top && !top.inPPr) top.text.push(text);
        },
        onclosetag(name) {
          const tag = local(name);
          if (tag === 'Fallback') skipped -= 1;
          else if (skipped > 0) return;
          else if (tag === 't') inText -= 1;
          else if (tag === 'pPr') {
            const top = open[open.length - 1];
            if (top) top.inPPr = false;
          } else if (tag === 'p') {
            const paragraph = open.pop();
            if (paragraph) finish(paragraph);
          } else if (tag === 'tbl') tableDepth -= 1;
          else if (tableDepth === 1 && tag === 'tc' && cell) {
            row?.push(cell.join(' '));
            cell = null;
          } else if (tableDepth === 1 && tag === 'tr' && row) {
            const cells = row;
            row = null;
            if (cells.some((text) => text.trim())) emit({ kind: 'paragraph', level: 0, text: cells.join(' | '), role: 'table-row' });
          }
        },
      },
      { xmlMode: true },
    );
    await streamEntry(zip, mainEntry, budget, (chunk) => {
      parser.write(chunk);
      return chars < limits.maxChars;
    });
    parser.end();
    return out;
  });
}
