import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Text the browser asks for; images other than SVG and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, at the highest
 * levels, once: the server sends the copy the browser accepts and never compresses these files
 * per request (server/plugins/client-shell.ts). A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  return {
    name: 'concilia:precompress',
    apply: 'build',
    async writeBundle(options) {
      const dir = options.dir;
      if (!dir) return;
      const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
      await Promise.all(
        files.map(async (file) => {
          const original = await readFile(file);
          const [br, gz] = await Promise.all([
            brotli(original, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
              },
            }),
            gzipAsync(original, { level: constants.Z_BEST_COMPRESSION }),
          ]);
          if (br.length < original.length) await writeFile(`${file}.br`, br);
          if (gz.length < original.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

const sharedByFeatures = (id: string) =>
  /[\\/]client[\\/]/.test(id) && !/[\\/]features[\\/](meetings[\\/]|debates[\\/](widgets|markdown-editor|indicator-picker)\.ts)/.test(id);

/**
 * The Lit client lives in client/ and is built into dist/client, which the Fastify server
 * serves with an SPA fallback. Asset names carry a content hash so the server can cache them
 * for a year (see server/plugins/client-shell.ts). The entry holds the shell, the router and the
 * sign-in page; each feature is a chunk of its own, loaded on its first visit (client/app/features.ts),
 * with the chunks it shares with others fetched alongside it (Vite's module preload), not after it.
 */
export default defineConfig({
  root: fromRoot('./client'),
  publicDir: fromRoot('./client/public'),
  plugins: [precompress()],
  build: {
    outDir: fromRoot('./dist/client'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: true },
    rolldownOptions: {
      output: {
        // Fewer, larger files: each is a request with its own headers and, over HTTP/1.1, a turn on one
        // of six connections. Everything the entry needs is one file; the small modules several features
        // share are one more. Left to be split automatically: the meetings' code (it carries luxon, which
        // the profile page shares) and the debates' editor and indicator picker (only three features use them).
        codeSplitting: {
          groups: [
            { name: 'shell', tags: ['$initial'], priority: 2 },
            { name: 'shared', test: sharedByFeatures, minShareCount: 2, priority: 1 },
          ],
        },
        // A feature's chunk is named after the feature (meetings-<hash>.js), and the elements it lends
        // to others after it too (meetings-widgets-<hash>.js), rather than all "define" or "widgets".
        chunkFileNames: (chunk) => {
          const own = /\/features\/([^/]+)\/define\.ts$/.exec(chunk.facadeModuleId ?? '');
          if (own) return `assets/${own[1]}-[hash].js`;
          const lent = chunk.name !== 'widgets' ? null : chunk.moduleIds.map((id) => /\/features\/([^/]+)\/widgets\.ts$/.exec(id)).find(Boolean);
          return lent ? `assets/${lent[1]}-widgets-[hash].js` : 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // changeOrigin stays false: the API's cross-origin check compares Origin with the Host the browser used.
      // ws: the live channel (/api/live) is a WebSocket upgrade on the same path prefix.
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false, ws: true },
    },
  },
  preview: { host: '127.0.0.1' },
});
