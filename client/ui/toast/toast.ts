import { CnToast } from './toast.component.js';
import { defineElements, type ElementsOf } from '../define-elements.js';

export { CnToast };
export type { ToastVariant } from './toast.component.js';

const ELEMENTS = { 'cn-toast': CnToast };
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
