import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { projectRoot } from '../../server/shared/paths.js';

/**
 * The client as `vite build` makes it (the project's own vite.config.ts, into a temporary folder),
 * then served by the real app: what the build puts in the entry chunk, the precompressed files it
 * writes beside each asset, and how the client shell picks among them.
 */
const clientDir = mkdtempSync(path.join(tmpdir(), 'concilia-client-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-test-'));
let chunks: Rollup.OutputChunk[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  const output = (await build({
    configFile: path.join(projectRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: clientDir, emptyOutDir: true },
  })) as Rollup.RollupOutput;
  chunks = output.output.filter((item): item is Rollup.OutputChunk => item.type === 'chunk');
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://127.0.0.1:3000' }, { clientDir });
  app = await buildApp(config, { logger: false });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(clientDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every module a chunk needs before it runs: its own and those of the chunks it imports statically, recursively. */
function staticGraph(start: Rollup.OutputChunk): string[] {
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set<string>();
  const modules: string[] = [];
  const visit = (chunk: Rollup.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    modules.push(...chunk.moduleIds.map((id) => path.relative(projectRoot, id).replaceAll('\\', '/')));
    for (const file of chunk.imports) visit(byFile.get(file)!);
  };
  visit(start);
  return modules;
}

/** Every module the entry loads before anything else. */
const entryGraph = () => staticGraph(chunks.find((chunk) => chunk.isEntry)!);

const assetFile = (extension: string) => {
  const name = readdirSync(path.join(clientDir, 'assets')).find((file) => file.endsWith(extension));
  if (!name) throw new Error(`no ${extension} asset`);
  return `/assets/${name}`;
};

describe('the client build', () => {
  it('keeps feature code out of the entry: only the shell, the sign-in page, the features\' route lists and shared primitives load first', () => {
    const modules = entryGraph();
    expect(modules).toContain('client/app/app-root.ts');
    expect(modules).toContain('client/features/auth/login-page.ts');
    // Each feature's routes.ts (paths, titles, menu links) is in the entry; its pages are not.
    expect(modules).toContain('client/features/meetings/routes.ts');
    const features = modules.filter((id) => id.startsWith('client/features/') && !id.startsWith('client/features/auth/') && !/^client\/features\/[^/]+\/routes\.ts$/.test(id));
    expect(features).toEqual([]);
    expect(modules.filter((id) => /node_modules\/(luxon|marked)\//.test(id))).toEqual([]);
    expect(modules.filter((id) => id.startsWith('client/generated/locales/'))).toEqual([]);
  });

  it('makes each feature a chunk of its own, loaded when one of its routes is first visited', () => {
    const lazy = chunks.filter((chunk) => chunk.isDynamicEntry).map((chunk) => chunk.facadeModuleId && path.relative(projectRoot, chunk.facadeModuleId));
    for (const feature of ['admin', 'debates', 'documents', 'invitations', 'meetings', 'notifications', 'people', 'search', 'setup']) {
      expect(lazy).toContain(`client/features/${feature}/define.ts`);
    }
    // Luxon and the meetings' pages come with the meetings only: the debates page does not fetch them.
    const debates = staticGraph(chunks.find((chunk) => chunk.facadeModuleId?.endsWith('client/features/debates/define.ts'))!);
    expect(debates).toContain('client/features/debates/debates-page.ts');
    expect(debates.filter((id) => id.includes('node_modules/luxon/') || /client\/features\/meetings\/(define|meetings-page|meeting-page)\.ts/.test(id))).toEqual([]);
  });

  it('writes a brotli and a gzip copy beside every script, style sheet and page, decoding to the same bytes', () => {
    const all = readdirSync(clientDir, { recursive: true, encoding: 'utf8' });
    const files = all.filter((file) => /\.(js|css|html|svg)$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const original = readFileSync(path.join(clientDir, file));
      // A copy is kept only when it is smaller: a file of a few bytes may have none.
      const hasBr = all.includes(`${file}.br`);
      const hasGz = all.includes(`${file}.gz`);
      if (original.length >= 1024) expect([file, hasBr, hasGz]).toEqual([file, true, true]);
      if (hasBr) {
        const br = readFileSync(path.join(clientDir, `${file}.br`));
        expect(brotliDecompressSync(br).equals(original), file).toBe(true);
        expect(br.length, file).toBeLessThan(original.length);
        if (original.length > 4096) expect(br.length, file).toBeLessThan(original.length / 2);
      }
      if (hasGz) {
        const gz = readFileSync(path.join(clientDir, `${file}.gz`));
        expect(gunzipSync(gz).equals(original), file).toBe(true);
        expect(gz.length, file).toBeLessThan(original.length);
      }
    }
  });
});

describe('the client shell', () => {
  it('answers a script in brotli, gzip or as is, by Accept-Encoding, with Vary, its own length and ETag, cached for a year', async () => {
    const script = `/${chunks.find((chunk) => chunk.isEntry)!.fileName}`;
    const onDisk = (suffix: string) => statSync(path.join(clientDir, script + suffix)).size;
    const get = (acceptEncoding?: string) => app.inject({ url: script, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

    const br = await get('gzip, deflate, br, zstd');
    const gzip = await get('gzip, deflate');
    const identity = await get();
    const refused = await get('br;q=0, gzip;q=0');
    for (const [response, encoding, suffix] of [
      [br, 'br', '.br'],
      [gzip, 'gzip', '.gz'],
      [identity, undefined, ''],
      [refused, undefined, ''],
    ] as const) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
      expect(response.headers['content-type']).toBe(identity.headers['content-type']);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Number(response.headers['content-length'])).toBe(onDisk(suffix));
      expect(response.rawPayload.length).toBe(onDisk(suffix));
    }
    expect(brotliDecompressSync(br.rawPayload).equals(identity.rawPayload)).toBe(true);
    expect(gunzipSync(gzip.rawPayload).equals(identity.rawPayload)).toBe(true);
    // Each form has its own validator, so a cache never revalidates one with the other's.
    expect(new Set([br.headers.etag, gzip.headers.etag, identity.headers.etag]).size).toBe(3);
    const revalidated = await app.inject({ url: script, headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
    expect(revalidated.statusCode).toBe(304);
  });

  it('answers the page itself (any client route) compressed too, never cached without revalidation', async () => {
    const page = await app.inject({ url: '/debates/t/some-thread', headers: { 'accept-encoding': 'br' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers.vary).toMatch(/accept-encoding/i);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.rawPayload).toString()).toContain('<cn-app>');
    const style = await app.inject({ url: assetFile('.css'), headers: { 'accept-encoding': 'gzip' } });
    expect(style.headers['content-encoding']).toBe('gzip');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a missing asset instead of the page, so a stale chunk fails as a missing script', async () => {
    const missing = await app.inject({ url: '/assets/define-0123abcd.js', headers: { 'accept-encoding': 'br' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.json().error.code).toBe('not_found');
  });
});
