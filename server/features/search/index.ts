import type { FastifyPluginAsync } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { requireUser } from '../../plugins/authorization.js';
import { errorResponses } from '../../shared/errors.js';
import { FullTextQuery } from '../../shared/full-text.js';
import { SearchProviders } from './registry.js';

export { searchProviders } from './registry.js';

const Section = (item: TSchema, description?: string) => Type.Object({ items: Type.Array(item), total: Type.Integer() }, description ? { description } : {});

/**
 * GET /api/search: one query, answered by every section the features provided on `fastify.searchSections`
 * (debates' posts at the top, meetings and minutes beside them). The query and answer schemas are
 * put together from the sections', so this is registered after the features. Knows no feature.
 */
export const searchRoutes: FastifyPluginAsync = async (fastify) => {
  const sections = (fastify.searchSections as SearchProviders).seal();
  const top = [...sections].find(([, provider]) => provider.placement === 'top');
  const others = [...sections].filter(([, provider]) => provider.placement !== 'top');
  const params = Object.assign({}, ...[...sections.values()].map((provider) => provider.params)) as Record<string, TSchema>;
  const querystring = Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), ...params }, { additionalProperties: false });
  const answer = Type.Object({
    ...(top ? { items: Type.Array(top[1].item), total: Type.Integer() } : {}),
    ...Object.fromEntries(others.map(([name, provider]) => [name, Section(provider.item, provider.description)])),
  });
  const empty = { ...(top ? { items: [], total: 0 } : {}), ...Object.fromEntries(others.map(([name]) => [name, { items: [], total: 0 }])) };

  fastify.get(
    '/search',
    { config: { access: 'signed-in' }, schema: { tags: ['search'], summary: 'Full-text search, accent- and case-insensitive', querystring, response: { 200: answer, ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { q, ...rest } = request.query as { q: string } & Record<string, unknown>;
      const query = FullTextQuery.parse(q);
      if (!query) return empty;
      const found = await Promise.all([...sections].map(async ([name, provider]) => [name, await provider.search(user, query, rest)] as const));
      const result: Record<string, unknown> = {};
      for (const [name, hits] of found) {
        if (top && name === top[0]) Object.assign(result, hits);
        else result[name] = hits;
      }
      return result;
    },
  );
};
