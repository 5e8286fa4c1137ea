import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helper.js';
import { buildTestApp } from '../helper.js';
import { call, openFicha, populateConsultations } from './consultations/support.js';

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
  // Before the test below, which loads exceljs here on purpose.
  it('builds its export workbooks in a worker thread: exceljs is not loaded in its own', async () => {
    const people = await populateConsultations(t.app);
    const id = await openFicha(t.app, people.coordinator, { deadline: { date: '2099-06-30', time: '23:59', zone: 'America/Santiago' } });
    for (const url of [`/consultations/${id}/export.xlsx?layout=wide`, '/discrepancies/exports/cases?format=xlsx', '/discrepancies/exports/matrix?format=xlsx']) {
      const answer = await call(t.app, people.coordinator, 'GET', url);
      expect(answer.statusCode, url).toBe(200);
      expect(answer.rawPayload.subarray(0, 2).toString(), url).toBe('PK');
    }
    expect(loaded('exceljs')).toBe(false);
  });

  it('has not loaded exceljs until a workbook is asked for', async () => {
    expect(loaded('exceljs')).toBe(false);
    // The check can see a loaded library: it sees exceljs once a workbook is made.
    const { loadExcelJs } = await import('../../server/shared/exceljs.js');
    await loadExcelJs();
    expect(loaded('exceljs')).toBe(true);
  });
});
