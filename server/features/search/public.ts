import type { Static, TObject, TProperties, TSchema } from 'typebox';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { FullTextQuery } from '../../shared/full-text.js';

/**
 * What other features may use of the search feature: `fastify.searchSections`, where each registers the
 * section of GET /api/search it answers. Type-only.
 */

export interface SearchProvider<Params extends TProperties = TProperties, Item extends TSchema = TSchema> {
  /** The query parameters this section reads besides `q` (filters, paging): part of the route's query schema. */
  params: Params;
  /** One hit of this section, as the answer lists it. */
  item: Item;
  /**
   * 'top': this section's hits are the answer's own `items` and `total` (the posts, which were
   * the whole answer before other sections came); otherwise they are under the section's name.
   * One section at most is at the top.
   */
  placement: 'top' | 'section';
  /** What the section holds, for the API's description (a section not at the top). */
  description?: string;
  /** The hits this person may see, best first; `query` is parsed and never empty. */
  search(user: SessionUser, query: FullTextQuery, params: Static<TObject<Params>>): Promise<{ items: Array<Static<Item>>; total: number }>;
}

export interface SearchRegistry {
  /** Registers a section of the search answer, once, before the search route is built. */
  provide<Params extends TProperties, Item extends TSchema>(section: string, provider: SearchProvider<Params, Item>): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Not `search`: Fastify's own `search()` declares routes of the SEARCH method. */
    searchSections: SearchRegistry;
  }
}
