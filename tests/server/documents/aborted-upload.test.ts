import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, ORIGIN, type TestApp } from '../../helper.js';
import { populate, type People } from '../debates/support.js';
import { waitUntil } from '../live-support.js';
import { metadata, storedFiles } from './support.js';

let t: TestApp;
let people: People;
let port: number;

beforeAll(async () => {
  t = await buildTestApp();
  people = await populate(t.app);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => t.close());

describe('an upload cut off half way', () => {
  it('leaves no temporary file, no stored file and no document, and the server carries on', async () => {
    const before = storedFiles(t.dataDir);
    const boundary = 'cortado';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata({ title: { es: 'Nunca llega entero', en: '' } }))}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="grande.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`;
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${ORIGIN}\r\nCookie: ${people.secretariat.cookie}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n${head}`,
    );
    socket.write(Buffer.alloc(256 * 1024, 32));
    // The upload is under way: its temporary file exists.
    await waitUntil(() => storedFiles(t.dataDir).some((file) => file.startsWith('tmp/')), 'the temporary file');
    socket.destroy();
    await waitUntil(() => !storedFiles(t.dataDir).some((file) => file.startsWith('tmp/')), 'the temporary file to go', 5_000);
    expect(storedFiles(t.dataDir)).toEqual(before);

    const list = await fetch(`http://127.0.0.1:${port}/api/documents?q=${encodeURIComponent('Nunca llega entero')}`, { headers: { cookie: people.secretariat.cookie } });
    expect((await list.json()).total).toBe(0);
  });
});

describe('an upload cut off by a crash', () => {
  it("leaves a temporary file that the next start removes, however recent, when the process that received it is gone", async () => {
    // What a SIGKILL in the middle of an upload leaves: a half-received file, seconds old, in the
    // temporary folder of a process of this machine that no longer runs.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-crashed-upload-'));
    try {
      const gonePid = spawnSync(process.execPath, ['-e', '']).pid!;
      const folder = path.join(dataDir, 'files', 'tmp', `${hostname()}~${gonePid}~${(Date.now() - 60_000).toString(36)}~0f1e2d3c`);
      mkdirSync(folder, { recursive: true });
      const cut = path.join(folder, '0f1e2d3c-crashed-upload');
      writeFileSync(cut, '%PDF-1.7\nhalf of it');
      const fiveSecondsAgo = new Date(Date.now() - 5_000);
      utimesSync(cut, fiveSecondsAgo, fiveSecondsAgo);
      // On the suite's engine: the start's clean-up is the files plugin's, whichever database is behind it.
      const restarted = await buildTestApp({ DATA_DIR: dataDir });
      try {
        expect(storedFiles(dataDir)).toEqual([]);
      } finally {
        await restarted.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
