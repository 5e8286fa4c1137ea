import { CnLoginPage } from './login-page.js';
import { CnResetPasswordPage } from './reset-password-page.js';
import { CnForgotPasswordPage } from './forgot-password-page.js';
import { CnConfirmEmailPage } from './confirm-email-page.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-login-page': CnLoginPage,
  'cn-reset-password-page': CnResetPasswordPage,
  'cn-forgot-password-page': CnForgotPasswordPage,
  'cn-confirm-email-page': CnConfirmEmailPage,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
