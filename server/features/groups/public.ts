import type { groups } from '../../plugins/identity/tables.js';

/** What other features may use of the groups feature: `fastify.groups`. Type-only. */

export type Group = typeof groups.$inferSelect;

export interface GroupsService {
  /**
   * The group this instance serves. Today an instance hosts one group, created at set-up;
   * hosting several later means resolving the group from the request instead of calling this.
   */
  findDefault(): Promise<Group | null>;
  /** After set-up created the group (findDefault remembers its answer). */
  forgetCachedDefault(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    groups: GroupsService;
  }
}
