/** What other features may use of the debates: `fastify.debates`. Type-only. */

/** A thread as another feature shows it (a meeting's linked debates). */
export interface ThreadReference {
  id: string;
  title: string;
}

export interface DebatesService {
  /**
   * Of these ids, the threads of the group, in the order asked (others left out). Every thread
   * is readable by its whole group, so the group is the reader's check. Synchronous: views call it.
   */
  threadTitles(groupId: string, ids: readonly string[]): ThreadReference[];
}

declare module 'fastify' {
  interface FastifyInstance {
    debates: DebatesService;
  }
}

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';
