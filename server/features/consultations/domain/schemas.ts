import { Type, type Static, type TSchema } from 'typebox';

/**
 * TypeBox schemas of a questionnaire and of a respondent's answers: what the API will accept and
 * send, the OpenAPI document will publish and the client's types will be derived from. They fix the
 * shape only; what a shape cannot say (ids unique, conditions pointing backwards, a range whose
 * minimum is below its maximum) is checked by questionnaire.ts, and answers against a questionnaire
 * by answers.ts and validation.ts.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Section, question, option, row and column ids: an indicator code such as 3.2.1 is a valid row id. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$';
export const IdSchema = Type.String({ pattern: ID_PATTERN });

export const LIMITS = {
  sections: 50,
  questionsPerSection: 200,
  questions: 400,
  options: 200,
  columns: 40,
  rows: 500,
  files: 20,
  label: 500,
  help: 5_000,
  shortText: 500,
  longText: 20_000,
  cellText: 5_000,
  conditionValues: 100,
  decimals: 10,
} as const;

/** A text in both of the group's working languages; one may be empty, and is then shown in the other. */
const Bilingual = (maxLength: number) => Type.Object({ en: Type.String({ maxLength }), es: Type.String({ maxLength }) }, { additionalProperties: false });
export const LabelSchema = Bilingual(LIMITS.label);
/** Markdown. */
export const HelpSchema = Bilingual(LIMITS.help);
export type BilingualText = Static<typeof LabelSchema>;

/** A calendar date, YYYY-MM-DD (checked for existence by validation.ts: 2026-02-30 is refused). */
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const DateSchema = Type.String({ pattern: DATE_PATTERN });

export const OptionSchema = Type.Object({ id: IdSchema, label: LabelSchema }, { additionalProperties: false });
export type Option = Static<typeof OptionSchema>;

/** The operators of a condition, shared by questions, sections and table columns. */
const OPS = {
  /** A single choice's option, a multiple choice including it, a number or a text equal to it. */
  equals: { op: Type.Literal('equals'), value: Type.Union([Type.String({ maxLength: LIMITS.shortText }), Type.Number()]) },
  /** A single choice among these options, or a multiple choice including any of them. */
  in: { op: Type.Literal('in'), values: Type.Array(IdSchema, { minItems: 1, maxItems: LIMITS.conditionValues }) },
  /** Anything answered. */
  answered: { op: Type.Literal('answered') },
  /** A yes/no question answered yes (true) or no (false). */
  yes_no: { op: Type.Literal('yes_no'), value: Type.Boolean() },
};
const strict = { additionalProperties: false } as const;
export const ConditionSchema = Type.Union([
  Type.Object({ question: IdSchema, ...OPS.equals }, strict),
  Type.Object({ question: IdSchema, ...OPS.in }, strict),
  Type.Object({ question: IdSchema, ...OPS.answered }, strict),
  Type.Object({ question: IdSchema, ...OPS.yes_no }, strict),
]);
export const ColumnConditionSchema = Type.Union([
  Type.Object({ column: IdSchema, ...OPS.equals }, strict),
  Type.Object({ column: IdSchema, ...OPS.in }, strict),
  Type.Object({ column: IdSchema, ...OPS.answered }, strict),
  Type.Object({ column: IdSchema, ...OPS.yes_no }, strict),
]);
export type Condition = Static<typeof ConditionSchema>;
export type ColumnCondition = Static<typeof ColumnConditionSchema>;
export type ConditionOp = Condition['op'];

const numberSpec = {
  /** A unit code of the indicator catalogue (PERCENT, PER_1000_LIVE_BIRTHS, NUMBER...). */
  unit: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
  min: Type.Optional(Nullable(Type.Number())),
  max: Type.Optional(Nullable(Type.Number())),
  /** Most decimal places an answer may have; 0 for whole numbers. */
  decimals: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: LIMITS.decimals }))),
};
const dateSpec = { min: Type.Optional(Nullable(DateSchema)), max: Type.Optional(Nullable(DateSchema)) };
const Options = Type.Array(OptionSchema, { minItems: 1, maxItems: LIMITS.options });

const columnBase = {
  id: IdSchema,
  label: LabelSchema,
  required: Type.Boolean(),
  /** Filled from the row definition (`given`), never by the respondent: the figure a row asks about. */
  readOnly: Type.Optional(Type.Boolean()),
  /** The cell applies (and is required, if required) only when an earlier column of its row says so. */
  when: Type.Optional(ColumnConditionSchema),
};
export const ColumnSchema = Type.Union([
  Type.Object({ ...columnBase, type: Type.Literal('text'), maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.cellText })) }, { additionalProperties: false }),
  Type.Object({ ...columnBase, type: Type.Literal('number'), ...numberSpec }, { additionalProperties: false }),
  Type.Object({ ...columnBase, type: Type.Literal('choice'), options: Options }, { additionalProperties: false }),
  Type.Object({ ...columnBase, type: Type.Literal('yes_no') }, { additionalProperties: false }),
  Type.Object({ ...columnBase, type: Type.Literal('date'), ...dateSpec }, { additionalProperties: false }),
]);
export type Column = Static<typeof ColumnSchema>;
export type ColumnType = Column['type'];

/** A table cell: text, number, choice (the option's id), yes/no, date (YYYY-MM-DD), or empty. */
export const CellValueSchema = Nullable(Type.Union([Type.String({ maxLength: LIMITS.cellText }), Type.Number(), Type.Boolean()]));
export type CellValue = Static<typeof CellValueSchema>;

export const RowDefinitionSchema = Type.Object(
  {
    id: IdSchema,
    label: LabelSchema,
    /** The values of the table's read-only columns for this row. */
    given: Type.Optional(Type.Record(Type.String({ pattern: ID_PATTERN }), CellValueSchema)),
  },
  { additionalProperties: false },
);
export type RowDefinition = Static<typeof RowDefinitionSchema>;

export const TableRowsSchema = Type.Union([
  /** One row per indicator of a list, per statistical operation, or per item the organizer names. */
  Type.Object({ kind: Type.Literal('fixed'), source: Type.Enum(['indicators', 'operations', 'custom']), rows: Type.Array(RowDefinitionSchema, { minItems: 1, maxItems: LIMITS.rows }) }, { additionalProperties: false }),
  /** Rows the respondent adds, up to maxRows. */
  Type.Object({ kind: Type.Literal('open'), maxRows: Type.Integer({ minimum: 1, maximum: LIMITS.rows }) }, { additionalProperties: false }),
  /** Rows made for each respondent (a data validation round: one per international value of the country). */
  Type.Object(
    {
      kind: Type.Literal('generated'),
      source: Type.Literal('discrepancy_register'),
      /** Which international values make the rows: of these series or these indicators, in these years. */
      series: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
      indicators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 200 })),
      years: Type.Optional(Type.Array(Type.Integer({ minimum: 1900, maximum: 2100 }), { maxItems: 100 })),
    },
    { additionalProperties: false },
  ),
]);
export type TableRows = Static<typeof TableRowsSchema>;

const questionBase = {
  id: IdSchema,
  label: LabelSchema,
  help: Type.Optional(HelpSchema),
  required: Type.Boolean(),
  /** Shown only when an earlier question's answer says so. */
  condition: Type.Optional(ConditionSchema),
};
export const QuestionSchema = Type.Union([
  Type.Object({ ...questionBase, type: Type.Literal('short_text'), maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.shortText })) }, { additionalProperties: false }),
  Type.Object({ ...questionBase, type: Type.Literal('long_text'), maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.longText })) }, { additionalProperties: false }),
  Type.Object({ ...questionBase, type: Type.Literal('number'), ...numberSpec }, { additionalProperties: false }),
  Type.Object({ ...questionBase, type: Type.Literal('single_choice'), options: Options, other: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Object(
    { ...questionBase, type: Type.Literal('multiple_choice'), options: Options, other: Type.Optional(Type.Boolean()), maxSelected: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: LIMITS.options + 1 }))) },
    { additionalProperties: false },
  ),
  Type.Object({ ...questionBase, type: Type.Literal('yes_no') }, { additionalProperties: false }),
  Type.Object({ ...questionBase, type: Type.Literal('date'), ...dateSpec }, { additionalProperties: false }),
  /** Documents of the library, uploaded by the routes into the consultation's audience. */
  Type.Object({ ...questionBase, type: Type.Literal('file'), maxFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.files })) }, { additionalProperties: false }),
  Type.Object({ ...questionBase, type: Type.Literal('table'), rows: TableRowsSchema, columns: Type.Array(ColumnSchema, { minItems: 1, maxItems: LIMITS.columns }) }, { additionalProperties: false }),
]);
export type Question = Static<typeof QuestionSchema>;
export type QuestionType = Question['type'];
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;
export type TableQuestion = QuestionOf<'table'>;
export const QUESTION_TYPES = ['short_text', 'long_text', 'number', 'single_choice', 'multiple_choice', 'yes_no', 'date', 'file', 'table'] as const satisfies readonly QuestionType[];

export const SectionSchema = Type.Object(
  {
    id: IdSchema,
    title: LabelSchema,
    intro: Type.Optional(HelpSchema),
    condition: Type.Optional(ConditionSchema),
    questions: Type.Array(QuestionSchema, { maxItems: LIMITS.questionsPerSection }),
  },
  { additionalProperties: false },
);
export type Section = Static<typeof SectionSchema>;

export const QuestionnaireSchema = Type.Object({ sections: Type.Array(SectionSchema, { minItems: 1, maxItems: LIMITS.sections }) }, { additionalProperties: false, description: 'A questionnaire: sections of typed questions, with conditions.' });
export type Questionnaire = Static<typeof QuestionnaireSchema>;

// ---------------------------------------------------------------------------------------------
// Answers

export const TableRowValueSchema = Type.Object({ id: IdSchema, cells: Type.Record(Type.String({ pattern: ID_PATTERN }), CellValueSchema) }, { additionalProperties: false });
export type TableRowValue = Static<typeof TableRowValueSchema>;

/** One question's answer, tagged with the question's type so that a changed type is never misread. */
export const AnswerValueSchema = Type.Union([
  Type.Object({ type: Type.Literal('short_text'), text: Type.String({ maxLength: LIMITS.shortText }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('long_text'), text: Type.String({ maxLength: LIMITS.longText }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('number'), value: Type.Number() }, { additionalProperties: false }),
  /** `option` null with an `other` text: "Other: ...". */
  Type.Object({ type: Type.Literal('single_choice'), option: Nullable(IdSchema), other: Nullable(Type.String({ maxLength: LIMITS.shortText })) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('multiple_choice'), options: Type.Array(IdSchema, { maxItems: LIMITS.options }), other: Nullable(Type.String({ maxLength: LIMITS.shortText })) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('yes_no'), value: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('date'), value: DateSchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('file'), documentIds: Type.Array(IdSchema, { maxItems: LIMITS.files }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('table'), rows: Type.Array(TableRowValueSchema, { maxItems: LIMITS.rows }) }, { additionalProperties: false }),
]);
export type AnswerValue = Static<typeof AnswerValueSchema>;
export type AnswerOf<T extends QuestionType> = Extract<AnswerValue, { type: T }>;
/** Answers by question id. */
export type AnswerMap = Record<string, AnswerValue>;

/** Where a value sits: a question, a table row, a table cell. */
export const AnswerPathSchema = Type.Object({ question: IdSchema, row: Type.Optional(IdSchema), column: Type.Optional(IdSchema) }, { additionalProperties: false });
export type AnswerPath = Static<typeof AnswerPathSchema>;

/** One change of an autosave: set or clear a question, write a cell, add or remove a row, confirm a pre-filled value. */
export const AnswerChangeSchema = Type.Union([
  Type.Object({ question: IdSchema, value: Nullable(AnswerValueSchema) }, { additionalProperties: false }),
  Type.Object({ question: IdSchema, row: IdSchema, column: IdSchema, cell: CellValueSchema }, { additionalProperties: false }),
  Type.Object({ question: IdSchema, addRow: IdSchema }, { additionalProperties: false }),
  Type.Object({ question: IdSchema, removeRow: IdSchema }, { additionalProperties: false }),
  Type.Object({ question: IdSchema, row: Type.Optional(IdSchema), column: Type.Optional(IdSchema), confirm: Type.Literal(true) }, { additionalProperties: false }),
]);
export type AnswerChange = Static<typeof AnswerChangeSchema>;

export const AnswerSaveSchema = Type.Object(
  { base: Type.Integer({ minimum: 0 }), changes: Type.Array(AnswerChangeSchema, { minItems: 1, maxItems: 1_000 }) },
  { additionalProperties: false, description: 'An autosave: the draft revision the changes were made on, and the changes.' },
);
export type AnswerSave = Static<typeof AnswerSaveSchema>;

/** One problem with an answer, as the API lists it in an error's `details`. */
export const AnswerProblemSchema = Type.Object(
  {
    /** "answers.q3", "answers.t1.r2.national_value": where a form shows the message. */
    field: Type.String(),
    code: Type.String(),
    message: Type.String(),
    question: IdSchema,
    row: Type.Optional(IdSchema),
    column: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
);
export type AnswerProblem = Static<typeof AnswerProblemSchema>;
