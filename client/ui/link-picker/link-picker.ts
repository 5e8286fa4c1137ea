import { CnLinkPicker, type LinkedItem, type LinkFinder } from './link-picker.component.js';

export { CnLinkPicker, type LinkedItem, type LinkFinder };

// Defined here rather than in ui/index.ts: only the pages that link things load it (meetings, documents).
if (!customElements.get('cn-link-picker')) customElements.define('cn-link-picker', CnLinkPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-link-picker': CnLinkPicker;
  }
}
