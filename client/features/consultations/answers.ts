import { msg } from '@lit/localize';
import { pickContent } from '../../app/i18n.js';
import type { AnswerDocuments, AnswerMap, AnswerValue, CellValue, Column, Question, Questionnaire } from './models.js';

/**
 * What the answering form needs of a questionnaire, as the server decides it
 * (server/features/consultations/domain/conditions.ts): which questions show, given the answers.
 * A condition names an earlier question; a question hidden hides what depends on it.
 */

const label = (text: { es: string; en: string }) => pickContent(text.es, text.en);

export function isAnswered(value: AnswerValue | undefined): boolean {
  if (!value) return false;
  switch (value.type) {
    case 'short_text':
    case 'long_text':
      return value.text.trim() !== '';
    case 'number':
    case 'yes_no':
    case 'date':
      return value.value !== null && value.value !== undefined;
    case 'single_choice':
      return value.option !== null || (value.other ?? '').trim() !== '';
    case 'multiple_choice':
      return value.options.length > 0 || (value.other ?? '').trim() !== '';
    case 'file':
      return value.documentIds.length > 0;
    case 'table':
      return value.rows.some((row) => Object.values(row.cells).some((cell) => cell !== null && cell !== ''));
  }
}

export function visibleQuestions(questionnaire: Questionnaire, answers: AnswerMap): Set<string> {
  const shown = new Set<string>();
  const holds = (condition: Question['condition']): boolean => {
    if (!condition) return true;
    if (!shown.has(condition.question)) return false;
    const value = answers[condition.question];
    switch (condition.op) {
      case 'answered':
        return isAnswered(value);
      case 'yes_no':
        return value?.type === 'yes_no' && value.value === condition.value;
      case 'equals':
        if (value?.type === 'single_choice') return value.option === condition.value;
        if (value?.type === 'multiple_choice') return value.options.includes(String(condition.value));
        if (value?.type === 'number') return value.value === condition.value;
        if (value?.type === 'short_text' || value?.type === 'long_text') return value.text.trim().toLowerCase() === String(condition.value).trim().toLowerCase();
        return false;
      case 'in':
        if (value?.type === 'single_choice') return value.option !== null && condition.values.includes(value.option);
        if (value?.type === 'multiple_choice') return value.options.some((option) => condition.values.includes(option));
        return false;
    }
  };
  for (const section of questionnaire.sections) {
    if (!holds(section.condition)) continue;
    for (const question of section.questions) if (holds(question.condition)) shown.add(question.id);
  }
  return shown;
}

export function cellText(column: Column, cell: CellValue | undefined): string {
  if (cell === null || cell === undefined || cell === '') return '';
  if (column.type === 'yes_no') return cell === true ? msg('Yes', { id: 'consultations.yes', desc: 'An answer to a yes-or-no question of a questionnaire' }) : msg('No', { id: 'consultations.no', desc: 'An answer to a yes-or-no question of a questionnaire' });
  if (column.type === 'choice') return label(column.options.find((option) => option.id === cell)?.label ?? { es: String(cell), en: String(cell) });
  return String(cell);
}

/** An answer as a sentence, for the organizers' review and the delegation's own submissions. */
export function answerText(question: Question, value: AnswerValue | undefined, documents: AnswerDocuments = {}): string {
  if (!value || !isAnswered(value)) return '—';
  switch (value.type) {
    case 'short_text':
    case 'long_text':
      return value.text;
    case 'number':
      return String(value.value);
    case 'yes_no':
      return value.value ? msg('Yes', { id: 'consultations.yes', desc: 'An answer to a yes-or-no question of a questionnaire' }) : msg('No', { id: 'consultations.no', desc: 'An answer to a yes-or-no question of a questionnaire' });
    case 'date':
      return value.value ?? '';
    case 'single_choice': {
      const options = 'options' in question ? question.options : [];
      const chosen = options.find((option) => option.id === value.option);
      return chosen ? label(chosen.label) : (value.other ?? '');
    }
    case 'multiple_choice': {
      const options = 'options' in question ? question.options : [];
      return [...value.options.map((id) => label(options.find((option) => option.id === id)?.label ?? { es: id, en: id })), ...(value.other ? [value.other] : [])].join('; ');
    }
    case 'file':
      return value.documentIds.map((id) => (documents[id] ? label(documents[id].title) : id)).join('; ');
    case 'table': {
      if (question.type !== 'table') return '';
      return value.rows.map((row) => `${row.id}: ${question.columns.map((column) => cellText(column, row.cells[column.id])).filter(Boolean).join(', ')}`).join(' | ');
    }
  }
}

export { label };
