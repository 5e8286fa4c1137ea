import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { api, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { newPasswordFields } from '../../app/form-fields.js';
import { check, FormController, raw, type FieldErrors } from '../../app/forms.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

interface ResetInfo {
  email: string;
  displayName: string;
}

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

  private info = new Task(this, {
    task: ([token], { signal }) => api.get<ResetInfo>(`/auth/password-resets/${encodeURIComponent(token)}`, { signal }),
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
              initial: () => this.renderLoading(),
              pending: () => this.renderLoading(),
              complete: (info) => this.renderForm(info),
              error: (error) => this.renderError(error),
            })}
      </div>
    `;
  }

  private renderLoading() {
    return html`<div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Checking the link…')}</div>`;
  }

  private renderError(error: unknown) {
    const invalid = isApiError(error) && (error.status === 410 || error.status === 404 || error.status === 400);
    return html`
      <div class="card stack">
        <p class="alert alert-error" role="alert">
          ${invalid ? msg('This password reset link has expired or was already used. Ask for a new one.') : describeError(error)}
        </p>
        ${invalid
          ? html`<p><a href="/forgot-password">${msg('Send me a new link')}</a> · <a href="/login">${msg('Go to the sign-in page')}</a></p>`
          : html`<p><cn-button><button type="button" @click=${() => this.info.run()}>${msg('Try again')}</button></cn-button></p>`}
      </div>
    `;
  }

  private renderForm(info: ResetInfo) {
    const form = this.form;
    return html`
      <form class="card" novalidate @submit=${this.submit}>
        <p>${msg(str`For ${info.displayName} (${info.email}).`)}</p>
        ${form.message ? html`<div class="alert alert-error" role="alert">${form.message}</div>` : nothing}
        <input type="email" name="username" autocomplete="username" .value=${info.email} hidden />
        ${newPasswordFields(form, 'password')}
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${form.pending}>
            <button type="submit" aria-disabled=${form.pending ? 'true' : 'false'}>${msg('Save the new password')}</button>
          </cn-button>
        </div>
      </form>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      validate: (data) => {
        const errors: FieldErrors = {};
        check.newPassword(errors, data, 'password');
        check.sameAs(errors, data, 'confirm', 'password');
        return errors;
      },
      action: async (data) => {
        await api.post(`/auth/password-resets/${encodeURIComponent(this.token)}`, { password: raw(data, 'password') });
        this.done = true;
      },
    });
  }
}
