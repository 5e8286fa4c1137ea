import type { PostView } from './views.js';

export interface CachedPage {
  /** Posts as a neutral viewer of the kind sees them (see toNeutralPost). */
  items: PostView[];
  nextCursor: string | null;
  /** Full text and reason of hidden posts in the page, so their author can be shown them without a query. */
  hidden: Map<string, { authorId: string; html: string; hiddenReason: string | null }>;
}

/**
 * Thread pages keyed by (thread, version, view, cursor, limit, viewer kind). A write bumps the
 * thread's version, so stale entries are never served: they just age out of this small LRU.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();

  // 500 pages of 50 posts of a few kilobytes each: tens of megabytes at most.
  constructor(private readonly capacity = 500) {}

  static key(parts: { threadId: string; version: number; view: string; cursor: string | null; limit: number; moderator: boolean }): string {
    return `${parts.threadId}|${parts.version}|${parts.view}|${parts.cursor ?? ''}|${parts.limit}|${parts.moderator ? 'm' : 'p'}`;
  }

  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key);
    if (page) {
      this.entries.delete(key);
      this.entries.set(key, page);
    }
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.entries.set(key, page);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
