import { CnSetupPage } from './setup-page.js';

customElements.define('cn-setup-page', CnSetupPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-setup-page': CnSetupPage;
  }
}
