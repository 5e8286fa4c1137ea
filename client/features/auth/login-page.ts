import { html } from 'lit';
import { msg } from '@lit/localize';
import { api } from '../../app/api.js';
import { accountEmailField } from '../../app/form-fields.js';
import { AppElement } from '../../app/base-element.js';
import { check, FormController, raw, text, formAlert, submitButton } from '../../app/forms.js';
import type { User } from '../../app/models.js';
import { fieldError } from '../../ui/field/field.js';
import { signInPageStyles } from './sign-in.styles.js';

/** Sign-in with e-mail and password; returns to ?next= (a same-site path) afterwards. */
export class CnLoginPage extends AppElement {
  static override styles = signInPageStyles;

  private form = new FormController(this);

  protected override render() {
    const form = this.form;
    return html`
      <div class="narrow">
        <div class="page-header">
          <h1 tabindex="-1">${msg('Sign in')}</h1>
          <p class="lead">${msg('Concilia is private to the members of the working group.')}</p>
        </div>
        <form class="card" novalidate @submit=${this.submit}>
          ${formAlert(form)}
          ${accountEmailField(form)}
          <cn-field>
            <label slot="label">${msg('Password')}</label>
            <input name="password" type="password" autocomplete="current-password" required />
            ${fieldError(form.error('password'))}
          </cn-field>
          <div class="form-actions">
            ${submitButton(form, msg('Sign in'), { pendingLabel: msg('Signing in…') })}
          </div>
          <p class="small"><a href="/forgot-password">${msg('Forgot your password?')}</a></p>
        </form>
      </div>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      focusOnFailure: 'password',
      validate: (data, errors) => {
        check.email(errors, data, 'email');
        if (!raw(data, 'password')) errors.password = msg('Enter your password.');
      },
      action: async (data) => {
        const response = await api.post<{ user: User }>('/auth/login', { email: text(data, 'email'), password: raw(data, 'password') });
        await this.services.signedIn(response.user, new URLSearchParams(window.location.search).get('next') ?? undefined);
      },
    });
  }
}
