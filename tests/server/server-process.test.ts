import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtClientDir, projectRoot } from '../../server/shared/paths.js';
import { TEST_ENGINE } from '../helper.js';
import { freePort } from '../support/free-port.js';
import { databaseForThisFile } from '../support/postgres.js';

/** The real entry point as `npm start` runs it (through tsx instead of the tsc build), on a real port. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealth(url: string, child: ChildProcess, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('server exited early');
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become healthy in time');
}

const dataDirs: string[] = [];
const children: ChildProcess[] = [];
const databases: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  for (const database of databases) await database.close();
});

describe('the server process', () => {
  // On the suite's engine: with TEST_ENGINE=postgres, `npm start` with a PostgreSQL DATABASE_URL (a fresh migrated database).
  it('serves the set-up page on an empty DATA_DIR and stops cleanly on SIGTERM', async () => {
    expect(existsSync(path.join(builtClientDir, 'index.html')), 'client must be built (npm test runs vite build first)').toBe(true);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-process-'));
    dataDirs.push(dataDir);
    const database = TEST_ENGINE === 'postgres' ? await databaseForThisFile() : null;
    if (database) databases.push(database);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = startServer({ PORT: String(port), DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) });
    children.push(server.child);
    await waitForHealth(url, server.child);

    // The SQLite file is made only when SQLite is the engine.
    expect(existsSync(path.join(dataDir, 'concilia.db'))).toBe(database === null);
    expect(await (await fetch(`${url}/api/setup`)).json()).toEqual({ needed: true });

    // A client-side route is a real URL: the shell comes back, with a strict CSP and no caching.
    const page = await fetch(`${url}/setup`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toMatch(/<script type="module"[^>]*src="\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/); // no inline scripts

    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const assetResponse = await fetch(`${url}${asset}`);
    expect(assetResponse.status).toBe(200);
    expect(assetResponse.headers.get('cache-control')).toContain('immutable');
    // Read to the end: an unread body holds its connection open, and graceful shutdown waits for it.
    expect((await assetResponse.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('refuses to start with an invalid configuration, naming the variable', async () => {
    const server = startServer({ PORT: 'not-a-port', DATA_DIR: path.join(tmpdir(), 'concilia-never-created') });
    children.push(server.child);
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('PORT');
    expect(server.output()).toContain('Invalid configuration');
  });
});
