import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Closes a disclosure (a menu the header opens) when the person clicks anywhere outside it: a
 * document listener while the host is connected, which does nothing while the disclosure is shut.
 */
export class OutsideClickController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly disclosure: {
      /** Whether it is open now. */
      isOpen: () => boolean;
      /** The element a click inside of keeps it open (null: none rendered). */
      inside: () => EventTarget | null;
      close: () => void;
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('click', this.onDocumentClick);
  }

  hostDisconnected(): void {
    document.removeEventListener('click', this.onDocumentClick);
  }

  private onDocumentClick = (event: MouseEvent) => {
    if (!this.disclosure.isOpen()) return;
    const inside = this.disclosure.inside();
    if (inside && !event.composedPath().includes(inside)) this.disclosure.close();
  };
}
