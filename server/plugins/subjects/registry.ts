import type { SessionUser } from '../sessions/index.js';

/**
 * One way to point at a thing of the forum, whichever feature owns it: a thread, a post, a
 * document, a meeting, its minutes, and whatever the next feature adds. Notifications, links
 * between things and attachments store this pair (two columns, `subject_kind` and `subject_id`)
 * instead of a column per pair of features; the owning feature registers the kind once and alone
 * knows how to title it, where it lives and who may read it.
 */
export interface SubjectRef {
  kind: string;
  id: string;
}

/** A subject as a reader may see it: its title in the content language asked for, and its page. */
export interface SubjectSummary extends SubjectRef {
  title: string;
  /** The client path of its page (`/debates/t/…`), absolute from the site's root. */
  href: string;
  groupId: string;
  /** Optional: a short plain text a list shows under the title (a thread's pinned outcome), in the subject's own words. */
  summary?: string;
  /** Optional: the subject's state as one lower-case word the client labels (a thread's 'concluded'). */
  badge?: string;
}

/** Content languages: titles are written in Spanish and English only (README, "contentLanguage"). */
export type ContentLocale = 'es' | 'en';

export interface SubjectKind {
  /** 'thread' | 'post' | 'document' | 'meeting' | 'minutes' | …: lower-case, unique. */
  kind: string;
  /**
   * Summaries of the ids this user may read, titles in `locale`; ids the user may not read, or
   * that do not exist, are absent from the map (never an error: a link may outlive its target).
   */
  describe(user: SessionUser, ids: readonly string[], locale: ContentLocale): Promise<Map<string, SubjectSummary>>;
}

const KIND_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** The content language a person reads titles in (Portuguese readers see Spanish, others English). */
export function contentLocaleOf(locale: string | null | undefined): ContentLocale {
  return locale === 'es' || locale === 'pt' ? 'es' : 'en';
}

export const refKey = (ref: SubjectRef) => `${ref.kind}:${ref.id}`;

/** `fastify.subjects`: the registry of subject kinds. */
export class SubjectRegistry {
  private readonly kinds = new Map<string, SubjectKind>();

  /** Registers a kind once, at start; a second definition of the same kind is a programming error. */
  define(kind: SubjectKind): void {
    if (!KIND_NAME.test(kind.kind)) throw new Error(`Subject kind "${kind.kind}" is not a lower-case name`);
    if (this.kinds.has(kind.kind)) throw new Error(`Subject kind "${kind.kind}" is defined twice`);
    this.kinds.set(kind.kind, kind);
  }

  has(kind: string): boolean {
    return this.kinds.has(kind);
  }

  /** For writes that store a reference: an unknown kind is a programming error, caught at the first use. */
  assertKnown(kind: string): void {
    if (!this.kinds.has(kind)) throw new Error(`Subject kind "${kind}" is not defined (fastify.subjects.define)`);
  }

  /** The kinds defined so far, in order of definition. */
  list(): string[] {
    return [...this.kinds.keys()];
  }

  /**
   * Summaries of these references that `user` may read, keyed by `kind:id` (refKey): one call per
   * kind, whatever the number of references. References the user may not read are absent.
   */
  async describe(user: SessionUser, refs: readonly SubjectRef[], locale: ContentLocale): Promise<Map<string, SubjectSummary>> {
    const idsByKind = new Map<string, Set<string>>();
    for (const ref of refs) {
      this.assertKnown(ref.kind);
      let ids = idsByKind.get(ref.kind);
      if (!ids) idsByKind.set(ref.kind, (ids = new Set()));
      ids.add(ref.id);
    }
    const answers = await Promise.all(
      [...idsByKind].map(async ([kind, ids]) => {
        const found = await this.kinds.get(kind)!.describe(user, [...ids], locale);
        return [...found.values()].filter((summary) => summary.kind === kind && ids.has(summary.id));
      }),
    );
    const summaries = new Map<string, SubjectSummary>();
    for (const summary of answers.flat()) summaries.set(refKey(summary), summary);
    return summaries;
  }

  /**
   * describe() for a person of several groups (what spans them: the bell, notification mail): each
   * reference is read as the person is in the group it belongs to, trying their groups in order,
   * and comes back with the membership that may read it. A summary of another group than the
   * membership's is a feature's mistake, and is left out rather than shown.
   */
  async describeAcross(memberships: readonly SessionUser[], refs: readonly SubjectRef[], locale: ContentLocale): Promise<Map<string, { summary: SubjectSummary; reader: SessionUser }>> {
    const found = new Map<string, { summary: SubjectSummary; reader: SessionUser }>();
    for (const reader of memberships) {
      const left = refs.filter((ref) => !found.has(refKey(ref)));
      if (left.length === 0) break;
      for (const summary of (await this.describe(reader, left, locale)).values()) {
        if (summary.groupId === reader.groupId) found.set(refKey(summary), { summary, reader });
      }
    }
    return found;
  }
}

