import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../../shared/exceljs.js';
import { inWorker } from '../../../shared/in-worker.js';
import { MATRIX_COLUMNS, type Matrix, type MatrixColumn, type MatrixRow } from './matrix.js';

/**
 * The matrix as files: an XLSX workbook (exceljs) and a standalone printable HTML page (a print
 * stylesheet in one <style> element allowed by its hash, no scripts, every text escaped), as the
 * meeting minutes are exported. The round's routes send the page with MATRIX_STYLES_CSP.
 */

/** One cell of a row: its column, its value, and the passage the anchor cell quotes. */
export interface MatrixCell {
  column: MatrixColumn;
  /** The row's number for its column (a number in the workbook), text for every other. */
  value: number | string;
  quote: string | null;
}

/**
 * The one walk over a row, in MATRIX_COLUMNS order, that both files write: the workbook puts the
 * quote in the anchor's cell text, the page sets it apart.
 */
export function matrixCells(row: MatrixRow): MatrixCell[] {
  return MATRIX_COLUMNS.map((column) => ({ column, value: column === 'number' ? row.number : row[column], quote: column === 'anchor' ? row.quote : null }));
}

/** The header row's texts, in the same order. */
const headings = (matrix: Matrix) => MATRIX_COLUMNS.map((column) => matrix.columns[column]);

const WIDTHS: Record<(typeof MATRIX_COLUMNS)[number], number> = { number: 6, party: 18, anchor: 22, type: 12, comment: 50, proposedChange: 40, disposition: 18, rationale: 45, reply: 28, appliedIn: 18 };

/** The workbook, built in a worker thread of its own (server/shared/in-worker.ts: what building it costs in memory goes with the worker). */
export const matrixXlsxInWorker = (matrix: Matrix): Promise<Buffer> => inWorker(new URL(import.meta.url), 'matrixXlsx', matrix);

export async function matrixXlsx(matrix: Matrix): Promise<Buffer> {
  const excel = await loadExcelJs();
  const workbook = new excel.Workbook();
  workbook.creator = 'Concilia';
  workbook.created = new Date(matrix.generatedAt);
  const sheet = workbook.addWorksheet(matrix.labels.sheet, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = MATRIX_COLUMNS.map((key) => ({ key, width: WIDTHS[key] }));
  const header = sheet.addRow(headings(matrix));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
  for (const row of matrix.rows) {
    // Plain strings: exceljs stores them as text, so "=…" in a comment is never a formula.
    const added = sheet.addRow(matrixCells(row).map((cell) => (cell.quote ? `${cell.value} «${cell.quote}»` : cell.value)));
    added.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: MATRIX_COLUMNS.length } };
  const about = workbook.addWorksheet(matrix.labels.about);
  about.columns = [{ width: 24 }, { width: 80 }];
  about.addRows([
    [matrix.labels.title, ''],
    [matrix.labels.document, matrix.documentTitle],
    [matrix.labels.version, matrix.versionName],
    [matrix.labels.generated, matrix.generatedAt],
    [matrix.labels.source, matrix.pageUrl],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The print stylesheet, inline in the page and allowed by its hash in the page's Content-Security-Policy. */
export const MATRIX_STYLES = `
@page { size: A4 landscape; margin: 1.5cm 1.2cm 1.6cm; }
html { color: #111; background: #fff; }
body { font: 9.5pt/1.4 Georgia, "Times New Roman", serif; margin: 0 auto; padding: 1.5rem; }
header { border-bottom: 2px solid #111; margin-bottom: 1rem; padding-bottom: .5rem; }
.kind { font: 600 8.5pt/1.2 system-ui, sans-serif; letter-spacing: .06em; text-transform: uppercase; color: #444; margin: 0; }
h1 { font-size: 16pt; line-height: 1.2; margin: .2rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .25rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; white-space: pre-wrap; }
th { background: #eee; font: 600 8.5pt/1.25 system-ui, sans-serif; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.quote { display: block; font-style: italic; color: #333; }
footer { margin-top: 1.2rem; border-top: 1px solid #999; padding-top: .4rem; font-size: 8.5pt; color: #444; }
a { color: inherit; }
@media print { body { padding: 0; } }
`;

export const MATRIX_STYLES_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(MATRIX_STYLES).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function matrixHtml(matrix: Matrix): string {
  const cell = (cell: MatrixCell) => `${escapeHtml(String(cell.value))}${cell.quote ? `<span class="quote">«${escapeHtml(cell.quote)}»</span>` : ''}`;
  const parts = [
    '<!doctype html>',
    `<html lang="${matrix.language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(`${matrix.labels.title}: ${matrix.documentTitle}`)}</title>`,
    `<style>${MATRIX_STYLES}</style></head>`,
    '<body><main>',
    '<header>',
    `<p class="kind">${escapeHtml(matrix.labels.title)}</p>`,
    `<h1>${escapeHtml(matrix.documentTitle)}</h1>`,
    `<p>${escapeHtml(matrix.labels.version)}: ${escapeHtml(matrix.versionName)} · ${escapeHtml(matrix.labels.generated)}: ${escapeHtml(matrix.generatedAt.slice(0, 10))}</p>`,
    '</header>',
  ];
  if (matrix.rows.length === 0) parts.push(`<p>${escapeHtml(matrix.labels.empty)}</p>`);
  else {
    parts.push(
      `<table><thead><tr>${headings(matrix).map((heading) => `<th scope="col">${escapeHtml(heading)}</th>`).join('')}</tr></thead><tbody>`,
      ...matrix.rows.map((row) => `<tr>${matrixCells(row).map((each) => `<td>${cell(each)}</td>`).join('')}</tr>`),
      '</tbody></table>',
    );
  }
  parts.push('<footer>', `<p>${escapeHtml(matrix.labels.source)}: <a href="${escapeHtml(matrix.pageUrl)}">${escapeHtml(matrix.pageUrl)}</a></p>`, '</footer>', '</main></body></html>');
  return parts.join('\n');
}
