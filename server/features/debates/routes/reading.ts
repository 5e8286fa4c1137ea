import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { errorResponses } from '../../../shared/errors.js';
import { Ok } from '../../../shared/schemas.js';
import { internalEvent } from '../../../plugins/live/hub.js';
import { IdParams, type DebatesCore } from '../core.js';
import { READING_CHANGED, WATCH_CHANGED } from '../internal-events.js';
import { ThreadDetailSchema, WatchLevelSchema } from '../schemas.js';

/** What I follow and what I have read: watch levels, read positions, "mark all read". */
export const readingRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, loadThread, threadDetail } = core;
  const { liveHub, unitOfWork } = fastify;

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
      await unitOfWork.run(async (tx) => {
        await repository.setThreadWatchWithin(tx, thread.id, user.id, request.body.level);
        await liveHub.publishWithin(tx, [internalEvent(`user:${user.id}`, WATCH_CHANGED, { userId: user.id, threadId: thread.id, categoryId: null })]);
      });
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
      const lastReadSeq = await unitOfWork.run(async (tx) => {
        await liveHub.publishWithin(tx, [internalEvent(`user:${user.id}`, READING_CHANGED, { userId: user.id })]);
        return repository.markReadWithin(tx, user.id, thread.id, Math.min(request.body.seq, thread.lastSeq));
      });
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
      await unitOfWork.run(async (tx) => {
        await repository.markAllReadWithin(tx, user.id, user.groupId, request.body.categoryId);
        await liveHub.publishWithin(tx, [internalEvent(`user:${user.id}`, READING_CHANGED, { userId: user.id })]);
      });
      return { ok: true as const };
    },
  );
};
