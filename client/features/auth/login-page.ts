import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { api } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { check, FormController, raw, text, type FieldErrors } from '../../app/forms.js';
import type { User } from '../../app/models.js';
import { fieldError } from '../../ui/field/field.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

/** Sign-in with e-mail and password; returns to ?next= (a same-site path) afterwards. */
export class CnLoginPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .narrow {
        max-inline-size: 26rem;
      }
    `,
  ];

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
          ${form.message ? html`<div class="alert alert-error" role="alert">${form.message}</div>` : nothing}
          <cn-field>
            <label slot="label">${msg('E-mail')}</label>
            <input name="email" type="email" autocomplete="username" required spellcheck="false" />
            ${fieldError(form.error('email'))}
          </cn-field>
          <cn-field>
            <label slot="label">${msg('Password')}</label>
            <input name="password" type="password" autocomplete="current-password" required />
            ${fieldError(form.error('password'))}
          </cn-field>
          <div class="form-actions">
            <cn-button variant="primary" ?loading=${form.pending}>
              <button type="submit" aria-disabled=${form.pending ? 'true' : 'false'}>${form.pending ? msg('Signing in…') : msg('Sign in')}</button>
            </cn-button>
          </div>
          <p class="small"><a href="/forgot-password">${msg('Forgot your password?')}</a></p>
        </form>
      </div>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      focusOnFailure: 'password',
      validate: (data) => {
        const errors: FieldErrors = {};
        check.email(errors, data, 'email');
        if (!raw(data, 'password')) errors.password = msg('Enter your password.');
        return errors;
      },
      action: async (data) => {
        const response = await api.post<{ user: User }>('/auth/login', { email: text(data, 'email'), password: raw(data, 'password') });
        await this.services.signedIn(response.user, new URLSearchParams(window.location.search).get('next') ?? undefined);
      },
    });
  }
}
