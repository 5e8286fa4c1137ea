import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ImportFileError, collect, csvRecords, headerKey, type RowOutcome } from '../../../server/shared/row-import.js';

async function records(input: Parameters<typeof csvRecords>[0]) {
  const out: Array<{ row: number; cells: string[] }> = [];
  for await (const record of csvRecords(input)) out.push(record);
  return out;
}

describe('csvRecords: CSV as people and programs write it', () => {
  it('reads quoted fields with commas and newlines, and numbers each record by the line it starts on', async () => {
    const text = 'a,b,c\n1,"x, y",3\n4,"two\nlines",6\n7,8,9\n';
    expect(await records(text)).toEqual([
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['1', 'x, y', '3'] },
      { row: 3, cells: ['4', 'two\nlines', '6'] },
      { row: 5, cells: ['7', '8', '9'] },
    ]);
  });

  it('drops a byte-order mark, takes CRLF, and skips blank lines (also lines of bare separators) without losing count', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\r\n1,2\r\n\r\n,\r\n3,4\r\n')]);
    expect(await records(bytes)).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['1', '2'] },
      { row: 5, cells: ['3', '4'] },
    ]);
  });

  it('detects a semicolon separator from the header (Excel in Spanish saves so)', async () => {
    expect(await records('serie;valor\nSH_DYN_MORT;"8,5"\nX;9,1\n')).toEqual([
      { row: 1, cells: ['serie', 'valor'] },
      { row: 2, cells: ['SH_DYN_MORT', '8,5'] },
      { row: 3, cells: ['X', '9,1'] },
    ]);
    // A header with both: the comma wins, as a semicolon inside a quoted title is common.
    expect((await records('"a;b",c\n1,2\n'))[0]!.cells).toEqual(['a;b', 'c']);
  });

  it('reads a stream in small chunks, even split inside a multi-byte character', async () => {
    const bytes = Buffer.from('país,año\nPerú,2010\n');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(await records(Readable.from(chunks))).toEqual([
      { row: 1, cells: ['país', 'año'] },
      { row: 2, cells: ['Perú', '2010'] },
    ]);
  });

  it('reads a file saved as Windows-1252 (Excel’s "CSV" in Spanish) rather than garbling it', async () => {
    const latin = Buffer.from([...Buffer.from('pa'), 0xed, ...Buffer.from('s,a'), 0xf1, ...Buffer.from('o\nPer'), 0xfa, ...Buffer.from(',2010\n')]);
    expect(await records(latin)).toEqual([
      { row: 1, cells: ['país', 'año'] },
      { row: 2, cells: ['Perú', '2010'] },
    ]);
  });

  it('refuses an unclosed quote as a malformed file, naming the line', async () => {
    await expect(records('a,b\n1,"oops\n2,3\n')).rejects.toMatchObject({ name: 'ImportFileError', code: 'malformed_csv' });
  });

  it('refuses an empty file', async () => {
    await expect(records('')).rejects.toMatchObject({ code: 'empty_file' });
    await expect(records('\n\n')).rejects.toMatchObject({ code: 'empty_file' });
  });
});

describe('headerKey', () => {
  it.each([
    ['[Reporting Type]', 'reportingtype'], ['Time_Detail', 'timedetail'], ['TimePeriod', 'timeperiod'], ['  País ', 'pais'], ['Año', 'ano'], ['unit_mult', 'unitmult'],
  ])('%j → %s', (name, key) => expect(headerKey(name)).toBe(key));
});

describe('collect: all or nothing', () => {
  async function* outcomes(list: Array<RowOutcome<number>>) {
    for (const item of list) yield item;
  }

  it('returns every accepted value when no row is refused', async () => {
    const report = await collect(outcomes([{ row: 2, value: 10 }, { row: 3, value: 11 }, { row: 4, skipped: 'country_not_in_group' }]));
    expect(report).toEqual({ ok: true, rows: 3, accepted: [10, 11], skipped: 1, refusedRows: 0, errors: [], errorCount: 0, errorsTruncated: false });
  });

  it('returns nothing when one row is refused, and lists every refusal', async () => {
    const report = await collect(
      outcomes([
        { row: 2, value: 10 },
        { row: 3, errors: [{ row: 3, code: 'bad_year', message: 'm', column: 'year', value: '20x0' }, { row: 3, code: 'unit_missing', message: 'm', column: 'unit', value: '' }] },
        { row: 4, value: 12 },
        { row: 5, errors: [{ row: 5, code: 'duplicate_key', message: 'm' }] },
      ]),
    );
    expect(report.ok).toBe(false);
    expect(report.accepted).toEqual([]);
    expect(report.refusedRows).toBe(2);
    expect(report.errors.map((e) => `${e.row}:${e.code}`)).toEqual(['3:bad_year', '3:unit_missing', '5:duplicate_key']);
  });

  it('keeps nothing of the good rows after a refused one either', async () => {
    const report = await collect(outcomes([{ row: 2, errors: [{ row: 2, code: 'bad_year', message: 'm' }] }, { row: 3, value: 11 }, { row: 4, value: 12 }]));
    expect(report).toMatchObject({ ok: false, rows: 3, accepted: [], refusedRows: 1 });
  });

  it('turns a file-level failure into a refusal of the whole file', async () => {
    async function* broken(): AsyncGenerator<RowOutcome<number>> {
      yield { row: 2, value: 1 };
      throw new ImportFileError('malformed_csv', 'Quote not closed.', 7);
    }
    const report = await collect(broken());
    expect(report).toMatchObject({ ok: false, accepted: [], errors: [{ row: 7, code: 'malformed_csv' }] });
  });

  it('lists at most maxErrors refusals but still counts them all', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ row: i + 2, errors: [{ row: i + 2, code: 'bad_year', message: 'm' }] }));
    const report = await collect(outcomes(many), { maxErrors: 10 });
    expect(report).toMatchObject({ ok: false, refusedRows: 50, errorCount: 50, errorsTruncated: true });
    expect(report.errors).toHaveLength(10);
  });

  it('hands each value over instead of keeping it, and none after the first refusal, which it tells once', async () => {
    const handed: number[] = [];
    const events: string[] = [];
    const report = await collect(
      outcomes([
        { row: 2, value: 10 },
        { row: 3, value: 11 },
        { row: 4, errors: [{ row: 4, code: 'bad_year', message: 'm' }] },
        { row: 5, value: 12 },
        { row: 6, errors: [{ row: 6, code: 'bad_year', message: 'm' }] },
      ]),
      { onValue: (value) => void handed.push(value), onRefused: () => void events.push(`refused after ${handed.length}`) },
    );
    expect(handed).toEqual([10, 11]);
    expect(events).toEqual(['refused after 2']);
    expect(report).toMatchObject({ ok: false, rows: 5, accepted: [], refusedRows: 2 });
    const good = await collect(outcomes([{ row: 2, value: 1 }, { row: 3, skipped: 'country_not_in_group' }, { row: 4, value: 2 }]), { onValue: (value) => void handed.push(value) });
    expect(good).toMatchObject({ ok: true, rows: 3, accepted: [], skipped: 1 });
    expect(handed).toEqual([10, 11, 1, 2]);
  });

  it('lets an unexpected exception through (a bug is not a bad row)', async () => {
    async function* buggy(): AsyncGenerator<RowOutcome<number>> {
      yield { row: 2, value: 1 };
      throw new TypeError('boom');
    }
    await expect(collect(buggy())).rejects.toThrow('boom');
  });
});
