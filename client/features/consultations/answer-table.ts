import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { label } from './answers.js';
import type { AnswerChange, AnswerMap, AnswerValue, CellValue, Column, DraftResponse, Question } from './models.js';

/** What a table question needs of the answer form around it. */
export interface TableForm {
  answers: AnswerMap;
  generatedRows: DraftResponse['generatedRows'];
  change: (change: AnswerChange) => void;
  /** Who else is editing the field, as the form shows it under each question. */
  who: (field: string) => unknown;
}

/** A table question of the delegation's draft: fixed, generated or open rows, typed cells, columns asked only when they apply. */
export function renderAnswerTable(question: Extract<Question, { type: 'table' }>, form: TableForm) {
  const value = form.answers[question.id];
  const answered = value?.type === 'table' ? value.rows : [];
  const defined = question.rows.kind === 'fixed' ? question.rows.rows : question.rows.kind === 'generated' ? (form.generatedRows[question.id] ?? []) : null;
  const rows = defined ? defined.map((row) => ({ id: row.id, label: label(row.label), given: row.given ?? {} })) : answered.map((row) => ({ id: row.id, label: '', given: {} as Record<string, CellValue> }));
  const cellOf = (rowId: string, column: Column) => answered.find((row) => row.id === rowId)?.cells[column.id] ?? (rows.find((row) => row.id === rowId)?.given[column.id] ?? null);
  const setCell = (row: string, column: string, cell: CellValue) => form.change({ question: question.id, row, column, cell });
  return html`<div class="stack" data-field=${question.id}>
    <span id=${`t-${question.id}`}>${label(question.label)}${question.required ? html` <span aria-hidden="true">*</span>` : nothing}</span>
    <div class="table-wrap">
      <table aria-labelledby=${`t-${question.id}`}>
        <thead><tr><th scope="col">${msg('Row')}</th>${question.columns.map((column) => html`<th scope="col">${label(column.label)}</th>`)}</tr></thead>
        <tbody>
          ${rows.length === 0 ? html`<tr><td colspan=${question.columns.length + 1}>${msg('Nothing to answer here for your country.')}</td></tr>` : nothing}
          ${rows.map(
            (row) => html`<tr data-row=${row.id}>
              <th scope="row">${row.label || row.id}</th>
              ${question.columns.map((column) => html`<td data-column=${column.id}>${applies(column, (id) => cellOf(row.id, question.columns.find((c) => c.id === id) ?? column)) ? renderCell(question.id, row.id, column, cellOf(row.id, column), setCell) : html`<span aria-hidden="true">—</span>`}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${question.rows.kind === 'open'
      ? html`<div><cn-button><button type="button" data-add-row @click=${() => form.change({ question: question.id, addRow: `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}` })}>${msg('Add a row')}</button></cn-button></div>`
      : nothing}
    ${form.who(question.id)}
  </div>`;
}

function renderCell(question: string, row: string, column: Column, cell: CellValue, set: (row: string, column: string, cell: CellValue) => void) {
  const name = `${label(column.label)} (${row})`;
  if (column.readOnly) return html`<span>${cell ?? ''}</span>`;
  switch (column.type) {
    case 'number':
      return html`<input aria-label=${name} inputmode="decimal" size="8" .value=${cell === null ? '' : String(cell)} @input=${(event: Event) => {
        const raw = (event.target as HTMLInputElement).value.trim().replace(',', '.');
        set(row, column.id, raw === '' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw);
      }} />`;
    case 'yes_no':
      return html`<select aria-label=${name} @change=${(event: Event) => {
        const raw = (event.target as HTMLSelectElement).value;
        set(row, column.id, raw === '' ? null : raw === 'yes');
      }}>
        <option value="" ?selected=${cell === null}>—</option>
        <option value="yes" ?selected=${cell === true}>${msg('Yes', { id: 'consultations.yes', desc: 'An answer to a yes-or-no question of a questionnaire' })}</option>
        <option value="no" ?selected=${cell === false}>${msg('No', { id: 'consultations.no', desc: 'An answer to a yes-or-no question of a questionnaire' })}</option>
      </select>`;
    case 'choice':
      return html`<select aria-label=${name} @change=${(event: Event) => set(row, column.id, (event.target as HTMLSelectElement).value || null)}>
        <option value="" ?selected=${cell === null}>—</option>
        ${column.options.map((option) => html`<option value=${option.id} ?selected=${cell === option.id}>${label(option.label)}</option>`)}
      </select>`;
    case 'date':
      return html`<input aria-label=${name} type="date" .value=${typeof cell === 'string' ? cell : ''} @change=${(event: Event) => set(row, column.id, (event.target as HTMLInputElement).value || null)} />`;
    default:
      return html`<input aria-label=${name} .value=${cell === null ? '' : String(cell)} @input=${(event: Event) => set(row, column.id, (event.target as HTMLInputElement).value)} />`;
  }
}

/** Whether a column's cell asks anything of this row (a correction's national value only when the row is corrected). */
function applies(column: Column, cellOf: (column: string) => CellValue): boolean {
  const when = column.when;
  if (!when) return true;
  const cell = cellOf(when.column);
  if (when.op === 'answered') return cell !== null && cell !== '';
  if (when.op === 'equals') return cell === when.value;
  return true;
}

/** Applies one change to answers in place, as the server does (for what the form shows before the save returns). */
export function applyChange(answers: AnswerMap, change: AnswerChange) {
  if ('value' in change) {
    if (change.value === null) delete answers[change.question];
    else answers[change.question] = change.value;
    return;
  }
  const table = answers[change.question]?.type === 'table' ? (answers[change.question] as Extract<AnswerValue, { type: 'table' }>) : { type: 'table' as const, rows: [] };
  answers[change.question] = table;
  if ('addRow' in change) {
    if (!table.rows.some((row) => row.id === change.addRow)) table.rows.push({ id: change.addRow, cells: {} });
  } else if ('removeRow' in change) {
    table.rows = table.rows.filter((row) => row.id !== change.removeRow);
  } else if ('cell' in change) {
    let row = table.rows.find((candidate) => candidate.id === change.row);
    if (!row) table.rows.push((row = { id: change.row, cells: {} }));
    row.cells[change.column] = change.cell;
  }
}
