/** A file on its way to a post, sent after the post exists; a failed one waits to be tried again or dismissed. */
export interface QueuedFile<F extends { name: string } = File> {
  key: number;
  postId: string;
  file: F;
  status: 'waiting' | 'sending' | 'failed';
  error: string;
}

export interface UploadQueueOptions<F extends { name: string }, R> {
  /** Sends one file to its post (with progress, through the page's UploadController). */
  send: (item: QueuedFile<F>) => Promise<R>;
  /** Why a file was not attached, in the reader's words. */
  describe: (error: unknown) => string;
  /** The queue changed (a status, an item added or gone): the host renders again. */
  changed: () => void;
  /** A file reached its post; `result` is what send answered (the post as it now is). */
  sent?: (item: QueuedFile<F>, result: R) => void;
  /** A file failed; `message` is the reason shown under its post. */
  failed?: (item: QueuedFile<F>, message: string) => void;
}

/**
 * The files a reader attaches to posts (chosen with a reply, or later with "Attach file"), sent
 * one at a time in the order chosen, so that progress is shown for one file and a slow link is
 * not shared by several. A failure stops nothing: the file stays listed with its reason, to be
 * tried again or dismissed, and the next one is sent.
 */
export class UploadQueue<F extends { name: string }, R> {
  private list: Array<QueuedFile<F>> = [];
  private lastKey = 0;
  private running = false;
  private waitingForIdle: Array<() => void> = [];
  /** Bumped by clear(): a send under way for files that were dropped does not come back. */
  private epoch = 0;

  constructor(private readonly options: UploadQueueOptions<F, R>) {}

  /** Every file queued, in order. */
  get items(): ReadonlyArray<QueuedFile<F>> {
    return this.list;
  }

  forPost(postId: string): Array<QueuedFile<F>> {
    return this.list.filter((item) => item.postId === postId);
  }

  /** How many more files a post takes: its limit less those it has and those on their way (failed ones do not count). */
  room(postId: string, attached: number, limit: number): number {
    return limit - attached - this.list.filter((item) => item.postId === postId && item.status !== 'failed').length;
  }

  /** Queues files for a post; sending starts (or goes on) at once. */
  add(postId: string, files: readonly F[]): void {
    if (files.length === 0) return;
    this.list = [...this.list, ...files.map((file): QueuedFile<F> => ({ key: ++this.lastKey, postId, file, status: 'waiting', error: '' }))];
    this.options.changed();
    void this.run();
  }

  /** A failed file, sent again after those waiting before it. */
  retry(key: number): void {
    this.update(key, { status: 'waiting', error: '' });
    void this.run();
  }

  dismiss(key: number): void {
    this.list = this.list.filter((item) => item.key !== key);
    this.options.changed();
  }

  /** Drops every file (the page shows another debate, or is left); the one being sent is the caller's to cancel. */
  clear(): void {
    this.epoch += 1;
    this.list = [];
    this.options.changed();
  }

  /** Resolves once nothing is waiting or being sent. */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.waitingForIdle.push(resolve)) : Promise.resolve();
  }

  private update(key: number, change: Partial<QueuedFile<F>>) {
    this.list = this.list.map((item) => (item.key === key ? { ...item, ...change } : item));
    this.options.changed();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let next: QueuedFile<F> | undefined;
      while ((next = this.list.find((item) => item.status === 'waiting'))) {
        const item = next;
        const epoch = this.epoch;
        this.update(item.key, { status: 'sending' });
        try {
          const result = await this.options.send(item);
          if (epoch !== this.epoch) continue;
          this.list = this.list.filter((other) => other.key !== item.key);
          this.options.changed();
          this.options.sent?.(item, result);
        } catch (error) {
          if (epoch !== this.epoch) continue;
          const message = this.options.describe(error);
          this.update(item.key, { status: 'failed', error: message });
          this.options.failed?.(item, message);
        }
      }
    } finally {
      this.running = false;
      for (const resolve of this.waitingForIdle.splice(0)) resolve();
    }
  }
}
