import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';

export type ContentEncoding = 'br' | 'gzip';
const SUPPORTED: ContentEncoding[] = ['br', 'gzip'];

/** The encoding to answer in, from the request's Accept-Encoding; null for none (identity). */
export function preferredEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null;
  return negotiate(acceptEncoding, SUPPORTED) as ContentEncoding | null;
}

/**
 * Compresses a finished answer that will be kept and sent many times. Brotli at quality 5 costs
 * about a quarter of a millisecond on a 50-post page and makes it several times smaller; higher
 * qualities cost far more for little.
 */
export function compressBody(body: Buffer, encoding: ContentEncoding): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) : gzipSync(body);
}
