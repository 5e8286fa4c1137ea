import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header names this site: the public URL's origin, or the host the request itself came to. */
export function isSiteOrigin(origin: string | undefined, request: FastifyRequest, publicUrl: string): boolean {
  if (!origin) return false;
  return origin === new URL(publicUrl).origin || origin === `${request.protocol}://${request.host}`;
}

export const crossOriginRefused = () => new AppError(403, 'cross_origin_refused', 'This request did not come from the Concilia site and was refused.');

/**
 * Security headers with a strict Content-Security-Policy (no inline scripts), and the
 * cross-site request check from Lucia's guide: a state-changing request must carry an
 * Origin header naming this site.
 */
export default fp<{ publicUrl: string }>(
  async (fastify, options) => {
    await fastify.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      // Sent only when the site is served over https (set by the proxy or PUBLIC_URL).
      strictTransportSecurity: options.publicUrl.startsWith('https://'),
    });

    fastify.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (!isSiteOrigin(request.headers.origin, request, options.publicUrl)) throw crossOriginRefused();
    });
  },
  { name: 'security' },
);
