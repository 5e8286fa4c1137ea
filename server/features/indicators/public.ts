/**
 * What other features may use of the indicator catalogue: `fastify.indicators`, the tags that
 * attach any subject (a thread, a document, ...) to indicators of the catalogue. Type-only.
 *
 * Tags are written as references: a code alone ("4.1") names an indicator of the MDG list of
 * 2008 (the only list before the catalogue, and what threads and documents always said); any
 * other indicator is `<version id>:<code>` ("sdg-2025:3.2.1"). `resolveCodes` turns what a person
 * sent into these canonical references, or refuses with a 400 `unknown_indicator`.
 */

export interface TaggedSubject {
  kind: string;
  id: string;
  groupId: string;
}

export interface IndicatorsService {
  /** The references without repeats, in order; a 400 `unknown_indicator` naming each one the catalogue lacks. */
  resolveCodes(codes: readonly string[] | undefined, field?: string): Promise<string[]>;
  /** Makes the subject's tags exactly these (resolved) references, in order, inside the caller's write. */
  setTagsWithin(subject: TaggedSubject, codes: readonly string[], by: string | null, at: Date): Promise<void>;
  /** Adds one tag (kept last), inside the caller's write; nothing when it is there already. */
  tagWithin(subject: TaggedSubject, code: string, by: string | null, at: Date): Promise<void>;
  untagWithin(subject: { kind: string; id: string }, code: string): Promise<void>;
  /** Each subject's tags as references, in the order given (subjects without tags are absent); inside a write too (a live event's payload). */
  tagsOf(kind: string, ids: readonly string[]): Promise<Map<string, string[]>>;
  /** The ids of the group's subjects of this kind tagged with the indicator (none for a reference the catalogue lacks). */
  subjectsTagged(groupId: string, kind: string, code: string): Promise<string[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    indicators: IndicatorsService;
  }
}

/** A tag reference as routes take it: an MDG 2008 code ("4.1"), or `<version id>:<code>` ("sdg-2025:3.2.1"). */
export const INDICATOR_REF_PATTERN = '^([1-8]\\.[0-9]{1,2}|[a-z][a-z0-9-]{1,39}:[0-9A-Za-z]{1,6}(\\.[0-9A-Za-z]{1,6}){0,3})$';
export const INDICATOR_REF_MAX_LENGTH = 70;
