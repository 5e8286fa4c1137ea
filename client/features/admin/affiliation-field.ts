import { html } from 'lit';
import { msg } from '@lit/localize';
import { affiliationOptions, affiliationValue, countryOptions, organizationOptions, parseAffiliation } from '../../app/form-options.js';
import { text, type FieldErrors } from '../../app/forms.js';
import { affiliationRule, type Country, type Organization, type Role } from '../../app/models.js';
import { fieldError } from '../../ui/field/field.js';
import type { Affiliation } from './admin-api.js';

/**
 * The affiliation control a role calls for: a country for members, an organization for the
 * secretariat and observers, either or none for administrators and the coordinator.
 */
export function affiliationField(
  role: Role,
  current: { countryId: string | null; organizationId: string | null },
  lists: { countries: readonly Country[]; organizations: readonly Organization[] },
  errors: FieldErrors,
) {
  const rule = affiliationRule(role);
  if (rule === 'country') {
    return html`
      <cn-field>
        <label slot="label">${msg('Country')}</label>
        <select name="countryId" required>
          <option value="" ?selected=${!current.countryId}>${msg('Choose a country')}</option>
          ${countryOptions(lists.countries, current.countryId)}
        </select>
        ${fieldError(errors.countryId)}
      </cn-field>
    `;
  }
  if (rule === 'organization') {
    return html`
      <cn-field>
        <label slot="label">${msg('Organization')}</label>
        <select name="organizationId" required>
          <option value="" ?selected=${!current.organizationId}>${msg('Choose an organization')}</option>
          ${organizationOptions(lists.organizations, current.organizationId)}
        </select>
        ${fieldError(errors.organizationId)}
      </cn-field>
    `;
  }
  return html`
    <cn-field>
      <label slot="label">${msg('Country or organization')} <span class="optional">${msg('(optional)')}</span></label>
      <select name="affiliation">${affiliationOptions(lists.countries, lists.organizations, affiliationValue(current))}</select>
      ${fieldError(errors.affiliation)}
    </cn-field>
  `;
}

/** Reads the affiliation control back, and the problem if a required one is missing. */
export function readAffiliation(role: Role, data: FormData, errors: FieldErrors): Affiliation {
  const rule = affiliationRule(role);
  if (rule === 'country') {
    const countryId = text(data, 'countryId');
    if (!countryId) errors.countryId = msg('Choose the country this member represents.');
    return { countryId: countryId || null, organizationId: null };
  }
  if (rule === 'organization') {
    const organizationId = text(data, 'organizationId');
    if (!organizationId) errors.organizationId = msg('Choose the organization.');
    return { countryId: null, organizationId: organizationId || null };
  }
  return parseAffiliation(text(data, 'affiliation'));
}

export const AFFILIATION_ALIASES = { countryId: 'affiliation', organizationId: 'affiliation' };
