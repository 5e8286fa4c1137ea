import { parse } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { exportCsv, exportXlsxInWorker } from '../../../server/features/consultations/domain/export-files.js';
import { exportBook, sheetNames, sideBySide, type ExportInput, type RespondentAnswers } from '../../../server/features/consultations/domain/export-model.js';
import { contentLanguage } from '../../../server/features/consultations/domain/questionnaire.js';
import type { AnswerMap } from '../../../server/features/consultations/domain/schemas.js';
import { chileAnswers, fichaTecnica, t } from './fixtures.js';

const SUBMITTED_AT = Date.parse('2026-04-20T15:42:10Z');

function mexicoAnswers(): AnswerMap {
  return {
    institution: { type: 'short_text', text: 'Instituto Nacional de Estadística y Geografía' },
    has_plan: { type: 'yes_no', value: false },
    funding: { type: 'multiple_choice', options: ['donors'], other: '=HYPERLINK("http://evil.example","clic")' },
    census_round: { type: 'single_choice', option: null, other: 'Conteo intercensal 2025' },
    coverage: { type: 'number', value: 98.75 },
    comments: { type: 'long_text', text: '-5 ajustes; "comillas", y\nsaltos de línea' },
    plan_document: { type: 'file', documentIds: ['d1', 'd2'] },
    sources: { type: 'table', rows: [{ id: '3.2.1', cells: { produced: true, source_type: 'survey', latest_value: 13.25 } }] },
  };
}

const respondents: RespondentAnswers[] = [
  { respondent: 'cl', code: 'CL', name: t('Chile'), status: 'submitted', submittedAt: SUBMITTED_AT, submissionNumber: 2, answers: chileAnswers() },
  { respondent: 'mx', code: 'MX', name: t('Mexico', 'México'), status: 'submitted', submittedAt: SUBMITTED_AT + 60_000, submissionNumber: 1, answers: mexicoAnswers() },
  { respondent: 'br', code: 'BR', name: t('Brazil', 'Brasil'), status: 'declined', submittedAt: null, submissionNumber: null, answers: null },
  { respondent: 'pe', code: 'PE', name: t('Peru', 'Perú'), status: 'not_started', submittedAt: null, submissionNumber: null, answers: null },
];
const input = (lang: 'en' | 'es'): ExportInput => ({ questionnaire: fichaTecnica(), respondents, lang, documentTitle: (id) => ({ d1: 'Plan Estratégico 2025–2030.pdf', d2: 'Anexo técnico.xlsx' })[id] ?? id });

const csv = (content: string, delimiter = ',') => {
  expect(content.startsWith('\ufeff')).toBe(true);
  expect(content).toContain('\r\n');
  return parse(content, { bom: true, delimiter, relax_column_count: false }) as string[][];
};
const byHeader = (rows: string[][]) => rows.slice(1).map((row) => Object.fromEntries(rows[0]!.map((h, i) => [h, row[i]!])));

describe('the wide CSV (a row per country)', () => {
  const files = exportCsv(input('en'), 'wide');

  it('is the answers by country, then one file per table question', () => {
    expect(files.map((f) => f.name)).toEqual(['answers-by-country.csv', 'table-sources.csv', 'table-surveys.csv']);
  });

  it('reads back with csv-parse: every target a row, figures and accents intact, choices as joined labels', () => {
    const rows = byHeader(csv(files[0]!.content));
    expect(rows.map((r) => [r.Code, r.Country, r.Status])).toEqual([
      ['CL', 'Chile', 'Submitted'],
      ['MX', 'Mexico', 'Submitted'],
      ['BR', 'Brazil', 'Declined'],
      ['PE', 'Peru', 'Not started'],
    ]);
    const [cl, mx, br] = rows;
    expect(Number(cl!['Year the plan was adopted [plan_year]'])).toBe(2018);
    expect(Number(cl!['Birth registration coverage (percent) [coverage]'])).toBe(99.5);
    expect(Number(mx!['Birth registration coverage (percent) [coverage]'])).toBe(98.75);
    expect(cl!['How are the group’s meetings funded? [funding]']).toBe('National budget; ECLAC; Other: Cooperación española');
    expect(cl!['Submitted at (UTC)']).toBe('2026-04-20T15:42Z');
    expect(cl!.Submission).toBe('2');
    expect(mx!['Institution answering [institution]']).toBe('Instituto Nacional de Estadística y Geografía');
    expect(mx!['Latest census round [census_round]']).toBe('Other: Conteo intercensal 2025');
    expect(mx!['Does the country have a national statistical plan? [has_plan]']).toBe('No');
    expect(mx!['Year the plan was adopted [plan_year]']).toBe('');
    expect(mx!['The plan (document) [plan_document]']).toBe('Plan Estratégico 2025–2030.pdf; Anexo técnico.xlsx');
    expect(br!['Institution answering [institution]']).toBe('');
  });

  it('defuses text that a spreadsheet would run as a formula, keeps quotes and line breaks', () => {
    const mx = byHeader(csv(files[0]!.content))[1]!;
    expect(mx['How are the group’s meetings funded? [funding]']).toBe('Donors; Other: =HYPERLINK("http://evil.example","clic")');
    expect(mx['Comments [comments]']).toBe('\'-5 ajustes; "comillas", y\nsaltos de línea');
    const single = exportCsv({ ...input('en'), respondents: [{ ...respondents[1]!, answers: { institution: { type: 'short_text', text: '=cmd|"/c calc"!A1' } } }] }, 'wide');
    expect(byHeader(csv(single[0]!.content))[0]!['Institution answering [institution]']).toBe('\'=cmd|"/c calc"!A1');
  });

  it('puts each table on its own file, a row per country and table row, given rows included', () => {
    const rows = byHeader(csv(files[1]!.content));
    expect(rows.map((r) => [r.Code, r['Row id'], r.Produced, r['Source type'], r['Latest value']])).toEqual([
      ['CL', '3.2.1', 'Yes', 'Register', '7.4'],
      ['CL', '4.1.2', 'No', '', ''],
      ['MX', '3.2.1', 'Yes', 'Survey', '13.25'],
      ['MX', '4.1.2', '', '', ''],
    ]);
    expect(rows[0]!.Row).toBe('3.2.1 Under-five mortality rate');
    const surveys = byHeader(csv(files[2]!.content));
    expect(surveys).toEqual([{ Code: 'CL', Country: 'Chile', 'Row id': 's1', Row: '', Name: 'Encuesta CASEN', 'Sample size (number)': '72056' }]);
  });

  it('in Spanish: semicolons and decimal commas, as Excel in Spanish opens them, Spanish labels', () => {
    const [wide] = exportCsv(input('es'), 'wide', 'semicolon');
    const rows = byHeader(csv(wide!.content, ';'));
    expect(rows[0]!['País']).toBe('Chile');
    expect(rows[3]!['País']).toBe('Perú');
    expect(rows[0]!['Estado']).toBe('Enviada');
    expect(rows[0]!['Cobertura del registro de nacimientos (porcentaje) [coverage]']).toBe('99,5');
    expect(Number(rows[1]!['Cobertura del registro de nacimientos (porcentaje) [coverage]']!.replace(',', '.'))).toBe(98.75);
    expect(rows[0]!['¿Tiene el país un plan estadístico nacional? [has_plan]']).toBe('Sí');
    expect(rows[0]!['¿Cómo se financian las reuniones del grupo? [funding]']).toBe('Presupuesto nacional; CEPAL; Otra: Cooperación española');
  });

  it('follows the reader’s language: Portuguese readers get Spanish, French readers English', () => {
    expect(exportCsv(input(contentLanguage('pt-BR')), 'wide')[0]!.name).toBe('respuestas-por-pais.csv');
    expect(exportCsv(input(contentLanguage('fr')), 'wide')[0]!.name).toBe('answers-by-country.csv');
  });
});

describe('the long CSV (a row per answer)', () => {
  it('has every answer, tables’ cells included, figures as figures', () => {
    const [file, ...rest] = exportCsv(input('en'), 'long');
    expect(rest).toEqual([]);
    expect(file!.name).toBe('answers.csv');
    const rows = csv(file!.content);
    expect(rows[0]).toEqual(['Code', 'Country', 'Question id', 'Question', 'Row id', 'Row', 'Column id', 'Column', 'Value', 'Unit']);
    const find = (code: string, question: string, row = '', column = '') => rows.find((r) => r[0] === code && r[2] === question && r[4] === row && r[6] === column);
    expect(find('CL', 'plan_year')![8]).toBe('2018');
    expect(find('CL', 'coverage')!.slice(8)).toEqual(['99.5', 'percent']);
    expect(find('CL', 'sources', '3.2.1', 'latest_value')).toEqual(['CL', 'Chile', 'sources', 'Source of each indicator', '3.2.1', '3.2.1 Under-five mortality rate', 'latest_value', 'Latest value', '7.4', '']);
    expect(find('CL', 'surveys', 's1', 'sample')!.slice(8)).toEqual(['72056', 'number']);
    expect(find('MX', 'sources', '3.2.1', 'latest_value')![8]).toBe('13.25');
    expect(find('CL', 'funding')![8]).toBe('National budget; ECLAC; Other: Cooperación española');
    expect(rows.filter((r) => r[0] === 'BR' || r[0] === 'PE')).toEqual([]);
    // Chile: 8 plain answers, 4 + 2 cells of sources, 2 of surveys; Mexico: 7 plain, 3 cells.
    expect(rows.length - 1).toBe(8 + 6 + 2 + 7 + 3);
  });
});

describe('the XLSX, built in a worker thread as the route builds it, read back by read-excel-file (not the exceljs that wrote it)', () => {
  it('wide: a sheet by country with figures as numbers, tables on their own sheets, accents intact', async () => {
    const sheets = await readXlsxFile(await exportXlsxInWorker(input('es'), 'wide'));
    expect(sheets.map((s) => s.sheet)).toEqual(['Por país', 'sources Fuente de cada indicado', 'surveys Encuestas de hogares']);
    const [header, cl, mx, br, pe] = sheets[0]!.data;
    const col = (name: string) => header!.indexOf(name);
    expect(cl![col('Año de adopción del plan [plan_year]')]).toBe(2018);
    expect(cl![col('Cobertura del registro de nacimientos (porcentaje) [coverage]')]).toBe(99.5);
    expect(mx![col('Cobertura del registro de nacimientos (porcentaje) [coverage]')]).toBe(98.75);
    expect(mx![col('Institución que responde [institution]')]).toBe('Instituto Nacional de Estadística y Geografía');
    // Text is text in a workbook: a formula-looking answer is stored as a string, never run.
    expect(mx![col('¿Cómo se financian las reuniones del grupo? [funding]')]).toBe('Donantes; Otra: =HYPERLINK("http://evil.example","clic")');
    expect(mx![col('Comentarios [comments]')]).toBe('-5 ajustes; "comillas", y\nsaltos de línea');
    expect([br![1], br![2], pe![1], pe![2]]).toEqual(['Brasil', 'Declinó', 'Perú', 'Sin iniciar']);
    expect(cl![col('Envío')]).toBe(2);
    // The documents' titles cross to the worker with the answers.
    expect(mx![header!.findIndex((cell) => String(cell).endsWith('[plan_document]'))]).toBe('Plan Estratégico 2025–2030.pdf; Anexo técnico.xlsx');
    const table = sheets[1]!.data;
    expect(table[0]).toEqual(['Código', 'País', 'Id. de la fila', 'Fila', 'Se produce', 'Tipo de fuente', 'Último valor', 'Fecha del último valor', 'Notas']);
    expect(table[1]).toEqual(['CL', 'Chile', '3.2.1', '3.2.1 Tasa de mortalidad de menores de 5 años', 'Sí', 'Registro', 7.4, '2023-12-31', null]);
    expect(table[3]![6]).toBe(13.25);
    expect(sheets[2]!.data[1]).toEqual(['CL', 'Chile', 's1', null, 'Encuesta CASEN', 72056]);
  });

  it('long: one sheet, a row per answer, figures as numbers', async () => {
    const sheets = await readXlsxFile(await exportXlsxInWorker(input('en'), 'long'));
    expect(sheets.map((s) => s.sheet)).toEqual(['Answers']);
    const rows = sheets[0]!.data;
    const cell = rows.find((r) => r[0] === 'CL' && r[2] === 'sources' && r[4] === '3.2.1' && r[6] === 'latest_value');
    expect(cell![8]).toBe(7.4);
    expect(rows.find((r) => r[0] === 'MX' && r[2] === 'coverage')![8]).toBe(98.75);
    expect(rows.find((r) => r[0] === 'MX' && r[2] === 'census_round')![8]).toBe('Other: Conteo intercensal 2025');
    expect(rows).toHaveLength(1 + 8 + 6 + 2 + 7 + 3);
  });
});

describe('sheet names', () => {
  it('keeps to 31 characters, drops what Excel refuses, and never repeats', () => {
    const names = sheetNames(['Answers', 'answers', 'a/b [c]: d?*', 'x'.repeat(40), 'x'.repeat(40)]);
    expect(names).toEqual(['Answers', 'answers 2', 'a b c d', 'x'.repeat(31), `${'x'.repeat(29)} 2`]);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(31);
  });
});

describe('the export model', () => {
  it('lists tables apart from the wide sheet', () => {
    const book = exportBook(input('en'));
    expect(book.wide.header).not.toContain('Source of each indicator [sources]');
    expect(book.tables.map((s) => s.key)).toEqual(['table:sources', 'table:surveys']);
  });
});

describe('side by side (the consolidated report)', () => {
  it('shows, per question, every country’s answer in the reader’s language', () => {
    const sections = sideBySide(input('es'));
    expect(sections.map((s) => s.title)).toEqual(['Información general', 'Operaciones estadísticas']);
    const coverage = sections[0]!.questions.find((q) => q.id === 'coverage')!;
    expect(coverage).toMatchObject({ label: 'Cobertura del registro de nacimientos', unit: 'porcentaje', answered: 2 });
    if (coverage.type === 'table') throw new Error();
    expect(coverage.entries.map((e) => [e.code, e.status, e.display])).toEqual([
      ['CL', 'submitted', '99,5 porcentaje'],
      ['MX', 'submitted', '98,75 porcentaje'],
      ['BR', 'declined', ''],
      ['PE', 'not_started', ''],
    ]);
    const sources = sections[1]!.questions.find((q) => q.id === 'sources')!;
    if (sources.type !== 'table') throw new Error();
    expect(sources.columns.map((c) => c.label)).toEqual(['Se produce', 'Tipo de fuente', 'Último valor', 'Fecha del último valor', 'Notas']);
    expect(sources.rows.map((r) => [r.code, r.rowId, ...r.cells])).toEqual([
      ['CL', '3.2.1', 'Sí', 'Registro', '7,4', '2023-12-31', ''],
      ['CL', '4.1.2', 'No', '', '', '', 'Sin datos desde 2017'],
      ['MX', '3.2.1', 'Sí', 'Encuesta', '13,25', '', ''],
      ['MX', '4.1.2', '', '', '', '', ''],
    ]);
  });
});
