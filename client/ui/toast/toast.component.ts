import { LitElement, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { toastStyles } from './toast.styles.js';

export type ToastVariant = 'info' | 'success' | 'error';

interface ToastItem {
  id: number;
  message: string;
  variant: ToastVariant;
}

const DURATION_MS = 6000;

/**
 * Short confirmations ("Invitation created") at the corner of the screen, read out by
 * screen readers through a polite live region. Each stays for a few seconds (longer while
 * hovered or focused) and has a dismiss button.
 *
 * Place one near the end of the app and call `show()`.
 */
export class CnToast extends LitElement {
  static override styles = toastStyles;

  static override properties = {
    items: { state: true },
  };

  declare private items: ToastItem[];
  private nextId = 1;
  private timers = new Map<number, number>();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.items = [];
  }

  /** Shows a message; errors are kept until dismissed so they cannot be missed. */
  show(message: string, variant: ToastVariant = 'info'): void {
    const id = this.nextId++;
    this.items = [...this.items.slice(-3), { id, message, variant }];
    if (variant !== 'error') this.schedule(id);
  }

  dismiss(id: number): void {
    window.clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.items = this.items.filter((item) => item.id !== id);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.timers.values()) window.clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(id: number) {
    window.clearTimeout(this.timers.get(id));
    this.timers.set(id, window.setTimeout(() => this.dismiss(id), DURATION_MS));
  }

  private pause(id: number) {
    window.clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private resume(item: ToastItem) {
    if (item.variant !== 'error') this.schedule(item.id);
  }

  protected override render() {
    return html`
      <div role="status" aria-live="polite">
      <ol>
        ${repeat(
          this.items,
          (item) => item.id,
          (item) => html`
            <li
              class=${item.variant}
              @mouseenter=${() => this.pause(item.id)}
              @mouseleave=${() => this.resume(item)}
              @focusin=${() => this.pause(item.id)}
              @focusout=${() => this.resume(item)}
            >
              <p>${item.message}</p>
              <button type="button" aria-label=${msg('Dismiss notification')} @click=${() => this.dismiss(item.id)}>
                <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4.3 3 10 8.7 15.7 3 17 4.3 11.3 10l5.7 5.7-1.3 1.3-5.7-5.7L4.3 17 3 15.7 8.7 10 3 4.3z" /></svg>
              </button>
            </li>
          `,
        )}
      </ol>
      </div>
    `;
  }
}
