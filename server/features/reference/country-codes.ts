import m49File from './m49.json' with { type: 'json' };

/**
 * The group's 33 countries under their three codes: ISO 3166-1 alpha-2 and alpha-3, and UN M49
 * (which UNSD's SDG exports use as GeoAreaCode). Importers receive this table rather than reading
 * the file, so a test or another group can hand them a different one.
 */
export interface CountryCode {
  iso2: string;
  iso3: string;
  /** Three digits, as in the standard: "076". */
  m49: string;
  name: { en: string; es: string };
}

export interface CountryResolver {
  /** "76", "076" → Brazil; null for an area outside the group or a malformed code. */
  fromM49(code: string): CountryCode | null;
  fromIso3(code: string): CountryCode | null;
  fromIso2(code: string): CountryCode | null;
  /** Any of the three codes, in any case. */
  resolve(code: string): CountryCode | null;
}

export function countryResolver(list: readonly CountryCode[]): CountryResolver {
  const byM49 = new Map(list.map((c) => [c.m49, c]));
  const byIso3 = new Map(list.map((c) => [c.iso3, c]));
  const byIso2 = new Map(list.map((c) => [c.iso2, c]));
  const fromM49 = (code: string) => {
    const trimmed = code.trim();
    if (!/^\d{1,3}$/.test(trimmed)) return null;
    return byM49.get(trimmed.padStart(3, '0')) ?? null;
  };
  const fromIso3 = (code: string) => byIso3.get(code.trim().toUpperCase()) ?? null;
  const fromIso2 = (code: string) => byIso2.get(code.trim().toUpperCase()) ?? null;
  return {
    fromM49,
    fromIso3,
    fromIso2,
    resolve(code) {
      const trimmed = code.trim();
      if (/^\d{1,3}$/.test(trimmed)) return fromM49(trimmed);
      if (trimmed.length === 3) return fromIso3(trimmed);
      if (trimmed.length === 2) return fromIso2(trimmed);
      return null;
    },
  };
}

export const countryCodes: CountryResolver = countryResolver(m49File.countries);
