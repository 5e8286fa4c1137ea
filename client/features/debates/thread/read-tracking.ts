import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the server answers to a read position (PUT /threads/:id/read). */
export interface ReadPosition {
  lastReadSeq: number;
  unreadCount: number;
}

/** Timers as the tracker uses them: the page's by default, fake ones in tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const globalTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ReadTrackerOptions {
  /** Sends the highest post seen; answers where the server now has the reader. */
  send: (seq: number) => Promise<ReadPosition>;
  /** The server's answer to a send, for the page's unread count. */
  acknowledged?: (read: ReadPosition) => void;
  /** A burst of posts coming into view is sent once, this long after the last. */
  debounceMs?: number;
  timers?: Timers;
}

/**
 * The read position of one debate as the reader scrolls: the highest post seen, sent to the
 * server once scrolling pauses (or at once when leaving, or after the reader's own reply), never
 * twice for the same post and never backwards. A send that fails is not lost: the next post seen
 * sends the position again.
 */
export class ReadTracker {
  private maxSeen = 0;
  private sent = 0;
  /** What the server last confirmed: a failed send falls back to it. */
  private confirmed = 0;
  private timer: unknown;
  private generation = 0;
  private readonly timers: Timers;

  constructor(private readonly options: ReadTrackerOptions) {
    this.timers = options.timers ?? globalTimers;
  }

  /** The debate (re)loaded: the reader is where the server says, nothing is to be sent. */
  start(lastReadSeq: number): void {
    this.timers.clear(this.timer);
    this.generation += 1;
    this.maxSeen = lastReadSeq;
    this.sent = lastReadSeq;
    this.confirmed = lastReadSeq;
  }

  /** The highest post seen so far. */
  get seen(): number {
    return this.maxSeen;
  }

  /** A post came into view: its position is sent once scrolling pauses. */
  see(seq: number): void {
    if (seq > this.maxSeen) this.maxSeen = seq;
    if (this.maxSeen <= this.sent) return;
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => this.flush(), this.options.debounceMs ?? 800);
  }

  /** Sends the position now, if it moved (leaving the page, after the reader's own reply). */
  flush(): void {
    this.timers.clear(this.timer);
    this.timer = undefined;
    if (this.maxSeen <= this.sent) return;
    const seq = this.maxSeen;
    const generation = this.generation;
    this.sent = seq;
    this.options.send(seq).then(
      (read) => {
        if (generation !== this.generation) return;
        this.confirmed = Math.max(this.confirmed, read.lastReadSeq);
        this.options.acknowledged?.(read);
      },
      () => {
        // Try again with the next post seen.
        if (generation === this.generation) this.sent = Math.min(this.sent, this.confirmed);
      },
    );
  }

  /** Stops the pending send (the debate is left without flushing, or replaced). */
  stop(): void {
    this.timers.clear(this.timer);
    this.timer = undefined;
  }
}

/**
 * Where the "since your last visit" divider goes among these posts: before the first one the
 * reader had not read when the page opened (`readSince`) and did not write; none for someone
 * who never read the debate, so a first visit shows no divider.
 */
export function firstUnreadPost<P extends { id: string; seq: number; author: { id: string } }>(posts: readonly P[], readSince: number, readerId: string | undefined): string | null {
  if (readSince === 0) return null;
  return posts.find((post) => isUnread(post, readSince, readerId))?.id ?? null;
}

/** Whether a post is "New" for the reader: after where they had read as the page opened, by someone else. */
export const isUnread = (post: { seq: number; author: { id: string } }, readSince: number, readerId: string | undefined): boolean =>
  post.seq > readSince && post.author.id !== readerId;

/**
 * Feeds a ReadTracker from what the reader actually sees: posts at least 40% on screen while the
 * page is visible and not landing on a post (a jump through earlier posts is not reading), and
 * sends the position when the host leaves the page.
 */
export class ReadTrackingController implements ReactiveController {
  readonly tracker: ReadTracker;
  /** While true (landing on a post after loading), posts scrolled past are not counted. */
  paused = false;
  private observer: IntersectionObserver | null = null;
  private readonly observed = new Set<Element>();

  constructor(
    host: ReactiveControllerHost,
    options: ReadTrackerOptions & {
      /** A post element seen (e.g. to drop it from "new posts below"). */
      onSeen?: (element: HTMLElement) => void;
    },
  ) {
    this.tracker = new ReadTracker(options);
    this.onSeen = options.onSeen;
    host.addController(this);
  }

  private readonly onSeen: ((element: HTMLElement) => void) | undefined;

  hostConnected(): void {
    this.observer = new IntersectionObserver((entries) => this.seen(entries), { threshold: 0.4 });
    for (const element of this.observed) this.observer.observe(element);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.tracker.flush();
  }

  /** Watches a post's element (it carries its seq in data-seq). */
  observe(element: HTMLElement): void {
    if (this.observed.has(element)) return;
    this.observed.add(element);
    this.observer?.observe(element);
  }

  unobserve(element: HTMLElement): void {
    this.observed.delete(element);
    this.observer?.unobserve(element);
  }

  /** Counts what is on screen now as seen (observing again reports the current intersections). */
  recount(): void {
    for (const element of this.observed) {
      this.observer?.unobserve(element);
      this.observer?.observe(element);
    }
  }

  private seen(entries: IntersectionObserverEntry[]) {
    if (this.paused || document.visibilityState !== 'visible') return;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const element = entry.target as HTMLElement;
      this.tracker.see(Number(element.dataset.seq));
      this.onSeen?.(element);
    }
  }
}
