import { CnIndicatorPicker } from './indicator-picker.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnIndicatorPicker };

// Defined here rather than in ui/index.ts: only the forms that tag indicators load it (debates, documents).
const ELEMENTS = { 'cn-indicator-picker': CnIndicatorPicker };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
