import { parseUnit, type Lang } from '../../discrepancies/public.js';
import { LIMITS, type BilingualText, type CellValue, type Column, type ColumnCondition, type Condition, type Option, type Question, type Questionnaire, type Section, type TableQuestion } from './schemas.js';

/**
 * A questionnaire definition beyond its shape: ids unique, options unique, ranges that make sense,
 * unit codes the catalogue knows, tables with valid columns, and conditions that point only to an
 * earlier question (or an earlier column of the same row). Because every condition points
 * backwards, the conditions form no cycle by construction; checkQuestionnaire refuses a definition
 * that would (a condition on itself or on something later).
 */

export type { Lang };

/** The language labels are shown in for an interface locale: Portuguese readers read Spanish, French readers English, as the client does. */
export const contentLanguage = (locale: string): Lang => (/^(es|pt)\b/i.test(locale) ? 'es' : 'en');

/** A text in a language, or in the other one when it was left empty. */
export const textIn = (text: BilingualText | undefined, lang: Lang): string => {
  if (!text) return '';
  return text[lang].trim() || text[lang === 'es' ? 'en' : 'es'].trim();
};

export interface IndexedQuestion {
  question: Question;
  section: Section;
  /** Position in the whole questionnaire, from 0. */
  order: number;
}

export interface QuestionnaireIndex {
  ordered: IndexedQuestion[];
  byId: Map<string, IndexedQuestion>;
}

export function indexQuestionnaire(questionnaire: Questionnaire): QuestionnaireIndex {
  const ordered: IndexedQuestion[] = [];
  const byId = new Map<string, IndexedQuestion>();
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      const entry = { question, section, order: ordered.length };
      ordered.push(entry);
      if (!byId.has(question.id)) byId.set(question.id, entry);
    }
  }
  return { ordered, byId };
}

export interface DefinitionProblem {
  code: string;
  /** Where in the definition: "sections[1].questions[0].options[2]". */
  path: string;
  message: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const empty = (text: BilingualText) => text.en.trim() === '' && text.es.trim() === '';

/** The conditions a question may be the subject of, by its type. */
function conditionFits(condition: Condition | ColumnCondition, subjectType: string, options: readonly Option[] | null): string | null {
  const optionIds = new Set(options?.map((option) => option.id) ?? []);
  switch (condition.op) {
    case 'answered':
      return null;
    case 'yes_no':
      return subjectType === 'yes_no' ? null : 'condition_type_mismatch';
    case 'in':
      if (!options) return 'condition_type_mismatch';
      return condition.values.every((value) => optionIds.has(value)) ? null : 'condition_unknown_option';
    case 'equals':
      if (options) return typeof condition.value === 'string' && optionIds.has(condition.value) ? null : 'condition_unknown_option';
      if (subjectType === 'number') return typeof condition.value === 'number' ? null : 'condition_type_mismatch';
      if (subjectType === 'short_text' || subjectType === 'long_text' || subjectType === 'text') return typeof condition.value === 'string' ? null : 'condition_type_mismatch';
      if (subjectType === 'date') return typeof condition.value === 'string' && isDate(condition.value) ? null : 'condition_type_mismatch';
      return 'condition_type_mismatch';
  }
}

const optionsOf = (subject: Question | Column): Option[] | null =>
  subject.type === 'single_choice' || subject.type === 'multiple_choice' || subject.type === 'choice' ? subject.options : null;

/** Whether a given (read-only) value fits its column. */
export function givenFits(column: Column, value: CellValue): boolean {
  if (value === null) return true;
  switch (column.type) {
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'choice':
      return typeof value === 'string' && column.options.some((option) => option.id === value);
    case 'yes_no':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isDate(value);
  }
}

export function checkQuestionnaire(questionnaire: Questionnaire): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (code: string, path: string, message: string) => problems.push({ code, path, message });
  const ids = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const first = ids.get(id);
    if (first !== undefined) add('duplicate_id', path, `The id "${id}" is already used at ${first}.`);
    else ids.set(id, path);
  };
  const index = indexQuestionnaire(questionnaire);
  if (index.ordered.length === 0) add('no_questions', 'sections', 'A questionnaire needs at least one question.');
  if (index.ordered.length > LIMITS.questions) add('too_many_questions', 'sections', `A questionnaire has at most ${LIMITS.questions} questions.`);

  const checkCondition = (condition: Condition, path: string, before: number, self: string) => {
    if (condition.question === self) return add('condition_self_reference', `${path}.condition`, 'A condition cannot depend on its own question.');
    const subject = index.byId.get(condition.question);
    if (!subject) return add('condition_unknown_question', `${path}.condition`, `No question "${condition.question}".`);
    if (subject.order >= before) return add('condition_forward_reference', `${path}.condition`, `A condition may only depend on an earlier question; "${condition.question}" comes later.`);
    const misfit = conditionFits(condition, subject.question.type, optionsOf(subject.question));
    if (misfit) add(misfit, `${path}.condition`, `The condition "${condition.op}" does not fit the question "${condition.question}" (${subject.question.type}).`);
  };

  let order = 0;
  questionnaire.sections.forEach((section, s) => {
    const sectionPath = `sections[${s}]`;
    claim(section.id, sectionPath);
    if (empty(section.title)) add('text_missing', `${sectionPath}.title`, 'The section needs a title in Spanish or English.');
    if (section.questions.length === 0) add('empty_section', sectionPath, 'The section has no questions.');
    // A section's condition must depend on a question before the section starts.
    if (section.condition) checkCondition(section.condition, sectionPath, order, section.id);
    section.questions.forEach((question, q) => {
      const path = `${sectionPath}.questions[${q}]`;
      claim(question.id, path);
      if (empty(question.label)) add('text_missing', `${path}.label`, 'The question needs a text in Spanish or English.');
      if (question.condition) checkCondition(question.condition, path, order, question.id);
      checkQuestion(question, path, add);
      order += 1;
    });
  });
  return problems;
}

type Add = (code: string, path: string, message: string) => void;

function checkOptions(options: readonly Option[], path: string, add: Add) {
  const seen = new Set<string>();
  const labels = { en: new Set<string>(), es: new Set<string>() };
  options.forEach((option, i) => {
    if (seen.has(option.id)) add('duplicate_option', `${path}[${i}]`, `The option id "${option.id}" is used twice.`);
    seen.add(option.id);
    if (empty(option.label)) add('text_missing', `${path}[${i}].label`, 'The option needs a text in Spanish or English.');
    for (const lang of ['en', 'es'] as const) {
      const text = option.label[lang].trim().toLocaleLowerCase(lang);
      if (!text) continue;
      if (labels[lang].has(text)) add('duplicate_option_label', `${path}[${i}].label.${lang}`, `Two options read "${option.label[lang].trim()}".`);
      labels[lang].add(text);
    }
  });
}

function checkNumberSpec(spec: { unit?: string | null; min?: number | null; max?: number | null }, path: string, add: Add) {
  if (spec.unit !== undefined && spec.unit !== null && !parseUnit(spec.unit)) add('bad_unit', `${path}.unit`, `"${spec.unit}" is not a unit code (for example PERCENT, NUMBER).`);
  if (typeof spec.min === 'number' && typeof spec.max === 'number' && spec.min > spec.max) add('bad_range', path, 'The minimum is above the maximum.');
}

function checkDateSpec(spec: { min?: string | null; max?: string | null }, path: string, add: Add) {
  for (const bound of ['min', 'max'] as const) {
    const value = spec[bound];
    if (value && !isDate(value)) add('bad_date', `${path}.${bound}`, `"${value}" is not a date.`);
  }
  if (spec.min && spec.max && spec.min > spec.max) add('bad_range', path, 'The earliest date is after the latest.');
}

function checkQuestion(question: Question, path: string, add: Add) {
  switch (question.type) {
    case 'number':
      return checkNumberSpec(question, path, add);
    case 'date':
      return checkDateSpec(question, path, add);
    case 'single_choice':
      return checkOptions(question.options, `${path}.options`, add);
    case 'multiple_choice': {
      checkOptions(question.options, `${path}.options`, add);
      const most = question.options.length + (question.other ? 1 : 0);
      if (typeof question.maxSelected === 'number' && question.maxSelected > most) add('bad_max_selected', `${path}.maxSelected`, `At most ${most} choices exist.`);
      return;
    }
    case 'table':
      return checkTable(question, path, add);
    default:
      return;
  }
}

function checkTable(table: TableQuestion, path: string, add: Add) {
  const columns = new Map<string, number>();
  table.columns.forEach((column, c) => {
    const colPath = `${path}.columns[${c}]`;
    if (columns.has(column.id)) add('duplicate_column', colPath, `The column id "${column.id}" is used twice.`);
    if (empty(column.label)) add('text_missing', `${colPath}.label`, 'The column needs a text in Spanish or English.');
    if (column.type === 'choice') checkOptions(column.options, `${colPath}.options`, add);
    if (column.type === 'number') checkNumberSpec(column, colPath, add);
    if (column.type === 'date') checkDateSpec(column, colPath, add);
    if (column.readOnly && column.required) add('read_only_required', colPath, 'A read-only column is filled by the organizer; it cannot be required of the respondent.');
    if (column.readOnly && table.rows.kind === 'open') add('read_only_on_open_rows', colPath, 'Rows the respondent adds have no given values: a read-only column needs fixed or generated rows.');
    if (column.when) {
      const when = column.when;
      const source = columns.get(when.column);
      if (when.column === column.id) add('condition_self_reference', `${colPath}.when`, 'A column cannot depend on itself.');
      else if (source === undefined) {
        const later = table.columns.some((other) => other.id === when.column);
        add(later ? 'condition_forward_reference' : 'condition_unknown_column', `${colPath}.when`, later ? `A column may only depend on an earlier column; "${when.column}" comes later.` : `No column "${when.column}".`);
      } else {
        const subject = table.columns[source]!;
        const misfit = conditionFits(when, subject.type, optionsOf(subject));
        if (misfit) add(misfit, `${colPath}.when`, `The condition "${when.op}" does not fit the column "${when.column}" (${subject.type}).`);
      }
    }
    if (!columns.has(column.id)) columns.set(column.id, c);
  });
  if (table.columns.every((column) => column.readOnly)) add('no_writable_column', `${path}.columns`, 'The table has no column for the respondent to fill.');
  if (table.rows.kind !== 'fixed') return;
  const rows = new Set<string>();
  table.rows.rows.forEach((row, r) => {
    const rowPath = `${path}.rows.rows[${r}]`;
    if (rows.has(row.id)) add('duplicate_row', rowPath, `The row id "${row.id}" is used twice.`);
    rows.add(row.id);
    if (empty(row.label)) add('text_missing', `${rowPath}.label`, 'The row needs a text in Spanish or English.');
    checkGiven(table.columns, row.given ?? {}, rowPath, add);
  });
}

/** The given values of a row: only read-only columns, each value fitting its column. */
export function checkGiven(columns: readonly Column[], given: Readonly<Record<string, CellValue>>, rowPath: string, add: Add) {
  for (const [key, value] of Object.entries(given)) {
    const column = columns.find((candidate) => candidate.id === key);
    if (!column || !column.readOnly) add('given_not_read_only', `${rowPath}.given.${key}`, `"${key}" is not a read-only column of the table.`);
    else if (!givenFits(column, value)) add('bad_given_value', `${rowPath}.given.${key}`, `The value does not fit the column "${key}" (${column.type}).`);
  }
}
