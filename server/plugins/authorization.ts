import fp from 'fastify-plugin';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { forbidden, unauthorized } from '../shared/errors.js';
import type { Role } from '../shared/roles.js';
import type { SessionUser } from './sessions/index.js';

/**
 * Who may call a route. Every /api route must declare one in `config.access`;
 * the app refuses to start when a route forgets, so no route is open by accident.
 *  - 'public': anyone, signed in or not
 *  - 'signed-in': any active participant
 *  - 'instance-admin': the instance's administrators (SessionUser.instanceAdmin), whichever group they work in
 *  - a list of roles: only those, in the request's group
 */
export type Access = 'public' | 'signed-in' | 'instance-admin' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access, for audits and the permission test. */
    accessTable: Array<{ method: string; url: string; access: Access }>;
  }
}

export const onlyRoles = (...roles: Role[]): Access => roles;

/** Throws 401/403 unless the request's user satisfies `access`. */
export function assertAccess(user: SessionUser | null, access: Access): void {
  if (access === 'public') return;
  if (!user) throw unauthorized();
  if (access === 'signed-in') return;
  if (access === 'instance-admin') {
    if (!user.instanceAdmin) throw forbidden("Only the instance's administrators may do this.");
    return;
  }
  if (!access.includes(user.role)) throw forbidden();
}

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export default fp(
  async (fastify) => {
    const table: Array<{ method: string; url: string; access: Access }> = [];
    fastify.decorate('accessTable', table);

    fastify.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (route.url.startsWith('/api')) {
        if (access === undefined) throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule (config.access).`);
        for (const method of [route.method].flat()) {
          if (method === 'HEAD') continue;
          table.push({ method, url: route.url, access });
        }
      }
      if (access === undefined) return;
      // The check becomes the route's own first onRequest hook, its rule read here once: a hook of
      // every request reading request.routeOptions builds a fresh object of the route's options
      // each time. onRequest, before body parsing and validation: a stranger learns nothing about
      // a route's input. Callback style: a synchronous check needs no promise.
      const check: onRequestHookHandler = (request, _reply, next) => {
        try {
          assertAccess(request.user, access);
        } catch (error) {
          return next(error as Error);
        }
        next();
      };
      route.onRequest = route.onRequest ? [check, ...[route.onRequest].flat()] : [check];
    });
  },
  { name: 'authorization', dependencies: ['sessions'] },
);
