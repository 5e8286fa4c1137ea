import { countryCodes } from './country-codes.js';
import { knownIndicatorCodes } from './indicators.js';
import type { ReferenceService } from './public.js';
import type { ReferenceRepository } from './repository.js';

/** `fastify.reference`: the repository's cached lists, and the indicator catalogue's check. */
export function referenceService(repository: ReferenceRepository): ReferenceService {
  return {
    listCountries: () => repository.listCountries(),
    listOrganizations: () => repository.listOrganizations(),
    findCountry: (id) => repository.findCountry(id),
    findOrganization: (id) => repository.findOrganization(id),
    knownIndicatorCodes,
    countryCodes: () => countryCodes,
  };
}
