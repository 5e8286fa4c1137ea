import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../../server/plugins/files/file-store.js';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const newDataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'concilia-file-store-'));
  dataDirs.push(dir);
  return dir;
};
const dataDir = newDataDir();

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A pid that no process of this machine has now: one of a process that ran and exited. */
function goneProcessPid(): number {
  const ran = spawnSync(process.execPath, ['-e', '']);
  return ran.pid!;
}

/** A temporary folder as another instance leaves it, with one upload in it, both dated `at`. */
function foreignFolder(root: string, name: string, at: Date): string {
  const folder = path.join(root, 'files', 'tmp', name);
  mkdirSync(folder, { recursive: true });
  const upload = path.join(folder, 'f3b1c2d4-upload');
  writeFileSync(upload, '%PDF-1.7\nhalf of it');
  utimesSync(upload, at, at);
  utimesSync(folder, at, at);
  return folder;
}

describe('the file store receiving an upload', () => {
  it('leaves no temporary file, by the time it rejects, when the upload fails before the temporary file has even opened', async () => {
    const store = new FileStore(dataDir);
    const own = path.join(dataDir, 'files', 'tmp', store.instanceId);
    // A body that fails at its first read: the pipeline rejects while the write stream is still opening.
    for (let i = 0; i < 20; i++) {
      const failing = new Readable({ read() { this.destroy(new Error('body cut')); } });
      await expect(store.receive(failing, 1024, () => false)).rejects.toThrow('body cut');
      // At once: the caller answers the request now, and nothing may appear after that answer.
      expect(readdirSync(own)).toEqual([]);
    }
    await sleep(50);
    expect(readdirSync(own)).toEqual([]);
  });

  it('receives into a folder of its own under files/tmp, named after this host and process', async () => {
    const store = new FileStore(newDataDir());
    expect(store.instanceId.split('~').slice(0, 2)).toEqual([hostname(), String(process.pid)]);
    const received = await store.receive(Readable.from([Buffer.from('hola')]), 1024, () => false);
    expect(path.dirname(received.tempPath)).toBe(path.join(path.dirname(path.dirname(received.tempPath)), store.instanceId));
    await store.discard(received);
  });

  it('still receives when another instance removed its folder (judged abandoned)', async () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    rmSync(path.join(dir, 'files', 'tmp', store.instanceId), { recursive: true });
    const received = await store.receive(Readable.from([Buffer.from('sigue')]), 1024, () => false);
    expect(readFileSync(received.tempPath, 'utf8')).toBe('sigue');
    await store.discard(received);
  });
});

describe('the file store keeping an upload', () => {
  it('moves it to files/ab/cd/<sha256> and leaves no temporary file; the same content again is kept once', async () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    const bytes = Buffer.from('%PDF-1.7\ninforme final');
    for (let i = 0; i < 2; i++) {
      const received = await store.receive(Readable.from([bytes]), 1024, () => false);
      await store.keep(received);
      expect(existsSync(received.tempPath)).toBe(false);
    }
    const hash = sha256(bytes);
    expect(readFileSync(path.join(dir, 'files', hash.slice(0, 2), hash.slice(2, 4), hash))).toEqual(bytes);
    expect(readdirSync(path.join(dir, 'files', 'tmp', store.instanceId))).toEqual([]);
  });
});

describe('the file store clearing temporary files other processes left (a shared files directory)', () => {
  const now = Date.now();

  it("leaves a live process's folder alone, however old its upload, as long as the folder or an upload in it is recent", () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    // Another live process of this machine (the test runner's parent), and an instance elsewhere.
    const here = foreignFolder(dir, `${hostname()}~${process.ppid}~${(now - HOUR_MS).toString(36)}~aaaa0001`, new Date(now - 5_000));
    const elsewhere = foreignFolder(dir, `otra-maquina~1~${(now - 2 * DAY_MS).toString(36)}~bbbb0002`, new Date(now - 20 * HOUR_MS));
    expect(store.removeAbandonedTemporaryFiles(DAY_MS, now)).toBe(0);
    expect(readdirSync(here)).toEqual(['f3b1c2d4-upload']);
    expect(readdirSync(elsewhere)).toEqual(['f3b1c2d4-upload']);
  });

  it('removes at once the folder of a process of this machine that is gone, however recent its upload', () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    const gone = foreignFolder(dir, `${hostname()}~${goneProcessPid()}~${(now - HOUR_MS).toString(36)}~cccc0003`, new Date(now - 5_000));
    // A restarted container's server has the same pid as the run before it, which is gone too.
    const previousRun = foreignFolder(dir, `${hostname()}~${process.pid}~${(now - 3 * DAY_MS).toString(36)}~dddd0004`, new Date(now - 5_000));
    expect(store.removeAbandonedTemporaryFiles(DAY_MS, now)).toBe(2);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(previousRun)).toBe(false);
  });

  it('ages out a folder of another machine nobody has touched for longer than the bound, and loose files of the layout before folders', () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    const abandoned = foreignFolder(dir, `otra-maquina~1~${(now - 3 * DAY_MS).toString(36)}~eeee0005`, new Date(now - DAY_MS - HOUR_MS));
    const unnamed = foreignFolder(dir, 'no-es-un-id', new Date(now - DAY_MS - HOUR_MS));
    const looseOld = path.join(dir, 'files', 'tmp', '0f1e2d3c-old-layout');
    const looseNew = path.join(dir, 'files', 'tmp', '9a8b7c6d-old-layout');
    writeFileSync(looseOld, 'cut');
    writeFileSync(looseNew, 'maybe still written by a process of the version before');
    utimesSync(looseOld, new Date(now - DAY_MS - HOUR_MS), new Date(now - DAY_MS - HOUR_MS));
    expect(store.removeAbandonedTemporaryFiles(DAY_MS, now)).toBe(3);
    expect([abandoned, unnamed, looseOld].filter((entry) => existsSync(entry))).toEqual([]);
    expect(existsSync(looseNew)).toBe(true);
  });

  it("keeps a live instance's idle folder fresh (markAlive), so no other instance takes it for abandoned", () => {
    const dir = newDataDir();
    const idle = new FileStore(dir);
    const own = path.join(dir, 'files', 'tmp', idle.instanceId);
    const longAgo = new Date(now - 2 * DAY_MS);
    utimesSync(own, longAgo, longAgo);
    idle.markAlive(new Date(now));
    // Another store of this very process (same pid and start): alive, and judged by its age like any other.
    const other = new FileStore(dir);
    expect(other.removeAbandonedTemporaryFiles(DAY_MS, now)).toBe(0);
    expect(existsSync(own)).toBe(true);
  });

  it('removes its own folder at a clean stop when nothing is left in it, and leaves it otherwise', async () => {
    const dir = newDataDir();
    const [emptied, busy] = [new FileStore(dir), new FileStore(dir)];
    const left = await busy.receive(Readable.from([Buffer.from('a medio recibir')]), 1024, () => false);
    await emptied.close();
    await busy.close();
    expect(readdirSync(path.join(dir, 'files', 'tmp'))).toEqual([busy.instanceId]);
    expect(existsSync(left.tempPath)).toBe(true);
  });

  it('removes from its own folder only uploads older than the bound (a removal that failed)', () => {
    const dir = newDataDir();
    const store = new FileStore(dir);
    const own = path.join(dir, 'files', 'tmp', store.instanceId);
    writeFileSync(path.join(own, 'old'), 'x');
    writeFileSync(path.join(own, 'recent'), 'y');
    utimesSync(path.join(own, 'old'), new Date(now - DAY_MS - HOUR_MS), new Date(now - DAY_MS - HOUR_MS));
    expect(store.removeAbandonedTemporaryFiles(DAY_MS, now)).toBe(1);
    expect(readdirSync(own)).toEqual(['recent']);
  });
});
