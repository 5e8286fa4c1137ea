import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { api, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

/** Opened from the link mailed to a new address: confirming it makes it the account's address. */
export class CnConfirmEmailPage extends AppElement {
  static override styles = [baseStyles, pageStyles];

  static override properties = { token: {}, confirmed: { state: true }, failure: { state: true }, pending: { state: true } };

  declare token: string;
  declare private confirmed: string | null;
  declare private failure: unknown;
  declare private pending: boolean;

  private info = new Resource(this, {
    args: () => [this.token] as const,
    load: ([token], signal) => api.get<{ email: string }>(`/auth/email-changes/${encodeURIComponent(token)}`, { signal }),
  });

  constructor() {
    super();
    this.token = '';
    this.confirmed = null;
    this.failure = null;
    this.pending = false;
  }

  protected override render() {
    return html`
      <div class="narrow">
        <div class="page-header"><h1 tabindex="-1">${msg('Confirm your new e-mail address')}</h1></div>
        ${this.confirmed !== null
          ? html`<div class="card stack">
              <p class="alert alert-success" role="status">${msg(str`Done: your account's address is now ${this.confirmed}. Sign in with it from now on.`)}</p>
              <p><a href="/">${msg('Go to Concilia')}</a></p>
            </div>`
          : this.info.render({
              loading: msg('Checking the link…'),
              complete: (info) => this.renderConfirm(info.email),
              failure: (error) => this.failureView(error),
            })}
      </div>
    `;
  }

  /** A link that cannot work any more says so, with nothing to try again; anything else is the server's explanation and "Try again". */
  private failureView(error: unknown) {
    const invalid = isApiError(error) && (error.status === 410 || error.status === 404 || error.status === 400);
    return invalid ? { message: msg('This confirmation link has expired or was already used. Ask for the change again from your profile.'), retry: false } : null;
  }

  private renderConfirm(email: string) {
    return html`<div class="card stack">
      ${this.failure ? html`<p class="alert alert-error" role="alert">${describeError(this.failure)}</p>` : ''}
      <p>${msg(str`Concilia will write to ${email} and you will sign in with it.`)}</p>
      <p>
        <cn-button variant="primary" ?loading=${this.pending}>
          <button type="button" @click=${this.confirm}>${msg('Confirm this address')}</button>
        </cn-button>
      </p>
    </div>`;
  }

  private async confirm() {
    if (this.pending) return;
    this.pending = true;
    try {
      const done = await api.post<{ email: string }>(`/auth/email-changes/${encodeURIComponent(this.token)}`, {});
      this.confirmed = done.email;
    } catch (error) {
      this.failure = error;
    } finally {
      this.pending = false;
    }
  }
}
