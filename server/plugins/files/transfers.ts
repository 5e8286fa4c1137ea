import multipart, { type FastifyMultipartOptions, type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import contentDisposition from 'content-disposition';
import { AppError, badRequest } from '../../shared/errors.js';
import { evaluatePreconditions, selectRange } from './http-conditions.js';
import { checkFileName, checkFileType, opensInline, type Extractor } from './file-types.js';
import { FileTooLargeError, type FileStore, type ReceivedFile } from './file-store.js';
import type { TextEncoding } from './text-encoding.js';

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

export type AcceptedFile = ReceivedFile & { fileName: string; mime: string; extractor: Extractor | null; encoding: TextEncoding | null };

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
  try {
    for await (const part of partsOf(request)) {
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
 * The multipart parser reports a body it cannot read (a boundary that never comes, part headers cut
 * off, no boundary at all) as plain errors, which would be answered 500. Its limits and a closed
 * connection come as client errors (4xx) already and keep their own codes.
 */
function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return error;
  return badRequest('malformed_multipart', 'The request body is not well-formed multipart/form-data: send the file from a form, as browsers and FormData do.');
}

const isSystemError = (error: unknown) => typeof (error as { syscall?: unknown }).syscall === 'string';

/** request.parts(), with what the parser throws told apart from what the route's own code throws. */
async function* partsOf(request: FastifyRequest): AsyncGenerator<Multipart> {
  const parts = request.parts();
  for (;;) {
    let step: IteratorResult<Multipart>;
    try {
      step = await parts.next();
    } catch (error) {
      throw multipartError(error);
    }
    if (step.done) return;
    yield step.value;
  }
}

async function receiveFile(part: MultipartFile, store: FileStore, maxUploadBytes: number, beforeFile: () => void | Promise<void>): Promise<AcceptedFile> {
  try {
    await beforeFile();
  } catch (error) {
    part.file.resume();
    throw error;
  }
  let checked: FileCheck;
  try {
    checked = await checkFile(store, maxUploadBytes, part.filename ?? '', part.file, () => part.file.truncated);
  } catch (error) {
    // The part's stream fails when the body ends inside it (no closing boundary): the parser's
    // error. Writing the temporary file fails with a system error (a full disk): a 500.
    throw part.file.errored && !isSystemError(error) ? multipartError(error) : error;
  }
  if (checked.ok) return checked.file;
  if (checked.code === 'invalid_file_name') throw badRequest('invalid_file_name', checked.message, [{ field: 'file', message: 'has an invalid name' }]);
  throw new AppError(checked.code === 'file_too_large' ? 413 : 415, checked.code, checked.message);
}

/** Why a file was refused, for an upload's answer or a reply by mail's bounce. */
export type FileRefusal = { code: 'invalid_file_name' | 'file_too_large' | 'unsupported_type' | 'type_mismatch'; message: string };
export type FileCheck = ({ ok: true; file: AcceptedFile }) | ({ ok: false } & FileRefusal);

/**
 * The checks every file taken in goes through, an upload's or a reply by mail's attachment: its
 * name, its size (streamed to a temporary file of the store, stopped past `maxUploadBytes`), its
 * type by extension and content. A refused file leaves nothing on disk; an accepted one waits in
 * the store's temporary folder for the caller to keep or discard it. Errors other than a refusal
 * (the source failing, a full disk) are thrown.
 */
export async function checkFile(store: FileStore, maxUploadBytes: number, rawName: string, source: Readable, isTruncated: () => boolean = () => false): Promise<FileCheck> {
  const checkedName = checkFileName(rawName);
  if (!checkedName.ok) {
    source.resume();
    return { ok: false, code: 'invalid_file_name', message: checkedName.message };
  }
  const fileName = checkedName.name;
  let received: ReceivedFile;
  try {
    received = await store.receive(source, maxUploadBytes, isTruncated);
  } catch (error) {
    if (error instanceof FileTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return { ok: false, code: 'file_too_large', message: `The file is larger than the limit of ${Math.round(maxUploadBytes / (1024 * 1024))} MB.` };
    }
    throw error;
  }
  const type = await checkFileType(fileName, received.tempPath);
  if (!type.ok) {
    await store.discard(received);
    return { ok: false, code: type.code, message: type.message };
  }
  return { ok: true, file: { ...received, fileName, mime: type.mime, extractor: type.extractor, encoding: type.encoding } };
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
  /** When this content was put at the address served (a version's upload, an attachment's): Last-Modified. */
  lastModified: number;
}

/**
 * Sends a stored file: ETag (the content's SHA-256, so any copy of the same bytes matches) and
 * Last-Modified, the conditional requests and single byte ranges of RFC 9110 (http-conditions.ts),
 * an RFC 6266 file name, and never anything a browser would render as a page of this site (HTML and
 * SVG are refused at upload, nosniff forbids guessing, and what is not shown inline is sandboxed).
 * `onDownload` runs for each answer that starts at byte 0.
 */
export function sendStoredFile(
  request: FastifyRequest,
  reply: FastifyReply,
  store: FileStore,
  file: StoredFileView,
  options: { disposition?: string; publicCache: boolean; onDownload?: () => void },
) {
  const validators = { etag: `"${file.sha256}"`, lastModified: file.lastModified };
  const precondition = evaluatePreconditions(request.method, request.headers, validators);
  if (precondition === 'failed') {
    throw new AppError(412, 'precondition_failed', 'The file is not the one this request\'s conditions (If-Match, If-Unmodified-Since) expect: it has changed or never matched.');
  }
  const range = precondition === 'proceed' ? selectRange(request.method, request.headers, file.size, validators) : ({ kind: 'whole' } as const);
  if (range.kind === 'unsatisfiable') {
    throw new AppError(416, 'range_not_satisfiable', `The requested range is outside the file, which has ${file.size} bytes.`, undefined, { 'content-range': `bytes */${file.size}` });
  }
  // A HEAD (link checkers, download managers sizing the file) is not a download.
  const counted = request.method === 'GET' ? options.onDownload : undefined;
  const inline = opensInline(file.mime) && options.disposition !== 'attachment';
  reply
    .header('etag', validators.etag)
    .header('last-modified', new Date(file.lastModified).toUTCString())
    .header('accept-ranges', 'bytes')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', options.publicCache ? 'public, max-age=300' : 'private, no-cache')
    .header('content-disposition', contentDisposition(file.fileName, { type: inline ? 'inline' : 'attachment', fallback: asciiFallback(file.fileName) }))
    // Browsers' PDF viewers refuse to run in a sandbox; everything else downloads and gets one.
    .header('content-security-policy', inline ? "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'" : "default-src 'none'; sandbox; frame-ancestors 'none'");
  if (precondition === 'not-modified') return reply.status(304).send();
  reply.type(file.mime);
  if (range.kind === 'partial') {
    const { start, end } = range;
    if (start === 0) counted?.();
    return reply
      .status(206)
      .header('content-range', `bytes ${start}-${end}/${file.size}`)
      .header('content-length', end - start + 1)
      .send(store.read(file.sha256, { start, end }));
  }
  counted?.();
  return reply.header('content-length', file.size).send(store.read(file.sha256));
}
