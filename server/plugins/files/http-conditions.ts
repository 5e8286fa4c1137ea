import type { IncomingHttpHeaders } from 'node:http';
import parseRange from 'range-parser';

/**
 * RFC 9110's conditional requests (evaluated in the order of its section 13.2.2) and single byte
 * ranges (section 14) for a stored file, whose validators are a strong ETag (the content's SHA-256)
 * and a Last-Modified (when it was uploaded under this address). Headers only: no Fastify here.
 */
export interface Validators {
  /** Quoted, as sent in the ETag header. */
  etag: string;
  /** Milliseconds; HTTP dates carry whole seconds, so comparisons are made in seconds. */
  lastModified: number;
}

interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** The members of an If-Match or If-None-Match list, or "*"; anything that is not an entity tag is skipped. */
function entityTags(value: string): '*' | EntityTag[] {
  if (value.trim() === '*') return '*';
  return [...value.matchAll(/(W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g)].map((match) => ({ weak: match[1] !== undefined, opaque: match[2]! }));
}

/** An HTTP date in seconds, or null when the value is not a date (such a header is ignored). */
function httpDateSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export type Precondition = 'proceed' | 'not-modified' | 'failed';

/**
 * If-Match (strong comparison; "*" holds since the file exists), else If-Unmodified-Since; then
 * If-None-Match (weak comparison), else If-Modified-Since for GET and HEAD. A failed If-Match or
 * If-Unmodified-Since is 412 whatever follows; a matched If-None-Match is 304 for GET and HEAD.
 */
export function evaluatePreconditions(method: string, headers: IncomingHttpHeaders, validators: Validators): Precondition {
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    const tags = entityTags(ifMatch);
    if (tags !== '*' && !tags.some((tag) => !tag.weak && tag.opaque === validators.etag)) return 'failed';
  } else {
    const since = httpDateSeconds(headers['if-unmodified-since']);
    if (since !== null && seconds(validators.lastModified) > since) return 'failed';
  }
  const safe = method === 'GET' || method === 'HEAD';
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = entityTags(ifNoneMatch);
    if (tags === '*' || tags.some((tag) => tag.opaque === validators.etag)) return safe ? 'not-modified' : 'failed';
  } else if (safe) {
    const since = httpDateSeconds(headers['if-modified-since']);
    if (since !== null && seconds(validators.lastModified) <= since) return 'not-modified';
  }
  return 'proceed';
}

/** If-Range holds for an entity tag equal to the ETag (strong comparison), or a date equal to Last-Modified. */
function ifRangeHolds(value: string, validators: Validators): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    const tags = entityTags(trimmed);
    return tags !== '*' && tags.length === 1 && !tags[0]!.weak && tags[0]!.opaque === validators.etag;
  }
  return httpDateSeconds(trimmed) === seconds(validators.lastModified);
}

export type RangeSelection = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * The part of a file of `size` bytes a GET asks for. Only GET has range semantics; a failed
 * If-Range, a malformed header, another unit or several ranges (multipart/byteranges, which this
 * server does not build) get the whole file, as RFC 9110 allows.
 */
export function selectRange(method: string, headers: IncomingHttpHeaders, size: number, validators: Validators): RangeSelection {
  const header = headers.range;
  if (method !== 'GET' || header === undefined) return { kind: 'whole' };
  const ifRange = headers['if-range'];
  // Sent twice, it names no one validator: treated as failed.
  if (ifRange !== undefined && (typeof ifRange !== 'string' || !ifRangeHolds(ifRange, validators))) return { kind: 'whole' };
  // A suffix longer than the file selects all of it (RFC 9110 14.1.1); range-parser calls it unsatisfiable.
  const clamped = header.replace(/([=,]\s*)-(\d+)/g, (member, before: string, length: string) => (Number(length) > size ? `${before}0-` : member));
  const ranges = parseRange(size, clamped, { combine: true });
  if (ranges === -1) return { kind: 'unsatisfiable' };
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { kind: 'whole' };
  return { kind: 'partial', start: ranges[0]!.start, end: ranges[0]!.end };
}
