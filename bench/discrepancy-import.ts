import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
 * is timed, each in a fresh process whose RSS is sampled every 10 ms during it, so the figure is the
 * importer's own and not the file generator's.
 *
 * Run alone: `node --import tsx bench/discrepancy-import.ts [rows]`; `measureDiscrepancyImport` and
 * `printImportMeasures` are what `npm run bench` can call.
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

const SELF = fileURLToPath(import.meta.url);
/** The imports will run inside the server: measure them with its Node flags (package.json "start"). */
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
const SERVER_FLAGS = /node ((?:--\S+ )*)dist\/server\/server\.js/.exec(startScript)?.[1]?.split(' ').filter(Boolean) ?? [];

/** One import, measured in a fresh process (so RSS is the importer's own), its result as JSON on stdout. */
function measureInChild(kind: 'csv' | 'xlsx', file: string, rows: number): Promise<ImportMeasure> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVER_FLAGS, '--expose-gc', '--import', 'tsx', SELF, '--child', kind, file, String(rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ImportMeasure) : reject(new Error(`the ${kind} import measure exited with ${code}`))));
  });
}

async function childMeasure(kind: 'csv' | 'xlsx', file: string, rows: number): Promise<ImportMeasure> {
  // Warm-up: load and compile the import code on a small file before measuring.
  await importUnsdCsv(unsdCsv(500), { countries: countryCodes });
  return kind === 'csv'
    ? measure('UNSD SDG API CSV', rows, file, () => importUnsdCsv(createReadStream(file), { countries: countryCodes }))
    : measure('national XLSX (stream reader)', rows, file, () => importNationalXlsx(file, { countries: countryCodes }));
}

export async function measureDiscrepancyImport(rows = 50_000): Promise<ImportMeasure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-import-bench-'));
  try {
    const csvFile = path.join(dir, 'unsd.csv');
    await pipeline(Readable.from(unsdCsv(rows)), createWriteStream(csvFile));
    const xlsxFile = path.join(dir, 'national.xlsx');
    await writeXlsx(xlsxFile, rows);
    return [await measureInChild('csv', csvFile, rows), await measureInChild('xlsx', xlsxFile, rows)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printImportMeasures(results: ImportMeasure[]): void {
  const rowsOf = (r: ImportMeasure) => `${r.rows.toLocaleString('en')} rows, ${r.fileMb.toFixed(1)} MB`;
  printTable(
    `Discrepancy imports (each in its own process, node ${[...SERVER_FLAGS, process.version].join(' ')})`,
    results.flatMap((r) => {
      const growth = r.peakMb - r.baselineMb;
      // Issue 14 budgets the UNSD import; the XLSX figure is informative (exceljs makes several
      // objects per cell, and a national workbook of 50,000 rows is far above the usual size).
      const budgeted = r.label.startsWith('UNSD');
      return [
        [`${r.label}: ${rowsOf(r)}, parse and validate`, `${r.seconds.toFixed(2)} s (${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s)`, budgeted ? '< 10 s' : '', budgeted ? (r.seconds < 10 ? 'ok' : 'MISSED') : ''],
        [`${r.label}: RSS before / peak`, `${r.baselineMb.toFixed(0)} / ${r.peakMb.toFixed(0)} MB`, '', ''],
        [`${r.label}: RSS growth (observations kept)`, `${growth.toFixed(1)} MB`, budgeted ? '< 100 MB' : '', budgeted ? (growth < 100 ? 'ok' : 'MISSED') : ''],
      ] as Array<[string, string, string, string]>;
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const child = process.argv.indexOf('--child');
  if (child >= 0) {
    const [kind, file, rows] = process.argv.slice(child + 1) as ['csv' | 'xlsx', string, string];
    process.stdout.write(JSON.stringify(await childMeasure(kind, file, Number(rows))));
  } else {
    printImportMeasures(await measureDiscrepancyImport(Number(process.argv[2] ?? 50_000)));
  }
}
