import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { drafts } from '../app/drafts.js';

/**
 * A form kept on this device while it is filled in (app/drafts.ts): written a moment after the
 * last change, and at once when the page is left, so a reload, a closed tab or an expired session
 * loses nothing; cleared once the form is sent or the writer discards it.
 */
export class DraftController<T> implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What waits to be written, under the key of the form it was typed in (the host may move on to another record first). */
  private pending: { key: string; value: T } | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: {
      /** Where the draft is kept (it may follow the host's properties, e.g. the record edited). */
      key: () => string;
      /** Quiet time after a change before it is written. */
      delayMs?: number;
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.flush();
  }

  /** The draft kept, as written (parse it against what the form holds now), or '' when none. */
  read(): string {
    return drafts.read(this.options.key());
  }

  /** Keeps the form as it is now, once changes pause. */
  keep(value: T): void {
    this.pending = { key: this.options.key(), value };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.delayMs ?? 400);
  }

  /** Writes what waits to be kept, now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === undefined) return;
    drafts.write(this.pending.key, JSON.stringify(this.pending.value));
    this.pending = undefined;
  }

  /** The form was sent or discarded: nothing is kept any more. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    drafts.clear(this.options.key());
  }
}
