import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../plugins/authorization.js';
import { errorResponses } from '../../shared/errors.js';
import type { HomeContext, HomeItem } from './registry.js';
import { HomeRepository } from './repository.js';
import { HomeSchema, type HomeView } from './schemas.js';

export { homeSections, HomeRegistry, type HomeContext, type HomeItem, type HomeSection, type HomeSectionResult } from './registry.js';

export interface HomeOptions {
  now: () => Date;
}

/** How many lines a section shows; "see all" leads to the rest. */
const ITEMS_PER_SECTION = 5;

type ItemView = HomeView['sections'][number]['items'][number];
const OPTIONAL_TEXT = ['timeZone', 'actor', 'excerpt', 'state'] as const;
const OPTIONAL_NUMBER = ['count', 'number'] as const;

/** The item as the API shows it: instants as ISO strings, and what it has no value for left out. */
function itemView(item: HomeItem): ItemView {
  const view: ItemView = { id: item.id, kind: item.kind, path: item.path, title: item.title };
  if (item.titles) view.titles = item.titles;
  if (item.at !== null && item.at !== undefined) view.at = new Date(item.at).toISOString();
  if (item.endsAt !== null && item.endsAt !== undefined) view.endsAt = new Date(item.endsAt).toISOString();
  for (const key of OPTIONAL_TEXT) {
    const value = item[key];
    if (value !== null && value !== undefined) view[key] = value;
  }
  for (const key of OPTIONAL_NUMBER) {
    const value = item[key];
    if (value !== null && value !== undefined) view[key] = value;
  }
  return view;
}

/**
 * GET /api/home: what is new and what waits for the signed-in person, section by section, as the
 * features registered them on `fastify.home` (docs/home-api.md). Reads no other feature's tables.
 */
export const homeRoutes: FastifyPluginAsyncTypebox<HomeOptions> = async (fastify, options) => {
  const repository = new HomeRepository(fastify.db);

  fastify.get(
    '/home',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['home'],
        summary: 'What is new and what waits for me: a count and the first few items per section, and the live topics that change them',
        response: { 200: HomeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const now = options.now();
      const since = new Date(repository.look(user.id, now.getTime()));
      const memo = new Map<string, unknown>();
      const context: HomeContext = {
        now,
        since,
        limit: ITEMS_PER_SECTION,
        shared: <T>(key: string, compute: () => T): T => {
          if (!memo.has(key)) memo.set(key, compute());
          return memo.get(key) as T;
        },
      };
      const topics = new Set<string>();
      const events = new Set<string>();
      const sections: HomeView['sections'] = [];
      for (const section of fastify.home.sections) {
        const live = section.live(user);
        for (const topic of live.topics) topics.add(topic);
        for (const event of live.events) events.add(event);
        try {
          const result = await section.load(user, context);
          sections.push({ id: section.id, count: result.count, items: result.items.slice(0, ITEMS_PER_SECTION).map(itemView), seeAllPath: section.seeAllPath, failed: false });
        } catch (err) {
          // One section's fault leaves the rest of the page useful; the page offers to try again.
          request.log.error({ err, section: section.id }, 'home section failed');
          sections.push({ id: section.id, count: 0, items: [], seeAllPath: section.seeAllPath, failed: true });
        }
      }
      // Personal and changing by the minute: never kept by a cache.
      reply.header('cache-control', 'private, no-store');
      return { sections, since: since.toISOString(), live: { topics: [...topics].sort(), events: [...events].sort() } };
    },
  );
};
