import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { api, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { newPasswordFields } from '../../app/form-fields.js';
import { check, FormController, raw, formAlert, submitButton } from '../../app/forms.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import type { Static } from 'typebox';
import type { ResetInfo as ResetInfoSchema } from '../../../server/features/auth/schemas.js';

type ResetInfo = Static<typeof ResetInfoSchema>;

/** Opened from a single-use link (mailed on request, or made by an administrator): sets a new password. */
export class CnResetPasswordPage extends AppElement {
  static override styles = [baseStyles, pageStyles];

  static override properties = {
    token: {},
    done: { state: true },
  };

  declare token: string;
  declare private done: boolean;

  private form = new FormController(this);

  private info = new Resource(this, {
    load: ([token], signal) => api.get<ResetInfo>(`/auth/password-resets/${encodeURIComponent(token)}`, { signal }),
    args: () => [this.token] as const,
  });

  constructor() {
    super();
    this.token = '';
    this.done = false;
  }

  protected override render() {
    return html`
      <div class="narrow">
        <div class="page-header">
          <h1 tabindex="-1">${msg('Choose a new password')}</h1>
        </div>
        ${this.done
          ? html`
              <div class="card stack">
                <p class="alert alert-success" role="status">${msg('Your password was changed. Every session of your account was closed.')}</p>
                <p><cn-button variant="primary"><a href="/login">${msg('Sign in with the new password')}</a></cn-button></p>
              </div>
            `
          : this.info.render({
              loading: msg('Checking the link…'),
              complete: (info) => this.renderForm(info),
              failure: (error) =>
                isApiError(error) && (error.status === 410 || error.status === 404 || error.status === 400)
                  ? {
                      message: msg('This password reset link has expired or was already used. Ask for a new one.'),
                      retry: false,
                      next: html`<p><a href="/forgot-password">${msg('Send me a new link')}</a> · <a href="/login">${msg('Go to the sign-in page')}</a></p>`,
                    }
                  : null,
            })}
      </div>
    `;
  }

  private renderForm(info: ResetInfo) {
    const form = this.form;
    return html`
      <form class="card" novalidate @submit=${this.submit}>
        <p>${msg(str`For ${info.displayName} (${info.email}).`)}</p>
        ${formAlert(form)}
        <input type="email" name="username" autocomplete="username" .value=${info.email} hidden />
        ${newPasswordFields(form, 'password')}
        <div class="form-actions">
          ${submitButton(form, msg('Save the new password'))}
        </div>
      </form>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      validate: (data, errors) => {
        check.newPassword(errors, data, 'password');
        check.sameAs(errors, data, 'confirm', 'password');
      },
      action: async (data) => {
        await api.post(`/auth/password-resets/${encodeURIComponent(this.token)}`, { password: raw(data, 'password') });
        this.done = true;
      },
    });
  }
}
