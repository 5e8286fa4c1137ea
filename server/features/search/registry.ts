import fp from 'fastify-plugin';
import type { TProperties, TSchema } from 'typebox';
import type { SearchProvider, SearchRegistry } from './public.js';

/** The sections of the search answer, in the order they were provided. Imports no feature. */
export class SearchProviders implements SearchRegistry {
  private readonly list = new Map<string, SearchProvider>();
  private sealed = false;

  provide<Params extends TProperties, Item extends TSchema>(section: string, provider: SearchProvider<Params, Item>): void {
    if (this.sealed) throw new Error(`Search section "${section}" came after the search route was built: register the feature before the search routes`);
    if (!/^[a-z][a-zA-Z]*$/.test(section)) throw new Error(`Search section "${section}" is not a plain name`);
    if (this.list.has(section)) throw new Error(`Search section "${section}" is already provided`);
    if (provider.placement === 'top' && [...this.list.values()].some((known) => known.placement === 'top')) throw new Error('Only one search section sits at the top of the answer');
    for (const [other, known] of this.list) {
      for (const name of Object.keys(provider.params)) {
        if (name in known.params && known.params[name] !== provider.params[name]) throw new Error(`Search sections "${other}" and "${section}" both read the parameter "${name}", differently`);
      }
    }
    this.list.set(section, provider as unknown as SearchProvider);
  }

  /** What the search route is built from; no section may be added afterwards. */
  seal(): ReadonlyMap<string, SearchProvider> {
    this.sealed = true;
    return this.list;
  }
}

/** Provides `fastify.searchSections`, where features register their sections; registered before every feature. */
export const searchProviders = fp(
  async (fastify) => {
    fastify.decorate('searchSections', new SearchProviders());
  },
  { name: 'search-providers' },
);
