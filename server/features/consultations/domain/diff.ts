import type { FieldValue } from './answers.js';
import { cellAnswered, isAnswered } from './conditions.js';
import { displayCell, displayValue } from './display.js';
import { indexQuestionnaire, textIn, type Lang } from './questionnaire.js';
import type { AnswerMap, AnswerPath, AnswerValue, Question, Questionnaire, RowDefinition, TableQuestion, TableRowValue } from './schemas.js';

/**
 * What changed between two submissions of one respondent (or a submission and the draft): per
 * question, and in tables per cell, with rows the respondent added or removed listed whole. In the
 * questionnaire's order; answers to questions it no longer has come last. summarizeDiff says it in
 * a sentence per change, in the reader's language.
 */

export interface DiffEntry {
  path: AnswerPath;
  kind: 'added' | 'removed' | 'changed';
  before: FieldValue;
  after: FieldValue;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const present = (value: AnswerValue | undefined): value is AnswerValue => value !== undefined && isAnswered(value);

function diffTable(question: TableQuestion, before: TableRowValue[], after: TableRowValue[], out: DiffEntry[]) {
  const open = question.rows.kind === 'open';
  const rowsBefore = new Map(before.map((row) => [row.id, row]));
  const rowsAfter = new Map(after.map((row) => [row.id, row]));
  // Rows in the order the later answer has them, then the removed ones in their earlier order.
  const ids = [...after.map((row) => row.id), ...before.map((row) => row.id).filter((id) => !rowsAfter.has(id))];
  const columnIds = [...question.columns.map((column) => column.id)];
  for (const id of ids) {
    const a = rowsBefore.get(id);
    const b = rowsAfter.get(id);
    if (open && (!a || !b)) {
      out.push({ path: { question: question.id, row: id }, kind: a ? 'removed' : 'added', before: a ?? null, after: b ?? null });
      continue;
    }
    const columns = [...columnIds, ...Object.keys({ ...a?.cells, ...b?.cells }).filter((column) => !columnIds.includes(column))];
    for (const column of columns) {
      const x = a?.cells[column];
      const y = b?.cells[column];
      const hadX = cellAnswered(x);
      const hasY = cellAnswered(y);
      if (!hadX && !hasY) continue;
      if (hadX && hasY && x === y) continue;
      out.push({ path: { question: question.id, row: id, column }, kind: !hadX ? 'added' : !hasY ? 'removed' : 'changed', before: hadX ? x! : null, after: hasY ? y! : null });
    }
  }
}

export function diffAnswers(questionnaire: Questionnaire, before: AnswerMap, after: AnswerMap): DiffEntry[] {
  const out: DiffEntry[] = [];
  const index = indexQuestionnaire(questionnaire);
  const ids = [...index.ordered.map((entry) => entry.question.id), ...[...new Set([...Object.keys(before), ...Object.keys(after)])].filter((id) => !index.byId.has(id)).sort()];
  for (const id of ids) {
    const a = present(before[id]) ? before[id] : undefined;
    const b = present(after[id]) ? after[id] : undefined;
    if (!a && !b) continue;
    const question = index.byId.get(id)?.question;
    if (question?.type === 'table' && (a?.type ?? 'table') === 'table' && (b?.type ?? 'table') === 'table') {
      diffTable(question, a?.type === 'table' ? a.rows : [], b?.type === 'table' ? b.rows : [], out);
      continue;
    }
    if (a && b && same(a, b)) continue;
    out.push({ path: { question: id }, kind: !a ? 'added' : !b ? 'removed' : 'changed', before: a ?? null, after: b ?? null });
  }
  return out;
}

const QUOTE = { en: ['“', '”'], es: ['«', '»'] } as const;
const WORDS = {
  en: { row: 'row', column: 'column', added: 'added', removed: 'removed', rowAdded: 'row added', rowRemoved: 'row removed', empty: '(empty)' },
  es: { row: 'fila', column: 'columna', added: 'agregada', removed: 'eliminada', rowAdded: 'fila agregada', rowRemoved: 'fila eliminada', empty: '(vacío)' },
} as const;

/**
 * One line per change: “Population census year”: 2010 → 2012; «Operaciones», fila «CASEN»,
 * columna «Periodicidad»: anual → bienal. Rows generated for the respondent are named by their
 * label (pass `generatedRows`).
 */
export function summarizeDiff(questionnaire: Questionnaire, diff: readonly DiffEntry[], lang: Lang, generatedRows: Readonly<Record<string, readonly RowDefinition[]>> = {}): string[] {
  const index = indexQuestionnaire(questionnaire);
  const [open, close] = QUOTE[lang];
  const words = WORDS[lang];
  const quote = (text: string) => `${open}${text}${close}`;
  return diff.map((entry) => {
    const question = index.byId.get(entry.path.question)?.question;
    const name = quote(question ? textIn(question.label, lang) : entry.path.question);
    if (!question) return `${name}: ${entry.kind === 'removed' ? words.removed : words.added}`;
    if (entry.path.row === undefined) {
      const show = (value: FieldValue) => (value === null ? words.empty : displayValue(question as Question, value as AnswerValue, lang));
      return `${name}: ${show(entry.before)} → ${show(entry.after)}`;
    }
    const table = question as TableQuestion;
    const rows = table.rows.kind === 'fixed' ? table.rows.rows : (generatedRows[table.id] ?? []);
    const rowDefinition = rows.find((row) => row.id === entry.path.row);
    const rowName = rowDefinition ? quote(textIn(rowDefinition.label, lang)) : quote(entry.path.row);
    if (entry.path.column === undefined) {
      const row = (entry.after ?? entry.before) as TableRowValue;
      const cells = table.columns.filter((column) => cellAnswered(row.cells[column.id])).map((column) => `${textIn(column.label, lang)}: ${displayCell(column, row.cells[column.id], lang)}`);
      return `${name}, ${entry.kind === 'added' ? words.rowAdded : words.rowRemoved} ${rowName}${cells.length > 0 ? ` (${cells.join('; ')})` : ''}`;
    }
    const column = table.columns.find((candidate) => candidate.id === entry.path.column);
    const show = (value: FieldValue) => (value === null ? words.empty : column ? displayCell(column, value as never, lang) : String(value));
    return `${name}, ${words.row} ${rowName}, ${words.column} ${quote(column ? textIn(column.label, lang) : entry.path.column)}: ${show(entry.before)} → ${show(entry.after)}`;
  });
}
