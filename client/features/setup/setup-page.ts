import { html } from 'lit';
import { msg, str } from '@lit/localize';
import { api, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { accountPasswordField, localeAndTimeZoneFields } from '../../app/form-fields.js';
import { affiliationOptions, parseAffiliation } from '../../app/form-options.js';
import { check, FormController, PASSWORD_MIN_LENGTH, raw, text, formAlert, submitButton } from '../../app/forms.js';
import { currentLocale } from '../../app/i18n.js';
import type { User } from '../../app/models.js';
import { browserTimeZone } from '../../app/time-zones.js';
import { fieldError } from '../../ui/field/field.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';

/**
 * First run: creates the working group and its first administrator, who is then signed in.
 * Only reachable while GET /api/setup says it is needed.
 */
export class CnSetupPage extends AppElement {
  static override styles = [baseStyles, pageStyles];

  private form = new FormController(this);
  private readonly defaultTimeZone = browserTimeZone();
  private readonly defaultLocale = currentLocale();

  protected override render() {
    const form = this.form;
    return html`
      <div class="narrow">
        <div class="page-header">
          <h1 tabindex="-1">${msg('Set up Concilia')}</h1>
          <p class="lead">${msg('Create the working group and your administrator account. You will invite the participants next.')}</p>
        </div>
        <form class="card" novalidate @submit=${this.submit}>
          ${formAlert(form)}
          <fieldset>
            <legend>${msg('Working group')}</legend>
            <cn-field>
              <label slot="label">${msg('Name of the group')}</label>
              <input name="groupName" autocomplete="organization" required minlength="3" maxlength="160" />
              <span slot="hint">${msg('As the participants know it, e.g. "Statistical working group on the development goals".')}</span>
              ${fieldError(form.error('groupName'))}
            </cn-field>
          </fieldset>
          <fieldset>
            <legend>${msg('Your administrator account')}</legend>
            <cn-field>
              <label slot="label">${msg('Your name')}</label>
              <input name="displayName" autocomplete="name" required maxlength="120" />
              ${fieldError(form.error('displayName'))}
            </cn-field>
            <cn-field>
              <label slot="label">${msg('E-mail')}</label>
              <input name="email" type="email" autocomplete="username" required maxlength="254" spellcheck="false" />
              ${fieldError(form.error('email'))}
            </cn-field>
            ${accountPasswordField(form, msg(str`At least ${PASSWORD_MIN_LENGTH} characters. A short sentence is easy to remember and hard to guess.`))}
            <cn-field>
              <label slot="label">${msg('Affiliation')} <span class="optional">${msg('(optional)')}</span></label>
              <select name="affiliation">${affiliationOptions(this.services.countries, this.services.organizations, '')}</select>
              <span slot="hint">${msg('The organization or country you work for, shown in the directory.')}</span>
              ${fieldError(form.error('affiliation'))}
            </cn-field>
            ${localeAndTimeZoneFields(form, this.defaultLocale, this.defaultTimeZone)}
          </fieldset>
          <div class="form-actions">
            ${submitButton(form, msg('Create the group'), { pendingLabel: msg('Creating the group…') })}
          </div>
        </form>
      </div>
    `;
  }

  private submit(event: SubmitEvent) {
    return this.form.submit(event, {
      fieldAliases: { countryId: 'affiliation', organizationId: 'affiliation' },
      validate: (data, errors) => {
        if (text(data, 'groupName').length < 3) errors.groupName = msg('Enter the name of the group (at least 3 characters).');
        check.required(errors, data, 'displayName');
        check.email(errors, data, 'email');
        check.newPassword(errors, data, 'password');
      },
      action: async (data) => {
        const response = await api
          .post<{ user: User }>('/setup', {
          groupName: text(data, 'groupName'),
          displayName: text(data, 'displayName'),
          email: text(data, 'email'),
          password: raw(data, 'password'),
          locale: text(data, 'locale'),
          timeZone: text(data, 'timeZone'),
          ...parseAffiliation(text(data, 'affiliation')),
          })
          .catch((error: unknown) => {
            if (isApiError(error) && error.code === 'already_set_up') {
              // Someone finished the set-up meanwhile: a fresh start of the app leads to the sign-in page.
              window.location.replace('/login');
              return null;
            }
            throw error;
          });
        if (!response) return;
        await this.services.signedIn(response.user);
        this.services.toast(msg('The group is ready. Now invite the participants.'), 'success');
      },
    });
  }
}
