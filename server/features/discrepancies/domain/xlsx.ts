import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../../shared/exceljs.js';
import { ImportFileError, collect, type ImportReport, type RowOutcome } from '../../../shared/row-import.js';
import type { Lang } from './codes.js';
import { NATIONAL_COLUMNS, NationalRowReader, nationalLayout, nationalRow, templateExamples, type NationalOptions } from './national-template.js';
import type { Observation } from './observations.js';
import type { Cell } from './row-checks.js';
import { toCommonScale } from './units.js';

/**
 * National values from an XLSX workbook: the national template's columns on the first sheet, the
 * header on its first non-empty row. Read with exceljs's streaming reader, row by row, so a large
 * workbook is never held in memory (exceljs parks a sheet stored before the shared strings in a
 * temporary file, which it deletes once read).
 *
 * A cell counts for what it shows: a number formatted as a percentage (0.074 shown as 7.4%) is 7.4,
 * a formula is its last computed result, rich text and links are their text. A date is not a year.
 */

export type XlsxInput = string | Readable;

/** A "%" outside quotes and brackets in a number format means the value is shown times 100. */
const isPercentFormat = (format: string | undefined) => Boolean(format && format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').includes('%'));

function cellOf(value: unknown, format: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return isPercentFormat(format) && Number.isFinite(value) ? toCommonScale(value, 2, 0) : value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; formula?: string; sharedFormula?: string; result?: unknown; error?: string; text?: unknown };
    if (v.richText) return v.richText.map((run) => run.text).join('');
    if (v.formula !== undefined || v.sharedFormula !== undefined) return cellOf(v.result, format);
    if (v.error !== undefined) return v.error;
    if (v.text !== undefined) return cellOf(v.text, format);
  }
  return String(value);
}

const isBlank = (cells: readonly Cell[]) => cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));

/** The rows of the first worksheet as cells (0-based), numbered as the sheet numbers them. */
export async function* xlsxRows(input: XlsxInput): AsyncGenerator<{ row: number; cells: Cell[] }> {
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const excel = await loadExcelJs();
  const reader = new excel.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  // exceljs 4.4 reads a sheet's name from the workbook part and fails ("Cannot read properties of
  // undefined (reading 'sheets')") when a file stores that part after the sheets and the shared
  // strings before them (exceljs issue 3064). Names are not needed here; the part, once read,
  // replaces this placeholder.
  (reader as unknown as { model?: { sheets: unknown[] } }).model ??= { sheets: [] };
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets += 1;
      // Later sheets (notes, code lists) are read through and dropped, so their temporary files go.
      if (sheets > 1) {
        for await (const _row of sheet) void _row;
        continue;
      }
      for await (const row of sheet) {
        const cells: Cell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          while (cells.length < col - 1) cells.push(null);
          cells[col - 1] = cellOf(cell.value, cell.numFmt);
        });
        if (!isBlank(cells)) yield { row: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('unreadable_file', 'The file is not an XLSX workbook that can be read. Save it again as "Excel Workbook (.xlsx)".');
  } finally {
    stream.destroy();
  }
}

export async function* readNationalXlsx(input: XlsxInput, options: NationalOptions): AsyncGenerator<RowOutcome<Observation>> {
  let reader: NationalRowReader | null = null;
  for await (const { row, cells } of xlsxRows(input)) {
    if (!reader) {
      const layout = nationalLayout(cells);
      if (layout.ignored.length > 0) options.onIgnoredColumns?.(layout.ignored);
      reader = new NationalRowReader(layout, options);
      continue;
    }
    // Text cells follow the convention of a spreadsheet in Spanish as well: "8,5" is 8.5.
    yield reader.read(row, cells, 'either');
  }
  if (!reader) throw new ImportFileError('empty_file', 'The first sheet has no rows.');
}

export const importNationalXlsx = (input: XlsxInput, options: NationalOptions & { maxErrors?: number }): Promise<ImportReport<Observation>> => collect(readNationalXlsx(input, options), options);

/** The template as a workbook: the columns and example rows on the first sheet, what each column means on the second. */
export async function nationalTemplateXlsx(lang: Lang): Promise<Buffer> {
  const excel = await loadExcelJs();
  const book = new excel.Workbook();
  const data = book.addWorksheet(lang === 'es' ? 'Datos' : 'Data', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.addRow(NATIONAL_COLUMNS.map((c) => c.header[lang]));
  data.getRow(1).font = { bold: true };
  for (const example of templateExamples(lang)) {
    const cells = nationalRow(example, 'en');
    data.addRow(cells.map((text, i) => (text === '' ? null : ['year', 'value', 'unit_mult'].includes(NATIONAL_COLUMNS[i]!.key) ? Number(text) : text)));
  }
  data.columns.forEach((col, i) => (col.width = Math.max(12, NATIONAL_COLUMNS[i]!.header[lang].length + 4)));
  const notes = book.addWorksheet(lang === 'es' ? 'Columnas' : 'Columns');
  notes.addRow(lang === 'es' ? ['columna', 'obligatoria', 'contenido'] : ['column', 'required', 'content']);
  notes.getRow(1).font = { bold: true };
  for (const c of NATIONAL_COLUMNS) notes.addRow([c.header[lang], c.required ? (lang === 'es' ? 'sí' : 'yes') : 'no', c.description[lang]]);
  notes.getColumn(1).width = 24;
  notes.getColumn(3).width = 100;
  return Buffer.from(await book.xlsx.writeBuffer());
}
