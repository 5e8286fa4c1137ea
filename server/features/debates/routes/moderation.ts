import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { badRequest, conflict, errorResponses, forbidden } from '../../../shared/errors.js';
import { IdParams, MODERATORS, type DebatesCore } from '../core.js';
import { EmptyBody, PostSchema, ThreadDetailSchema } from '../schemas.js';
import * as may from '../permissions.js';

/** Moderation: pinning, locking and moving threads; withdrawing, hiding and showing posts. */
export const moderationRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, loadThread, loadPost, threadDetail, changePostState, updateThreadAndPublish } = core;

  const moderation = [
    ['pin', { pinned: true }, 'Pin a thread to the top of lists', 'thread.pinned'],
    ['unpin', { pinned: false }, 'Unpin a thread', 'thread.unpinned'],
    ['lock', { locked: true }, 'Lock a thread: only moderators may reply', 'thread.locked'],
    ['unlock', { locked: false }, 'Unlock a thread', 'thread.unlocked'],
  ] as const;
  for (const [action, change, summary, audited] of moderation) {
    fastify.post(
      `/threads/:id/${action}`,
      { config: { access: MODERATORS }, schema: { tags: ['debates'], summary, params: IdParams, body: Type.Optional(EmptyBody), response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses } } },
      async (request) => {
        const user = requireUser(request);
        const thread = await loadThread(user, request.params.id);
        await updateThreadAndPublish(thread, change);
        await fastify.audit.recordRequest(request, { subjectKind: 'thread', subjectId: thread.id, action: audited, details: { title: thread.title } });
        return { thread: await threadDetail(user, thread.id) };
      },
    );
  }

  fastify.post(
    '/threads/:id/move',
    {
      config: { access: MODERATORS },
      schema: {
        tags: ['debates'],
        summary: 'Move a thread to another category',
        params: IdParams,
        body: Type.Object({ categoryId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const thread = await loadThread(user, request.params.id);
      const category = await repository.findCategory(user.groupId, request.body.categoryId);
      if (!category) throw badRequest('unknown_category', 'No such category.', [{ field: 'categoryId', message: 'is not a category of this group' }]);
      await updateThreadAndPublish(thread, { categoryId: category.id });
      await fastify.audit.recordRequest(request, { subjectKind: 'thread', subjectId: thread.id, action: 'thread.moved', details: { title: thread.title, from: thread.categoryId, to: category.id } });
      return { thread: await threadDetail(user, thread.id) };
    },
  );

  fastify.post(
    '/posts/:id/withdraw',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Withdraw my post (it stays, marked withdrawn by the author)', params: IdParams, body: Type.Optional(EmptyBody), response: { 200: Type.Object({ post: PostSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { post } = await loadPost(user, request.params.id);
      if (!may.mayWithdrawPost(user, post)) throw forbidden('Only the author may withdraw a post.');
      return { post: await changePostState(user, post, 'withdrawn', { reason: post.hiddenReason, by: post.hiddenBy }) };
    },
  );

  fastify.post(
    '/posts/:id/hide',
    {
      config: { access: MODERATORS },
      schema: {
        tags: ['debates'],
        summary: 'Hide a post, with a reason (moderators and the author still see it)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ post: PostSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { post } = await loadPost(user, request.params.id);
      if (post.state === 'withdrawn') throw conflict('post_withdrawn', 'The author has withdrawn this post.');
      const hidden = await changePostState(user, post, 'hidden', { reason: request.body.reason.trim(), by: user.id });
      await fastify.audit.recordRequest(request, { subjectKind: 'post', subjectId: post.id, action: 'post.hidden', details: { threadId: post.threadId, reason: request.body.reason.trim() } });
      return { post: hidden };
    },
  );

  fastify.post(
    '/posts/:id/unhide',
    { config: { access: MODERATORS }, schema: { tags: ['debates'], summary: 'Show a hidden post again', params: IdParams, body: Type.Optional(EmptyBody), response: { 200: Type.Object({ post: PostSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { post } = await loadPost(user, request.params.id);
      if (post.state !== 'hidden') throw conflict('post_not_hidden', 'This post is not hidden.');
      const shown = await changePostState(user, post, 'visible', { reason: null, by: null });
      await fastify.audit.recordRequest(request, { subjectKind: 'post', subjectId: post.id, action: 'post.unhidden', details: { threadId: post.threadId } });
      return { post: shown };
    },
  );
};
