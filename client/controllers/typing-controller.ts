import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long "… is typing" stays after the last notice: notices come every few seconds while someone types. */
const SHOWN_MS = 6_000;

/**
 * Who else is typing in a conversation (a debate's reply forms, a meeting room's chat), from the
 * live channel's typing notices: each name shows for a few seconds after their last notice, and
 * goes at once when their message arrives. The host renders `names`.
 */
export class TypingController implements ReactiveController {
  private typing = new Map<string, { name: string; until: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The names of those typing now, in the order they started. */
  get names(): string[] {
    const now = Date.now();
    return [...this.typing.values()].filter((entry) => entry.until > now).map((entry) => entry.name);
  }

  /** A typing notice from someone. */
  typed(userId: string, name: string): void {
    this.typing.set(userId, { name, until: Date.now() + SHOWN_MS });
    this.host.requestUpdate();
    this.schedule();
  }

  /** Their message arrived: they are no longer typing it. */
  done(userId: string): void {
    if (this.typing.delete(userId)) this.host.requestUpdate();
  }

  clear(): void {
    this.typing.clear();
    clearTimeout(this.timer);
    this.host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** Wakes when the first name's time is up (each name has its own: one timer per last notice would miss the earlier ones). */
  private schedule() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.typing.size === 0) return;
    const first = Math.min(...[...this.typing.values()].map((entry) => entry.until));
    this.timer = setTimeout(() => this.expire(), Math.max(0, first - Date.now()) + 100);
  }

  private expire() {
    const now = Date.now();
    const before = this.typing.size;
    for (const [id, entry] of this.typing) if (entry.until <= now) this.typing.delete(id);
    if (this.typing.size !== before) this.host.requestUpdate();
    this.schedule();
  }
}
