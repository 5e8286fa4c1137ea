import { createHash } from 'node:crypto';
import { statusLabel, type SideBySideSection } from './export-model.js';
import type { Lang } from './questionnaire.js';

/**
 * The consolidated report: every target's answer side by side, per section and question, as a
 * standalone printable HTML page (one <style> element allowed by its hash, no scripts, every text
 * escaped), in the reader's language, as the rounds' matrix and the meetings' minutes are printed.
 * Its content is the side-by-side view's; the routes send it with REPORT_CSP.
 */

export interface ReportInput {
  lang: Lang;
  title: string;
  purpose: string;
  /** The deadline as the reader reads it ("30 June 2026 23:59 (America/Santiago)"). */
  deadline: string;
  generatedAt: string;
  pageUrl: string;
  submitted: number;
  targets: number;
  sections: SideBySideSection[];
}

const LABELS = {
  en: { kind: 'Consolidated report', deadline: 'Deadline', generated: 'Generated', answered: 'answers', submitted: 'submitted', country: 'Respondent', status: 'Status', answer: 'Answer', row: 'Row', source: 'Online', empty: 'The consultation has no questions.', none: 'No answer yet.' },
  es: { kind: 'Informe consolidado', deadline: 'Plazo', generated: 'Generado', answered: 'respuestas', submitted: 'enviadas', country: 'Respondiente', status: 'Estado', answer: 'Respuesta', row: 'Fila', source: 'En línea', empty: 'La consulta no tiene preguntas.', none: 'Aún sin respuestas.' },
} as const;

export const REPORT_STYLES = `
@page { size: A4 landscape; margin: 1.5cm 1.2cm 1.6cm; }
html { color: #111; background: #fff; }
body { font: 10pt/1.45 Georgia, "Times New Roman", serif; margin: 0 auto; padding: 1.5rem; max-width: 60rem; }
header { border-bottom: 2px solid #111; margin-bottom: 1rem; padding-bottom: .5rem; }
.kind { font: 600 8.5pt/1.2 system-ui, sans-serif; letter-spacing: .06em; text-transform: uppercase; color: #444; margin: 0; }
h1 { font-size: 16pt; line-height: 1.2; margin: .2rem 0 .3rem; }
h2 { font-size: 13pt; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 .3rem; break-after: avoid; }
.purpose { white-space: pre-wrap; }
.meta { font: 8.5pt/1.3 system-ui, sans-serif; color: #444; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: .6rem; }
th, td { border: 1px solid #999; padding: .25rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; white-space: pre-wrap; }
th { background: #eee; font: 600 8.5pt/1.25 system-ui, sans-serif; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
footer { margin-top: 1.2rem; border-top: 1px solid #999; padding-top: .4rem; font-size: 8.5pt; color: #444; }
a { color: inherit; }
@media print { body { padding: 0; max-width: none; } .scroll { overflow: visible; } }
`;

export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_STYLES).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const th = (text: string) => `<th scope="col">${escapeHtml(text)}</th>`;
const td = (text: string) => `<td>${escapeHtml(text)}</td>`;
/** A file answer's document: its name, linked to its page in the forum (which checks who may read it). */
const fileLink = (file: { title: string; url: string }) => `<a href="${escapeHtml(file.url)}">${escapeHtml(file.title)}</a>`;
const withUnit = (label: string, unit: string) => (unit ? `${label} (${unit})` : label);

export function reportHtml(input: ReportInput): string {
  const l = LABELS[input.lang];
  const parts = [
    '<!doctype html>',
    `<html lang="${input.lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(`${l.kind}: ${input.title}`)}</title>`,
    `<style>${REPORT_STYLES}</style></head>`,
    '<body><main>',
    '<header>',
    `<p class="kind">${escapeHtml(l.kind)}</p>`,
    `<h1>${escapeHtml(input.title)}</h1>`,
    `<p class="meta">${escapeHtml(l.deadline)}: ${escapeHtml(input.deadline)} · ${input.submitted}/${input.targets} ${escapeHtml(l.submitted)} · ${escapeHtml(l.generated)}: ${escapeHtml(input.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>`,
    input.purpose.trim() ? `<p class="purpose">${escapeHtml(input.purpose.trim())}</p>` : '',
    '</header>',
  ];
  const questions = input.sections.reduce((sum, section) => sum + section.questions.length, 0);
  if (questions === 0) parts.push(`<p>${escapeHtml(l.empty)}</p>`);
  for (const section of input.sections) {
    if (section.questions.length === 0) continue;
    parts.push(`<section><h2>${escapeHtml(section.title)}</h2>`);
    for (const question of section.questions) {
      parts.push(`<h3 id="q-${escapeHtml(question.id)}">${escapeHtml(withUnit(question.label, question.type === 'table' ? '' : question.unit))} <span class="meta">· ${question.answered} ${escapeHtml(l.answered)}</span></h3>`);
      if (question.type === 'table') {
        if (question.rows.length === 0) {
          parts.push(`<p class="meta">${escapeHtml(l.none)}</p>`);
          continue;
        }
        parts.push(
          '<div class="scroll"><table>',
          `<thead><tr>${th(l.country)}${th(l.row)}${question.columns.map((column) => th(withUnit(column.label, column.unit))).join('')}</tr></thead><tbody>`,
          ...question.rows.map((row) => `<tr>${td(`${row.name} (${row.code})`)}${td(row.row || row.rowId)}${row.cells.map(td).join('')}</tr>`),
          '</tbody></table></div>',
        );
      } else {
        parts.push(
          '<table>',
          `<thead><tr>${th(l.country)}${th(l.status)}${th(l.answer)}</tr></thead><tbody>`,
          ...question.entries.map((entry) => `<tr>${td(`${entry.name} (${entry.code})`)}${td(statusLabel(entry.status, input.lang))}${entry.files ? `<td>${entry.files.map(fileLink).join('<br>')}</td>` : td(entry.display)}</tr>`),
          '</tbody></table>',
        );
      }
    }
    parts.push('</section>');
  }
  parts.push('<footer>', `<p>${escapeHtml(l.source)}: <a href="${escapeHtml(input.pageUrl)}">${escapeHtml(input.pageUrl)}</a></p>`, '</footer>', '</main></body></html>');
  return parts.join('\n');
}
