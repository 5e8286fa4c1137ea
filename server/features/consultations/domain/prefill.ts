import { fieldKey, type AnswerSet, type FieldMeta } from './answers.js';
import { cellAnswered } from './conditions.js';
import { indexQuestionnaire } from './questionnaire.js';
import type { AnswerMap, AnswerPath, CellValue, Questionnaire, TableQuestion, TableRowValue } from './schemas.js';
import { checkAnswer, checkCell, definedRows, type AnswerContext } from './validation.js';

/**
 * A new round's draft pre-filled from the same respondent's submission to an earlier round of the
 * same questionnaire (as UNSD's Demographic Yearbook sends each country last year's figures).
 * Questions are matched by id. A value is copied only when it still fits: a question whose type
 * changed is not pre-filled, nor a choice whose option is gone; in tables, cells are matched by row
 * and column id (a column whose type changed, a row no longer offered, is left out), and rows the
 * respondent had added are copied up to the new maximum. Generated tables (a data validation round)
 * are never copied: their rows come from the register, anew each round.
 *
 * Every copied value is marked "pre-filled, not confirmed" with its source, until a delegate
 * confirms or edits it; submission is refused while one remains (validation.ts,
 * `prefill_unconfirmed`), so last year's answer is never sent again unread.
 */

export type SkipReason = 'type_changed' | 'no_longer_fits' | 'row_not_offered' | 'column_changed' | 'over_max_rows' | 'generated_rows';

export interface PrefillReport {
  set: AnswerSet;
  prefilled: AnswerPath[];
  skipped: Array<{ path: AnswerPath; reason: SkipReason }>;
}

export interface EarlierRound {
  questionnaire: Questionnaire;
  /** The respondent's last submission to it. */
  answers: AnswerMap;
  /** A label for the mark: "submission:<id>". */
  source: string;
}

export function prefillFromEarlier(context: AnswerContext, earlier: EarlierRound, now: number): PrefillReport {
  const before = indexQuestionnaire(earlier.questionnaire).byId;
  const answers: AnswerMap = {};
  const prefilled: AnswerPath[] = [];
  const skipped: PrefillReport['skipped'] = [];
  for (const { question } of indexQuestionnaire(context.questionnaire).ordered) {
    const old = before.get(question.id)?.question;
    const value = earlier.answers[question.id];
    if (!old || !value) continue;
    const path = { question: question.id };
    if (old.type !== question.type || value.type !== question.type) {
      skipped.push({ path, reason: 'type_changed' });
      continue;
    }
    if (question.type !== 'table' || value.type !== 'table' || old.type !== 'table') {
      if (checkAnswer(question, value, 'save', context).length > 0) skipped.push({ path, reason: 'no_longer_fits' });
      else {
        answers[question.id] = structuredClone(value);
        prefilled.push(path);
      }
      continue;
    }
    const rows = prefillTable(question, old, value.rows, context, prefilled, skipped);
    if (rows.length > 0) answers[question.id] = { type: 'table', rows };
  }
  const mark: FieldMeta = { revision: 1, by: null, at: now, prefilled: { from: earlier.source } };
  const fields: Record<string, FieldMeta> = {};
  for (const path of prefilled) fields[fieldKey(path)] = { ...mark, prefilled: { ...mark.prefilled! } };
  return { set: { revision: prefilled.length > 0 ? 1 : 0, answers, fields }, prefilled, skipped };
}

function prefillTable(table: TableQuestion, old: TableQuestion, rows: TableRowValue[], context: AnswerContext, prefilled: AnswerPath[], skipped: PrefillReport['skipped']): TableRowValue[] {
  if (table.rows.kind === 'generated' || old.rows.kind === 'generated') {
    skipped.push({ path: { question: table.id }, reason: 'generated_rows' });
    return [];
  }
  const offered = definedRows(table, context);
  const offeredIds = offered ? new Set(offered.map((row) => row.id)) : null;
  const oldColumns = new Map(old.columns.map((column) => [column.id, column]));
  const kept: TableRowValue[] = [];
  for (const row of rows) {
    const rowPath = { question: table.id, row: row.id };
    if (offeredIds && !offeredIds.has(row.id)) {
      skipped.push({ path: rowPath, reason: 'row_not_offered' });
      continue;
    }
    if (table.rows.kind === 'open' && kept.length >= table.rows.maxRows) {
      skipped.push({ path: rowPath, reason: 'over_max_rows' });
      continue;
    }
    const cells: Record<string, CellValue> = {};
    for (const [columnId, cell] of Object.entries(row.cells)) {
      if (!cellAnswered(cell)) continue;
      const path = { ...rowPath, column: columnId };
      const column = table.columns.find((candidate) => candidate.id === columnId);
      if (!column || column.readOnly || column.type !== oldColumns.get(columnId)?.type) {
        skipped.push({ path, reason: 'column_changed' });
        continue;
      }
      if (checkCell(column, cell, 'save', path).length > 0) {
        skipped.push({ path, reason: 'no_longer_fits' });
        continue;
      }
      cells[columnId] = cell;
      prefilled.push(path);
    }
    if (Object.keys(cells).length > 0) kept.push({ id: row.id, cells });
  }
  return kept;
}
