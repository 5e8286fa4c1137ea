import { PassThrough, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../../shared/exceljs.js';
import { inWorker } from '../../../shared/in-worker.js';
import { defuseFormula } from '../../../shared/csv-cells.js';
import { exportBook, type ExportCell, type ExportInput, type Sheet } from './export-model.js';

/**
 * The exports as files. CSV: RFC 4180 through csv-stringify, UTF-8 with a byte-order mark (so Excel
 * reads "Perú" and "México" right), CRLF, text cells defused against formula injection, figures left
 * as figures: a comma-separated file with a decimal point, or, for spreadsheets in Spanish, a
 * semicolon-separated one with a decimal comma (as the national template does). A CSV holds one
 * table, so the wide layout is several files (the answers by country, then one per table question)
 * and the long layout is one file holding every answer, tables' cells included. XLSX: one workbook
 * per layout, tables on their own sheets, figures as numbers, header row bold and frozen.
 */

export type Layout = 'wide' | 'long';
export type Separator = 'comma' | 'semicolon';

export interface ExportFile {
  /** A file name without folders: "answers-by-country.csv", "table-t1.csv". */
  name: string;
  content: string;
}

function csvOf(sheet: Sheet, separator: Separator): string {
  const decimalComma = separator === 'semicolon';
  const text = (cell: ExportCell) => {
    if (cell === null) return '';
    if (typeof cell === 'number') return decimalComma ? String(cell).replace('.', ',') : String(cell);
    return defuseFormula(cell);
  };
  return stringify([sheet.header.map(defuseFormula), ...sheet.rows.map((row) => row.map(text))], { bom: true, delimiter: decimalComma ? ';' : ',', record_delimiter: 'windows' });
}

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');

export function exportCsv(input: ExportInput, layout: Layout, separator: Separator = 'comma'): ExportFile[] {
  const book = exportBook(input);
  const prefix = input.lang === 'es' ? { wide: 'respuestas-por-pais', long: 'respuestas', table: 'tabla' } : { wide: 'answers-by-country', long: 'answers', table: 'table' };
  if (layout === 'long') return [{ name: `${prefix.long}.csv`, content: csvOf(book.long, separator) }];
  return [
    { name: `${prefix.wide}.csv`, content: csvOf(book.wide, separator) },
    ...book.tables.map((sheet) => ({ name: `${prefix.table}-${slug(sheet.key.slice('table:'.length))}.csv`, content: csvOf(sheet, separator) })),
  ];
}

type SheetSink = { addWorksheet(name: string, options?: Partial<ExcelJS.AddWorksheetOptions>): ExcelJS.Worksheet };

function addSheet(book: SheetSink, sheet: Sheet, streaming: boolean) {
  const target = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Widths from the header and the first rows, set before any row is written (a streamed sheet cannot change them later).
  target.columns = sheet.header.map((header, i) => ({ width: Math.min(60, Math.max(8, Math.max(header.length, ...sheet.rows.slice(0, 200).map((row) => String(row[i] ?? '').length)) + 2)) }));
  const head = target.addRow(sheet.header);
  head.font = { bold: true };
  if (streaming) head.commit();
  // Strings stay strings: exceljs writes them as text, never as formulas, so nothing needs defusing.
  for (const row of sheet.rows) {
    const added = target.addRow(row);
    if (streaming) added.commit();
  }
  if (streaming) target.commit();
}

/**
 * The workbook streamed into `output` (an HTTP response, a file): rows are written and let go as
 * they are added, so a large export does not hold the whole workbook in memory twice.
 */
export async function writeXlsx(input: ExportInput, layout: Layout, output: Writable): Promise<void> {
  const book = exportBook(input);
  const excel = await loadExcelJs();
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Concilia';
  const sheets = layout === 'wide' ? [book.wide, ...book.tables] : [book.long];
  for (const sheet of sheets) addSheet(workbook, sheet, true);
  await workbook.commit();
}

export async function exportXlsx(input: ExportInput, layout: Layout): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeXlsx(input, layout, sink);
  await ended;
  return Buffer.concat(chunks);
}

/** What the worker thread is handed: the input as data (a function does not cross threads) and the titles of the documents its answers name. */
export interface XlsxJob {
  input: Omit<ExportInput, 'documentTitle' | 'documentUrl'>;
  titles: Record<string, string>;
  layout: Layout;
}

/** The worker's side of exportXlsxInWorker. */
export const xlsxOfJob = (job: XlsxJob): Promise<Buffer> => exportXlsx({ ...job.input, documentTitle: (id) => job.titles[id] ?? id }, job.layout);

/**
 * The workbook, built in a worker thread (server/shared/in-worker.ts, as the rounds' matrix is):
 * a large consultation's workbook took the event loop for over a second, and what exceljs costs
 * in memory goes with the worker.
 */
export function exportXlsxInWorker(input: ExportInput, layout: Layout): Promise<Buffer> {
  const { documentTitle, documentUrl: _url, ...data } = input;
  const titles: Record<string, string> = {};
  if (documentTitle) {
    for (const respondent of input.respondents) {
      for (const value of Object.values(respondent.answers ?? {})) if (value.type === 'file') for (const id of value.documentIds) titles[id] ??= documentTitle(id);
    }
  }
  return inWorker<XlsxJob, Buffer>(new URL(import.meta.url), 'xlsxOfJob', { input: data, titles, layout });
}
