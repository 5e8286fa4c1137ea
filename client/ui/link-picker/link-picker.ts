import { CnLinkPicker, type LinkedItem, type LinkFinder } from './link-picker.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnLinkPicker, type LinkedItem, type LinkFinder };

// Defined here rather than in ui/index.ts: only the pages that link things load it (meetings, documents).
const ELEMENTS = { 'cn-link-picker': CnLinkPicker };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
