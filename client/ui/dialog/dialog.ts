import { CnDialog } from './dialog.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnDialog };

const ELEMENTS = { 'cn-dialog': CnDialog };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
  interface HTMLElementEventMap {
    'cn-close': Event;
  }
}
