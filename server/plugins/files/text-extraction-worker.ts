import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { DEFAULT_DOCX_LIMITS, docxText } from './docx-text.js';
import type { Extractor } from './file-types.js';
import { decodeText, type TextEncoding } from './text-encoding.js';

/** Runs in a worker thread (see TextExtractor): PDF parsing would otherwise hold the request thread for seconds. */
export interface ExtractionJob {
  id: number;
  file: string;
  extractor: Extractor;
  encoding: TextEncoding;
  maxChars: number;
}
export type ExtractionResult = { id: number; text: string } | { id: number; error: string };

async function extract(job: ExtractionJob): Promise<string> {
  // Read as a stream against limits: a DOCX is a ZIP archive, which may be a zip bomb (docx-text.ts).
  if (job.extractor === 'docx') return docxText(job.file, { ...DEFAULT_DOCX_LIMITS, maxChars: job.maxChars });
  const bytes = await readFile(job.file);
  if (job.extractor === 'text') return decodeText(bytes, job.encoding);
  return pdfText(bytes, job.maxChars);
}

/**
 * A PDF's text page by page, each page's resources let go before the next, stopping once `maxChars`
 * are collected. unpdf's extractText reads every page at once: a 3,000-page report took +681 MB and
 * 36 s to index its first 2,000,000 characters.
 */
async function pdfText(bytes: Buffer, maxChars: number): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    const texts: string[] = [];
    let chars = 0;
    for (let number = 1; number <= pdf.numPages && chars < maxChars; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      // Marked-content items carry no str.
      const items = content.items as Array<{ str?: string; hasEOL?: boolean }>;
      const text = items.map((item) => (item.str === undefined ? '' : item.str + (item.hasEOL ? '\n' : ''))).join('');
      page.cleanup();
      texts.push(text);
      chars += text.length + 1;
    }
    return texts.join('\n');
  } finally {
    await pdf.destroy();
  }
}

parentPort?.on('message', (job: ExtractionJob) => {
  extract(job).then(
    (text) => parentPort!.postMessage({ id: job.id, text: text.replace(/\s+/g, ' ').trim().slice(0, job.maxChars) } satisfies ExtractionResult),
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: String(error) } satisfies ExtractionResult),
  );
});
