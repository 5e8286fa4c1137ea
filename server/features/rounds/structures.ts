import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_DOCX_LIMITS, docxParagraphs } from '../../plugins/files/docx-text.js';
import { badRequest } from '../../shared/errors.js';
import { structureFromMarkdown } from './domain/markdown.js';
import { structureFromDocx, structureFromPdfText, type DocumentStructure } from './domain/structure.js';

/** A round reads at most this much of a version's text: a draft for comment is a report, not a book. */
export const MAX_STRUCTURE_CHARS = 2_000_000;
/** Larger files are not read for a round (a PDF is parsed in the request's process). */
export const MAX_STRUCTURE_BYTES = 30 * 1024 * 1024;

/**
 * A library version's text as numbered sections and paragraphs (docs/rounds-domain.md): DOCX with
 * its headings, PDF as paragraphs, plain text as Markdown (what the forum writes is Markdown, and a
 * Markdown file is uploaded to the library as text). Other types cannot be commented on by paragraph.
 */
export async function readStructure(file: string, storedMime: string): Promise<DocumentStructure> {
  // Text is stored with its charset ("text/plain; charset=utf-8"): the type is what comes before.
  const mime = storedMime.split(';')[0]!.trim().toLowerCase();
  const { size } = await stat(file);
  if (size > MAX_STRUCTURE_BYTES) throw badRequest('version_too_large', `A version over ${MAX_STRUCTURE_BYTES / (1024 * 1024)} MB cannot be opened for comments.`);
  let structure: DocumentStructure;
  if (mime === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') {
    try {
      structure = structureFromDocx(await docxParagraphs(file, { ...DEFAULT_DOCX_LIMITS, maxChars: MAX_STRUCTURE_CHARS }));
    } catch {
      throw badRequest('unreadable_version', 'The DOCX file could not be read.');
    }
  } else if (mime === 'application/pdf') {
    structure = structureFromPdfText(await pdfParagraphText(file));
  } else if (mime === 'text/plain' || mime === 'text/markdown') {
    structure = structureFromMarkdown((await readFile(file, 'utf8')).slice(0, MAX_STRUCTURE_CHARS));
  } else {
    throw badRequest('unsupported_version_type', 'Comment rounds open on a DOCX, PDF, Markdown or text version.');
  }
  if (structure.blocks.filter((block) => block.kind !== 'title').length === 0) throw badRequest('version_has_no_text', 'The version has no text to comment on.');
  return structure;
}

/**
 * The PDF's text with its line breaks and pages (form feeds), which the structure's paragraphs are
 * split on; the search extraction flattens them. Page by page, each page let go before the next.
 */
async function pdfParagraphText(file: string): Promise<string> {
  const bytes = await readFile(file);
  const { getDocumentProxy } = await import('unpdf');
  let pdf;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw badRequest('unreadable_version', 'The PDF file could not be read.');
  }
  try {
    const pages: string[] = [];
    let chars = 0;
    for (let number = 1; number <= pdf.numPages && chars < MAX_STRUCTURE_CHARS; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items = content.items as Array<{ str?: string; hasEOL?: boolean }>;
      const text = items.map((item) => (item.str === undefined ? '' : item.str + (item.hasEOL ? '\n' : ''))).join('');
      page.cleanup();
      pages.push(text);
      chars += text.length + 1;
    }
    return pages.join('\f');
  } finally {
    await pdf.destroy();
  }
}
