import { html, nothing } from 'lit';
import { CnField } from './field.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnField };

const ELEMENTS = { 'cn-field': CnField };
defineElements(ELEMENTS);

/** The error slot of a cn-field, rendered only while there is a message. */
export const fieldError = (message: string | undefined) => (message ? html`<span slot="error">${message}</span>` : nothing);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
