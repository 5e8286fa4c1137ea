import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { MeetingKind } from './tables.js';

/**
 * Minutes as documents for the group's official report: Markdown (the writers' own sources,
 * assembled) and a standalone printable HTML page (the sanitized HTML, a print stylesheet, no
 * scripts). Pure functions of what the route gathered.
 */

export type ExportLanguage = 'es' | 'en';

export interface ExportedText {
  markdown: string;
  /** Sanitized by the Markdown pipeline. */
  html: string;
}

export interface MinutesDocument {
  language: ExportLanguage;
  meetingTitle: string;
  kind: MeetingKind;
  timeZone: string;
  startsAt: number;
  endsAt: number;
  organizerName: string;
  draft: boolean;
  publishedAt: number | null;
  publishedByName: string | null;
  introduction: ExportedText;
  sections: Array<{ title: string; summary: ExportedText; decisions: ExportedText; actionItems: Array<{ text: string; responsible: string; dueDate: string | null; done: boolean }> }>;
  attendance: Array<{ country: string | null; people: string[] }>;
  absentCountries: string[];
  pageUrl: string;
}

const LABELS = {
  es: {
    minutes: 'Acta',
    draft: 'BORRADOR: no publicado',
    organizer: 'Convoca',
    attendance: 'Asistencia',
    noAttendance: 'No se registró asistencia.',
    withoutCountry: 'Organismos y secretaría',
    absent: 'Países invitados sin asistencia',
    summary: 'Resumen',
    decisions: 'Decisiones',
    actionItems: 'Acciones acordadas',
    action: 'Acción',
    responsible: 'Responsable',
    due: 'Plazo',
    status: 'Estado',
    open: 'pendiente',
    done: 'cumplida',
    published: (date: string, name: string) => `Publicada el ${date} por ${name}.`,
    source: 'Reunión en Concilia',
    kinds: { virtual_meeting: 'Reunión virtual', virtual_workshop: 'Taller virtual', technical_debate_session: 'Sesión de debate técnico', in_person_meeting: 'Reunión presencial' },
  },
  en: {
    minutes: 'Minutes',
    draft: 'DRAFT: not published',
    organizer: 'Convened by',
    attendance: 'Attendance',
    noAttendance: 'No attendance was recorded.',
    withoutCountry: 'Organizations and secretariat',
    absent: 'Invited countries not present',
    summary: 'Summary',
    decisions: 'Decisions',
    actionItems: 'Action items',
    action: 'Action',
    responsible: 'Responsible',
    due: 'Due',
    status: 'Status',
    open: 'open',
    done: 'done',
    published: (date: string, name: string) => `Published on ${date} by ${name}.`,
    source: 'Meeting on Concilia',
    kinds: { virtual_meeting: 'Virtual meeting', virtual_workshop: 'Virtual workshop', technical_debate_session: 'Technical debate session', in_person_meeting: 'In-person meeting' },
  },
} as const;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Text put into a Markdown line or table cell: one line, no table breaks. */
const inline = (value: string) => value.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

function when(doc: MinutesDocument): string {
  const start = DateTime.fromMillis(doc.startsAt, { zone: doc.timeZone }).setLocale(doc.language);
  const end = DateTime.fromMillis(doc.endsAt, { zone: doc.timeZone }).setLocale(doc.language);
  const sameDay = start.toISODate() === end.toISODate();
  return `${start.toLocaleString(DateTime.DATE_FULL)}, ${start.toFormat('HH:mm')}–${sameDay ? end.toFormat('HH:mm') : end.toLocaleString(DateTime.DATETIME_MED)} (${doc.timeZone})`;
}

const publishedLine = (doc: MinutesDocument) =>
  doc.publishedAt === null || doc.publishedByName === null
    ? null
    : LABELS[doc.language].published(DateTime.fromMillis(doc.publishedAt, { zone: doc.timeZone }).setLocale(doc.language).toLocaleString(DateTime.DATE_FULL), doc.publishedByName);

export function minutesMarkdown(doc: MinutesDocument): string {
  const t = LABELS[doc.language];
  const out: string[] = [];
  out.push(`# ${t.minutes}: ${inline(doc.meetingTitle)}`, '');
  if (doc.draft) out.push(`> **${t.draft}**`, '');
  out.push(`${t.kinds[doc.kind]} · ${when(doc)}  `, `${t.organizer}: ${inline(doc.organizerName)}`, '');
  if (doc.introduction.markdown.trim()) out.push(doc.introduction.markdown.trim(), '');
  out.push(`## ${t.attendance}`, '');
  if (doc.attendance.length === 0) out.push(t.noAttendance, '');
  for (const group of doc.attendance) out.push(`- **${inline(group.country ?? t.withoutCountry)}**: ${group.people.map(inline).join(', ')}`);
  if (doc.attendance.length > 0) out.push('');
  if (doc.absentCountries.length > 0) out.push(`${t.absent}: ${doc.absentCountries.map(inline).join(', ')}.`, '');
  doc.sections.forEach((section, i) => {
    out.push(`## ${i + 1}. ${inline(section.title)}`, '');
    if (section.summary.markdown.trim()) out.push(`### ${t.summary}`, '', section.summary.markdown.trim(), '');
    if (section.decisions.markdown.trim()) out.push(`### ${t.decisions}`, '', section.decisions.markdown.trim(), '');
    if (section.actionItems.length > 0) {
      out.push(`### ${t.actionItems}`, '', `| ${t.action} | ${t.responsible} | ${t.due} | ${t.status} |`, '|---|---|---|---|');
      for (const item of section.actionItems) out.push(`| ${inline(item.text)} | ${inline(item.responsible)} | ${item.dueDate ?? ''} | ${item.done ? t.done : t.open} |`);
      out.push('');
    }
  });
  const published = publishedLine(doc);
  out.push('---', '', ...(published ? [published, ''] : []), `${t.source}: <${doc.pageUrl}>`, '');
  return out.join('\n');
}

/** The print stylesheet, inline in the page and allowed by its hash in the page's Content-Security-Policy. */
export const PRINT_STYLES = `
@page { size: A4; margin: 2cm 2cm 2.2cm; }
html { color: #111; background: #fff; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem; }
header { border-bottom: 2px solid #111; margin-bottom: 1.2rem; padding-bottom: .6rem; }
.kind { font: 600 9pt/1.2 system-ui, sans-serif; letter-spacing: .06em; text-transform: uppercase; color: #444; margin: 0; }
h1 { font-size: 20pt; line-height: 1.2; margin: .2rem 0 .4rem; }
h2 { font-size: 14pt; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #999; padding-bottom: .15rem; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1rem 0 .3rem; break-after: avoid; }
p, li { orphans: 3; widows: 3; }
.draft { display: inline-block; border: 2px solid #a00; color: #a00; font-weight: 700; padding: .2rem .5rem; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; margin: .4rem 0 1rem; }
th, td { border: 1px solid #aaa; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, li, blockquote, pre { break-inside: avoid; }
blockquote { border-left: 3px solid #bbb; margin-left: 0; padding-left: .8rem; color: #333; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
footer { margin-top: 2rem; border-top: 1px solid #999; padding-top: .5rem; font-size: 9pt; color: #444; }
a { color: inherit; }
@media print {
  body { max-width: none; padding: 0; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 8.5pt; word-break: break-all; }
}
`;

export const PRINT_STYLES_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(PRINT_STYLES).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function minutesHtml(doc: MinutesDocument): string {
  const t = LABELS[doc.language];
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    `<html lang="${doc.language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(`${t.minutes}: ${doc.meetingTitle}`)}</title>`,
    `<style>${PRINT_STYLES}</style></head>`,
    '<body><main>',
    '<header>',
    `<p class="kind">${escapeHtml(t.kinds[doc.kind])} · ${escapeHtml(t.minutes)}</p>`,
    `<h1>${escapeHtml(doc.meetingTitle)}</h1>`,
    `<p>${escapeHtml(when(doc))}<br>${escapeHtml(t.organizer)}: ${escapeHtml(doc.organizerName)}</p>`,
    doc.draft ? `<p class="draft">${escapeHtml(t.draft)}</p>` : '',
    '</header>',
  );
  if (doc.introduction.html.trim()) parts.push(`<section class="introduction">${doc.introduction.html}</section>`);
  parts.push(`<section class="attendance"><h2>${escapeHtml(t.attendance)}</h2>`);
  if (doc.attendance.length === 0) parts.push(`<p>${escapeHtml(t.noAttendance)}</p>`);
  else parts.push('<ul>', ...doc.attendance.map((group) => `<li><strong>${escapeHtml(group.country ?? t.withoutCountry)}</strong>: ${group.people.map(escapeHtml).join(', ')}</li>`), '</ul>');
  if (doc.absentCountries.length > 0) parts.push(`<p>${escapeHtml(t.absent)}: ${doc.absentCountries.map(escapeHtml).join(', ')}.</p>`);
  parts.push('</section>');
  doc.sections.forEach((section, i) => {
    parts.push(`<section class="agenda-item"><h2>${i + 1}. ${escapeHtml(section.title)}</h2>`);
    if (section.summary.html.trim()) parts.push(`<h3>${escapeHtml(t.summary)}</h3>`, section.summary.html);
    if (section.decisions.html.trim()) parts.push(`<h3>${escapeHtml(t.decisions)}</h3>`, section.decisions.html);
    if (section.actionItems.length > 0) {
      parts.push(
        `<h3>${escapeHtml(t.actionItems)}</h3>`,
        `<table><thead><tr><th scope="col">${escapeHtml(t.action)}</th><th scope="col">${escapeHtml(t.responsible)}</th><th scope="col">${escapeHtml(t.due)}</th><th scope="col">${escapeHtml(t.status)}</th></tr></thead><tbody>`,
        ...section.actionItems.map(
          (item) => `<tr><td>${escapeHtml(item.text)}</td><td>${escapeHtml(item.responsible)}</td><td>${escapeHtml(item.dueDate ?? '')}</td><td>${escapeHtml(item.done ? t.done : t.open)}</td></tr>`,
        ),
        '</tbody></table>',
      );
    }
    parts.push('</section>');
  });
  const published = publishedLine(doc);
  parts.push('<footer>', published ? `<p>${escapeHtml(published)}</p>` : '', `<p>${escapeHtml(t.source)}: <a href="${escapeHtml(doc.pageUrl)}">${escapeHtml(doc.pageUrl)}</a></p>`, '</footer>', '</main></body></html>');
  return parts.filter(Boolean).join('\n');
}
