import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { countryCodes } from '../../../server/features/reference/country-codes.js';
import { importNationalCsv, nationalCsv } from '../../../server/features/discrepancies/domain/national-template.js';
import { importUnsdCsv } from '../../../server/features/discrepancies/domain/unsd-csv.js';
import { unsdCsv } from '../../fixtures/unsd-rows.js';

const dir = mkdtempSync(path.join(tmpdir(), 'concilia-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** About 5 MB: 17,000 rows of roughly 300 bytes. */
const ROWS = 17_000;
const MIDDLE = 8_500;
const NOTE = 'Defunciones registradas de menores de cinco años, corregidas por registro tardío según la metodología acordada con el Ministerio de Salud en 2019; nacidos vivos inscritos en el año.';

async function writeFile(name: string, chunks: AsyncIterable<Buffer>) {
  const file = path.join(dir, name);
  await pipeline(Readable.from(chunks), createWriteStream(file));
  return file;
}

describe('a 5 MB file with one bad row in the middle', () => {
  it('refuses the whole UNSD import and lists that row alone', async () => {
    const file = await writeFile('bad.csv', unsdCsv(ROWS, MIDDLE));
    expect(statSync(file).size).toBeGreaterThan(5_000_000);
    const report = await importUnsdCsv(createReadStream(file), { countries: countryCodes });
    expect(report.ok).toBe(false);
    expect(report.accepted).toEqual([]);
    expect(report.rows).toBe(ROWS);
    // Header on row 1, data index 0 on row 2.
    expect(report.errors).toEqual([{ row: MIDDLE + 2, code: 'non_numeric_value', column: 'Value', value: 'n/a', message: '"n/a" is not a number.' }]);
    expect(report.refusedRows).toBe(1);
  });

  it('accepts the same file without the bad row, every row of it', async () => {
    const file = await writeFile('good.csv', unsdCsv(ROWS));
    const report = await importUnsdCsv(createReadStream(file), { countries: countryCodes });
    expect(report.errors).toEqual([]);
    expect(report.accepted).toHaveLength(ROWS);
    expect(new Set(report.accepted.map((o) => `${o.series}|${o.country}|${o.year}|${o.disaggregation.sex}|${o.disaggregation.location}`)).size).toBe(ROWS);
  });

  it('refuses a national file the same way', async () => {
    const good = await importUnsdCsv(unsdCsv(ROWS), { countries: countryCodes });
    const rows = good.accepted.map((o) => ({ ...o, side: 'national' as const, nature: null, reportingType: null, source: 'Instituto Nacional de Estadística, estadísticas vitales', footnote: NOTE, timeDetail: null }));
    const text = nationalCsv(rows, 'es');
    const lines = text.split('\r\n');
    lines[MIDDLE + 1] = lines[MIDDLE + 1]!.replace(/;(PER_1000_LIVE_BIRTHS|PER_100000_LIVE_BIRTHS|PERCENT);/, ';;');
    const file = await writeFile('national.csv', (async function* () {
      yield Buffer.from(lines.join('\r\n'));
    })());
    expect(statSync(file).size).toBeGreaterThan(5_000_000);
    const report = await importNationalCsv(createReadStream(file), { countries: countryCodes });
    expect(report).toMatchObject({ ok: false, accepted: [], rows: ROWS, refusedRows: 1 });
    expect(report.errors).toMatchObject([{ row: MIDDLE + 2, code: 'unit_missing' }]);
  });
});
