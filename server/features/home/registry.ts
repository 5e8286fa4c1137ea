import fp from 'fastify-plugin';
import type { SessionUser } from '../../plugins/sessions/index.js';

/**
 * The home page's sections, registered by the features that own them: the home feature asks each
 * section for its part and knows nothing of debates, meetings or the library. This file imports
 * no feature, so any feature (consultations and the discrepancy register, later) can register a
 * section without the home feature changing. docs/home-api.md describes the contract.
 */

/** One line of a section: what it is, where it opens, and the few facts the page shows beside it. */
export interface HomeItem {
  /** Unique within the section (a thread id, a notification id, "<meeting> <occurrence>"). */
  id: string;
  /** What sort of line this is within its section, e.g. 'thread', 'mention', 'poll', 'version'. */
  kind: string;
  /** The in-app path it opens, e.g. "/debates/t/<id>". */
  path: string;
  /** Its title as written; for content kept in two languages, the Spanish one (or the English when there is none). */
  title: string;
  /** Content kept in Spanish and English (library documents): both, for the reader's language to pick. */
  titles?: { es: string; en: string } | null;
  /** The instant the line is about: last activity, when it was said, a meeting's start, a poll's deadline. */
  at?: number | null;
  endsAt?: number | null;
  /** The IANA zone the item is organized in (a meeting's), to show beside the reader's own. */
  timeZone?: string | null;
  /** A number the line carries: unread posts in a thread. */
  count?: number | null;
  /** Who did it. */
  actor?: string | null;
  excerpt?: string | null;
  /** A version number, for a new version of a document. */
  number?: number | null;
  /** The reader's own state of the item, e.g. their attendance answer ('going'). */
  state?: string | null;
}

export interface HomeSectionResult {
  /** How many there are in all (the items are the first few of them). */
  count: number;
  items: HomeItem[];
}

export interface HomeContext {
  now: Date;
  /** The start of "new since your last visit" (see the home feature's visits). */
  since: Date;
  /** How many items a section lists at most. */
  limit: number;
  /**
   * Work several sections of one feature share within one request (the meetings a person may
   * see, for instance): computed by the first section that asks, kept for the others.
   */
  shared<T>(key: string, compute: () => T): T;
}

export interface HomeSection {
  /** Stable and unique, "<feature>.<name>" (the client picks its wording by it). */
  id: string;
  /** Place on the page: lower first. */
  order: number;
  /** Where "see all" leads. */
  seeAllPath: string;
  /**
   * The live topics whose events change this section for this person, with those events' types:
   * the page follows them and asks for the home again when one arrives. A few topics per section,
   * never one per item (the live channel allows 200 per socket).
   */
  live(user: SessionUser): { topics: string[]; events: string[] };
  load(user: SessionUser, context: HomeContext): HomeSectionResult | Promise<HomeSectionResult>;
}

/** The sections features have registered, in page order. */
export class HomeRegistry {
  private readonly list: HomeSection[] = [];

  register(section: HomeSection): void {
    if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/.test(section.id)) throw new Error(`Home section id "${section.id}" is not "<feature>.<name>"`);
    if (this.list.some((known) => known.id === section.id)) throw new Error(`Home section "${section.id}" is already registered`);
    this.list.push(section);
    this.list.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  get sections(): readonly HomeSection[] {
    return this.list;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    home: HomeRegistry;
  }
}

/** Provides `fastify.home`, where features register their sections; registered before every feature. */
export const homeSections = fp(
  async (fastify) => {
    fastify.decorate('home', new HomeRegistry());
  },
  { name: 'home-sections' },
);
