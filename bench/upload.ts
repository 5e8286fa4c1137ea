import { readFileSync } from 'node:fs';
import { printTable } from './measure.js';
import { measureUploadMemory } from './upload-memory.js';

/** `npm run bench:upload`: only the upload memory measure of `npm run bench`. */
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
const serverArgs = /node ((?:--\S+ )*)(dist\/server\/server\.js)/.exec(startScript)!.slice(1).join('').split(' ').filter(Boolean);
const result = await measureUploadMemory(serverArgs);
const growth = result.peakMb - result.baselineMb;
printTable('Concilia upload memory (server: node ' + serverArgs.join(' ') + ')', [
  [`upload of a ${result.fileMb} MB file: status, time`, `${result.status}, ${result.seconds.toFixed(1)} s`, '201', result.status === 201 ? 'ok' : 'MISSED'],
  ['server RSS before / peak during', `${result.baselineMb.toFixed(0)} / ${result.peakMb.toFixed(0)} MB`, '', ''],
  ['server RSS growth', `${growth.toFixed(1)} MB`, '< 50 MB', growth < 50 ? 'ok' : 'MISSED'],
  [`${result.small.count} uploads of ${result.small.kb} KB one after another: p50 / p95; failed`, `${result.small.p50Ms.toFixed(1)} / ${result.small.p95Ms.toFixed(1)} ms; ${result.small.failed}`, '', result.small.failed === 0 ? 'ok' : 'MISSED'],
]);
