import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { badRequest, errorResponses, forbidden } from '../../../shared/errors.js';
import { decode, encode, IdParams, type DebatesCore } from '../core.js';
import { CreateThreadSchema, PostSchema, ThreadDetailSchema, ThreadListQuery, ThreadSummarySchema, UpdateThreadSchema } from '../schemas.js';
import { toThreadSummary } from '../views.js';
import * as may from '../permissions.js';

/** Threads: the list, starting one, reading and changing its title, tags and indicators. */
export const threadRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, render, loadThread, threadDetail, postForViewer, neutralSummary, updateThreadAndPublish, cleanTags, notifyWithin } = core;
  const { liveHub, indicators } = fastify;

  fastify.get(
    '/threads',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'Threads, pinned first, then by last activity',
        querystring: ThreadListQuery,
        response: { 200: Type.Object({ items: Type.Array(ThreadSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { cursor, limit, ...filters } = request.query;
      const position = cursor ? decode<[number, number, string]>(cursor) : null;
      const rows = await repository.listThreads(
        user.groupId,
        user.id,
        filters,
        position ? { pinned: Number(position[0]), at: Number(position[1]), id: String(position[2]) } : null,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(toThreadSummary), nextCursor: rows.length > limit && last ? encode([last.pinned ? 1 : 0, last.lastActivityAt.getTime(), last.id]) : null };
    },
  );

  fastify.post(
    '/threads',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'Start a thread (who may depends on the category)',
        body: CreateThreadSchema,
        response: { 201: Type.Object({ thread: ThreadDetailSchema, post: PostSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      const category = await repository.findCategory(user.groupId, body.categoryId);
      if (!category) throw badRequest('unknown_category', 'No such category.', [{ field: 'categoryId', message: 'is not a category of this group' }]);
      if (!may.mayStartIn(user, category)) throw forbidden('Threads in this category are started by the coordination only.');
      const indicatorCodes = await indicators.resolveCodes(body.indicatorCodes);
      const rendered = await render(user.groupId, body.body);
      const now = new Date();
      const title = body.title.trim();
      const { threadId, postId } = await fastify.unitOfWork.run(async (commit) => {
        const started = await repository.insertThread(commit, {
          groupId: user.groupId,
          categoryId: category.id,
          author: { id: user.id, countryId: user.countryId },
          title,
          tags: cleanTags(body.tags),
          source: body.body,
          rendered,
          now,
        });
        await indicators.setTagsWithin({ kind: 'thread', id: started.threadId, groupId: user.groupId }, indicatorCodes, user.id, now);
        await liveHub.publishWithin(commit, [{ topic: `group:${user.groupId}`, type: 'thread.created', payload: { thread: await neutralSummary(started.threadId) } }]);
        await notifyWithin(commit, { groupId: user.groupId, actor: user, threadId: started.threadId, threadTitle: title, categoryId: category.id, postId: started.postId, parentAuthorId: null, mentions: rendered.mentions, text: rendered.text, newThread: true });
        return started;
      });
      reply.status(201);
      return { thread: await threadDetail(user, threadId), post: await postForViewer(user, (await repository.findPost(postId))!) };
    },
  );

  fastify.get(
    '/threads/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'A thread with my reading state', params: IdParams, response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses } } },
    async (request) => ({ thread: await threadDetail(requireUser(request), request.params.id) }),
  );

  fastify.patch(
    '/threads/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['debates'], summary: 'Retitle or retag a thread (author or moderator)', params: IdParams, body: UpdateThreadSchema, response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const thread = await loadThread(user, request.params.id);
      if (!may.mayEditThread(user, thread)) throw forbidden();
      const body = request.body;
      const indicatorCodes = body.indicatorCodes !== undefined ? await indicators.resolveCodes(body.indicatorCodes) : undefined;
      await updateThreadAndPublish(
        thread,
        {
          ...(body.title !== undefined ? { title: body.title.trim() } : {}),
          ...(body.tags !== undefined ? { tags: cleanTags(body.tags) } : {}),
        },
        indicatorCodes,
        user.id,
      );
      return { thread: await threadDetail(user, thread.id) };
    },
  );
};
