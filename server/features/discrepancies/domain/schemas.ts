import { Type, type Static, type TSchema } from 'typebox';
import { LOCATIONS, NATURES, OBS_STATUSES, SEXES } from './codes.js';

/**
 * TypeBox schemas of what the discrepancy register sends to the client, starting with the series a
 * case page charts. Kept next to the domain so that the routes, the OpenAPI document and the client
 * share one definition.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Year = Type.Integer({ minimum: 1900, maximum: 2100 });

export const DisaggregationSchema = Type.Object(
  {
    sex: Type.Enum([...SEXES.codes]),
    age: Type.String({ minLength: 1, maxLength: 40 }),
    location: Type.Enum([...LOCATIONS.codes]),
    /** Further dimensions, e.g. { "educationlevel": "PRIMAR" }. */
    other: Type.Record(Type.String({ pattern: '^[a-z0-9]+$' }), Type.String({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const BreakReasonSchema = Type.Enum(['gap', 'series_break', 'source_changed'], {
  description: 'Why the line is broken before this point: years missing, a break the source flags (OBS_STATUS B), or a change of source type.',
});

export const SeriesPointSchema = Type.Object(
  {
    year: Year,
    /** In the series' unit, at its unit multiplier. */
    value: Type.Number(),
    qualifier: Nullable(Type.Enum(['<', '<=', '>', '>='])),
    lowerBound: Nullable(Type.Number()),
    upperBound: Nullable(Type.Number()),
    /** Nature of an international value (C, CA, E, M, G); null on the national side. */
    nature: Nullable(Type.Enum([...NATURES.codes])),
    obsStatus: Nullable(Type.Enum([...OBS_STATUSES.codes])),
    breakBefore: Nullable(BreakReasonSchema),
    source: Nullable(Type.String()),
    footnote: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type SeriesPoint = Static<typeof SeriesPointSchema>;

export const CaseSeriesSchema = Type.Object(
  {
    series: Type.String({ minLength: 1, maxLength: 60 }),
    indicator: Nullable(Type.String()),
    /** ISO 3166-1 alpha-3. */
    country: Type.String({ pattern: '^[A-Z]{3}$' }),
    disaggregation: DisaggregationSchema,
    /** The unit every value is stated in; null when there is no value at all. */
    unit: Nullable(
      Type.Object(
        {
          code: Type.String({ minLength: 1 }),
          unitMult: Type.Integer(),
          label: Type.Object({ en: Type.String(), es: Type.String() }, { additionalProperties: false }),
        },
        { additionalProperties: false },
      ),
    ),
    /** The year of the case the chart is drawn for, to be highlighted. */
    caseYear: Nullable(Year),
    years: Nullable(Type.Object({ from: Year, to: Year }, { additionalProperties: false })),
    national: Type.Array(SeriesPointSchema),
    international: Type.Array(SeriesPointSchema),
    /** Values left out because they are stated in a unit that cannot be set beside the others. */
    excluded: Type.Array(
      Type.Object(
        {
          side: Type.Enum(['national', 'international']),
          year: Year,
          unit: Type.String(),
          unitMult: Type.Integer(),
          reason: Type.Enum(['different_units', 'unit_mult_not_applicable', 'unknown_unit']),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'A case’s national and international values over the years, for its chart.' },
);
export type CaseSeries = Static<typeof CaseSeriesSchema>;
