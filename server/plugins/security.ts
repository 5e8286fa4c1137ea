import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import { AppError } from '../shared/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

    const trustedOrigin = new URL(options.publicUrl).origin;
    fastify.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      const origin = request.headers.origin;
      const ownOrigin = `${request.protocol}://${request.host}`;
      if (!origin || (origin !== trustedOrigin && origin !== ownOrigin)) {
        throw new AppError(403, 'cross_origin_refused', 'This request did not come from the Concilia site and was refused.');
      }
    });
  },
  { name: 'security' },
);
