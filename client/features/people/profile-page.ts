import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { newPasswordFields } from '../../app/form-fields.js';
import { localeOptions } from '../../app/form-options.js';
import { affiliationLabel, delegationLabel, formatDateTime, roleLabel } from '../../app/format.js';
import { check, FormController, raw, text, formAlert, submitButton } from '../../app/forms.js';
import { isUiLocale, languageName } from '../../app/i18n.js';
import type { User } from '../../app/models.js';
import { timeZoneOptions } from '../../app/time-zones.js';
import { fieldError } from '../../ui/field/field.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { loadCalendarSettings } from '../meetings/public.js';
import { peopleApi, type PendingEmailChange } from './people-api.js';

/** The signed-in person's own profile and preferences, their e-mail address and their password. */
export class CnProfilePage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: var(--cn-space-5);
        align-items: start;
      }

      .side {
        display: grid;
        gap: var(--cn-space-5);
      }

      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  private profileForm = new FormController(this);
  /** The calendar feed's settings are the meetings' element: its code comes on the first visit of this page. */
  private calendarSettings = new Resource(this, { load: () => loadCalendarSettings().then(() => true), args: () => [] });
  private passwordForm = new FormController(this);
  private emailForm = new FormController(this);
  /** The change just asked for: the link waits at the new address. */
  private pendingEmail: PendingEmailChange | null = null;

  protected override render() {
    const user = this.user;
    if (!user) return nothing;
    return html`
      <div class="page-header">
        <h1 tabindex="-1">${msg('Your profile')}</h1>
        <p class="lead">${msg('What the other participants see in the directory, and your preferences.')}</p>
      </div>
      <div class="layout">
        ${this.renderProfileForm(user)}
        <div class="side">
          ${this.renderAccount(user)} ${this.renderEmailForm(user)} ${this.renderPasswordForm()}
          ${this.calendarSettings.render({ loading: msg('Loading…'), complete: () => html`<cn-calendar-settings></cn-calendar-settings>` })}
        </div>
      </div>
    `;
  }

  private renderAccount(user: User) {
    const affiliation = affiliationLabel(user, this.services.countries, this.services.organizations);
    return html`
      <section class="card stack" aria-labelledby="account-heading">
        <h2 id="account-heading">${msg('Account')}</h2>
        <dl class="details stacked">
          <dt>${msg('E-mail')}</dt>
          <dd>${user.email}</dd>
          <dt>${msg('Role')}</dt>
          <dd>${roleLabel(user.role)}${user.delegationRole ? html` · ${delegationLabel(user.delegationRole)}` : nothing}</dd>
          ${affiliation ? html`<dt>${user.countryId ? msg('Country') : msg('Organization')}</dt><dd>${affiliation}</dd>` : nothing}
        </dl>
        <p class="small muted">${msg('An administrator can change your role or affiliation.')}</p>
      </section>
    `;
  }

  private renderProfileForm(user: User) {
    const form = this.profileForm;
    return html`
      <form class="card" novalidate aria-labelledby="profile-heading" @submit=${this.saveProfile}>
        <h2 id="profile-heading">${msg('Profile and preferences')}</h2>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('Your name')}</label>
          <input name="displayName" autocomplete="name" required maxlength="120" .value=${user.displayName} />
          ${fieldError(form.error('displayName'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Job title')} <span class="optional">${msg('(optional)')}</span></label>
          <input name="jobTitle" autocomplete="organization-title" maxlength="160" .value=${user.jobTitle} />
          <span slot="hint">${msg('e.g. "Head of the social statistics department"')}</span>
          ${fieldError(form.error('jobTitle'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('About you')} <span class="optional">${msg('(optional)')}</span></label>
          <textarea name="bio" maxlength="4000" rows="6" .value=${user.bio}></textarea>
          <span slot="hint">${msg('Your work and areas of expertise, in a few lines.')}</span>
          ${fieldError(form.error('bio'))}
        </cn-field>
        <div class="two-columns">
          <cn-field>
            <label slot="label">${msg('Language')}</label>
            <select name="locale">
              ${isUiLocale(user.locale) ? nothing : html`<option value=${user.locale} selected>${languageName(user.locale)}</option>`}
              ${localeOptions(user.locale)}
            </select>
            ${fieldError(form.error('locale'))}
          </cn-field>
          <cn-field>
            <label slot="label">${msg('Time zone')}</label>
            <select name="timeZone">${timeZoneOptions(user.timeZone)}</select>
            <span slot="hint">${msg('Dates and times are shown in this time zone.')}</span>
            ${fieldError(form.error('timeZone'))}
          </cn-field>
        </div>
        <div class="form-actions">
          ${submitButton(form, msg('Save the profile'), { pendingLabel: msg('Saving…') })}
        </div>
      </form>
    `;
  }

  private renderEmailForm(user: User) {
    const form = this.emailForm;
    const pending = this.pendingEmail;
    if (pending) {
      return html`
        <section class="card stack" aria-labelledby="email-heading">
          <h2 id="email-heading" tabindex="-1">${msg('Change your e-mail address')}</h2>
          <div class="alert alert-success" role="status">
            <p>${msg(html`We sent a link to <strong>${pending.pendingEmail}</strong>. Your address changes when you open it, before ${formatDateTime(pending.expiresAt, user.timeZone)}.`)}</p>
            <p>${msg(html`Until then, sign in and receive mail at <strong>${user.email}</strong>.`)}</p>
          </div>
          <div class="form-actions">
            <cn-button><button type="button" @click=${this.askAnotherAddress}>${msg('Use another address')}</button></cn-button>
          </div>
        </section>
      `;
    }
    return html`
      <form class="card" novalidate aria-labelledby="email-heading" @submit=${this.changeEmail}>
        <h2 id="email-heading">${msg('Change your e-mail address')}</h2>
        ${formAlert(form)}
        <cn-field>
          <label slot="label">${msg('New e-mail address')}</label>
          <input name="email" type="email" autocomplete="email" inputmode="email" required maxlength="254" />
          <span slot="hint">${msg('We send a link there; your address changes once you open it.')}</span>
          ${fieldError(form.error('email'))}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Current password')}</label>
          <input name="currentPassword" type="password" autocomplete="current-password" required />
          ${fieldError(form.error('currentPassword'))}
        </cn-field>
        <div class="form-actions">
          ${submitButton(form, msg('Send the confirmation link'), { pendingLabel: msg('Sending…'), variant: 'secondary' })}
        </div>
      </form>
    `;
  }

  private changeEmail(event: SubmitEvent) {
    return this.emailForm.submit(event, {
      validate: (data, errors) => {
        check.email(errors, data, 'email');
        if (!errors.email && text(data, 'email').toLowerCase() === this.user?.email.toLowerCase()) errors.email = msg('This is already your address.');
        if (!raw(data, 'currentPassword')) errors.currentPassword = msg('Enter your current password.');
      },
      action: async (data, form) => {
        this.pendingEmail = await peopleApi.requestEmailChange(text(data, 'email'), raw(data, 'currentPassword'));
        form.reset();
        this.requestUpdate();
        await this.updateComplete;
        // The form gave way to the status: focus moves to its heading, so keyboard and screen-reader users land on the news.
        this.renderRoot.querySelector<HTMLElement>('#email-heading')?.focus();
      },
    });
  }

  private askAnotherAddress() {
    this.pendingEmail = null;
    this.requestUpdate();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name=email]')?.focus());
  }

  private renderPasswordForm() {
    const form = this.passwordForm;
    return html`
      <form class="card" novalidate aria-labelledby="password-heading" @submit=${this.changePassword}>
        <h2 id="password-heading">${msg('Change your password')}</h2>
        ${formAlert(form)}
        <input type="email" name="username" autocomplete="username" value=${this.user?.email ?? ''} hidden />
        <cn-field>
          <label slot="label">${msg('Current password')}</label>
          <input name="currentPassword" type="password" autocomplete="current-password" required />
          ${fieldError(form.error('currentPassword'))}
        </cn-field>
        ${newPasswordFields(form, 'newPassword')}
        <p class="small muted">${msg('Your other sessions, on other devices, will be closed.')}</p>
        <div class="form-actions">
          ${submitButton(form, msg('Change the password'), { variant: 'secondary' })}
        </div>
      </form>
    `;
  }

  private saveProfile(event: SubmitEvent) {
    return this.profileForm.submit(event, {
      validate: (data, errors) => {
        check.required(errors, data, 'displayName');
      },
      action: async (data) => {
        const user = await peopleApi.updateMe({
          displayName: text(data, 'displayName'),
          jobTitle: text(data, 'jobTitle'),
          bio: text(data, 'bio'),
          locale: text(data, 'locale'),
          timeZone: text(data, 'timeZone'),
        });
        await this.services.userChanged(user);
        this.services.toast(msg('Your profile was saved.'), 'success');
      },
    });
  }

  private changePassword(event: SubmitEvent) {
    return this.passwordForm.submit(event, {
      validate: (data, errors) => {
        if (!raw(data, 'currentPassword')) errors.currentPassword = msg('Enter your current password.');
        check.newPassword(errors, data, 'newPassword');
        check.sameAs(errors, data, 'confirm', 'newPassword');
      },
      action: async (data, form) => {
        await peopleApi.changePassword(raw(data, 'currentPassword'), raw(data, 'newPassword'));
        form.reset();
        this.services.toast(msg('Your password was changed. Your other sessions were closed.'), 'success');
      },
    });
  }
}
