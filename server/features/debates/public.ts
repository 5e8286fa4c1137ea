/** What other features may use of the debates: `fastify.debates`. Type-only. */
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { Role } from '../../shared/roles.js';
import type { LiveEventInput } from '../../plugins/live/hub.js';

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

/** Who reads a thread, as its owner judges them (ThreadOwner.mayRead). */
export interface ThreadReader {
  id: string;
  groupId: string;
  role: Role;
  countryId: string | null;
  organizationId: string | null;
}

/**
 * A feature whose things each have a discussion thread of their own (a discrepancy case): it says
 * who may read each, and the debates keep that thread to them: its page, posts, live topic,
 * notifications, mail replies, attachments and subject summaries. Such threads stay out of the
 * group's thread lists, category counts, home page, search and the group's live list events.
 */
export interface ThreadOwner {
  /**
   * Whether this person may read the subject now, and so its thread. Synchronous: a post's write
   * asks it, inside its piece, of every person it would notify.
   */
  mayRead(reader: ThreadReader, subjectId: string): boolean;
  /**
   * Optional: the people told of every post in the subject's thread as if they watched it (a
   * case's participants), unless they set the thread to normal or muted; only those who may read
   * it are told. Synchronous, asked inside the post's write.
   */
  followers?(groupId: string, subjectId: string): readonly string[];
}

/** A subject's thread as its owner's page shows it. */
export interface SubjectThread {
  id: string;
  title: string;
  /** The thread's page (`/debates/t/…`). */
  href: string;
  /** Posts, the opening one included, not withdrawn. */
  postCount: number;
  lastActivityAt: Date;
}

/** A post as the owner's page lists it (a hidden one without its text, a withdrawn one left out). */
export interface SubjectPost {
  id: string;
  seq: number;
  author: { id: string; name: string };
  /** Sanitized HTML; null for a hidden post. */
  html: string | null;
  hidden: boolean;
  createdAt: Date;
}

export interface SubjectPostInput {
  subject: { kind: string; id: string };
  groupId: string;
  /** The thread's title when this post opens it (the subject's title). */
  title: string;
  /** The slug of the category an opened thread is filed under (its breadcrumb); the group's first category if none has it. */
  categorySlug?: string;
  author: { id: string; displayName: string; countryId: string | null };
  /** Markdown. */
  source: string;
  now: Date;
  /** A post moved from elsewhere (a case's comments from before its thread): no notifications, as nothing new was said. */
  quiet?: boolean;
}

export interface DebatesService {
  /**
   * Declares a subject kind whose things get a thread of their own (postInSubjectThreadWithin),
   * read by whom `owner` says. Once per kind, at start.
   */
  defineThreadOwner(kind: string, owner: ThreadOwner): void;
  /** The subject's thread, or null before its first post. */
  subjectThread(subject: { kind: string; id: string }): Promise<SubjectThread | null>;
  /** The thread's last `limit` posts, oldest first. */
  latestPosts(threadId: string, limit: number): Promise<SubjectPost[]>;
  /**
   * Posts in the subject's thread inside the caller's piece, opening the thread with this post on
   * first need (one thread per subject): its live events and its notifications (replies,
   * mentions, watchers: only people the owner lets read it) commit with it.
   */
  postInSubjectThreadWithin(commit: PendingCommit, input: SubjectPostInput): Promise<{ threadId: string; postId: string; opened: boolean }>;
  /**
   * The live events to store, in the owner's write, when who may read the subject changed (a
   * case published or withdrawn): the thread's subscribers are checked again. None before it has a thread.
   */
  subjectAccessChangedNow(subject: { kind: string; id: string }): LiveEventInput[];
  /**
   * Of these ids, the threads of the group, in the order asked (others left out). Every thread
   * is readable by its whole group, so the group is the reader's check. Synchronous: views call it.
   */
  threadTitles(groupId: string, ids: readonly string[]): ThreadReference[];
  /**
   * The thread as this person may act in it, or null when it is not theirs to read (another group;
   * a subject's thread its owner keeps from them, or asked of with a role alone, without an id).
   * Synchronous: scheduled jobs and writes ask it inside their piece.
   */
  threadAccess(person: { groupId: string; role: Role } & Partial<Omit<ThreadReader, 'groupId' | 'role'>>, threadId: string): ThreadAccess | null;
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
