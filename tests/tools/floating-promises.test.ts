import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { floatingPromises } from '../../tools/floating-promises.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'concilia-floating-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Repositories are asynchronous at their boundary: a write whose promise nobody awaits runs outside its unit of work on PostgreSQL. */
describe('dropped promises', () => {
  it('finds a promise used as a statement, and accepts an awaited, voided, returned or handled one', () => {
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true }, include: ['*.ts'] }));
    writeFileSync(
      path.join(dir, 'code.ts'),
      [
        'const write = async (n: number) => n;',
        'const sync = (n: number) => n;',
        'export async function piece() {',
        '  write(1);',
        '  (write(2));',
        '  await write(3);',
        '  void write(4);',
        '  write(5).catch(() => {});',
        '  write(6).then(() => {}, () => {});',
        '  write(7).then(() => {});',
        '  sync(8);',
        '  if (!write(10)) return 0;',
        '  if (await write(11)) return 1;',
        '  const ok = write(12) && sync(12);',
        '  return ok ? write(13) : write(14);',
        '}',
      ].join('\n'),
    );
    const found = floatingPromises(path.join(dir, 'tsconfig.json'));
    expect(found.map((line) => line.replace(/^code\.ts:(\d+): .*$/, '$1'))).toEqual(['4', '5', '10', '12', '14']);
  });

  it('finds none in the server', () => {
    expect(floatingPromises('tsconfig.server.json')).toEqual([]);
  }, 60_000);
});
