import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Runs a refresh once per burst of live events: `quietMs` after the last one, and never later than
 * `maxWaitMs` after the first, so that a steady stream (answers arriving every second during a
 * meeting) still refreshes the page now and then instead of never. Cancelled when the host leaves.
 */
export class BurstController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly run: () => void,
    private readonly quietMs = 800,
    private readonly maxWaitMs = 5_000,
  ) {
    host.addController(this);
  }

  /** An event of the burst arrived. */
  poke(): void {
    const now = Date.now();
    if (this.timer === undefined) this.startedAt = now;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.run();
      },
      Math.max(0, Math.min(this.quietMs, this.startedAt + this.maxWaitMs - now)),
    );
  }

  /** Nothing left to refresh (the thing closed, or was loaded otherwise). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  hostDisconnected(): void {
    this.cancel();
  }
}
