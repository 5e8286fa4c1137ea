import { LitElement, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { copyFieldStyles } from './copy-field.styles.js';

/**
 * A read-only value (a link to hand over) with a Copy button. If the clipboard is not
 * available, the text is selected and the person is told to copy it with the keyboard.
 *
 * @event cn-copy - After the value was written to the clipboard.
 */
export class CnCopyField extends LitElement {
  static override styles = copyFieldStyles;

  static override properties = {
    label: {},
    value: {},
    status: { state: true },
  };

  declare label: string;
  declare value: string;
  declare private status: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.label = '';
    this.value = '';
    this.status = '';
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('value')) this.status = '';
  }

  protected override render() {
    return html`
      <label for="value">${this.label}</label>
      <div class="row">
        <input id="value" type="text" readonly .value=${this.value} @focus=${this.selectAll} />
        <button type="button" @click=${this.copy}>${msg('Copy')}</button>
      </div>
      <p class="status" role="status">${this.status}</p>
    `;
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus(options);
  }

  private selectAll(event: FocusEvent) {
    (event.target as HTMLInputElement).select();
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.value);
      this.status = msg('Copied to the clipboard.');
      this.dispatchEvent(new Event('cn-copy', { bubbles: true, composed: true }));
    } catch {
      const input = this.renderRoot.querySelector<HTMLInputElement>('input');
      input?.focus();
      input?.select();
      this.status = msg('Copying is blocked here: the link is selected, press Ctrl+C (⌘+C on a Mac) to copy it.');
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The value was copied to the clipboard. */
    'cn-copy': Event;
  }
}
