import { CnIndicatorPicker } from './indicator-picker.component.js';

export { CnIndicatorPicker };

// Defined here rather than in ui/index.ts: only the forms that tag indicators load it (debates, documents).
if (!customElements.get('cn-indicator-picker')) customElements.define('cn-indicator-picker', CnIndicatorPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-indicator-picker': CnIndicatorPicker;
  }
}
