import { Type, type Static } from 'typebox';
import { SDG_LIST_COLUMNS } from './domain/sdg-csv.js';
import { FRAMEWORK_KINDS, CROSSWALK_RELATIONS } from './tables.js';

/** The catalogue's request and response shapes (docs/indicators-api.md). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const BilingualSchema = Type.Object({ en: Type.String(), es: Type.String() });
const BilingualInput = Type.Object({ en: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }), es: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) });
const OptionalBilingualInput = Type.Object({ en: Type.String({ maxLength: 1000 }), es: Type.String({ maxLength: 1000 }) });

export const FAMILY_PATTERN = '^[A-Z][A-Z0-9-]{1,19}$';
export const VERSION_ID_PATTERN = '^[a-z][a-z0-9-]{1,39}$';
const CODE_PATTERN = '^[0-9A-Za-z]{1,6}(\\.[0-9A-Za-z]{1,6}){0,3}$';
export const FamilySchema = Type.String({ pattern: FAMILY_PATTERN, maxLength: 20, description: 'A framework family: MDG, SDG, or a regional list’s code (upper case)' });
export const VersionIdSchema = Type.String({ pattern: VERSION_ID_PATTERN, maxLength: 40, description: 'A framework version: mdg-2008, sdg-2025' });
export const CodeSchema = Type.String({ pattern: CODE_PATTERN, maxLength: 30 });

export const VersionSummarySchema = Type.Object({
  id: Type.String(),
  frameworkId: Type.String(),
  version: Type.String(),
  title: BilingualSchema,
  effectiveDate: Nullable(Type.String()),
  goalCount: Type.Integer(),
  targetCount: Type.Integer(),
  indicatorCount: Type.Integer(),
});
export const FrameworkSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...FRAMEWORK_KINDS]),
  title: BilingualSchema,
  versions: Type.Array(VersionSummarySchema),
});
export const FrameworkListSchema = Type.Object({ items: Type.Array(FrameworkSchema) });

export const IndicatorSummarySchema = Type.Object({
  /** `<version id>:<code>`. */
  id: Type.String(),
  /** How tags name it: the code alone for the MDG list of 2008, the id otherwise. */
  ref: Type.String(),
  versionId: Type.String(),
  code: Type.String(),
  goal: Type.String(),
  targets: Type.Array(Type.String()),
  title: BilingualSchema,
  tier: Nullable(Type.String()),
  custodians: Type.Array(Type.String()),
  unit: Nullable(Type.String()),
  seriesCodes: Type.Array(Type.String()),
  group: Nullable(BilingualSchema),
  complementary: Type.Boolean(),
  /** Things tagged with it that the reader may read. */
  count: Type.Integer(),
});
export type IndicatorSummary = Static<typeof IndicatorSummarySchema>;

export const CatalogueQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words or a code: indicators whose code or title (either language) hold them' })),
});
export const CatalogueSchema = Type.Object({
  version: VersionSummarySchema,
  framework: Type.Object({ id: Type.String(), kind: Type.Enum([...FRAMEWORK_KINDS]), title: BilingualSchema }),
  goals: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Nullable(BilingualSchema),
      /** Things tagged with the goal's indicators (each thing once) that the reader may read. */
      count: Type.Integer(),
      targets: Type.Array(
        Type.Object({
          code: Type.String(),
          title: Nullable(BilingualSchema),
          count: Type.Integer(),
          /** Indicators that serve the target; one listed under an earlier target too has `sharedWith` that target. */
          indicators: Type.Array(Type.Object({ ...IndicatorSummarySchema.properties, sharedWith: Nullable(Type.String()) })),
        }),
      ),
    }),
  ),
  /** Indicators shown (all, or those matching q). */
  shown: Type.Integer(),
});

export const SubjectSummarySchema = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  title: Type.String(),
  href: Type.String(),
  /** What the subject's own feature shows under its title, when it has something (a thread's pinned outcome). */
  summary: Type.Optional(Type.String()),
  /** Its state as one lower-case word (a thread's 'concluded'), labelled by the client. */
  badge: Type.Optional(Type.String()),
});
export const HubSchema = Type.Object({
  indicator: IndicatorSummarySchema,
  version: VersionSummarySchema,
  framework: Type.Object({ id: Type.String(), kind: Type.Enum([...FRAMEWORK_KINDS]), title: BilingualSchema }),
  goal: Type.Object({ code: Type.String(), title: Nullable(BilingualSchema) }),
  targets: Type.Array(Type.Object({ code: Type.String(), title: Nullable(BilingualSchema) })),
  /** Indicators of other frameworks linked to it, equivalent ones first; `indicators` are the versions that list the code (empty when none does yet). */
  crosswalk: Type.Array(
    Type.Object({
      family: Type.String(),
      code: Type.String(),
      relation: Type.Enum([...CROSSWALK_RELATIONS]),
      indicators: Type.Array(Type.Object({ id: Type.String(), ref: Type.String(), versionId: Type.String(), title: BilingualSchema })),
    }),
  ),
  /** Everything tagged with it that the reader may read, by subject kind (thread, document, meeting, ...). */
  tagged: Type.Array(Type.Object({ kind: Type.String(), items: Type.Array(SubjectSummarySchema) })),
  /** The discrepancy register's cases for this indicator: a link (the register offers no lookup to other features yet). */
  discrepancies: Type.Object({ href: Type.String() }),
});

export const HubParams = Type.Object({ versionId: VersionIdSchema, code: CodeSchema });
export const VersionParams = Type.Object({ versionId: VersionIdSchema });
export const FrameworkParams = Type.Object({ frameworkId: FamilySchema });

export const NewFrameworkSchema = Type.Object(
  { id: FamilySchema, kind: Type.Enum([...FRAMEWORK_KINDS]), title: BilingualInput },
  { additionalProperties: false },
);
export const NewVersionSchema = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$' }),
    title: BilingualInput,
    effectiveDate: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export const NewIndicatorSchema = Type.Object(
  {
    code: CodeSchema,
    goal: Type.String({ pattern: '^[0-9A-Za-z]{1,6}$' }),
    target: Type.String({ pattern: '^[0-9A-Za-z]{1,6}\\.[0-9A-Za-z]{1,6}$' }),
    title: BilingualInput,
    goalTitle: Type.Optional(OptionalBilingualInput),
    targetTitle: Type.Optional(OptionalBilingualInput),
    tier: Type.Optional(Type.String({ pattern: '^(I|II|III)(/(I|II|III))*$' })),
    custodians: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 10 })),
    unit: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,59}$' })),
    seriesCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,59}$' }), { maxItems: 30 })),
  },
  { additionalProperties: false },
);

export const ImportQuery = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$' }),
    titleEn: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
    titleEs: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
    effectiveDate: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export const ImportAnswerSchema = Type.Object({ version: VersionSummarySchema });
export const RowErrorSchema = Type.Object({ row: Type.Integer(), code: Type.String(), message: Type.String(), column: Type.Optional(Type.String()), value: Type.Optional(Type.String()) });
export const ImportRefusedSchema = Type.Object({
  error: Type.Object({
    code: Type.Literal('import_refused'),
    message: Type.String(),
    details: Type.Object({ rows: Type.Integer(), errorCount: Type.Integer(), errorsTruncated: Type.Boolean(), errors: Type.Array(RowErrorSchema) }),
  }),
});
export const LIST_COLUMN_NAMES = SDG_LIST_COLUMNS.map((c) => c.key);

const IndicatorKey = Type.Object({ family: FamilySchema, code: CodeSchema }, { additionalProperties: false });
export const CrosswalkLinkSchema = Type.Object({ from: IndicatorKey, to: IndicatorKey, relation: Type.Enum([...CROSSWALK_RELATIONS]) }, { additionalProperties: false });
export const CrosswalkListSchema = Type.Object({ items: Type.Array(CrosswalkLinkSchema) });
export const CrosswalkRemoveSchema = Type.Object({ from: IndicatorKey, to: IndicatorKey }, { additionalProperties: false });

export const SuggestSchema = Type.Object(
  { text: Type.String({ maxLength: 200_000 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) },
  { additionalProperties: false },
);
export const SuggestionListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      ref: Type.String(),
      versionId: Type.String(),
      family: Type.String(),
      code: Type.String(),
      title: BilingualSchema,
      score: Type.Number(),
      reasons: Type.Array(
        Type.Object({
          kind: Type.Union([Type.Literal('code'), Type.Literal('words')]),
          text: Type.Optional(Type.String()),
          words: Type.Optional(Type.Array(Type.String())),
          language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')])),
        }),
      ),
    }),
  ),
});
