import { badRequest } from '../../shared/errors.js';
import { affiliationRule, type Role } from '../../shared/roles.js';
import type { ReferenceService } from '../reference/public.js';
import type { Affiliation } from './public.js';

/**
 * A member speaks for a country, the secretariat and observers for an organization;
 * admins and the coordinator may have one or the other. Returns the normalized pair.
 */
export async function checkAffiliation(
  reference: ReferenceService,
  role: Role,
  requested: { countryId?: string | null; organizationId?: string | null },
): Promise<Affiliation> {
  const countryId = requested.countryId?.toLowerCase() || null;
  const organizationId = requested.organizationId || null;
  if (countryId && !(await reference.findCountry(countryId))) {
    throw badRequest('unknown_country', `Unknown country "${countryId}".`, [{ field: 'countryId', message: 'is not an ECLAC member country' }]);
  }
  if (organizationId && !(await reference.findOrganization(organizationId))) {
    throw badRequest('unknown_organization', `Unknown organization "${organizationId}".`, [{ field: 'organizationId', message: 'is not a known organization' }]);
  }
  if (countryId && organizationId) {
    throw badRequest('ambiguous_affiliation', 'Choose a country or an organization, not both.', [{ field: 'organizationId', message: 'must be empty when a country is given' }]);
  }
  const rule = affiliationRule(role);
  if (rule === 'country' && !countryId) {
    throw badRequest('country_required', 'A member must belong to a country.', [{ field: 'countryId', message: 'is required for members' }]);
  }
  if (rule === 'organization' && !organizationId) {
    throw badRequest('organization_required', `The ${role} role needs an organization.`, [{ field: 'organizationId', message: `is required for ${role}` }]);
  }
  return { countryId, organizationId };
}
