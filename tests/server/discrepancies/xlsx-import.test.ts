import { createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { countryCodes } from '../../../server/features/reference/country-codes.js';
import { importNationalCsv, nationalTemplateCsv } from '../../../server/features/discrepancies/domain/national-template.js';
import { importNationalXlsx, nationalTemplateXlsx } from '../../../server/features/discrepancies/domain/xlsx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = { countries: countryCodes };
let n = 0;

/** Writes a workbook with exceljs, as a spreadsheet user would have filled it in. */
async function workbook(sheets: Array<{ name: string; rows: unknown[][] }>): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name);
    for (const row of sheet.rows) ws.addRow(row);
  }
  const file = path.join(dir, `book-${(n += 1)}.xlsx`);
  await book.xlsx.writeFile(file);
  return file;
}

const HEADER = ['serie', 'pais', 'anio', 'valor', 'unidad', 'sexo', 'edad', 'tipo_fuente', 'nota'];

describe('XLSX: the national template’s columns on the first sheet', () => {
  it('reads numbers, text, rich text, formulas with a result and empty cells through the stream reader', async () => {
    const file = await workbook([
      {
        name: 'Datos',
        rows: [
          HEADER,
          ['SH_DYN_MORT', 'CHL', 2010, 7.4, 'PER_1000_LIVE_BIRTHS', '_T', '<5Y', 'civil_registration', null],
          ['SH_DYN_MORT', { richText: [{ text: 'C' }, { font: { bold: true }, text: 'HL' }] }, '2011', '7,1', 'PER_1000_LIVE_BIRTHS', null, 'Y_LT5', null, 'Provisional'],
          ['SH_DYN_MORT', 'CHL', { formula: '2011+1', result: 2012 }, { formula: '7.1-0.2', result: 6.9 }, 'PER_1000_LIVE_BIRTHS', 'F', '<5Y', 'register', { text: 'DEIS', hyperlink: 'https://deis.minsal.cl' }],
        ],
      },
    ]);
    const report = await importNationalXlsx(file, options);
    expect(report.errors).toEqual([]);
    expect(report.accepted.map((o) => [o.country, o.year, o.value, o.disaggregation.sex, o.disaggregation.age, o.sourceType, o.footnote])).toEqual([
      ['CHL', 2010, 7.4, '_T', 'Y_LT5', 'civil_registration', null],
      ['CHL', 2011, 7.1, '_T', 'Y_LT5', null, 'Provisional'],
      ['CHL', 2012, 6.9, 'F', 'Y_LT5', 'register', 'DEIS'],
    ]);
    expect(report.accepted[0]).toMatchObject({ side: 'national', unit: 'PER_1000_LIVE_BIRTHS', series: 'SH_DYN_MORT' });
  });

  it('reads only the first sheet', async () => {
    const file = await workbook([
      { name: 'Datos', rows: [HEADER, ['SH_DYN_MORT', 'CHL', 2010, 7.4, 'PER_1000_LIVE_BIRTHS']] },
      { name: 'Notas', rows: [['this sheet is not data'], ['x', 'y', 'z']] },
    ]);
    const report = await importNationalXlsx(createReadStream(file), options);
    expect(report).toMatchObject({ ok: true, rows: 1 });
  });

  it('lists refused rows by their sheet row number and imports nothing', async () => {
    const file = await workbook([
      {
        name: 'Datos',
        rows: [
          HEADER,
          ['SH_DYN_MORT', 'CHL', 2010, 7.4, 'PER_1000_LIVE_BIRTHS'],
          [],
          ['SH_DYN_MORT', 'CHL', 2011, 'n/d', 'PER_1000_LIVE_BIRTHS'],
          ['SH_DYN_MORT', 'ZZZ', new Date('2012-01-01T00:00:00Z'), 7, 'PER_1000_LIVE_BIRTHS'],
          ['SH_DYN_MORT', 'CHL', 2010, 7.5, 'PER_1000_LIVE_BIRTHS'],
          // exceljs's stream reader loses a formula's error result: the cell reads as empty.
          ['SH_DYN_MORT', 'CHL', 2013, { formula: '1/0', result: { error: '#DIV/0!' } }, 'PER_1000_LIVE_BIRTHS'],
          ['SH_DYN_MORT', 'CHL', 2014, { error: '#N/A' }, 'PER_1000_LIVE_BIRTHS'],
        ],
      },
    ]);
    const report = await importNationalXlsx(file, options);
    expect(report.ok).toBe(false);
    expect(report.accepted).toEqual([]);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['4:non_numeric_value', '5:bad_country_code', '5:bad_year', '6:duplicate_key', '7:value_missing', '8:non_numeric_value']);
  });

  it('refuses a workbook without the required columns, and a file that is not a workbook', async () => {
    const file = await workbook([{ name: 'Datos', rows: [['serie', 'valor'], ['SH_DYN_MORT', 7.4]] }]);
    expect((await importNationalXlsx(file, options)).errors).toMatchObject([{ row: 1, code: 'missing_columns' }]);
    const notZip = path.join(dir, 'not.xlsx');
    writeFileSync(notZip, 'serie,pais\n');
    expect((await importNationalXlsx(notZip, options)).errors).toMatchObject([{ code: 'unreadable_file' }]);
    const empty = await workbook([{ name: 'Datos', rows: [] }]);
    expect((await importNationalXlsx(empty, options)).errors).toMatchObject([{ code: 'empty_file' }]);
  });

  it('reads a workbook whose parts are stored in another order (workbook.xml last, shared strings before the sheet)', async () => {
    // Some writers store the parts in this order; exceljs's stream reader used to fail on it
    // ("Cannot read properties of undefined (reading 'sheets')").
    const file = await workbook([{ name: 'Datos', rows: [HEADER, ['SH_DYN_MORT', 'CHL', 2010, 7.4, 'PER_1000_LIVE_BIRTHS']] }]);
    const parts = unzipSync(new Uint8Array(readFileSync(file)));
    const order = ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'docProps/app.xml', 'docProps/core.xml', 'xl/theme/theme1.xml', 'xl/workbook.xml'];
    expect(Object.keys(parts).filter((name) => !name.endsWith('/')).sort()).toEqual([...order].sort());
    const reordered = path.join(dir, 'reordered.xlsx');
    writeFileSync(reordered, zipSync(Object.fromEntries(order.map((name) => [name, parts[name]!]))));
    const report = await importNationalXlsx(reordered, options);
    expect(report.errors).toEqual([]);
    expect(report.accepted).toHaveLength(1);
  });

  it('offers the template as a workbook (data sheet first, column notes second) that imports like the CSV template', async () => {
    for (const lang of ['en', 'es'] as const) {
      const file = path.join(dir, `template-${lang}.xlsx`);
      writeFileSync(file, await nationalTemplateXlsx(lang));
      const fromXlsx = await importNationalXlsx(file, options);
      const fromCsv = await importNationalCsv(nationalTemplateCsv(lang), options);
      expect(fromXlsx.errors).toEqual([]);
      expect(fromXlsx.accepted).toEqual(fromCsv.accepted);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      expect(book.worksheets.map((ws) => ws.name)).toEqual(lang === 'es' ? ['Datos', 'Columnas'] : ['Data', 'Columns']);
      expect(book.worksheets[0]!.getRow(1).getCell(1).value).toBe(lang === 'es' ? 'indicador' : 'indicator');
    }
  });

  it('leaves no temporary file behind (exceljs parks sheets stored before the shared strings in temporary files)', async () => {
    const file = await workbook([
      { name: 'Datos', rows: [HEADER, ['SH_DYN_MORT', 'CHL', 2010, 7.4, 'PER_1000_LIVE_BIRTHS']] },
      { name: 'Otra', rows: [['a'], ['b']] },
    ]);
    const own = path.join(dir, 'tmp');
    mkdirSync(own);
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = own; // os.tmpdir() follows it, and so does exceljs's temporary files
    try {
      expect((await importNationalXlsx(file, options)).ok).toBe(true);
    } finally {
      process.env.TMPDIR = previous;
      if (previous === undefined) delete process.env.TMPDIR;
    }
    // exceljs deletes its last temporary file asynchronously, just after the last row.
    for (let i = 0; i < 50 && readdirSync(own).length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(own)).toEqual([]);
  });

  it('reads what a percentage-formatted cell shows (7.4%), not the fraction stored (0.074)', async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Datos');
    ws.addRow(['serie', 'pais', 'anio', 'valor', 'unidad']);
    ws.addRow(['SI_POV_DAY1', 'CHL', 2009, 0.014, 'PERCENT']);
    ws.getCell('D2').numFmt = '0.0%';
    ws.addRow(['SI_POV_DAY1', 'CHL', 2010, 1.3, 'PERCENT']);
    ws.getCell('D3').numFmt = '0.0';
    const file = path.join(dir, 'percent.xlsx');
    await book.xlsx.writeFile(file);
    const report = await importNationalXlsx(file, options);
    expect(report.accepted.map((o) => o.value)).toEqual([1.4, 1.3]);
  });
});
