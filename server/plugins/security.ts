import fp from 'fastify-plugin';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
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
 * The headers helmet sets for these options. Our policy has no per-request parts (no nonces), so
 * helmet runs once at start and every response gets the same object; @fastify/helmet instead
 * rebuilt the middleware, and re-parsed the policy, on every request.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  return headers;
}

/**
 * Security headers with a strict Content-Security-Policy (no inline scripts), and the
 * cross-site request check from Lucia's guide: a state-changing request must carry an
 * Origin header naming this site.
 */
export default fp<{ publicUrl: string }>(
  (fastify, options, done) => {
    const headers = securityHeaders({
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
    const siteOrigin = new URL(options.publicUrl).origin;

    // Callback style: this runs on every request, and a resolved promise per hook is measurable.
    fastify.addHook('onRequest', (request, reply, next) => {
      reply.headers(headers);
      if (SAFE_METHODS.has(request.method)) return next();
      const origin = request.headers.origin;
      if (origin === siteOrigin || isSiteOrigin(origin, request, options.publicUrl)) return next();
      next(crossOriginRefused());
    });
    done();
  },
  { name: 'security' },
);
