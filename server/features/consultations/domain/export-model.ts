import { cellAnswered } from './conditions.js';
import { displayCell, displayValue, exportCell, exportValue, unitOf, type ExportValue } from './display.js';
import type { RespondentStatus } from './lifecycle.js';
import { indexQuestionnaire, textIn, type Lang } from './questionnaire.js';
import type { AnswerMap, BilingualText, Question, Questionnaire, RowDefinition, TableQuestion } from './schemas.js';
import { definedRows } from './validation.js';

/**
 * The layouts every export shares, as plain sheets (a header and rows of cells) that the CSV and
 * XLSX writers (export-files.ts) and the consolidated report render:
 *
 * - **wide**: a row per respondent, a column per question (tables excepted), a multiple choice as
 *   its labels joined with "; ";
 * - **long**: a row per answer: respondent, question, row, column, value, unit; tables' cells included;
 * - **table sheets**: per table question, a row per respondent and table row, a column per table column;
 * - **side by side**: per question, every respondent's answer, for the consolidated report.
 *
 * Labels are in the reader's language (contentLanguage: Portuguese readers get Spanish, French
 * readers English); figures stay numbers. Every target appears in the wide sheet, answered or not;
 * what a respondent answered is its standing submission only (drafts are the delegation's own).
 */

export interface RespondentAnswers {
  respondent: string;
  /** What the sheets show in the code column: ISO code, or an agency's acronym. */
  code: string;
  name: BilingualText;
  status: RespondentStatus;
  submittedAt: number | null;
  submissionNumber: number | null;
  /** The standing submission, or null when there is none. */
  answers: AnswerMap | null;
  generatedRows?: Readonly<Record<string, readonly RowDefinition[]>>;
}

export interface ExportInput {
  questionnaire: Questionnaire;
  respondents: readonly RespondentAnswers[];
  lang: Lang;
  /** Names an attached library document; its id otherwise. */
  documentTitle?: (id: string) => string;
  /** Where an attached document is read (the side-by-side view and the report link its name). */
  documentUrl?: (id: string) => string;
}

export type ExportCell = ExportValue;

export interface Sheet {
  key: string;
  /** At most 31 characters, unique, none of []:*?/\ (what Excel accepts). */
  name: string;
  header: string[];
  rows: ExportCell[][];
}

export interface ExportBook {
  wide: Sheet;
  long: Sheet;
  tables: Sheet[];
}

const STATUS_LABELS: Record<RespondentStatus, BilingualText> = {
  not_started: { en: 'Not started', es: 'Sin iniciar' },
  draft: { en: 'Draft', es: 'Borrador' },
  submitted: { en: 'Submitted', es: 'Enviada' },
  declined: { en: 'Declined', es: 'Declinó' },
  late: { en: 'Late', es: 'Atrasada' },
  extended: { en: 'Extended', es: 'Con prórroga' },
};
export const statusLabel = (status: RespondentStatus, lang: Lang) => STATUS_LABELS[status][lang];

const HEADERS = {
  en: { code: 'Code', name: 'Country', status: 'Status', submission: 'Submission', submittedAt: 'Submitted at (UTC)', questionId: 'Question id', question: 'Question', rowId: 'Row id', row: 'Row', columnId: 'Column id', column: 'Column', value: 'Value', unit: 'Unit', wide: 'By country', long: 'Answers' },
  es: { code: 'Código', name: 'País', status: 'Estado', submission: 'Envío', submittedAt: 'Enviada el (UTC)', questionId: 'Id. de la pregunta', question: 'Pregunta', rowId: 'Id. de la fila', row: 'Fila', columnId: 'Id. de la columna', column: 'Columna', value: 'Valor', unit: 'Unidad', wide: 'Por país', long: 'Respuestas' },
} as const;

const utc = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z'));
const withUnit = (label: string, unit: string) => (unit ? `${label} (${unit})` : label);
const questionHeader = (question: Question, lang: Lang) => `${withUnit(textIn(question.label, lang), unitOf(question, lang))} [${question.id}]`;

/** The rows a respondent's table shows: every row offered, or the rows it added. */
function tableRowsOf(table: TableQuestion, respondent: RespondentAnswers): Array<{ id: string; definition: RowDefinition | undefined; cells: Record<string, unknown> }> {
  const value = respondent.answers?.[table.id];
  const answered = value?.type === 'table' ? value.rows : [];
  const offered = definedRows(table, { questionnaire: { sections: [] }, generatedRows: respondent.generatedRows ?? {} });
  if (!offered) return answered.map((row) => ({ id: row.id, definition: undefined, cells: row.cells }));
  const byId = new Map(answered.map((row) => [row.id, row]));
  return offered.map((definition) => ({ id: definition.id, definition, cells: byId.get(definition.id)?.cells ?? {} }));
}

/** Sheet names Excel accepts: at most 31 characters, none of []:*?/\, unique regardless of case. */
export function sheetNames(wanted: readonly string[]): string[] {
  const used = new Set<string>();
  return wanted.map((raw) => {
    const base = raw.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet';
    let name = base;
    for (let n = 2; used.has(name.toLocaleLowerCase()); n += 1) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
    used.add(name.toLocaleLowerCase());
    return name;
  });
}

export function exportBook(input: ExportInput): ExportBook {
  const { lang } = input;
  const h = HEADERS[lang];
  const title = input.documentTitle ?? ((id: string) => id);
  const questions = indexQuestionnaire(input.questionnaire).ordered.map((entry) => entry.question);
  const plain = questions.filter((question) => question.type !== 'table');
  const tables = questions.filter((question): question is TableQuestion => question.type === 'table');
  const lead = (r: RespondentAnswers) => [r.code, textIn(r.name, lang)];

  const wide: Sheet = {
    key: 'wide',
    name: h.wide,
    header: [h.code, h.name, h.status, h.submission, h.submittedAt, ...plain.map((question) => questionHeader(question, lang))],
    rows: input.respondents.map((r) => [...lead(r), statusLabel(r.status, lang), r.submissionNumber, utc(r.submittedAt), ...plain.map((question) => exportValue(question, r.answers?.[question.id], lang, title))]),
  };

  const long: Sheet = { key: 'long', name: h.long, header: [h.code, h.name, h.questionId, h.question, h.rowId, h.row, h.columnId, h.column, h.value, h.unit], rows: [] };
  for (const r of input.respondents) {
    if (!r.answers) continue;
    for (const question of questions) {
      const label = textIn(question.label, lang);
      if (question.type !== 'table') {
        const value = exportValue(question, r.answers[question.id], lang, title);
        if (value !== null) long.rows.push([...lead(r), question.id, label, null, null, null, null, value, unitOf(question, lang) || null]);
        continue;
      }
      for (const row of tableRowsOf(question, r)) {
        for (const column of question.columns) {
          const cell = row.cells[column.id] as never;
          if (column.readOnly || !cellAnswered(cell)) continue;
          long.rows.push([...lead(r), question.id, label, row.id, row.definition ? textIn(row.definition.label, lang) : null, column.id, textIn(column.label, lang), exportCell(column, cell, lang), unitOf(column, lang) || null]);
        }
      }
    }
  }

  const names = sheetNames([h.wide, h.long, ...tables.map((table) => `${table.id} ${textIn(table.label, lang)}`)]);
  wide.name = names[0]!;
  long.name = names[1]!;
  const tableSheets = tables.map((table, i): Sheet => ({
    key: `table:${table.id}`,
    name: names[i + 2]!,
    header: [h.code, h.name, h.rowId, h.row, ...table.columns.map((column) => withUnit(textIn(column.label, lang), unitOf(column, lang)))],
    rows: input.respondents
      .filter((r) => r.answers)
      .flatMap((r) =>
        tableRowsOf(table, r).map((row) => [
          ...lead(r),
          row.id,
          row.definition ? textIn(row.definition.label, lang) : null,
          ...table.columns.map((column) => exportCell(column, (column.readOnly ? row.definition?.given?.[column.id] : row.cells[column.id]) as never, lang)),
        ]),
      ),
  }));
  return { wide, long, tables: tableSheets };
}

export interface SideBySideEntry {
  respondent: string;
  code: string;
  name: string;
  status: RespondentStatus;
  /** The answer as a sentence, empty when unanswered. */
  display: string;
  /** A file question's documents: their names and where to read them. */
  files?: Array<{ id: string; title: string; url: string }>;
}

export interface SideBySideTableRow {
  respondent: string;
  code: string;
  name: string;
  rowId: string;
  row: string;
  cells: string[];
}

export type SideBySideQuestion =
  | { id: string; label: string; type: Exclude<Question['type'], 'table'>; unit: string; answered: number; entries: SideBySideEntry[] }
  | { id: string; label: string; type: 'table'; columns: Array<{ id: string; label: string; unit: string }>; answered: number; rows: SideBySideTableRow[] };

export interface SideBySideSection {
  id: string;
  title: string;
  questions: SideBySideQuestion[];
}

/** Per section and question, every respondent's answer: what the consolidated report prints. */
export function sideBySide(input: ExportInput): SideBySideSection[] {
  const { lang } = input;
  const title = input.documentTitle ?? ((id: string) => id);
  const url = input.documentUrl ?? ((id: string) => `/documents/${encodeURIComponent(id)}`);
  return input.questionnaire.sections.map((section) => ({
    id: section.id,
    title: textIn(section.title, lang),
    questions: section.questions.map((question): SideBySideQuestion => {
      const label = textIn(question.label, lang);
      const answered = input.respondents.filter((r) => r.answers?.[question.id] !== undefined).length;
      if (question.type !== 'table') {
        const entries = input.respondents.map((r): SideBySideEntry => {
          const value = r.answers?.[question.id];
          const entry: SideBySideEntry = { respondent: r.respondent, code: r.code, name: textIn(r.name, lang), status: r.status, display: displayValue(question, value, lang, title) };
          if (value?.type === 'file') entry.files = value.documentIds.map((id) => ({ id, title: title(id), url: url(id) }));
          return entry;
        });
        return { id: question.id, label, type: question.type, unit: unitOf(question, lang), answered, entries };
      }
      const rows = input.respondents
        .filter((r) => r.answers)
        .flatMap((r) =>
          tableRowsOf(question, r).map((row) => ({
            respondent: r.respondent,
            code: r.code,
            name: textIn(r.name, lang),
            rowId: row.id,
            row: row.definition ? textIn(row.definition.label, lang) : '',
            cells: question.columns.map((column) => displayCell(column, (column.readOnly ? row.definition?.given?.[column.id] : row.cells[column.id]) as never, lang)),
          })),
        );
      return { id: question.id, label, type: 'table', columns: question.columns.map((column) => ({ id: column.id, label: textIn(column.label, lang), unit: unitOf(column, lang) })), answered, rows };
    }),
  }));
}
