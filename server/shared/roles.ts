export const ROLES = ['admin', 'coordinator', 'secretariat', 'member', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Members speak for a country; secretariat and observers for an organization; admins and the coordinator may have either. */
export function affiliationRule(role: Role): 'country' | 'organization' | 'either' {
  if (role === 'member') return 'country';
  if (role === 'secretariat' || role === 'observer') return 'organization';
  return 'either';
}

export const LOCALES = ['es', 'en', 'pt', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
