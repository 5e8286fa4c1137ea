import { html, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { fieldError } from '../ui/field/field.js';
import { localeOptions } from './form-options.js';
import { PASSWORD_MIN_LENGTH, type FormController } from './forms.js';
import { timeZoneOptions } from './time-zones.js';

/**
 * Groups of <cn-field>s that several forms show alike, with their errors wired to `form`.
 * They rely on pageStyles (for .two-columns).
 */

/** The e-mail address an account signs in with ("email"), as the sign-in and forgotten-password forms ask for it. */
export const accountEmailField = (form: FormController) => html`
  <cn-field>
    <label slot="label">${msg('E-mail')}</label>
    <input name="email" type="email" autocomplete="username" required spellcheck="false" />
    ${fieldError(form.error('email'))}
  </cn-field>
`;

/** The password of a new account ("password"), with the form's own hint. */
export const accountPasswordField = (form: FormController, hint: string) => html`
  <cn-field>
    <label slot="label">${msg('Password')}</label>
    <input name="password" type="password" autocomplete="new-password" required minlength=${PASSWORD_MIN_LENGTH} maxlength="256" />
    <span slot="hint">${hint}</span>
    ${fieldError(form.error('password'))}
  </cn-field>
`;

/** A new password (named `name`) and its repetition ("confirm"), checked with check.newPassword and check.sameAs. */
export const newPasswordFields = (form: FormController, name: string): TemplateResult => html`
  <cn-field>
    <label slot="label">${msg('New password')}</label>
    <input name=${name} type="password" autocomplete="new-password" required minlength=${PASSWORD_MIN_LENGTH} />
    <span slot="hint">${msg(str`At least ${PASSWORD_MIN_LENGTH} characters.`)}</span>
    ${fieldError(form.error(name))}
  </cn-field>
  <cn-field>
    <label slot="label">${msg('Repeat the new password')}</label>
    <input name="confirm" type="password" autocomplete="new-password" required />
    ${fieldError(form.error('confirm'))}
  </cn-field>
`;

/** "Language" and "Time zone" side by side ("locale", "timeZone"), preselecting the given values. */
export const localeAndTimeZoneFields = (form: FormController, locale: string, timeZone: string) => html`
  <div class="two-columns">
    <cn-field>
      <label slot="label">${msg('Language')}</label>
      <select name="locale">${localeOptions(locale)}</select>
      ${fieldError(form.error('locale'))}
    </cn-field>
    <cn-field>
      <label slot="label">${msg('Time zone')}</label>
      <select name="timeZone">${timeZoneOptions(timeZone)}</select>
      ${fieldError(form.error('timeZone'))}
    </cn-field>
  </div>
`;
