import { unitLabel } from '../../discrepancies/public.js';
import { textIn, type Lang } from './questionnaire.js';
import type { AnswerValue, CellValue, Column, Option, Question } from './schemas.js';

/**
 * Answers as people read them, in the reader's language: option labels rather than ids, "Yes"/"Sí",
 * "Other: ..." for an answer outside the list. Numbers stay numbers (exportValue) where a
 * spreadsheet will read them, and are written in the language's convention in prose (displayValue).
 */

const WORDS = {
  en: { yes: 'Yes', no: 'No', other: 'Other' },
  es: { yes: 'Sí', no: 'No', other: 'Otra' },
} as const;

export const yesNo = (value: boolean, lang: Lang) => (value ? WORDS[lang].yes : WORDS[lang].no);

const optionLabel = (options: readonly Option[], id: string, lang: Lang) => {
  const option = options.find((candidate) => candidate.id === id);
  return option ? textIn(option.label, lang) : id;
};

/** The separator of a multiple choice's labels in one cell. */
export const CHOICE_SEPARATOR = '; ';

/** Made once per language: an Intl formatter costs tens of microseconds to create, and a report formats thousands of figures. */
const NUMBER_FORMATS: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en', { maximumFractionDigits: 20, useGrouping: false }),
  es: new Intl.NumberFormat('es', { maximumFractionDigits: 20, useGrouping: false }),
};
export const formatNumber = (value: number, lang: Lang) => NUMBER_FORMATS[lang].format(value);

export type ExportValue = string | number | null;

/**
 * A question's answer as one spreadsheet cell: a number as a number, a choice as its label(s), a
 * table as null (tables go to their own sheet). `documentTitle` names an attached document.
 */
export function exportValue(question: Question, value: AnswerValue | undefined, lang: Lang, documentTitle: (id: string) => string = (id) => id): ExportValue {
  if (!value || value.type !== question.type) return null;
  switch (value.type) {
    case 'short_text':
    case 'long_text':
      return value.text;
    case 'number':
      return value.value;
    case 'yes_no':
      return yesNo(value.value, lang);
    case 'date':
      return value.value;
    case 'single_choice': {
      if (question.type !== 'single_choice') return null;
      if (value.option !== null) return optionLabel(question.options, value.option, lang);
      return value.other?.trim() ? `${WORDS[lang].other}: ${value.other.trim()}` : null;
    }
    case 'multiple_choice': {
      if (question.type !== 'multiple_choice') return null;
      // In the questionnaire's order, whatever order they were ticked in.
      const chosen = question.options.filter((option) => value.options.includes(option.id)).map((option) => textIn(option.label, lang));
      for (const id of value.options) if (!question.options.some((option) => option.id === id)) chosen.push(id);
      if (value.other?.trim()) chosen.push(`${WORDS[lang].other}: ${value.other.trim()}`);
      return chosen.length > 0 ? chosen.join(CHOICE_SEPARATOR) : null;
    }
    case 'file':
      return value.documentIds.length > 0 ? value.documentIds.map(documentTitle).join(CHOICE_SEPARATOR) : null;
    case 'table':
      return null;
  }
}

/** A cell as one spreadsheet cell. */
export function exportCell(column: Column, cell: CellValue | undefined, lang: Lang): ExportValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'boolean') return yesNo(cell, lang);
  if (column.type === 'choice' && typeof cell === 'string') return optionLabel(column.options, cell, lang);
  return cell;
}

/** A plain count reads better without "number" after it. */
const suffix = (unit: string | null | undefined, lang: Lang) => (unit && unit !== 'NUMBER' ? ` ${unitLabel(unit, lang)}` : '');

const prose = (value: ExportValue, lang: Lang) => (typeof value === 'number' ? formatNumber(value, lang) : (value ?? ''));

/** A question's answer in a sentence: numbers with their unit. Tables are summarized by their row count. */
export function displayValue(question: Question, value: AnswerValue | undefined, lang: Lang, documentTitle?: (id: string) => string): string {
  if (!value) return '';
  if (value.type === 'table') {
    const n = value.rows.length;
    return lang === 'es' ? `${n} ${n === 1 ? 'fila' : 'filas'}` : `${n} ${n === 1 ? 'row' : 'rows'}`;
  }
  const text = prose(exportValue(question, value, lang, documentTitle), lang);
  if (value.type === 'number' && question.type === 'number') return `${text}${suffix(question.unit, lang)}`;
  return text;
}

export function displayCell(column: Column, cell: CellValue | undefined, lang: Lang): string {
  const text = prose(exportCell(column, cell, lang), lang);
  if (typeof cell === 'number' && column.type === 'number') return `${text}${suffix(column.unit, lang)}`;
  return text;
}

/** The unit label of a number question or column, or empty. */
export const unitOf = (subject: Question | Column, lang: Lang) => (subject.type === 'number' && subject.unit ? unitLabel(subject.unit, lang) : '');
