import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { api } from '../../app/api.js';
import { accountEmailField } from '../../app/form-fields.js';
import { AppElement } from '../../app/base-element.js';
import { check, FormController, text, formAlert, submitButton } from '../../app/forms.js';
import { signInPageStyles } from './sign-in.styles.js';

/**
 * Asks for a password reset link by e-mail. The answer is the same whether the address has an
 * account or not (the server says nothing either way), so the page says what will happen if it does.
 */
export class CnForgotPasswordPage extends AppElement {
  static override styles = signInPageStyles;

  static override properties = { sentTo: { state: true } };

  declare private sentTo: string | null;
  private form = new FormController(this);

  constructor() {
    super();
    this.sentTo = null;
  }

  protected override render() {
    const form = this.form;
    return html`
      <div class="narrow">
        <div class="page-header">
          <h1 tabindex="-1">${msg('Forgot your password?')}</h1>
          <p class="lead">${msg('Write the e-mail address of your account: we will send a link to choose a new password.')}</p>
        </div>
        ${this.sentTo !== null
          ? html`
              <div class="card stack">
                <p class="alert alert-success" role="status">
                  ${msg(str`If ${this.sentTo} belongs to an account, a link to choose a new password is on its way. It works once, for a few hours. Look in the spam folder too.`)}
                </p>
                <p><a href="/login">${msg('Go to the sign-in page')}</a></p>
              </div>
            `
          : html`
              <form class="card" novalidate @submit=${this.submit}>
                ${formAlert(form)}
                ${accountEmailField(form)}
                <div class="form-actions">
                  ${submitButton(form, msg('Send me a link'))}
                </div>
                <p class="small"><a href="/login">${msg('Back to the sign-in page')}</a></p>
              </form>
            `}
      </div>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      validate: (data, errors) => {
        check.email(errors, data, 'email');
      },
      action: async (data) => {
        const email = text(data, 'email');
        await api.post('/auth/password-resets', { email });
        this.sentTo = email;
      },
    });
  }
}
