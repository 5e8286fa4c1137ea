import type { FastifyInstance } from 'fastify';
import * as may from './permissions.js';
import { PostHitSchema, PostSearchParams } from './schemas.js';
import type { SearchRepository } from './search-repository.js';
import { toAuthor } from './views.js';

/** The posts are the search answer's own items (server/features/search). */
export function providePostSearch(fastify: FastifyInstance, searchRepository: SearchRepository): void {
  fastify.searchSections.provide('posts', {
    params: PostSearchParams,
    item: PostHitSchema,
    placement: 'top',
    search: async (user, query, { limit, offset, from, to, ...filters }) => {
      const { hits, total } = await searchRepository.search(
        query,
        { ...filters, groupId: user.groupId, includeHidden: may.isModerator(user), ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) },
        limit,
        offset,
      );
      return {
        total,
        items: hits.map((hit) => ({
          threadId: hit.threadId,
          threadTitle: hit.threadTitle,
          postId: hit.postId,
          seq: hit.seq,
          categoryId: hit.categoryId,
          author: toAuthor(hit.author),
          createdAt: hit.createdAt.toISOString(),
          snippetHtml: hit.snippet,
        })),
      };
    },
  });
}
