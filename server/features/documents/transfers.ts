import multipart, { type FastifyMultipartOptions, type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import contentDisposition from 'content-disposition';
import parseRange from 'range-parser';
import { AppError, badRequest } from '../../shared/errors.js';
import { checkFileType, cleanFileName, opensInline, type Extractor } from './file-types.js';
import { FileTooLargeError, type FileStore, type ReceivedFile } from './file-store.js';

/**
 * Files in and out of the content store, for every feature that takes or serves files: library
 * documents, and attachments of debate posts (and, later, meeting minutes).
 */

/** @fastify/multipart settings for routes that take uploads: one file, a few small fields. */
const multipartOptions = (maxUploadBytes: number): FastifyMultipartOptions => ({
  // The name as sent, folders included, so a name with a path is refused rather than quietly cut.
  preservePath: true,
  limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 100 },
});

type TypedInstance = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * Declares the routes that take uploads in a scope of their own. @fastify/multipart hooks every
 * route of the scope it is registered in (an onRequest and an onResponse per request): registered
 * beside the thread page, it cost that page a third of its requests per second.
 */
export async function uploadRoutes(fastify: TypedInstance, maxUploadBytes: number, declare: (uploads: TypedInstance) => void): Promise<void> {
  await fastify.register(async (uploads) => {
    await uploads.register(multipart, multipartOptions(maxUploadBytes));
    declare(uploads);
  });
}

export type AcceptedFile = ReceivedFile & { fileName: string; mime: string; extractor: Extractor | null };

export interface ReceivedUpload {
  /** The text fields that came before the file. */
  fields: Map<string, string>;
  file: AcceptedFile;
}

/**
 * Reads a multipart upload: text fields first, then one file in the part named "file", streamed to
 * a temporary file of the store and checked (size, name, type by extension and content).
 * `beforeFile` sees the fields before a byte of the file is stored and may refuse the request.
 * Whatever goes wrong, nothing of the upload stays on disk; the caller keeps or discards the file.
 */
export async function receiveUpload(request: FastifyRequest, store: FileStore, maxUploadBytes: number, beforeFile: (fields: Map<string, string>) => void | Promise<void> = () => {}): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw new AppError(415, 'not_multipart', 'Send the file as multipart/form-data.');
  const fields = new Map<string, string>();
  let file: AcceptedFile | null = null;
  const parts = request.parts();
  try {
    for (;;) {
      const next = await parts.next().catch((error: unknown) => {
        throw unreadable(error);
      });
      if (next.done) break;
      const part = next.value;
      if (part.type === 'field') {
        fields.set(part.fieldname, String(part.value));
        continue;
      }
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        throw badRequest('unexpected_file', 'Send one file, in the part named "file".');
      }
      file = await receiveFile(part, store, maxUploadBytes, () => beforeFile(fields));
    }
  } catch (error) {
    if (file) await store.discard(file);
    throw error;
  }
  if (!file) throw badRequest('no_file', 'The request has no file: send it in the part named "file".');
  return { fields, file };
}

/**
 * The multipart parser's own failures (no boundary, a body that ends before its closing boundary,
 * a part without headers) are plain errors: the client's body is at fault, so 400 malformed_body.
 * Our refusals and @fastify/multipart's limits (with a status) pass through, and so do the file
 * system's errors (they carry a syscall): those are ours.
 */
function unreadable(error: unknown): unknown {
  if (error instanceof AppError || (error as { statusCode?: number }).statusCode !== undefined || (error as { syscall?: string }).syscall !== undefined) return error;
  return badRequest('malformed_body', 'The multipart body could not be read: it is cut short or not well formed.');
}

async function receiveFile(part: MultipartFile, store: FileStore, maxUploadBytes: number, beforeFile: () => void | Promise<void>): Promise<AcceptedFile> {
  try {
    await beforeFile();
  } catch (error) {
    part.file.resume();
    throw error;
  }
  const fileName = cleanFileName(part.filename ?? '');
  if (!fileName) {
    part.file.resume();
    throw badRequest('invalid_file_name', 'The file name is not usable: it must be a plain name, without folders or control characters.', [{ field: 'file', message: 'has an invalid name' }]);
  }
  let received: ReceivedFile;
  try {
    received = await store.receive(part.file, maxUploadBytes, () => part.file.truncated);
  } catch (error) {
    if (error instanceof FileTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'file_too_large', `The file is larger than the limit of ${Math.round(maxUploadBytes / (1024 * 1024))} MB.`);
    }
    throw unreadable(error);
  }
  const type = await checkFileType(fileName, received.tempPath);
  if (!type.ok) {
    await store.discard(received);
    throw new AppError(415, type.code, type.message);
  }
  return { ...received, fileName, mime: type.mime, extractor: type.extractor };
}

/**
 * The plain `filename` beside RFC 6266's `filename*`: accents dropped, anything else non-ASCII
 * replaced. Differing from the real name, it makes `filename*` always present.
 */
const asciiFallback = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_');

export interface StoredFileView {
  sha256: string;
  mime: string;
  size: number;
  fileName: string;
}

/**
 * Sends a stored file: ETag (the content's SHA-256, so any copy of the same bytes matches),
 * If-None-Match, a single byte range, an RFC 6266 file name, and never anything a browser would
 * render as a page of this site (HTML and SVG are refused at upload, nosniff forbids guessing,
 * and what is not shown inline is sandboxed). `onDownload` runs for each answer that starts at byte 0.
 */
export function sendStoredFile(
  request: FastifyRequest,
  reply: FastifyReply,
  store: FileStore,
  file: StoredFileView,
  options: { disposition?: string; publicCache: boolean; onDownload?: () => void },
) {
  const etag = `"${file.sha256}"`;
  // A HEAD (link checkers, download managers sizing the file) is not a download.
  const counted = request.method === 'GET' ? options.onDownload : undefined;
  const inline = opensInline(file.mime) && options.disposition !== 'attachment';
  reply
    .header('etag', etag)
    .header('accept-ranges', 'bytes')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', options.publicCache ? 'public, max-age=300' : 'private, no-cache')
    .header('content-disposition', contentDisposition(file.fileName, { type: inline ? 'inline' : 'attachment', fallback: asciiFallback(file.fileName) }))
    // Browsers' PDF viewers refuse to run in a sandbox; everything else downloads and gets one.
    .header('content-security-policy', inline ? "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'" : "default-src 'none'; sandbox");
  if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.status(304).send();
  }
  reply.type(file.mime);
  const rangeHeader = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (rangeHeader && (!ifRange || ifRange === etag)) {
    const ranges = parseRange(file.size, rangeHeader, { combine: true });
    if (ranges === -1) throw new AppError(416, 'range_not_satisfiable', `The range asked for is outside the file (${file.size} bytes).`, undefined, { 'content-range': `bytes */${file.size}` });
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      const { start, end } = ranges[0]!;
      if (start === 0) counted?.();
      return reply
        .status(206)
        .header('content-range', `bytes ${start}-${end}/${file.size}`)
        .header('content-length', end - start + 1)
        .send(store.read(file.sha256, { start, end }));
    }
    // Several ranges (multipart/byteranges) or a malformed header: the whole file, as RFC 9110 allows.
  }
  counted?.();
  return reply.header('content-length', file.size).send(store.read(file.sha256));
}
