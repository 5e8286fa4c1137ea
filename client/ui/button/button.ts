import { CnButton } from './button.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnButton };
export type { ButtonVariant } from './button.component.js';

const ELEMENTS = { 'cn-button': CnButton };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
