import { CnDialog } from './dialog.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnDialog };

const ELEMENTS = { 'cn-dialog': CnDialog };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap {
    'cn-dialog': CnDialog;
  }
  interface HTMLElementEventMap {
    'cn-close': Event;
  }
}
