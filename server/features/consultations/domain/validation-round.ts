import { createHash } from 'node:crypto';
import { AGE_GROUPS, CAUSES, LOCATIONS, SEXES, TOTAL, UNITS, observationKey, type Cause, type Observation } from '../../discrepancies/public.js';
import type { AnswerMap, BilingualText, Column, Questionnaire, RowDefinition, TableQuestion } from './schemas.js';

/**
 * A data validation round: a questionnaire whose table is generated, for each country, from the
 * discrepancy register's international values of the chosen series (or indicators) and years, one
 * row per value. The delegation confirms each row, corrects it (the national value, its unit and
 * source) or explains it (a cause from the register's list, and a text). On submission the routes
 * turn each correction or explanation into a discrepancy case opened or updated
 * (validationOutcomes), linking back to the answer.
 */

export const ACTIONS = ['confirm', 'correct', 'explain'] as const;
export type ValidationAction = (typeof ACTIONS)[number];

/** A column the organizer fills: the international value the row asks about. */
const given = (id: string, type: 'text' | 'number', en: string, es: string) => ({ id, type, label: { en, es }, required: false, readOnly: true }) as Column;

/** The columns, in order: what the row shows, then what the delegation answers. */
export const VALIDATION_COLUMNS: readonly Column[] = [
  given('series', 'text', 'Series', 'Serie'),
  given('indicator', 'text', 'Indicator', 'Indicador'),
  given('year', 'number', 'Year', 'Año'),
  given('international_value', 'number', 'International value', 'Valor internacional'),
  given('unit', 'text', 'Unit', 'Unidad'),
  given('nature', 'text', 'Nature', 'Naturaleza'),
  given('source', 'text', 'International source', 'Fuente internacional'),
  {
    id: 'action',
    type: 'choice',
    label: { en: 'Your answer', es: 'Su respuesta' },
    required: true,
    options: [
      { id: 'confirm', label: { en: 'Confirm the value', es: 'Confirmar el valor' } },
      { id: 'correct', label: { en: 'Correct it (national value)', es: 'Corregirlo (valor nacional)' } },
      { id: 'explain', label: { en: 'Explain the difference', es: 'Explicar la diferencia' } },
    ],
  },
  { id: 'national_value', type: 'number', label: { en: 'National value', es: 'Valor nacional' }, required: true, when: { column: 'action', op: 'equals', value: 'correct' } },
  {
    id: 'national_unit',
    type: 'choice',
    label: { en: 'Unit of the national value', es: 'Unidad del valor nacional' },
    required: true,
    when: { column: 'action', op: 'equals', value: 'correct' },
    options: UNITS.map((unit) => ({ id: unit.code, label: { ...unit.label } })),
  },
  { id: 'national_source', type: 'text', maxLength: 1_000, label: { en: 'Source of the national value', es: 'Fuente del valor nacional' }, required: true, when: { column: 'action', op: 'equals', value: 'correct' } },
  {
    id: 'cause',
    type: 'choice',
    label: { en: 'Cause of the difference', es: 'Causa de la diferencia' },
    required: true,
    when: { column: 'action', op: 'equals', value: 'explain' },
    options: CAUSES.items.map((item) => ({ id: item.code, label: { ...item.label } })),
  },
  { id: 'explanation', type: 'text', maxLength: 5_000, label: { en: 'Explanation', es: 'Explicación' }, required: true, when: { column: 'action', op: 'equals', value: 'explain' } },
];

export function validationTableQuestion(
  id: string,
  label: BilingualText = { en: 'International values to validate', es: 'Valores internacionales por validar' },
  selection: { series?: string[]; indicators?: string[]; years?: number[] } = {},
): TableQuestion {
  return { id, type: 'table', label, required: true, rows: { kind: 'generated', source: 'discrepancy_register', ...structuredClone(selection) }, columns: structuredClone([...VALIDATION_COLUMNS]) };
}

/**
 * A generated table's columns are the validation round's, whatever the builder sent: the rows and
 * the register's outcomes are read through them. Other questions are returned as they are.
 */
export function withValidationColumns(questionnaire: Questionnaire): Questionnaire {
  return {
    ...questionnaire,
    sections: questionnaire.sections.map((section) => ({
      ...section,
      questions: section.questions.map((question) => (question.type === 'table' && question.rows.kind === 'generated' ? { ...question, columns: structuredClone([...VALIDATION_COLUMNS]) } : question)),
    })),
  };
}

export interface ValidationSelection {
  /** ISO 3166-1 alpha-3. */
  country: string;
  series?: readonly string[];
  indicators?: readonly string[];
  years: readonly number[];
}

export interface GeneratedRow {
  row: RowDefinition;
  /** The international value the row asks about: what a correction is paired with. */
  observation: Observation;
}

/** A stable row id from the observation's key, so the same value gets the same row when regenerated. */
export const validationRowId = (o: Observation) => `v${o.year}-${createHash('sha256').update(observationKey(o)).digest('hex').slice(0, 16)}`;

function disaggregationLabel(o: Observation): BilingualText {
  const d = o.disaggregation;
  const parts: BilingualText[] = [];
  if (d.sex !== TOTAL.sex) parts.push(SEXES.items.find((item) => item.code === d.sex)!.label);
  if (d.age !== TOTAL.age) {
    const label = AGE_GROUPS.items.find((item) => item.code === d.age)?.label;
    parts.push(label ?? { en: d.age, es: d.age });
  }
  if (d.location !== TOTAL.location) parts.push(LOCATIONS.items.find((item) => item.code === d.location)!.label);
  for (const key of Object.keys(d.other).sort()) parts.push({ en: `${key}: ${d.other[key]}`, es: `${key}: ${d.other[key]}` });
  return { en: parts.map((part) => part.en).join(', '), es: parts.map((part) => part.es).join(', ') };
}

/**
 * The rows of one country's table: its international values for the chosen series or indicators
 * and years, ordered by series, year and disaggregation. The row's label names the series, year and
 * disaggregation; its given cells, the value, unit, nature and source.
 */
export function validationRows(observations: Iterable<Observation>, selection: ValidationSelection): GeneratedRow[] {
  const series = new Set(selection.series ?? []);
  const indicators = new Set(selection.indicators ?? []);
  const years = new Set(selection.years);
  const out: Array<GeneratedRow & { key: string }> = [];
  for (const o of observations) {
    if (o.side !== 'international' || o.country !== selection.country || !years.has(o.year)) continue;
    if (!series.has(o.series) && !(o.indicator !== null && indicators.has(o.indicator))) continue;
    const parts = disaggregationLabel(o);
    const bound = o.qualifier ? ` (${o.qualifier}${o.value})` : '';
    const head = `${o.indicator ? `${o.indicator} ` : ''}${o.series} — ${o.year}`;
    out.push({
      key: observationKey(o),
      observation: o,
      row: {
        id: validationRowId(o),
        label: { en: `${head}${parts.en ? ` — ${parts.en}` : ''}${bound}`, es: `${head}${parts.es ? ` — ${parts.es}` : ''}${bound}` },
        given: { series: o.series, indicator: o.indicator, year: o.year, international_value: o.value, unit: o.unit, nature: o.nature, source: o.source },
      },
    });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ids = new Set<string>();
  for (const { row, key } of out) {
    if (ids.has(row.id)) throw new Error(`Two international values share the key ${key}: pass one release at a time.`);
    ids.add(row.id);
  }
  return out.map(({ row, observation }) => ({ row, observation }));
}

export type ValidationOutcome =
  | { rowId: string; action: 'confirm'; international: Observation }
  | { rowId: string; action: 'correct'; international: Observation; national: Observation }
  | { rowId: string; action: 'explain'; international: Observation; cause: Cause; explanation: string };

/**
 * What a submitted table says, row by row, for the register: a correction as the national
 * observation to pair with the international one (the case is opened or updated when they differ
 * beyond tolerance), an explanation as a cause and text for the case. Rows left unanswered (the
 * submission refuses them when the table is required) are not listed.
 */
export function validationOutcomes(answers: AnswerMap, questionId: string, rows: readonly GeneratedRow[]): ValidationOutcome[] {
  const value = answers[questionId];
  if (!value || value.type !== 'table') return [];
  const byId = new Map(rows.map((row) => [row.row.id, row.observation]));
  const out: ValidationOutcome[] = [];
  for (const row of value.rows) {
    const international = byId.get(row.id);
    const { action, national_value, national_unit, national_source, cause, explanation } = row.cells;
    if (!international) continue;
    if (action === 'confirm') out.push({ rowId: row.id, action, international });
    else if (action === 'correct' && typeof national_value === 'number' && typeof national_unit === 'string') {
      const national: Observation = {
        ...international,
        side: 'national',
        value: national_value,
        qualifier: null,
        lowerBound: null,
        upperBound: null,
        unit: national_unit,
        unitMult: 0,
        nature: null,
        reportingType: null,
        obsStatus: null,
        sourceType: null,
        source: typeof national_source === 'string' ? national_source.trim() : null,
        footnote: null,
      };
      out.push({ rowId: row.id, action, international, national });
    } else if (action === 'explain' && typeof cause === 'string' && CAUSES.has(cause) && typeof explanation === 'string') {
      out.push({ rowId: row.id, action, international, cause, explanation: explanation.trim() });
    }
  }
  return out;
}
