/**
 * Events the debates store for no socket (internalEvent), so that the log carries writes that
 * change what processes remember and that browsers are not told about: other processes' caches
 * forget a person's unread answer, a thread's or category's watchers (see index.ts).
 */

/** On `user:<id>`: the person read a thread, or marked threads read. */
export const READING_CHANGED = 'debates.reading-changed';
export interface ReadingChanged {
  userId: string;
}

/** On `user:<id>`: the person set a watch level on a thread or a category. */
export const WATCH_CHANGED = 'debates.watch-changed';
export interface WatchChanged {
  userId: string;
  threadId: string | null;
  categoryId: string | null;
}
