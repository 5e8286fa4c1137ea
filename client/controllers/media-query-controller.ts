import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Whether a media query matches, kept current: the host re-renders when it changes (a phone turned, a window resized). */
export class MediaQueryController implements ReactiveController {
  matches = false;
  private list: MediaQueryList | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly query: string,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.list = window.matchMedia(this.query);
    this.matches = this.list.matches;
    this.list.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.list?.removeEventListener('change', this.onChange);
    this.list = null;
  }

  private onChange = (event: MediaQueryListEvent) => {
    this.matches = event.matches;
    this.host.requestUpdate();
  };
}

/** Phone width: where the shell's own layout changes too. */
export const NARROW_SCREEN = '(max-width: 640px)';
