import { CnDialog } from './dialog.component.js';

export { CnDialog };

if (!customElements.get('cn-dialog')) customElements.define('cn-dialog', CnDialog);

declare global {
  interface HTMLElementTagNameMap {
    'cn-dialog': CnDialog;
  }
  interface HTMLElementEventMap {
    'cn-close': Event;
  }
}
