import fp from 'fastify-plugin';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header names this site: the public URL's origin, or the host the request itself came to. */
function isSiteOrigin(origin: string | undefined, request: FastifyRequest, siteOrigin: string): boolean {
  if (!origin) return false;
  return origin === siteOrigin || origin === `${request.protocol}://${request.host}`;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A write whose authority is a secret in its URL, never the session cookie, and that other
     * sites' servers are meant to send (RFC 8058's one-click unsubscribe, posted by mail
     * providers): the Origin check does not apply. Such a route must not read request.user.
     */
    allowCrossSite?: boolean;
  }
}

const crossOriginRefused = () => new AppError(403, 'cross_origin_refused', 'This request did not come from the Concilia site and was refused.');

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

declare module 'fastify' {
  interface FastifyInstance {
    /** The API's header set, for answers written where no hook runs (router and HTTP parser refusals). */
    securityHeaders: { api: Readonly<Record<string, string>> };
  }
}

/**
 * Security headers, and the cross-site request check from Lucia's guide: a state-changing request
 * must carry an Origin header naming this site.
 *
 * Pages and assets get helmet's full set with a strict Content-Security-Policy (no inline scripts).
 * Answers of /api get the set the OWASP REST Security Cheat Sheet gives for APIs: nothing may
 * load or frame them, nothing may sniff them into another type, and nothing stores them
 * (`Cache-Control: no-store`, which a route replaces where its contract says otherwise: pages,
 * files and calendars revalidated by ETag, public reference data). Beside those, the few of
 * helmet's headers that matter to what /api also serves as documents (printable minutes, PDFs
 * shown inline): no Referer leaves them, no other site may embed or open them. Helmet's other
 * headers only mean something to a page of the app, and on answers that the thread page sends
 * thousands of times a second, each header line costs measurable time.
 * tests/server/security-headers.test.ts checks every kind of answer against this.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers
 */
export default fp<{ publicUrl: string }>(
  (fastify, options, done) => {
    const overHttps = options.publicUrl.startsWith('https://');
    const documentHeaders = securityHeaders({
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
      // Nothing of ours is framed, not even by ourselves; old browsers that ignore frame-ancestors read this.
      xFrameOptions: { action: 'deny' },
      // Sent only when the site is served over https (set by the proxy or PUBLIC_URL).
      strictTransportSecurity: overHttps,
    });
    const apiHeaders: Record<string, string> = {
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
    };
    if (documentHeaders['strict-transport-security']) apiHeaders['strict-transport-security'] = documentHeaders['strict-transport-security'];
    const siteOrigin = new URL(options.publicUrl).origin;
    fastify.decorate('securityHeaders', { api: apiHeaders });

    // Callback style: this runs on every request, and a resolved promise per hook is measurable.
    // A websocket upgrade is a GET, but it opens a channel with the user's session, so it is
    // checked like a write (the websocket plugin marks upgrades before this hook runs).
    fastify.addHook('onRequest', (request, reply, next) => {
      // The request id too: one hook for every header each response carries (a hook costs each request).
      reply.headers(request.url.startsWith('/api/') ? apiHeaders : documentHeaders).header('x-request-id', request.id);
      if (SAFE_METHODS.has(request.method) && !request.ws) return next();
      if (isSiteOrigin(request.headers.origin, request, siteOrigin) || request.routeOptions.config.allowCrossSite === true) return next();
      next(crossOriginRefused());
    });
    done();
  },
  { name: 'security' },
);
