import { CnButton } from './button.component.js';

export { CnButton };
export type { ButtonVariant } from './button.component.js';

if (!customElements.get('cn-button')) customElements.define('cn-button', CnButton);

declare global {
  interface HTMLElementTagNameMap {
    'cn-button': CnButton;
  }
}
