import { existsSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { noRouteBody } from '../shared/errors.js';

const HASHED_ASSET = /\/assets\/.+-[\w-]{8,}\.\w+$/;

/**
 * Serves the built Lit client. Hashed assets are cached for a year; every other path that
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
      // Our setHeaders decides caching per file; send's own max-age would override it.
      cacheControl: false,
      setHeaders(reply, filePath) {
        reply.header('cache-control', HASHED_ASSET.test(filePath.replaceAll('\\', '/')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });

    fastify.setNotFoundHandler((request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return reply.status(404).header('cache-control', 'no-store').send(noRouteBody(request.method, request.url));
      }
      return reply.sendFile('index.html');
    });
  },
  { name: 'client-shell' },
);
