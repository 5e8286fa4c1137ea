import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { errorResponses } from '../../../shared/errors.js';
import { Ok } from '../../../shared/schemas.js';
import { IdParams, type DebatesCore } from '../core.js';
import { ThreadDetailSchema, WatchLevelSchema } from '../schemas.js';

/** What I follow and what I have read: watch levels, read positions, "mark all read". */
export const readingRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, loadThread, threadDetail } = core;

  fastify.put(
    '/threads/:id/watch',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'How closely I follow a thread',
        params: IdParams,
        body: Type.Object({ level: WatchLevelSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const thread = await loadThread(user, request.params.id);
      await repository.setThreadWatch(thread.id, user.id, request.body.level);
      return { thread: await threadDetail(user, thread.id) };
    },
  );

  fastify.put(
    '/threads/:id/read',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'I have read up to this seq (never moves back)',
        params: IdParams,
        body: Type.Object({ seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ lastReadSeq: Type.Integer(), unreadCount: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const thread = await loadThread(user, request.params.id);
      const lastReadSeq = await repository.markRead(user.id, thread.id, Math.min(request.body.seq, thread.lastSeq));
      return { lastReadSeq, unreadCount: Math.max(0, thread.lastSeq - lastReadSeq) };
    },
  );

  fastify.post(
    '/threads/read-all',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'Mark every thread (of a category) read',
        body: Type.Object({ categoryId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await repository.markAllRead(user.id, user.groupId, request.body.categoryId);
      return { ok: true as const };
    },
  );
};
