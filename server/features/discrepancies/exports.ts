import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { defuseFormula } from '../../shared/csv-cells.js';
import { loadExcelJs } from '../../shared/exceljs.js';
import { inWorker } from '../../shared/in-worker.js';
import { byLanguage } from '../../shared/terms.js';
import { CAUSES, NATURES, type Lang } from './domain/codes.js';
import type { CaseSeries } from './domain/schemas.js';
import { CASE_STATUSES } from './domain/statuses.js';
import type { CaseDetail, CaseSummary, Matrix } from './schemas.js';

/**
 * The register's exports, pure (views in, bytes out): the cases and the matrix as CSV (RFC 4180
 * through csv-stringify, UTF-8 with a byte-order mark so spreadsheets read accents; semicolons and
 * decimal commas in Spanish) and XLSX (exceljs, figures as numbers), and a case's published note as
 * a printable HTML page (one stylesheet allowed by its hash, no scripts, every text escaped).
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const LABELS = byLanguage(['en', 'es'], {
  indicator: { en: 'Indicator', es: 'Indicador' },
  series: { en: 'Series', es: 'Serie' },
  country: { en: 'Country', es: 'País' },
  year: { en: 'Year', es: 'Año' },
  sex: { en: 'Sex', es: 'Sexo' },
  age: { en: 'Age', es: 'Edad' },
  location: { en: 'Location', es: 'Ubicación' },
  unit: { en: 'Unit', es: 'Unidad' },
  unitMult: { en: 'Unit multiplier', es: 'Multiplicador' },
  national: { en: 'National value', es: 'Valor nacional' },
  international: { en: 'International value', es: 'Valor internacional' },
  nature: { en: 'Nature (international)', es: 'Naturaleza (internacional)' },
  absolute: { en: 'Difference (international − national)', es: 'Diferencia (internacional − nacional)' },
  relative: { en: 'Relative difference', es: 'Diferencia relativa' },
  status: { en: 'Status', es: 'Estado' },
  primaryCause: { en: 'Primary cause', es: 'Causa principal' },
  secondaryCauses: { en: 'Secondary causes', es: 'Causas secundarias' },
  published: { en: 'Published', es: 'Publicado' },
  agencies: { en: 'Agencies', es: 'Organismos' },
  updated: { en: 'Updated', es: 'Actualizado' },
  id: { en: 'Case', es: 'Caso' },
  row: { en: 'Row', es: 'Fila' },
  cases: { en: 'Cases', es: 'Casos' },
  gap: { en: 'Largest gap', es: 'Mayor brecha' },
  yes: { en: 'yes', es: 'sí' },
  no: { en: 'no', es: 'no' },
  matrix: { en: 'Matrix', es: 'Matriz' },
  cells: { en: 'Cells', es: 'Celdas' },
  noteTitle: { en: 'Discrepancy note', es: 'Nota de discrepancia' },
  explanation: { en: 'Explanation agreed by both sides', es: 'Explicación acordada por ambas partes' },
  causes: { en: 'Causes', es: 'Causas' },
  values: { en: 'Values side by side', es: 'Valores lado a lado' },
  source: { en: 'Source', es: 'Fuente' },
  footnote: { en: 'Footnote', es: 'Nota' },
  difference: { en: 'Difference', es: 'Diferencia' },
  agreedCountry: { en: 'Agreed by the country', es: 'Acordada por el país' },
  agreedAgency: { en: 'Agreed by the agency', es: 'Acordada por el organismo' },
  notYetAgreed: { en: 'not yet agreed', es: 'aún no acordada' },
  noExplanation: { en: 'No explanation yet.', es: 'Aún sin explicación.' },
  seriesTitle: { en: 'Both series over the years', es: 'Ambas series a lo largo de los años' },
  none: { en: '—', es: '—' },
  unpublished: { en: 'Not published: seen by the country’s delegation, the coordinator, the secretariat and the agency’s observers only.', es: 'No publicado: lo ven solo la delegación del país, la coordinación, la secretaría y los observadores del organismo.' },
  publishedOn: { en: 'Published on', es: 'Publicado el' },
});
type Labels = (typeof LABELS)[Lang];
export const labelsOf = (lang: Lang): Labels => LABELS[lang];

const statusLabel = (code: string, lang: Lang) => CASE_STATUSES.label(code, lang) ?? code;
const causeLabel = (code: string | null, lang: Lang) => (code ? (CAUSES.label(code, lang) ?? code) : '');

/** One case as a row of figures and labels, the same columns in CSV and XLSX. */
function caseRecord(item: CaseSummary & { secondaryCauses?: string[] }, lang: Lang): Array<string | number | null> {
  const l = LABELS[lang];
  return [
    item.id,
    item.indicator,
    item.series,
    item.country,
    item.year,
    item.disaggregation.sex,
    item.disaggregation.age,
    item.disaggregation.location,
    item.unit,
    item.unitMult,
    item.nationalValue,
    item.internationalValue,
    item.nature,
    item.difference.absolute,
    item.difference.relative,
    statusLabel(item.status, lang),
    causeLabel(item.primaryCause, lang),
    (item.secondaryCauses ?? []).map((cause) => causeLabel(cause, lang)).join('; '),
    item.published ? l.yes : l.no,
    item.agencyIds.join('; '),
    item.updatedAt,
  ];
}

const caseHeader = (lang: Lang) => {
  const l = LABELS[lang];
  return [l.id, l.indicator, l.series, l.country, l.year, l.sex, l.age, l.location, l.unit, l.unitMult, l.national, l.international, l.nature, l.absolute, l.relative, l.status, l.primaryCause, l.secondaryCauses, l.published, l.agencies, l.updated];
};

/** Text cells defused (a formula typed by a person never runs); figures stay figures, in the language's decimal mark. */
function csvOf(header: string[], records: Array<Array<string | number | null>>, lang: Lang): string {
  const cell = (value: string | number | null) => (value === null ? '' : typeof value === 'number' ? (lang === 'es' ? String(value).replace('.', ',') : String(value)) : defuseFormula(value));
  return `\uFEFF${stringify([header, ...records.map((record) => record.map(cell))], { delimiter: lang === 'es' ? ';' : ',', record_delimiter: '\r\n' })}`;
}

export const casesCsv = (items: Array<CaseSummary & { secondaryCauses?: string[] }>, lang: Lang) => csvOf(caseHeader(lang), items.map((item) => caseRecord(item, lang)), lang);

async function bookOf(sheets: Array<{ name: string; header: string[]; records: Array<Array<string | number | null>>; widths?: number[] }>): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const book = new ExcelJS.Workbook();
  book.creator = 'Concilia';
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(sheet.header).font = { bold: true };
    for (const record of sheet.records) ws.addRow(record.map((value) => (typeof value === 'string' ? defuseFormula(value) : value)));
    ws.columns.forEach((column, i) => (column.width = sheet.widths?.[i] ?? Math.min(40, Math.max(10, (sheet.header[i]?.length ?? 8) + 2))));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

type ExportedCases = Array<CaseSummary & { secondaryCauses?: string[] }>;

export const casesXlsx = (items: ExportedCases, lang: Lang) =>
  bookOf([{ name: lang === 'es' ? 'Casos' : 'Cases', header: caseHeader(lang), records: items.map((item) => caseRecord(item, lang)) }]);

const matrixHeader = (matrix: Matrix, lang: Lang) => {
  const l = LABELS[lang];
  return [matrix.by === 'year' ? l.year : l.indicator, l.country, l.cases, l.status, l.gap, l.published];
};
const matrixRecords = (matrix: Matrix, lang: Lang) => matrix.cells.map((cell) => [cell.row, cell.countryId, cell.cases, statusLabel(cell.status, lang), cell.gap, cell.published]);

/** The matrix's cells, one line each (a grid does not survive CSV's readers well). */
export const matrixCsv = (matrix: Matrix, lang: Lang) => csvOf(matrixHeader(matrix, lang), matrixRecords(matrix, lang), lang);

/** The grid as the page shows it (cases per cell, the status's colour) and its cells, one line each. */
export async function matrixXlsx(matrix: Matrix, lang: Lang): Promise<Buffer> {
  const l = LABELS[lang];
  const ExcelJS = await loadExcelJs();
  const book = new ExcelJS.Workbook();
  book.creator = 'Concilia';
  const grid = book.addWorksheet(l.matrix, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  grid.addRow([matrix.by === 'year' ? l.year : l.indicator, ...matrix.countries]).font = { bold: true };
  const byKey = new Map(matrix.cells.map((cell) => [`${cell.row}|${cell.countryId}`, cell]));
  for (const row of matrix.rows) {
    const added = grid.addRow([matrix.by === 'year' ? Number(row) : row, ...matrix.countries.map((country) => byKey.get(`${row}|${country}`)?.cases ?? null)]);
    matrix.countries.forEach((country, i) => {
      const cell = byKey.get(`${row}|${country}`);
      if (!cell) return;
      const target = added.getCell(i + 2);
      target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[cell.status] ?? 'FFFFFFFF' } };
      target.note = `${statusLabel(cell.status, lang)} · ${l.gap}: ${Math.round(cell.gap * 1000) / 10} %`;
    });
  }
  grid.getColumn(1).width = 12;
  const cells = book.addWorksheet(l.cells, { views: [{ state: 'frozen', ySplit: 1 }] });
  cells.addRow(matrixHeader(matrix, lang)).font = { bold: true };
  for (const record of matrixRecords(matrix, lang)) cells.addRow(record);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/*
 * The workbooks as the routes build them: in a worker thread (server/shared/in-worker.ts, as the
 * rounds' matrix is), so that building one (up to the whole register) does not hold the event loop,
 * and what exceljs costs in memory goes with the worker. The jobs take one argument: what crosses.
 */
export const casesXlsxJob = ({ items, lang }: { items: ExportedCases; lang: Lang }) => casesXlsx(items, lang);
export const matrixXlsxJob = ({ matrix, lang }: { matrix: Matrix; lang: Lang }) => matrixXlsx(matrix, lang);
export const casesXlsxInWorker = (items: ExportedCases, lang: Lang) => inWorker<{ items: ExportedCases; lang: Lang }, Buffer>(new URL(import.meta.url), 'casesXlsxJob', { items, lang });
export const matrixXlsxInWorker = (matrix: Matrix, lang: Lang) => inWorker<{ matrix: Matrix; lang: Lang }, Buffer>(new URL(import.meta.url), 'matrixXlsxJob', { matrix, lang });

/** Fill colours by status, as on the page (client/features/discrepancies/status-styles.ts), lighter for print. */
const STATUS_FILLS: Record<string, string> = {
  identified: 'FFF8D0D0',
  under_review: 'FFFBE3C0',
  explained: 'FFFFF3B0',
  reconciling: 'FFDDEBF7',
  reconciled: 'FFD5EED5',
  documented: 'FFE3DCF3',
  closed_invalid: 'FFE5E5E5',
};

// ---- The printable note ----

const NOTE_STYLES = [
  '@page{size:A4;margin:18mm}',
  'body{font:11pt/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:46rem;margin:1.5rem auto;padding:0 1rem}',
  'h1{font-size:1.35rem;margin:.2rem 0 .8rem}h2{font-size:1.05rem;margin:1.4rem 0 .5rem}',
  '.kind{text-transform:uppercase;letter-spacing:.06em;font-size:.75rem;color:#555;margin:0}',
  '.sides{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}',
  '.side{border:1px solid #bbb;border-radius:6px;padding:.6rem .8rem}.side .value{font-size:1.6rem;font-weight:600}',
  'table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:right}th:first-child,td:first-child{text-align:left}',
  '.case-year{background:#fff3b0}.meta{color:#555;font-size:.9rem}.notice{border-left:4px solid #c47f00;padding:.3rem .7rem;background:#fff8e6}',
  'svg{width:100%;height:auto;max-height:16rem}.nat{stroke:#1f5fa8;fill:none;stroke-width:2}.int{stroke:#b3471d;fill:none;stroke-width:2;stroke-dasharray:6 3}',
  '.dot-nat{fill:#1f5fa8}.dot-int{fill:#b3471d}.axis{stroke:#888;stroke-width:1}.tick{font-size:10px;fill:#444}',
  '@media print{.notice{background:none}}',
].join('');

export const NOTE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(NOTE_STYLES).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function formatNumber(value: number | null, lang: Lang): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lang === 'es' ? 'es' : 'en', { maximumFractionDigits: 3 }).format(value);
}

/**
 * Both series as an SVG line chart, drawn server-side so the note needs no script: the national
 * line solid, the international one dashed, a line broken where the series is (years missing, a
 * flagged break), the case's year marked. Values only; the table below gives every figure.
 */
export function seriesSvg(series: CaseSeries, lang: Lang): string {
  const all = [...series.national, ...series.international];
  if (all.length === 0 || !series.years) return '';
  const l = LABELS[lang];
  const width = 640;
  const height = 240;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const { from, to } = series.years;
  let min = Math.min(...all.map((p) => p.value));
  let max = Math.max(...all.map((p) => p.value));
  if (min === max) [min, max] = [min - 1, max + 1];
  const x = (year: number) => pad.left + (to === from ? (width - pad.left - pad.right) / 2 : ((year - from) / (to - from)) * (width - pad.left - pad.right));
  const y = (value: number) => pad.top + (1 - (value - min) / (max - min)) * (height - pad.top - pad.bottom);
  const path = (points: CaseSeries['national']) =>
    points.map((p, i) => `${i === 0 || p.breakBefore ? 'M' : 'L'}${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = (points: CaseSeries['national'], cls: string) => points.map((p) => `<circle class="${cls}" cx="${x(p.year).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5"/>`).join('');
  const ticks = [min, (min + max) / 2, max].map((v) => `<text class="tick" x="${pad.left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatNumber(Math.round(v * 100) / 100, lang))}</text>`).join('');
  const years = [...new Set([from, series.caseYear ?? from, to])].map((year) => `<text class="tick" x="${x(year).toFixed(1)}" y="${height - 8}" text-anchor="middle">${year}</text>`).join('');
  const caseLine = series.caseYear ? `<line class="axis" x1="${x(series.caseYear).toFixed(1)}" x2="${x(series.caseYear).toFixed(1)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke-dasharray="2 3"/>` : '';
  return [
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${l.seriesTitle}: ${l.national} / ${l.international}`)}">`,
    `<line class="axis" x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}"/>`,
    caseLine,
    ticks,
    years,
    `<path class="nat" d="${path(series.national)}"/>`,
    `<path class="int" d="${path(series.international)}"/>`,
    dots(series.national, 'dot-nat'),
    dots(series.international, 'dot-int'),
    '</svg>',
  ].join('');
}

/** The note: both values side by side, the difference, the causes, the agreed explanation, both series as a chart and a table. */
export function caseNoteHtml(detail: CaseDetail, series: CaseSeries, lang: Lang): string {
  const l = LABELS[lang];
  const title = `${lang === 'es' ? 'Indicador' : 'Indicator'} ${detail.indicator} · ${detail.country} · ${detail.year}`;
  const unit = series.unit ? series.unit.label[lang] : detail.unit;
  const side = (label: string, value: number, observation: CaseDetail['national'], nature: string | null) =>
    [
      `<div class="side"><p class="kind">${escapeHtml(label)}</p>`,
      `<p class="value">${escapeHtml(formatNumber(value, lang))}</p>`,
      `<p class="meta">${escapeHtml(unit)}${nature ? ` · ${escapeHtml(l.nature)}: ${escapeHtml(`${nature} (${NATURES.label(nature, lang) ?? nature})`)}` : ''}</p>`,
      observation.source ? `<p class="meta">${escapeHtml(l.source)}: ${escapeHtml(observation.source)}</p>` : '',
      observation.footnote ? `<p class="meta">${escapeHtml(l.footnote)}: ${escapeHtml(observation.footnote)}</p>` : '',
      '</div>',
    ].join('');
  const explanation = detail.explanation;
  const agreed = (label: string, agreement: NonNullable<CaseDetail['explanation']>['agreedByCountry']) =>
    `<li>${escapeHtml(label)}: ${agreement ? `${escapeHtml(agreement.by?.name ?? '')} (${escapeHtml(agreement.at.slice(0, 10))})` : escapeHtml(l.notYetAgreed)}</li>`;
  const years = [...new Set([...series.national, ...series.international].map((p) => p.year))].sort((a, b) => a - b);
  const nationalBy = new Map(series.national.map((p) => [p.year, p]));
  const internationalBy = new Map(series.international.map((p) => [p.year, p]));
  const relative = detail.difference.relative === null ? '' : ` (${formatNumber(Math.round(detail.difference.relative * 1000) / 10, lang)} %)`;
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${escapeHtml(`${l.noteTitle}: ${title}`)}</title><style>${NOTE_STYLES}</style></head><body>`,
    `<p class="kind">${escapeHtml(l.noteTitle)}</p><h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(l.series)}: ${escapeHtml(detail.series)} · ${escapeHtml(l.status)}: ${escapeHtml(statusLabel(detail.status, lang))}${detail.publishedAt ? ` · ${escapeHtml(l.publishedOn)} ${escapeHtml(detail.publishedAt.slice(0, 10))}` : ''}</p>`,
    detail.publishedAt ? '' : `<p class="notice">${escapeHtml(l.unpublished)}</p>`,
    `<h2>${escapeHtml(l.values)}</h2><div class="sides">`,
    side(l.national, detail.nationalValue, detail.national, null),
    side(l.international, detail.internationalValue, detail.international, detail.nature),
    '</div>',
    `<p>${escapeHtml(l.difference)}: ${escapeHtml(formatNumber(detail.difference.absolute, lang))}${escapeHtml(relative)}</p>`,
    `<h2>${escapeHtml(l.causes)}</h2><ul>`,
    `<li>${escapeHtml(l.primaryCause)}: ${escapeHtml(causeLabel(detail.primaryCause, lang) || l.none)}</li>`,
    detail.secondaryCauses.length ? `<li>${escapeHtml(l.secondaryCauses)}: ${escapeHtml(detail.secondaryCauses.map((c) => causeLabel(c, lang)).join('; '))}</li>` : '',
    '</ul>',
    `<h2>${escapeHtml(l.explanation)}</h2>`,
    explanation ? `<p>${escapeHtml(explanation.text).replace(/\n/g, '<br>')}</p><ul>${agreed(l.agreedCountry, explanation.agreedByCountry)}${agreed(l.agreedAgency, explanation.agreedByAgency)}</ul>` : `<p>${escapeHtml(l.noExplanation)}</p>`,
    `<h2>${escapeHtml(l.seriesTitle)}</h2>`,
    seriesSvg(series, lang),
    `<table><thead><tr><th>${escapeHtml(l.year)}</th><th>${escapeHtml(l.national)}</th><th>${escapeHtml(l.international)}</th><th>${escapeHtml(l.nature)}</th></tr></thead><tbody>`,
    ...years.map((year) => {
      const n = nationalBy.get(year);
      const i = internationalBy.get(year);
      return `<tr${year === series.caseYear ? ' class="case-year"' : ''}><td>${year}</td><td>${escapeHtml(formatNumber(n?.value ?? null, lang))}</td><td>${escapeHtml(formatNumber(i?.value ?? null, lang))}</td><td>${escapeHtml(i?.nature ?? '')}</td></tr>`;
    }),
    '</tbody></table>',
    '</body></html>',
  ].join('');
}
