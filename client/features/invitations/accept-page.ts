import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { api, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { accountPasswordField, localeAndTimeZoneFields } from '../../app/form-fields.js';
import { affiliationLabel, formatDateTime, roleLabel, sentence } from '../../app/format.js';
import { check, FormController, PASSWORD_MIN_LENGTH, raw, text, formAlert, submitButton } from '../../app/forms.js';
import { currentLocale } from '../../app/i18n.js';
import type { InvitationPreview, User } from '../../app/models.js';
import { browserTimeZone } from '../../app/time-zones.js';
import { fieldError } from '../../ui/field/field.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

/** Opened from an invitation link: shows what it offers and creates the account. */
export class CnAcceptInvitationPage extends AppElement {
  static override styles = [baseStyles, pageStyles];

  static override properties = { token: {} };

  declare token: string;

  private form = new FormController(this);
  private readonly defaultTimeZone = browserTimeZone();
  private readonly defaultLocale = currentLocale();

  private preview = new Resource(this, {
    load: ([token], signal) => api.get<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`, { signal }),
    args: () => [this.token] as const,
  });

  constructor() {
    super();
    this.token = '';
  }

  protected override render() {
    return html`
      <div class="narrow">
        ${this.preview.failed
          ? this.renderError(this.preview.error)
          : this.preview.value
            ? this.preview.value.existingAccount
              ? this.renderJoin(this.preview.value)
              : this.renderForm(this.preview.value)
            : html`<div class="page-header"><h1 tabindex="-1">${msg('Invitation')}</h1></div>
                ${this.preview.renderLoading(msg('Checking the invitation…'))}`}
      </div>
    `;
  }

  private renderError(error: unknown) {
    let message = describeError(error);
    let unusable = false;
    if (isApiError(error) && (error.status === 404 || error.status === 400)) {
      message = msg('This invitation link is not valid. Check that you opened the whole link from the message you received.');
      unusable = true;
    } else if (isApiError(error) && error.status === 410) {
      unusable = true;
    }
    return html`
      <div class="page-header"><h1 tabindex="-1">${msg('This invitation cannot be used')}</h1></div>
      ${this.preview.renderFailure({ message, retry: !unusable, next: unusable ? html`<p><a href="/login">${msg('Go to the sign-in page')}</a></p>` : undefined })}
    `;
  }

  private renderHeader(invitation: InvitationPreview) {
    const affiliation = affiliationLabel(invitation, this.services.countries, this.services.organizations);
    const role = roleLabel(invitation.role);
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg(str`Join ${invitation.groupName}`)}</h1>
        <p class="lead">
          ${affiliation ? msg(str`You are invited as ${role} for ${affiliation}.`) : msg(str`You are invited as ${role}.`)}
          ${sentence(msg(str`The invitation is valid until ${formatDateTime(invitation.expiresAt, this.defaultTimeZone)}.`))}
        </p>
      </div>
    `;
  }

  /** The address already has an account (in another group): its owner joins with it, signed in. */
  private renderJoin(invitation: InvitationPreview) {
    const user = this.user;
    const here = `/invitation/${encodeURIComponent(this.token)}`;
    if (!user) {
      return html`${this.renderHeader(invitation)}
        <p class="alert alert-info">${msg(str`${invitation.email} already has a Concilia account. Sign in with it to join this group.`)}</p>
        <p><a href=${`/login?next=${encodeURIComponent(here)}`}>${msg('Sign in to join')}</a></p>`;
    }
    if (user.email !== invitation.email) {
      return html`${this.renderHeader(invitation)}
        <p class="alert alert-info">${msg(str`This invitation is for ${invitation.email}, and you are signed in as ${user.email}. Sign out, then sign in with that address to join.`)}</p>`;
    }
    return html`${this.renderHeader(invitation)}
      <form class="card" novalidate @submit=${(event: SubmitEvent) => this.join(event)}>
        ${formAlert(this.form)}
        <p>${msg(str`You will find ${invitation.groupName} beside your other groups, in the header's group menu.`)}</p>
        <div class="form-actions">${submitButton(this.form, msg('Join the group'), { pendingLabel: msg('Joining…') })}</div>
      </form>`;
  }

  private join(event: SubmitEvent) {
    return this.form.submit(event, {
      action: async () => {
        const response = await api.post<{ user: User }>(`/invitations/${encodeURIComponent(this.token)}/join`, {});
        await this.services.signedIn(response.user, `/g/${encodeURIComponent(response.user.groupSlug)}/`);
        this.services.toast(msg(str`You have joined ${response.user.groupName}.`), 'success');
      },
    });
  }

  private renderForm(invitation: InvitationPreview) {
    const form = this.form;
    const user = this.user;
    return html`
      ${this.renderHeader(invitation)}
      ${user
        ? html`<p class="alert alert-info">${msg(str`You are signed in as ${user.displayName}. Accepting creates a new account and signs you in with it.`)}</p>`
        : nothing}
      <form class="card" novalidate @submit=${(event: SubmitEvent) => this.submit(event)}>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('E-mail')}</label>
          <input name="email" type="email" autocomplete="username" readonly .value=${invitation.email} />
          <span slot="hint">${msg('You will sign in with this address.')}</span>
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Your name')}</label>
          <input name="displayName" autocomplete="name" required maxlength="120" />
          <span slot="hint">${msg('As the other participants will see it, e.g. "María Pérez".')}</span>
          ${fieldError(form.error('displayName'))}
        </cn-field>
        ${accountPasswordField(form, msg(str`At least ${PASSWORD_MIN_LENGTH} characters.`))}
        ${localeAndTimeZoneFields(form, this.defaultLocale, this.defaultTimeZone)}
        <div class="form-actions">
          ${submitButton(form, msg('Accept and join'), { pendingLabel: msg('Creating your account…') })}
        </div>
      </form>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      validate: (data, errors) => {
        check.required(errors, data, 'displayName');
        check.newPassword(errors, data, 'password');
      },
      action: async (data) => {
        const response = await api.post<{ user: User }>(`/invitations/${encodeURIComponent(this.token)}/accept`, {
          displayName: text(data, 'displayName'),
          password: raw(data, 'password'),
          locale: text(data, 'locale'),
          timeZone: text(data, 'timeZone'),
        });
        await this.services.signedIn(response.user);
        this.services.toast(msg('Welcome! Your account is ready.'), 'success');
      },
    });
  }
}
