import { applicableColumns, cellAnswered, isAnswered, visibility } from './conditions.js';
import { isDate } from './questionnaire.js';
import { LIMITS, type AnswerMap, type AnswerPath, type AnswerProblem, type AnswerValue, type CellValue, type Column, type Question, type Questionnaire, type RowDefinition, type TableQuestion, type TableRowValue } from './schemas.js';

/**
 * Answers against their questionnaire. Two strengths:
 *
 * - `save` (every autosave): the shape must fit (the question's type, known options, rows and
 *   columns, texts within their length, real dates), but a draft may be incomplete or out of range,
 *   so nobody loses what they typed while they look a figure up;
 * - `submit`: also every visible required question and applicable required cell answered, numbers
 *   within range and decimals, dates within bounds, choices within their maximum, and every
 *   pre-filled value confirmed.
 *
 * Hidden questions are not checked and not submitted (see submittedAnswers).
 */

export type Mode = 'save' | 'submit';

/** The rows each respondent's generated tables hold (a data validation round), by question id. */
export interface AnswerContext {
  questionnaire: Questionnaire;
  generatedRows?: Readonly<Record<string, readonly RowDefinition[]>>;
}

export const fieldName = (path: AnswerPath) => ['answers', path.question, path.row, path.column].filter((part) => part !== undefined).join('.');

export const problem = (code: string, path: AnswerPath, message: string): AnswerProblem => ({ field: fieldName(path), code, message, ...path });

/** The rows a table offers: its fixed rows, this respondent's generated rows, or null when the respondent adds them. */
export function definedRows(table: TableQuestion, context: AnswerContext): readonly RowDefinition[] | null {
  if (table.rows.kind === 'fixed') return table.rows.rows;
  if (table.rows.kind === 'generated') return context.generatedRows?.[table.id] ?? [];
  return null;
}

/** Decimal places of a number as written in the shortest form that reads back the same (1.25 → 2, 1e-7 → 7). */
export function decimalsOf(value: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

interface NumberSpec {
  min?: number | null;
  max?: number | null;
  decimals?: number | null;
}
function checkNumber(value: number, spec: NumberSpec, path: AnswerPath, out: AnswerProblem[]) {
  if (!Number.isFinite(value)) out.push(problem('wrong_type', path, 'Not a number.'));
  else if (typeof spec.min === 'number' && value < spec.min) out.push(problem('below_min', path, `The smallest value allowed is ${spec.min}.`));
  else if (typeof spec.max === 'number' && value > spec.max) out.push(problem('above_max', path, `The largest value allowed is ${spec.max}.`));
  if (typeof spec.decimals === 'number' && Number.isFinite(value) && decimalsOf(value) > spec.decimals) {
    out.push(problem('too_many_decimals', path, spec.decimals === 0 ? 'Give a whole number.' : `At most ${spec.decimals} decimal places.`));
  }
}

function checkDate(value: string, spec: { min?: string | null; max?: string | null }, mode: Mode, path: AnswerPath, out: AnswerProblem[]) {
  if (!isDate(value)) return void out.push(problem('bad_date', path, `"${value}" is not a date (YYYY-MM-DD).`));
  if (mode === 'save') return;
  if (spec.min && value < spec.min) out.push(problem('date_before_min', path, `The earliest date allowed is ${spec.min}.`));
  if (spec.max && value > spec.max) out.push(problem('date_after_max', path, `The latest date allowed is ${spec.max}.`));
}

export function checkCell(column: Column, cell: CellValue, mode: Mode, path: AnswerPath): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  if (cell === null) return out;
  const wrong = (expected: string) => out.push(problem('wrong_type', path, `This cell takes ${expected}.`));
  switch (column.type) {
    case 'text':
      if (typeof cell !== 'string') wrong('text');
      else if (cell.length > (column.maxLength ?? LIMITS.cellText)) out.push(problem('too_long', path, `At most ${column.maxLength ?? LIMITS.cellText} characters.`));
      break;
    case 'number':
      if (typeof cell !== 'number') wrong('a number');
      else if (mode === 'submit') checkNumber(cell, column, path, out);
      break;
    case 'choice':
      if (typeof cell !== 'string') wrong('one of its options');
      else if (!column.options.some((option) => option.id === cell)) out.push(problem('unknown_option', path, `"${cell}" is not one of the options.`));
      break;
    case 'yes_no':
      if (typeof cell !== 'boolean') wrong('yes or no');
      break;
    case 'date':
      if (typeof cell !== 'string') wrong('a date');
      else checkDate(cell, column, mode, path, out);
      break;
  }
  return out;
}

/** A row's cells together with its given values, as its column conditions read them. */
export const rowCells = (row: TableRowValue | undefined, definition: RowDefinition | undefined): Record<string, CellValue> => ({ ...(definition?.given ?? {}), ...(row?.cells ?? {}) });

/** A row the respondent added and left empty is not part of the answer. */
const blankRow = (row: TableRowValue) => !Object.values(row.cells).some(cellAnswered);

function checkTable(table: TableQuestion, value: Extract<AnswerValue, { type: 'table' }>, mode: Mode, context: AnswerContext, out: AnswerProblem[]) {
  const rows = definedRows(table, context);
  const definitions = new Map(rows?.map((row) => [row.id, row]) ?? []);
  const columns = new Map(table.columns.map((column) => [column.id, column]));
  const seen = new Set<string>();
  for (const row of value.rows) {
    const rowPath = { question: table.id, row: row.id };
    if (seen.has(row.id)) out.push(problem('duplicate_row', rowPath, `The row "${row.id}" appears twice.`));
    seen.add(row.id);
    if (rows && !definitions.has(row.id)) out.push(problem('unknown_row', rowPath, `The table has no row "${row.id}".`));
    for (const [columnId, cell] of Object.entries(row.cells)) {
      const column = columns.get(columnId);
      const path = { ...rowPath, column: columnId };
      if (!column) out.push(problem('unknown_column', path, `The table has no column "${columnId}".`));
      else if (column.readOnly) out.push(problem('read_only_cell', path, 'This cell is given; it cannot be written.'));
      else out.push(...checkCell(column, cell, mode, path));
    }
  }
  if (table.rows.kind === 'open' && value.rows.length > table.rows.maxRows) out.push(problem('too_many_rows', { question: table.id }, `At most ${table.rows.maxRows} rows.`));
  if (mode === 'save') return;
  // Every applicable required cell of every row the table asks about (fixed or generated), or of every non-empty row the respondent added.
  const answered = new Map(value.rows.map((row) => [row.id, row]));
  const asked = rows ? rows.map((definition) => ({ definition, row: answered.get(definition.id) })) : value.rows.filter((row) => !blankRow(row)).map((row) => ({ definition: undefined, row }));
  for (const { definition, row } of asked) {
    const rowId = definition?.id ?? row!.id;
    const cells = rowCells(row, definition);
    const applies = applicableColumns(table.columns, cells);
    for (const column of table.columns) {
      if (column.required && !column.readOnly && applies.has(column.id) && !cellAnswered(cells[column.id])) {
        out.push(problem('required', { question: table.id, row: rowId, column: column.id }, 'This cell is required.'));
      }
    }
  }
}

/** The problems of one answer to one question, in `save` or `submit` strength. */
export function checkAnswer(question: Question, value: AnswerValue, mode: Mode, context: AnswerContext): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  const path = { question: question.id };
  if (value.type !== question.type) return [problem('wrong_type', path, `This question takes a ${question.type.replace('_', ' ')} answer.`)];
  switch (question.type) {
    case 'short_text':
    case 'long_text': {
      const text = (value as { text: string }).text;
      const most = question.maxLength ?? (question.type === 'short_text' ? LIMITS.shortText : LIMITS.longText);
      if (text.length > most) out.push(problem('too_long', path, `At most ${most} characters.`));
      break;
    }
    case 'number':
      if (mode === 'submit') checkNumber((value as { value: number }).value, question, path, out);
      break;
    case 'single_choice': {
      const { option, other } = value as Extract<AnswerValue, { type: 'single_choice' }>;
      if (option !== null && !question.options.some((candidate) => candidate.id === option)) out.push(problem('unknown_option', path, `"${option}" is not one of the options.`));
      if (other !== null && !question.other) out.push(problem('other_not_allowed', path, 'This question has no "other" answer.'));
      else if (other !== null && option !== null) out.push(problem('option_and_other', path, 'Choose one option or give another answer, not both.'));
      break;
    }
    case 'multiple_choice': {
      const { options, other } = value as Extract<AnswerValue, { type: 'multiple_choice' }>;
      for (const option of options) if (!question.options.some((candidate) => candidate.id === option)) out.push(problem('unknown_option', path, `"${option}" is not one of the options.`));
      if (new Set(options).size !== options.length) out.push(problem('duplicate_choice', path, 'An option is chosen twice.'));
      if (other !== null && !question.other) out.push(problem('other_not_allowed', path, 'This question has no "other" answer.'));
      const chosen = options.length + (other !== null && other.trim() !== '' ? 1 : 0);
      if (mode === 'submit' && typeof question.maxSelected === 'number' && chosen > question.maxSelected) out.push(problem('too_many_selected', path, `Choose at most ${question.maxSelected}.`));
      break;
    }
    case 'date':
      checkDate((value as { value: string }).value, question, mode, path, out);
      break;
    case 'file': {
      const ids = (value as { documentIds: string[] }).documentIds;
      if (ids.length > (question.maxFiles ?? 1)) out.push(problem('too_many_files', path, `At most ${question.maxFiles ?? 1} files.`));
      if (new Set(ids).size !== ids.length) out.push(problem('duplicate_file', path, 'A document is attached twice.'));
      break;
    }
    case 'table':
      checkTable(question, value as Extract<AnswerValue, { type: 'table' }>, mode, context, out);
      break;
    case 'yes_no':
      break;
  }
  return out;
}

/** A pre-filled value not yet confirmed or edited, by field key ("q3", "t1/r2/national_value"). */
export type PrefilledFields = Iterable<{ path: AnswerPath }>;

/**
 * Everything that stops a submission. Only visible questions count; answers to hidden ones stay in
 * the draft (nobody loses input by toggling a condition) but are neither checked nor submitted.
 */
export function validateSubmission(context: AnswerContext, answers: AnswerMap, unconfirmed: PrefilledFields = []): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  const shown = visibility(context.questionnaire, answers);
  const submitted = submittedAnswers(context, answers);
  for (const section of context.questionnaire.sections) {
    for (const question of section.questions) {
      if (!shown.questions.has(question.id)) continue;
      const value = answers[question.id];
      // A required table asks for at least one row; its rows' required cells are checked per cell.
      // A generated table with no row for this respondent asks nothing.
      const nothingAsked = question.type === 'table' && definedRows(question, context)?.length === 0;
      if (question.required && !nothingAsked && !isAnswered(value)) out.push(problem('required', { question: question.id }, 'This question is required.'));
      if (value) out.push(...checkAnswer(question, value, 'submit', context));
    }
  }
  for (const { path } of unconfirmed) {
    if (stillSubmitted(submitted, path)) out.push(problem('prefill_unconfirmed', path, 'This answer was copied from the previous round: confirm or change it.'));
  }
  return out;
}

function stillSubmitted(submitted: AnswerMap, path: AnswerPath): boolean {
  const value = submitted[path.question];
  if (!value) return false;
  if (path.row === undefined) return true;
  if (value.type !== 'table') return false;
  const row = value.rows.find((candidate) => candidate.id === path.row);
  if (!row) return false;
  return path.column === undefined || cellAnswered(row.cells[path.column]);
}

/**
 * What a submission keeps: the answers of visible questions only; in tables, the rows the table
 * asks about (or the non-empty rows added), with the cells whose columns apply to their row.
 */
export function submittedAnswers(context: AnswerContext, answers: AnswerMap): AnswerMap {
  const shown = visibility(context.questionnaire, answers);
  const out: AnswerMap = {};
  for (const section of context.questionnaire.sections) {
    for (const question of section.questions) {
      const value = answers[question.id];
      if (!value || !shown.questions.has(question.id) || value.type !== question.type || !isAnswered(value)) continue;
      if (question.type !== 'table' || value.type !== 'table') {
        out[question.id] = structuredClone(value);
        continue;
      }
      const rows = definedRows(question, context);
      const definitions = new Map(rows?.map((row) => [row.id, row]) ?? []);
      const kept: TableRowValue[] = [];
      for (const row of value.rows) {
        if (rows && !definitions.has(row.id)) continue;
        const applies = applicableColumns(question.columns, rowCells(row, definitions.get(row.id)));
        const cells: Record<string, CellValue> = {};
        for (const column of question.columns) {
          const cell = row.cells[column.id];
          if (!column.readOnly && applies.has(column.id) && cellAnswered(cell)) cells[column.id] = cell!;
        }
        if (Object.keys(cells).length > 0) kept.push({ id: row.id, cells });
      }
      if (rows) {
        const position = new Map(rows.map((row, i) => [row.id, i]));
        kept.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
      }
      if (kept.length > 0) out[question.id] = { type: 'table', rows: kept };
    }
  }
  return out;
}
