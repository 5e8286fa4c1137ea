import { existsSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { noRouteBody } from '../shared/errors.js';

/** A built asset whose name carries its content hash, or its precompressed copy (.br, .gz). */
const HASHED_ASSET = /\/assets\/.+-[\w-]{8,}\.\w+(?:\.br|\.gz)?$/;

/**
 * Serves the built Lit client. The build writes a brotli and a gzip copy beside each text file
 * (vite.config.ts): the copy the browser accepts is sent as is, with its own length and ETag, and
 * nothing here compresses per request. Hashed assets are cached for a year; every other path that
 * is not a file falls back to index.html, so client-side routes are real, reloadable URLs.
 */
export default fp<{ clientDir: string }>(
  async (fastify, options) => {
    if (!existsSync(path.join(options.clientDir, 'index.html'))) {
      throw new Error(`The client is not built (${options.clientDir}/index.html is missing). Run "npm run build" first.`);
    }
    await fastify.register(fastifyStatic, {
      root: options.clientDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      // Our setHeaders decides caching per file; send's own max-age would override it.
      cacheControl: false,
      setHeaders(reply, filePath) {
        reply.header('cache-control', HASHED_ASSET.test(filePath.replaceAll('\\', '/')) ? 'public, max-age=31536000, immutable' : 'no-cache');
        // The same address answers differently by Accept-Encoding: a shared cache must keep them apart.
        reply.header('vary', 'accept-encoding');
      },
    });

    fastify.setNotFoundHandler((request, reply) => {
      // A missing script is a 404, not the page: a tab still running an older build then fails to load
      // a chunk it asks for, and says so, instead of parsing HTML as JavaScript.
      if ((request.method !== 'GET' && request.method !== 'HEAD') || request.url.startsWith('/assets/')) {
        return reply.status(404).header('cache-control', 'no-store').send(noRouteBody(request.method, request.url));
      }
      return reply.sendFile('index.html');
    });
  },
  { name: 'client-shell' },
);
