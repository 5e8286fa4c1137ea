import { CnCopyField } from './copy-field.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnCopyField };

const ELEMENTS = { 'cn-copy-field': CnCopyField };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
