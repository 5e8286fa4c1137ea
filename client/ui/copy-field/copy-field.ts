import { CnCopyField } from './copy-field.component.js';

export { CnCopyField };

if (!customElements.get('cn-copy-field')) customElements.define('cn-copy-field', CnCopyField);

declare global {
  interface HTMLElementTagNameMap {
    'cn-copy-field': CnCopyField;
  }
}
