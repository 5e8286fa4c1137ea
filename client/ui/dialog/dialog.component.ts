import { LitElement, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { dialogStyles } from './dialog.styles.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The element that has focus, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * A modal dialog on the native `<dialog>`: the browser makes the rest of the page inert and
 * closes it on Escape. On open, focus goes to the slotted element marked `autofocus`, else
 * the first focusable one; on close it returns to whatever had focus before.
 *
 * Set `open` to show or hide it; it sets `open` back to false itself when the person closes it.
 *
 * @slot - The body. Forms placed here stay in the page's tree, next to their controls.
 * @slot footer - Action buttons, laid out at the end.
 *
 * @event cn-close - After the dialog closed, whichever way.
 */
export class CnDialog extends LitElement {
  static override styles = dialogStyles;

  static override properties = {
    open: { type: Boolean, reflect: true },
    label: {},
    hasFooter: { state: true },
  };

  declare open: boolean;
  /** The dialog's title, also its accessible name. */
  declare label: string;
  declare private hasFooter: boolean;

  private returnFocusTo: HTMLElement | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.label = '';
    this.hasFooter = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  protected override render() {
    return html`
      <dialog aria-labelledby="title" @close=${this.onClose}>
        <header>
          <h2 id="title">${this.label}</h2>
          <button class="close" type="button" aria-label=${msg('Close')} @click=${() => this.close()}>
            <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4.3 3 10 8.7 15.7 3 17 4.3 11.3 10l5.7 5.7-1.3 1.3-5.7-5.7L4.3 17 3 15.7 8.7 10 3 4.3z" /></svg>
          </button>
        </header>
        <div class="body"><slot></slot></div>
        <footer class=${this.hasFooter ? '' : 'empty'}>
          <slot name="footer" @slotchange=${this.onFooterChange}></slot>
        </footer>
      </dialog>
    `;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (!changed.has('open')) return;
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      this.returnFocusTo = deepActiveElement();
      dialog.showModal();
      this.focusInitial();
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  /** Closes the dialog as if the person had pressed Escape. */
  close(): void {
    this.open = false;
  }

  /** Moves focus back into the dialog's first control, e.g. after its content changed. */
  focusInitial(): void {
    const slotted = this.renderRoot.querySelector<HTMLSlotElement>('slot:not([name])')?.assignedElements({ flatten: true }) ?? [];
    const footer = this.renderRoot.querySelector<HTMLSlotElement>('slot[name="footer"]')?.assignedElements({ flatten: true }) ?? [];
    const candidates = [...slotted, ...footer];
    const find = (selector: string) => {
      for (const element of candidates) {
        if (element.matches(selector)) return element as HTMLElement;
        const inner = element.querySelector<HTMLElement>(selector);
        if (inner) return inner;
      }
      return null;
    };
    const target = find('[autofocus]') ?? find(FOCUSABLE);
    if (target) target.focus();
    else this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
  }

  private onClose = () => {
    this.open = false;
    const target = this.returnFocusTo;
    this.returnFocusTo = null;
    if (target?.isConnected) target.focus();
    this.dispatchEvent(new Event('cn-close', { bubbles: true, composed: true }));
  };

  private onFooterChange = (event: Event) => {
    this.hasFooter = (event.target as HTMLSlotElement).assignedElements().length > 0;
  };
}

declare global {
  interface HTMLElementEventMap {
    /** The dialog closed (Escape, the close button or close()). */
    'cn-close': Event;
  }
}
