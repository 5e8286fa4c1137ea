import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { countryCodes } from '../server/features/reference/country-codes.js';
import { NATIONAL_COLUMNS, nationalRow } from '../server/features/discrepancies/domain/national-template.js';
import { importUnsdCsv } from '../server/features/discrepancies/domain/unsd-csv.js';
import { importNationalXlsx } from '../server/features/discrepancies/domain/xlsx.js';
import { unsdCsv } from '../tests/fixtures/unsd-rows.js';
import { printTable } from './measure.js';

/**
 * The discrepancy register's importers on 50,000 rows: a UNSD SDG API CSV export (the issue's
 * budget: parsed in under 10 s, resident memory growing by less than 100 MB) and the same rows as
 * a national XLSX workbook read with the streaming reader. The files are written first; only the
 * import (read, validate, keep the accepted observations as a caller does before committing them)
 * is timed, and the process's RSS is sampled every 10 ms during it.
 *
 * Run alone: `node --expose-gc --import tsx bench/discrepancy-import.ts [rows]`. Run it as its own
 * process so that the harness's memory does not blur the RSS figure.
 */

export interface ImportMeasure {
  label: string;
  rows: number;
  fileMb: number;
  seconds: number;
  baselineMb: number;
  peakMb: number;
  accepted: number;
}

const MB = 1024 * 1024;
const rssMb = () => process.memoryUsage.rss() / MB;

async function measure(label: string, rows: number, file: string, run: () => Promise<{ accepted: unknown[]; ok: boolean }>): Promise<ImportMeasure> {
  (globalThis as { gc?: () => void }).gc?.();
  const baselineMb = rssMb();
  let peakMb = baselineMb;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb())), 10);
  const started = performance.now();
  const report = await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakMb = Math.max(peakMb, rssMb());
  if (!report.ok) throw new Error(`${label}: the generated file was refused`);
  return { label, rows, fileMb: statSync(file).size / MB, seconds, baselineMb, peakMb, accepted: report.accepted.length };
}

async function writeXlsx(file: string, rows: number): Promise<void> {
  const source = await importUnsdCsv(unsdCsv(rows), { countries: countryCodes });
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = writer.addWorksheet('Datos');
  sheet.addRow(NATIONAL_COLUMNS.map((c) => c.header.es)).commit();
  for (const o of source.accepted) {
    const cells: Array<string | number | null> = nationalRow({ ...o, side: 'national', nature: null, reportingType: null }, 'en');
    cells[3] = o.year;
    cells[4] = o.value;
    cells[6] = o.unitMult;
    sheet.addRow(cells.map((cell) => (cell === '' ? null : cell))).commit();
  }
  sheet.commit();
  await writer.commit();
}

export async function measureDiscrepancyImport(rows = 50_000): Promise<ImportMeasure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-import-bench-'));
  try {
    const csvFile = path.join(dir, 'unsd.csv');
    await pipeline(Readable.from(unsdCsv(rows)), createWriteStream(csvFile));
    // Warm-up: load and compile the import code on a small file before measuring.
    await importUnsdCsv(unsdCsv(500), { countries: countryCodes });
    const csv = await measure('UNSD SDG API CSV', rows, csvFile, () => importUnsdCsv(createReadStream(csvFile), { countries: countryCodes }));
    const xlsxFile = path.join(dir, 'national.xlsx');
    await writeXlsx(xlsxFile, rows);
    const xlsx = await measure('national XLSX (stream reader)', rows, xlsxFile, () => importNationalXlsx(xlsxFile, { countries: countryCodes }));
    return [csv, xlsx];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printImportMeasures(results: ImportMeasure[]): void {
  const rowsOf = (r: ImportMeasure) => `${r.rows.toLocaleString('en')} rows, ${r.fileMb.toFixed(1)} MB`;
  printTable(
    `Discrepancy imports (in-process, node ${process.version})`,
    results.flatMap((r) => {
      const growth = r.peakMb - r.baselineMb;
      return [
        [`${r.label}: ${rowsOf(r)}, parse and validate`, `${r.seconds.toFixed(2)} s (${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s)`, '< 10 s', r.seconds < 10 ? 'ok' : 'MISSED'],
        [`${r.label}: RSS before / peak`, `${r.baselineMb.toFixed(0)} / ${r.peakMb.toFixed(0)} MB`, '', ''],
        [`${r.label}: RSS growth (observations kept)`, `${growth.toFixed(1)} MB`, '< 100 MB', growth < 100 ? 'ok' : 'MISSED'],
      ] as Array<[string, string, string, string]>;
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = Number(process.argv[2] ?? 50_000);
  printImportMeasures(await measureDiscrepancyImport(rows));
}
