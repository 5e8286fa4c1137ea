import { LRUCache } from 'lru-cache';
import type { PostView } from './views.js';

export interface CachedPage {
  /** Posts as a neutral viewer of the kind sees them (see toNeutralPost). */
  items: PostView[];
  nextCursor: string | null;
  /** Full text and reason of hidden posts in the page, so their author can be shown them without a query. */
  hidden: Map<string, { authorId: string; html: string; hiddenReason: string | null }>;
  /**
   * Each item as JSON without its closing brace and its last three (per-viewer) fields, so a
   * viewer's answer is these strings with the flags appended: no re-serialization of 50 posts'
   * HTML per request. Filled on first use.
   */
  heads?: string[];
}

/** The per-viewer fields every Post ends with, in this order (see toNeutralPost). */
const VIEWER_FIELDS = ['agreedByMe', 'mayEdit', 'mayModerate'] as const;

/** JSON of a neutral post up to (not including) its per-viewer fields: `{...,"agreeCount":3`. */
export function postHead(post: PostView): string {
  const { agreedByMe: _a, mayEdit: _e, mayModerate: _m, ...rest } = post;
  const json = JSON.stringify(rest);
  return json.slice(0, -1);
}

/** Completes a head with the viewer's flags. */
export function withViewerFlags(head: string, flags: Pick<PostView, (typeof VIEWER_FIELDS)[number]>): string {
  return `${head},"agreedByMe":${flags.agreedByMe},"mayEdit":${flags.mayEdit},"mayModerate":${flags.mayModerate}}`;
}

/**
 * Thread pages keyed by (thread, version, view, cursor, limit, viewer kind). A write bumps the
 * thread's version, so stale entries are never served: they just age out of this small LRU
 * (500 pages of 50 posts of a few kilobytes each: tens of megabytes at most).
 */
export class PageCache extends LRUCache<string, CachedPage> {
  constructor() {
    super({ max: 500 });
  }

  static key(parts: { threadId: string; version: number; view: string; cursor: string | null; limit: number; moderator: boolean }): string {
    return `${parts.threadId}|${parts.version}|${parts.view}|${parts.cursor ?? ''}|${parts.limit}|${parts.moderator ? 'm' : 'p'}`;
  }
}

/**
 * Finished answers (JSON bytes, or their compressed form) by ETag, least recently used out first,
 * bounded by their total size: 16 MB, some three hundred 50-post pages. An ETag names thread
 * version, page and viewer, so an entry can never be stale; old versions just age out.
 */
export class BodyCache extends LRUCache<string, Buffer> {
  constructor(maxBytes = 16 * 1024 * 1024) {
    super({ maxSize: maxBytes, maxEntrySize: maxBytes / 4, sizeCalculation: (body) => body.length });
  }
}
