import { staleFields } from '../../../shared/field-revisions.js';
import { indexQuestionnaire } from './questionnaire.js';
import type { AnswerChange, AnswerMap, AnswerPath, AnswerProblem, AnswerSave, AnswerValue, CellValue, TableQuestion, TableRowValue } from './schemas.js';
import { checkAnswer, checkCell, definedRows, problem, type AnswerContext } from './validation.js';

/**
 * A respondent's draft: the answers, and per field who last changed it, when, at which revision,
 * and whether it still holds a value pre-filled from an earlier round. A field is a question
 * ("q3"), a row a respondent added to a table ("t1/r-8f2"), or a table cell ("t1/r-8f2/value"), so
 * two delegates writing different cells of one table never conflict.
 *
 * Autosave follows the minutes' rule (server/shared/field-revisions.ts): a save carries the
 * revision it was based on and is refused as a whole when a field it would change was changed by a
 * later save; the refusal lists, per field, both values (theirs as stored, with who and when, and
 * the one this save would have written), for the client to show side by side. Writing a value
 * already stored changes nothing and never conflicts, so a save repeated after a lost response is
 * harmless.
 */

export interface PrefillMark {
  /** What the value was copied from: "submission:<id>", shown as "from the 2025 round". */
  from: string;
}

export interface FieldMeta {
  revision: number;
  by: string | null;
  at: number;
  /** Set while the value is the pre-filled one, neither confirmed nor edited. */
  prefilled: PrefillMark | null;
}

export interface AnswerSet {
  revision: number;
  answers: AnswerMap;
  fields: Record<string, FieldMeta>;
}

export const emptyAnswerSet = (): AnswerSet => ({ revision: 0, answers: {}, fields: {} });

export const fieldKey = (path: AnswerPath) => [path.question, path.row, path.column].filter((part) => part !== undefined).join('/');
export function pathOf(field: string): AnswerPath {
  const [question, row, column] = field.split('/');
  return { question: question!, ...(row !== undefined ? { row } : {}), ...(column !== undefined ? { column } : {}) };
}

/** What a field holds: a question's answer, a row's cells, or a cell. */
export type FieldValue = AnswerValue | TableRowValue | CellValue | null;

export function valueAt(answers: AnswerMap, path: AnswerPath): FieldValue {
  const value = answers[path.question];
  if (path.row === undefined) return value ?? null;
  if (!value || value.type !== 'table') return null;
  const row = value.rows.find((candidate) => candidate.id === path.row);
  if (!row) return null;
  return path.column === undefined ? row : (row.cells[path.column] ?? null);
}

/** One field an accepted save changed, for the draft's "who changed what" history. */
export interface FieldChange {
  field: string;
  path: AnswerPath;
  kind: 'set' | 'cleared' | 'row_added' | 'row_removed' | 'confirmed';
  before: FieldValue;
  after: FieldValue;
  by: string | null;
  at: number;
  revision: number;
}

export interface Conflict {
  field: string;
  path: AnswerPath;
  /** As stored now, and who put it there. */
  theirs: { value: FieldValue; by: string | null; at: number | null; revision: number };
  /** What this save would have written (for a removed row, null). */
  yours: FieldValue;
}

export type SaveOutcome =
  | { kind: 'saved'; state: AnswerSet; changes: FieldChange[] }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; conflicts: Conflict[] }
  | { kind: 'invalid'; problems: AnswerProblem[] };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function tableOf(answers: AnswerMap, question: string): TableRowValue[] {
  const value = answers[question];
  if (value?.type === 'table') return value.rows;
  const table: AnswerValue = { type: 'table', rows: [] };
  answers[question] = table;
  return table.rows;
}

/**
 * Applies one autosave to a draft. Pure: returns the next state and the changes to log, a conflict,
 * or the problems that make the save invalid (400): unknown questions, rows or columns, a value of
 * the wrong type, read-only cells. Completeness and ranges wait for submission.
 */
export function applyAnswerSave(context: AnswerContext, current: AnswerSet, save: AnswerSave, actor: string | null, now: number): SaveOutcome {
  const questions = indexQuestionnaire(context.questionnaire).byId;
  const answers: AnswerMap = structuredClone(current.answers);
  const problems: AnswerProblem[] = [];
  const kinds = new Map<string, FieldChange['kind']>();
  const before = new Map<string, FieldValue>();
  const dependsOn = new Set<string>();
  const touch = (path: AnswerPath, kind: FieldChange['kind']) => {
    const field = fieldKey(path);
    if (!before.has(field)) before.set(field, valueAt(current.answers, path));
    kinds.set(field, kind);
  };
  const rowRemovedSince = (path: AnswerPath) => (current.fields[fieldKey(path)]?.revision ?? 0) > save.base;

  for (const change of save.changes) {
    const entry = questions.get(change.question);
    if (!entry) {
      problems.push(problem('unknown_question', { question: change.question }, `The questionnaire has no question "${change.question}".`));
      continue;
    }
    const question = entry.question;
    if ('confirm' in change) {
      const prefix = fieldKey(change);
      for (const [field, meta] of Object.entries(current.fields)) {
        if (meta.prefilled && (field === prefix || field.startsWith(`${prefix}/`))) touch(pathOf(field), 'confirmed');
      }
      continue;
    }
    if ('value' in change) {
      if (question.type === 'table') {
        problems.push(problem('table_by_cell', { question: question.id }, 'A table is written cell by cell.'));
        continue;
      }
      if (change.value !== null) {
        const found = checkAnswer(question, change.value, 'save', context);
        if (found.length > 0) {
          problems.push(...found);
          continue;
        }
      }
      const stored = answers[question.id] ?? null;
      if (same(stored, change.value)) continue;
      if (change.value === null) delete answers[question.id];
      else answers[question.id] = structuredClone(change.value);
      touch({ question: question.id }, change.value === null ? 'cleared' : 'set');
      continue;
    }
    if (question.type !== 'table') {
      problems.push(problem('not_a_table', { question: question.id }, 'This question is not a table.'));
      continue;
    }
    tableChange(context, question, change, answers, current, save.base, problems, touch, dependsOn, rowRemovedSince);
  }

  if (problems.length > 0) return { kind: 'invalid', problems };
  // A table left without rows is no answer at all.
  for (const [id, value] of Object.entries(answers)) if (value.type === 'table' && value.rows.length === 0) delete answers[id];
  if (kinds.size === 0) return { kind: 'unchanged' };

  const stale = staleFields({ revision: current.revision, fieldRevision: (field) => current.fields[field]?.revision ?? 0 }, save.base, kinds.keys(), dependsOn);
  if (stale.length > 0) {
    return {
      kind: 'conflict',
      conflicts: stale.map((field) => {
        const path = pathOf(field);
        const meta = current.fields[field];
        return { field, path, theirs: { value: valueAt(current.answers, path), by: meta?.by ?? null, at: meta?.at ?? null, revision: meta?.revision ?? 0 }, yours: kinds.has(field) ? valueAt(answers, path) : null };
      }),
    };
  }

  const revision = current.revision + 1;
  const fields = { ...current.fields };
  const changes: FieldChange[] = [];
  for (const [field, kind] of [...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = pathOf(field);
    fields[field] = { revision, by: actor, at: now, prefilled: null };
    if (kind === 'row_removed') for (const key of Object.keys(fields)) if (key.startsWith(`${field}/`)) delete fields[key];
    changes.push({ field, path, kind, before: before.get(field) ?? null, after: valueAt(answers, path), by: actor, at: now, revision });
  }
  return { kind: 'saved', state: { revision, answers, fields }, changes };
}

type TableChange = Exclude<AnswerChange, { value: unknown } | { confirm: true }>;

function tableChange(
  context: AnswerContext,
  table: TableQuestion,
  change: TableChange,
  answers: AnswerMap,
  current: AnswerSet,
  base: number,
  problems: AnswerProblem[],
  touch: (path: AnswerPath, kind: FieldChange['kind']) => void,
  dependsOn: Set<string>,
  rowRemovedSince: (path: AnswerPath) => boolean,
) {
  const defined = definedRows(table, context);
  const rows = () => tableOf(answers, table.id);
  if ('addRow' in change || 'removeRow' in change) {
    const id = 'addRow' in change ? change.addRow : change.removeRow;
    const path = { question: table.id, row: id };
    if (table.rows.kind !== 'open') return void problems.push(problem('rows_fixed', path, 'The rows of this table are given; they cannot be added or removed.'));
    const list = rows();
    const index = list.findIndex((row) => row.id === id);
    if ('addRow' in change) {
      if (index >= 0) return;
      if (list.length >= table.rows.maxRows) return void problems.push(problem('too_many_rows', path, `At most ${table.rows.maxRows} rows.`));
      list.push({ id, cells: {} });
      touch(path, 'row_added');
      return;
    }
    if (index < 0) return;
    list.splice(index, 1);
    touch(path, 'row_removed');
    // Removing a row someone wrote into since this save's base would lose their cells.
    const prefix = `${fieldKey(path)}/`;
    for (const field of Object.keys(current.fields)) if (field.startsWith(prefix)) dependsOn.add(field);
    return;
  }
  const path = { question: table.id, row: change.row, column: change.column };
  const column = table.columns.find((candidate) => candidate.id === change.column);
  if (!column) return void problems.push(problem('unknown_column', path, `The table has no column "${change.column}".`));
  if (column.readOnly) return void problems.push(problem('read_only_cell', path, 'This cell is given; it cannot be written.'));
  const found = checkCell(column, change.cell, 'save', path);
  if (found.length > 0) return void problems.push(...found);
  const list = rows();
  let row = list.find((candidate) => candidate.id === change.row);
  if (defined) {
    if (!defined.some((definition) => definition.id === change.row)) return void problems.push(problem('unknown_row', path, `The table has no row "${change.row}".`));
  } else {
    const rowPath = { question: table.id, row: change.row };
    // Writing into an added row depends on it still being there.
    dependsOn.add(fieldKey(rowPath));
    if (!row) {
      if (rowRemovedSince(rowPath)) {
        touch(path, change.cell === null ? 'cleared' : 'set');
        return;
      }
      return void problems.push(problem('unknown_row', path, `Add the row "${change.row}" before writing into it.`));
    }
  }
  const stored = row?.cells[change.column] ?? null;
  if (stored === change.cell) return;
  if (!row) {
    row = { id: change.row, cells: {} };
    const position = new Map(defined!.map((definition, i) => [definition.id, i]));
    list.push(row);
    list.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  }
  if (change.cell === null) delete row.cells[change.column];
  else row.cells[change.column] = change.cell;
  // A given row left with no cells is no longer part of the answer.
  if (defined && Object.keys(row.cells).length === 0) list.splice(list.indexOf(row), 1);
  touch(path, change.cell === null ? 'cleared' : 'set');
}

/** The pre-filled values still waiting to be confirmed or edited. */
export function unconfirmedPrefill(set: AnswerSet): Array<{ field: string; path: AnswerPath; from: string }> {
  return Object.entries(set.fields)
    .filter(([, meta]) => meta.prefilled)
    .map(([field, meta]) => ({ field, path: pathOf(field), from: meta.prefilled!.from }))
    .sort((a, b) => (a.field < b.field ? -1 : 1));
}
