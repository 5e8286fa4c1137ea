import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { compareText, countryName, organizationAcronym, organizationName, roleLabel } from './format.js';
import { LANGUAGE_NAMES, UI_LOCALES } from './i18n.js';
import type { Country, Organization, Role } from './models.js';

/** <option>s shared by several forms, labelled in the interface language. */

export const localeOptions = (selected: string) =>
  UI_LOCALES.map((locale) => html`<option value=${locale} lang=${locale} ?selected=${locale === selected}>${LANGUAGE_NAMES[locale]}</option>`);

export function countryOptions(countries: readonly Country[], selected: string | null, valuePrefix = '') {
  return [...countries]
    .sort((a, b) => compareText(countryName(a), countryName(b)))
    .map((country) => html`<option value=${valuePrefix + country.id} ?selected=${valuePrefix + country.id === selected}>${countryName(country)}</option>`);
}

/** A list filter on one country ("countryId"), every country first: `label` says which country of the item it is. */
export const countryFilter = (label: string, countries: readonly Country[], selected: string | undefined) => html`
  <div class="control">
    <label for="countryId">${label}</label>
    <select id="countryId" name="countryId">
      <option value="">${msg('All countries')}</option>
      ${countryOptions(countries, selected ?? null)}
    </select>
  </div>
`;

export function organizationOptions(organizations: readonly Organization[], selected: string | null, valuePrefix = '') {
  return [...organizations]
    .sort((a, b) => compareText(organizationAcronym(a), organizationAcronym(b)))
    .map(
      (organization) =>
        html`<option value=${valuePrefix + organization.id} ?selected=${valuePrefix + organization.id === selected}>
          ${organizationAcronym(organization)} — ${organizationName(organization)}
        </option>`,
    );
}

export const roleOptions = (roles: readonly Role[], selected: string) =>
  roles.map((role) => html`<option value=${role} ?selected=${role === selected}>${roleLabel(role)}</option>`);

/**
 * One <select> for "a country, an organization or neither", as administrators and the
 * coordinator may have either. Values are "country:cl" / "organization:eclac" / "".
 */
export function affiliationOptions(countries: readonly Country[], organizations: readonly Organization[], selected: string, allowNone = true) {
  return html`
    ${allowNone ? html`<option value="" ?selected=${selected === ''}>${msg('None')}</option>` : nothing}
    <optgroup label=${msg('Organizations')}>${organizationOptions(organizations, selected, 'organization:')}</optgroup>
    <optgroup label=${msg('Countries')}>${countryOptions(countries, selected, 'country:')}</optgroup>
  `;
}

/** Reads an affiliationOptions value back into the API's pair. */
export function parseAffiliation(value: string): { countryId: string | null; organizationId: string | null } {
  if (value.startsWith('country:')) return { countryId: value.slice('country:'.length), organizationId: null };
  if (value.startsWith('organization:')) return { countryId: null, organizationId: value.slice('organization:'.length) };
  return { countryId: null, organizationId: null };
}

export const affiliationValue = (person: { countryId: string | null; organizationId: string | null }) =>
  person.countryId ? `country:${person.countryId}` : person.organizationId ? `organization:${person.organizationId}` : '';
