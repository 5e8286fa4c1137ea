import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded on first use: it holds about 26 MB of memory once imported, and most servers go
 * days between workbook imports and exports. Modules import its types only (`import type`).
 */
let loading: Promise<typeof ExcelJS> | null = null;

export function loadExcelJs(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => module.default);
  return loading;
}
