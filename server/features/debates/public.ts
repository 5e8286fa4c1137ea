/** What other features may use of the debates: `fastify.debates`. Type-only. */
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { Role } from '../../shared/roles.js';

/** A thread as another feature shows it (a meeting's linked debates). */
export interface ThreadReference {
  id: string;
  title: string;
}

/** A thread as one person may act in it: whether they may post (a locked thread: moderators only) and moderate. */
export interface ThreadAccess {
  id: string;
  groupId: string;
  title: string;
  authorId: string;
  locked: boolean;
  concluded: boolean;
  mayPost: boolean;
  isModerator: boolean;
}

/** An outcome another feature pins at the top of a thread (a proposal's): its own rendering, and what it came from. */
export interface PinnedOutcome {
  html: string;
  /** Plain text, shown on the thread list. */
  excerpt: string;
  at: Date;
  source: { kind: string; id: string };
}

export interface DebatesService {
  /**
   * Of these ids, the threads of the group, in the order asked (others left out). Every thread
   * is readable by its whole group, so the group is the reader's check. Synchronous: views call it.
   */
  threadTitles(groupId: string, ids: readonly string[]): ThreadReference[];
  /**
   * The thread as this person may act in it, or null when it is not theirs to read (another group).
   * Synchronous: scheduled jobs and writes ask it inside their piece.
   */
  threadAccess(person: { groupId: string; role: Role }, threadId: string): ThreadAccess | null;
  /** Whether a person of this role may post in the thread (moderators post in a locked one). */
  mayPost(role: Role, thread: Pick<ThreadAccess, 'locked'>): boolean;
  isModerator(role: Role): boolean;
  /** Who wrote the thread's visible posts, once each: its participants. */
  postAuthorIdsNow(threadId: string): string[];
  /**
   * Pins the outcome at the top of the thread and on the thread list (null unpins it), and marks
   * the thread concluded (true), not (false), or leaves that as it is; inside the caller's piece,
   * telling the group's lists and the thread's open pages.
   */
  pinOutcomeWithin(commit: PendingCommit, threadId: string, outcome: PinnedOutcome | null, concluded: boolean | undefined, now: Date): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    debates: DebatesService;
  }
}

/** Its live events and their payloads (declared into LiveEventMap, server/plugins/live/events.ts). */
export type * from './events.js';
