import { html, nothing } from 'lit';
import { CnField } from './field.component.js';

export { CnField };

if (!customElements.get('cn-field')) customElements.define('cn-field', CnField);

/** The error slot of a cn-field, rendered only while there is a message. */
export const fieldError = (message: string | undefined) => (message ? html`<span slot="error">${message}</span>` : nothing);

declare global {
  interface HTMLElementTagNameMap {
    'cn-field': CnField;
  }
}
