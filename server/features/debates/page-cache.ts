import { LRUCache } from 'lru-cache';
import type { AttachmentView, PostView } from './views.js';

export interface CachedPage {
  /** The thread version the page was built from. */
  version: number;
  /** Posts as a neutral viewer of the kind sees them (see toNeutralPost). */
  items: PostView[];
  nextCursor: string | null;
  /** Full text and reason of hidden posts in the page, so their author can be shown them without a query. */
  hidden: Map<string, { authorId: string; html: string; hiddenReason: string | null; attachments: AttachmentView[] }>;
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
 * Thread pages keyed by (thread, view, cursor, limit, viewer kind), each holding the version it
 * was built from: a page of an older version is a miss, and its rebuild takes its place. Keyed with
 * the version, a thread written to all day left a stale copy per post until the LRU pushed them
 * out (some 50 MB of old pages after the benchmark's writes).
 */
export class PageCache extends LRUCache<string, CachedPage> {
  constructor() {
    super({ max: 500 });
  }

  static key(parts: { threadId: string; view: string; cursor: string | null; limit: number; moderator: boolean }): string {
    return `${parts.threadId}|${parts.view}|${parts.cursor ?? ''}|${parts.limit}|${parts.moderator ? 'm' : 'p'}`;
  }

  /** The page if it was built from this version of the thread. */
  current(key: string, version: number): CachedPage | undefined {
    const page = this.get(key);
    return page?.version === version ? page : undefined;
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
