import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const fromRoot = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The Lit client lives in client/ and is built into dist/client, which the Fastify server
 * serves with an SPA fallback. Asset names carry a content hash so the server can cache them
 * for a year (see server/plugins/client-shell.ts).
 */
export default defineConfig({
  root: fromRoot('./client'),
  publicDir: fromRoot('./client/public'),
  build: {
    outDir: fromRoot('./dist/client'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
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
