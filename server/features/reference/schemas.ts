import { Type } from 'typebox';

export const CountrySchema = Type.Object(
  {
    id: Type.String(),
    iso2: Type.String(),
    iso3: Type.String(),
    nameEn: Type.String(),
    nameEs: Type.String(),
    language: Type.String(),
    timeZone: Type.String(),
    capitalEn: Type.String(),
    capitalEs: Type.String(),
  },
);

export const OrganizationSchema = Type.Object(
  {
    id: Type.String(),
    acronymEn: Type.String(),
    acronymEs: Type.String(),
    nameEn: Type.String(),
    nameEs: Type.String(),
  },
);
