import { CnLoginPage } from './login-page.js';
import { CnResetPasswordPage } from './reset-password-page.js';
import { CnForgotPasswordPage } from './forgot-password-page.js';
import { CnConfirmEmailPage } from './confirm-email-page.js';

customElements.define('cn-login-page', CnLoginPage);
customElements.define('cn-reset-password-page', CnResetPasswordPage);
customElements.define('cn-forgot-password-page', CnForgotPasswordPage);
customElements.define('cn-confirm-email-page', CnConfirmEmailPage);

declare global {
  interface HTMLElementTagNameMap {
    'cn-login-page': CnLoginPage;
    'cn-reset-password-page': CnResetPasswordPage;
    'cn-forgot-password-page': CnForgotPasswordPage;
    'cn-confirm-email-page': CnConfirmEmailPage;
  }
}
