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
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    return (await extractText(pdf, { mergePages: true })).text;
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
