import { LitElement, html, nothing } from 'lit';
import { buttonStyles } from './button.styles.js';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

/**
 * Gives one native `<button>` or `<a>` the look of the design system.
 *
 * The native element stays in the page's own tree, so it submits its `<form>`, Enter in a
 * text field submits implicitly, and its role and name are the browser's own. While
 * `loading`, a spinner shows; set `aria-disabled="true"` on the native button yourself
 * (it keeps focus, unlike `disabled`).
 *
 * @slot - One native `<button>` or `<a>` element.
 *
 * @example
 * <cn-button variant="primary"><button type="submit">Save</button></cn-button>
 */
export class CnButton extends LitElement {
  static override styles = buttonStyles;

  static override properties = {
    variant: { reflect: true },
    size: { reflect: true },
    loading: { type: Boolean, reflect: true },
  };

  /** Visual weight: `primary` for the main action of a view, `danger` for destructive ones. */
  declare variant: ButtonVariant;
  declare size: 'medium' | 'small';
  /** Shows a spinner next to the label while an action runs. */
  declare loading: boolean;

  constructor() {
    super();
    this.variant = 'secondary';
    this.size = 'medium';
    this.loading = false;
  }

  protected override render() {
    return html`<slot></slot>${this.loading ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}`;
  }
}
