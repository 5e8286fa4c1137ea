import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helper.js';
import { buildTestApp } from '../helper.js';

/**
 * Libraries a server rarely needs are loaded on first use, not at start (server/shared/exceljs.ts):
 * exceljs and what it brings (jszip, archiver, unzipper...) hold about 26 MB once imported, and
 * the server's memory budget is 150 MB with a thousand sockets open. A module imported at the top
 * of any server file is loaded with the app; node_modules are loaded by Node itself (not by the
 * test runner), so Node's module cache tells what the app has loaded.
 */
const loaded = (name: string) => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(`/node_modules/${name}/`));

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('a started server', () => {
  it('has not loaded exceljs until a workbook is asked for', async () => {
    expect(loaded('exceljs')).toBe(false);
    // The check can see a loaded library: it sees exceljs once a workbook is made.
    const { loadExcelJs } = await import('../../server/shared/exceljs.js');
    await loadExcelJs();
    expect(loaded('exceljs')).toBe(true);
  });
});
