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

const IndicatorTitle = Type.Object({ en: Type.String(), es: Type.String() });

/** The official MDG list: goals, their targets, and each target's indicators. */
export const IndicatorCatalogueSchema = Type.Object({
  goals: Type.Array(
    Type.Object({
      code: Type.String(),
      title: IndicatorTitle,
      targets: Type.Array(Type.Object({ code: Type.String(), title: IndicatorTitle, indicators: Type.Array(Type.Object({ code: Type.String(), title: IndicatorTitle })) })),
    }),
  ),
});
