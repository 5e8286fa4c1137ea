import type { Role } from '../../shared/roles.js';
import type { ThreadOwner, ThreadReader } from './public.js';

/** What a thread says of its owner: both null for a thread of the group's lists. */
export interface OwnedThread {
  groupId: string;
  subjectKind: string | null;
  subjectId: string | null;
}

/**
 * The kinds of subject whose things have a discussion thread of their own (a discrepancy case's),
 * and who may read each: the one place debates decide who reads a thread. A thread of the group's
 * lists is read by its whole group; an owned one by whom its owner says, now (so it follows the
 * owner's visibility: a case's publication, its withdrawal). An owner kind nobody defined reads as
 * nobody's: closed, never open.
 */
export class ThreadOwners {
  private readonly owners = new Map<string, ThreadOwner>();

  define(kind: string, owner: ThreadOwner): void {
    if (this.owners.has(kind)) throw new Error(`Thread owner "${kind}" is defined twice`);
    this.owners.set(kind, owner);
  }

  /** Whether the reader may read the thread (and its posts, live topic, notifications): an owner may read its subject to say. */
  async mayRead(reader: ThreadReader, thread: OwnedThread): Promise<boolean> {
    if (thread.groupId !== reader.groupId) return false;
    if (thread.subjectKind === null || thread.subjectId === null) return true;
    return (await this.owners.get(thread.subjectKind)?.mayRead(reader, thread.subjectId)) === true;
  }

  /** Who follows every post of an owned thread (its owner's say; none for a group thread). */
  async followersOf(thread: OwnedThread): Promise<readonly string[]> {
    if (thread.subjectKind === null || thread.subjectId === null) return [];
    return (await this.owners.get(thread.subjectKind)?.followers?.(thread.groupId, thread.subjectId)) ?? [];
  }

  /** For an owned thread, the test a person's notification must pass; undefined for a group thread (no filter). */
  readersOf(thread: OwnedThread): ((reader: ThreadReader) => Promise<boolean>) | undefined {
    if (thread.subjectKind === null) return undefined;
    return (reader) => this.mayRead(reader, thread);
  }
}

export const isOwned = (thread: Pick<OwnedThread, 'subjectKind'>) => thread.subjectKind !== null;

export type { Role };
