import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../server/shared/paths.js';
import { buildTestApp, type TestApp } from '../../helper.js';

/**
 * The purge of stored files nothing refers to, with several processes on one DATA_DIR: an upload
 * on one process claims its content (stored_files.last_claimed_at) before it keeps the file and
 * commits the row that refers to it; the purge on any other process must honour that claim. Two
 * apps on one data folder and one database stand for two processes here (each its own connection
 * and its own file store); the lock test holds the claim in a real second process on SQLite, on a
 * connection of its own on PostgreSQL.
 */

const HOUR_MS = 60 * 60 * 1000;
let first: TestApp;
let second: TestApp;
let dataDir: string;
let a: FastifyInstance;
let b: FastifyInstance;

beforeAll(async () => {
  first = await buildTestApp();
  dataDir = first.config.dataDir;
  second = await buildTestApp({ DATA_DIR: dataDir, ...(first.config.databaseUrl === null ? {} : { DATABASE_URL: first.config.databaseUrl }) });
  a = first.app;
  b = second.app;
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

/** What an upload on A does up to the commit that would refer to its file: receive, claim, keep. */
async function uploadedOnA(text: string, now: Date): Promise<{ sha256: string; file: string }> {
  const bytes = Buffer.from(`%PDF-1.7\n${text}`);
  const received = await a.files.store.receive(Readable.from([bytes]), 1024 * 1024, () => false);
  await a.files.claim({ sha256: received.sha256, size: received.size, mime: 'application/pdf' }, now);
  await a.files.store.keep(received);
  expect(received.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  return { sha256: received.sha256, file: a.files.store.pathOf(received.sha256) };
}

describe("the purge on one process and an upload on another", () => {
  it("keeps a file A just stored for a commit still to come, and removes it once the claim's hour has passed with nothing referring to it", async () => {
    const now = new Date();
    const { file } = await uploadedOnA('a punto de guardarse', now);
    expect((await b.files.purge(new Date(now.getTime() + 5 * 60 * 1000))).files).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect((await b.files.purge(new Date(now.getTime() + HOUR_MS + 60_000))).files).toBe(1);
    expect(existsSync(file)).toBe(false);
  });

  it('waits for a claim another process is committing, and keeps its file (no decision on a stale snapshot)', async () => {
    // The content was claimed long ago and nothing refers to it: the purge would remove it...
    const longAgo = new Date(Date.now() - 3 * HOUR_MS);
    const { sha256, file } = await uploadedOnA('reutilizado por otra subida', longAgo);
    // ...but another process claims it again right now, in a transaction it holds for a moment.
    if (first.config.databaseUrl !== null) {
      const other = new pg.Client({ connectionString: first.config.databaseUrl });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('update stored_files set last_claimed_at = $1 where sha256 = $2', [Date.now(), sha256]);
        // B's purge starts while the claim is uncommitted: it must wait for it, then see it.
        let purged = false;
        const purging = b.files.purge(new Date()).finally(() => (purged = true));
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(purged, 'the purge must wait for the uncommitted claim').toBe(false);
        await other.query('commit');
        expect((await purging).files).toBe(0);
      } finally {
        await other.end();
      }
      expect(existsSync(file)).toBe(true);
      return;
    }
    const claiming = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require('better-sqlite3');
         const db = new Database(process.argv[1]);
         db.pragma('busy_timeout = 5000');
         db.prepare('begin immediate').run();
         db.prepare('update stored_files set last_claimed_at = ? where sha256 = ?').run(Date.now(), process.argv[2]);
         process.stdout.write('claimed\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
         db.prepare('commit').run();
         db.close();`,
        path.join(dataDir, 'concilia.db'),
        sha256,
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => claiming.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      claiming.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('claimed') && resolve());
      claiming.on('exit', (code) => reject(new Error(`the claiming process exited first (${code})`)));
    });
    // B's purge starts while the claim is uncommitted: it must wait for it, then see it.
    expect((await b.files.purge(new Date())).files).toBe(0);
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});
