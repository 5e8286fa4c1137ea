import { CnLoginPage } from './login-page.js';
import { CnResetPasswordPage } from './reset-password-page.js';

customElements.define('cn-login-page', CnLoginPage);
customElements.define('cn-reset-password-page', CnResetPasswordPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-login-page': CnLoginPage;
    'cn-reset-password-page': CnResetPasswordPage;
  }
}
