import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../server/plugins/files/file-store.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-file-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the file store receiving an upload', () => {
  it('leaves no temporary file, by the time it rejects, when the upload fails before the temporary file has even opened', async () => {
    const store = new FileStore(dataDir);
    // A body that fails at its first read: the pipeline rejects while the write stream is still opening.
    for (let i = 0; i < 20; i++) {
      const failing = new Readable({ read() { this.destroy(new Error('body cut')); } });
      await expect(store.receive(failing, 1024, () => false)).rejects.toThrow('body cut');
      // At once: the caller answers the request now, and nothing may appear after that answer.
      expect(readdirSync(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
    }
    await sleep(50);
    expect(readdirSync(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
  });
});
