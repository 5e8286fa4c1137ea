import { CnToast } from './toast.component.js';

export { CnToast };
export type { ToastVariant } from './toast.component.js';

if (!customElements.get('cn-toast')) customElements.define('cn-toast', CnToast);

declare global {
  interface HTMLElementTagNameMap {
    'cn-toast': CnToast;
  }
}
