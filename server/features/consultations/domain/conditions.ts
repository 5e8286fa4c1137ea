import type { AnswerMap, AnswerValue, CellValue, Column, ColumnCondition, Condition, Questionnaire } from './schemas.js';

/**
 * What a respondent sees: a section or question with a condition is shown only when an earlier
 * answer satisfies it. Conditions point only backwards (checkQuestionnaire refuses anything else),
 * so one pass in document order decides everything, and a condition on a hidden question is false:
 * hiding a question hides what depends on it.
 */

const blank = (text: string | null | undefined) => text === null || text === undefined || text.trim() === '';

/** A cell holds something: zero and "no" count, an empty or blank text does not. */
export const cellAnswered = (cell: CellValue | undefined) => cell !== null && cell !== undefined && !(typeof cell === 'string' && cell.trim() === '');

/** Whether an answer says anything: zero, "no" and an "other" text count; blanks and empty lists do not. */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (!value) return false;
  switch (value.type) {
    case 'short_text':
    case 'long_text':
      return !blank(value.text);
    case 'number':
    case 'yes_no':
    case 'date':
      return true;
    case 'single_choice':
      return value.option !== null || !blank(value.other);
    case 'multiple_choice':
      return value.options.length > 0 || !blank(value.other);
    case 'file':
      return value.documentIds.length > 0;
    case 'table':
      return value.rows.some((row) => Object.values(row.cells).some(cellAnswered));
  }
}

const sameText = (a: string, b: string) => a.trim().toLocaleLowerCase('es') === b.trim().toLocaleLowerCase('es');

function holds(condition: Condition | ColumnCondition, value: AnswerValue | undefined): boolean {
  if (condition.op === 'answered') return isAnswered(value);
  if (!value || !isAnswered(value)) return false;
  switch (condition.op) {
    case 'yes_no':
      return value.type === 'yes_no' && value.value === condition.value;
    case 'in':
      if (value.type === 'single_choice') return value.option !== null && condition.values.includes(value.option);
      if (value.type === 'multiple_choice') return value.options.some((option) => condition.values.includes(option));
      return false;
    case 'equals':
      switch (value.type) {
        case 'single_choice':
          return value.option === condition.value;
        case 'multiple_choice':
          return typeof condition.value === 'string' && value.options.includes(condition.value);
        case 'number':
          return value.value === condition.value;
        case 'short_text':
        case 'long_text':
          return typeof condition.value === 'string' && sameText(value.text, condition.value);
        case 'date':
          return value.value === condition.value;
        default:
          return false;
      }
  }
}

export interface Visibility {
  sections: ReadonlySet<string>;
  questions: ReadonlySet<string>;
}

/** The sections and questions shown for these answers. */
export function visibility(questionnaire: Questionnaire, answers: AnswerMap): Visibility {
  const sections = new Set<string>();
  const questions = new Set<string>();
  const shown = (condition: Condition | undefined) => !condition || (questions.has(condition.question) && holds(condition, answers[condition.question]));
  for (const section of questionnaire.sections) {
    if (!shown(section.condition)) continue;
    sections.add(section.id);
    for (const question of section.questions) if (shown(question.condition)) questions.add(question.id);
  }
  return { sections, questions };
}

/** A cell as a one-cell answer, so that column conditions read like question conditions. */
function asAnswer(column: Column, cell: CellValue | undefined): AnswerValue | undefined {
  if (cell === null || cell === undefined) return undefined;
  switch (column.type) {
    case 'text':
      return typeof cell === 'string' ? { type: 'short_text', text: cell } : undefined;
    case 'number':
      return typeof cell === 'number' ? { type: 'number', value: cell } : undefined;
    case 'choice':
      return typeof cell === 'string' ? { type: 'single_choice', option: cell, other: null } : undefined;
    case 'yes_no':
      return typeof cell === 'boolean' ? { type: 'yes_no', value: cell } : undefined;
    case 'date':
      return typeof cell === 'string' ? { type: 'date', value: cell } : undefined;
  }
}

/**
 * The columns that apply to one row: a column whose condition is not met (or refers to a column
 * that does not apply) is greyed out, neither required nor submitted. `cells` holds the row's
 * answered cells and its given (read-only) values.
 */
export function applicableColumns(columns: readonly Column[], cells: Readonly<Record<string, CellValue>>): Set<string> {
  const applies = new Set<string>();
  const byId = new Map(columns.map((column) => [column.id, column]));
  for (const column of columns) {
    const when = column.when;
    if (when) {
      const source = byId.get(when.column);
      if (!source || !applies.has(when.column) || !holds(when, asAnswer(source, cells[when.column]))) continue;
    }
    applies.add(column.id);
  }
  return applies;
}
