import { LitElement, html } from 'lit';
import { fieldStyles } from './field.styles.js';

let counter = 0;

/**
 * Lays out a native form control with its label, hint and error message, and links them
 * for assistive technology.
 *
 * Everything is slotted, so the label, the control and the messages all stay in the page's
 * own tree: `for` and `aria-describedby` can only point at ids in the same tree, and a
 * control must share a tree with its `<form>`. On every slot change the field gives the
 * control an id if it has none, points the label at it, sets `aria-describedby` to the
 * error and the hint, and `aria-invalid="true"` while an error is slotted.
 *
 * @slot label - A `<label>` element.
 * @slot - The native `<input>`, `<select>` or `<textarea>`.
 * @slot hint - Optional help text.
 * @slot error - The error message; render it only while there is one.
 *
 * @example
 * <cn-field>
 *   <label slot="label">E-mail</label>
 *   <input type="email" name="email" autocomplete="email">
 *   ${error ? html`<span slot="error">${error}</span>` : nothing}
 * </cn-field>
 */
export class CnField extends LitElement {
  static override styles = fieldStyles;

  private readonly uid = `cn-field-${++counter}`;

  protected override render() {
    return html`
      <slot name="label" @slotchange=${this.link}></slot>
      <slot name="hint" @slotchange=${this.link}></slot>
      <slot @slotchange=${this.link}></slot>
      <div class="error" ?hidden=${!this.errorElement()}>
        <svg class="error-icon" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M10 1.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17Zm-.9 4h1.8v6h-1.8v-6Zm0 7.5h1.8v1.8h-1.8V13Z" />
        </svg>
        <slot name="error" @slotchange=${this.link}></slot>
      </div>
    `;
  }

  protected override firstUpdated(): void {
    this.link();
  }

  /** The slotted form control. */
  get control(): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null {
    for (const child of Array.from(this.children)) {
      if (child.slot === '' && (child instanceof HTMLInputElement || child instanceof HTMLSelectElement || child instanceof HTMLTextAreaElement)) {
        return child;
      }
    }
    return null;
  }

  private errorElement(): HTMLElement | null {
    const element = this.querySelector<HTMLElement>(':scope > [slot="error"]');
    return element && element.textContent?.trim() ? element : null;
  }

  private link = () => {
    const control = this.control;
    if (!control) return;
    if (!control.id) control.id = this.uid;
    const label = this.querySelector<HTMLLabelElement>(':scope > label[slot="label"]');
    if (label) label.htmlFor = control.id;

    const hint = this.querySelector<HTMLElement>(':scope > [slot="hint"]');
    if (hint && !hint.id) hint.id = `${control.id}-hint`;
    const error = this.errorElement();
    if (error && !error.id) error.id = `${control.id}-error`;

    const describedBy = [error?.id, hint?.id].filter(Boolean).join(' ');
    if (describedBy) control.setAttribute('aria-describedby', describedBy);
    else control.removeAttribute('aria-describedby');
    if (error) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    this.requestUpdate();
  };
}
