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
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
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

export async function docxText(file: string, limits: DocxLimits): Promise<string> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  try {
    const entries = await centralDirectory(zip, limits.maxEntries);
    const budget = { left: limits.maxInflatedBytes };
    const main = await mainPartName(zip, entries, budget);
    const mainEntry = entries.get(main);
    if (!mainEntry) throw new Error(`the archive has no ${main}: not a Word document`);
    const notes = ['footnotes.xml', 'endnotes.xml'].map((name) => entries.get(path.join(path.dirname(main), name))).filter((entry) => entry !== undefined);
    // Every part's declared size is checked before any is inflated.
    const declared = [mainEntry, ...notes].reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (declared > budget.left) throw new ArchiveLimitError(`the parts with text declare ${declared} bytes inflated, over the ${budget.left} read at most`);
    const out: string[] = [];
    const counter = { chars: 0 };
    for (const entry of [mainEntry, ...notes]) {
      if (counter.chars >= limits.maxChars) break;
      await partText(zip, entry, budget, out, counter, limits.maxChars);
    }
    return out.join('');
  } finally {
    zip.close();
  }
}
