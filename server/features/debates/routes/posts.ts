import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/authorization.js';
import { compressBody, preferredEncoding } from '../../../shared/compression.js';
import { badRequest, conflict, errorResponses, forbidden, notFound } from '../../../shared/errors.js';
import { computed, decode, encode, IdParams, type DebatesCore } from '../core.js';
import { BodyCache, PageCache, postHead, withViewerFlags, type CachedPage } from '../page-cache.js';
import { AuthorSchema, Body, EmptyBody, PostPageQuery, PostSchema, RevisionSchema } from '../schemas.js';
import { toAttachment, toAuthor, toNeutralPost } from '../views.js';
import * as may from '../permissions.js';

/** Posts: a page of a thread (the hot path: cached bodies and ETags), replying, editing, revisions and agreement. */
export const postRoutes: FastifyPluginAsyncTypebox<{ core: DebatesCore }> = async (fastify, { core }) => {
  const { repository, render, loadThread, loadPost, forViewer, postForViewer, publishUpdatedPostWithin, notifyWithin, appendReplyWithin } = core;
  const { liveHub, notifications } = fastify;

  const pageCache = new PageCache();
  const viewerBodies = new BodyCache();
  /**
   * A thread page's ETag: a digest of what the answer depends on, remembered, since the same
   * readers revalidate the same pages over and over and the hash was a twentieth of a page's cost.
   */
  const pageEtags = new LRUCache<string, string>({
    max: 5_000,
    memoMethod: (dependsOn) => `W/"${createHash('sha1').update(dependsOn).digest('base64url').slice(0, 22)}"`,
  });

  /**
   * Where a page of posts resumes. A chronological cursor is the last seq sent; a tree cursor is
   * `{ tree: seq }`, resolved here to that post's path, so its size does not grow with the depth
   * of the reply chain (a path is 6 characters a level: 250 levels overflowed the query's limit).
   */
  const resumeAfter = async (threadId: string, view: 'tree' | 'chronological', cursor: string): Promise<string | null> => {
    const after = decode<unknown>(cursor);
    const treeSeq = typeof after === 'object' && after !== null ? (after as { tree?: unknown }).tree : undefined;
    if (view === 'chronological') {
      if (treeSeq !== undefined) throw badRequest('invalid_cursor', 'The cursor belongs to the other view.');
      if (!Number.isSafeInteger(after)) throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
      return String(after);
    }
    if (typeof after === 'number') throw badRequest('invalid_cursor', 'The cursor belongs to the other view.');
    const path = Number.isSafeInteger(treeSeq) ? await repository.pathOfPost(threadId, treeSeq as number) : undefined;
    if (path === undefined) throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
    return path;
  };

  fastify.get(
    '/threads/:id/posts',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'A page of a thread, as a tree (depth-first) or by time; ETag/If-None-Match supported',
        params: IdParams,
        querystring: PostPageQuery,
        response: { 200: Type.Object({ items: Type.Array(PostSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 304: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const state = await repository.threadVersionOf(request.params.id);
      if (!state || !(await core.owners.mayRead(user, state))) throw notFound('Thread');
      const { view, limit } = request.query;
      const cursor = request.query.cursor ?? null;
      const moderator = may.isModerator(user);
      // The version covers every change to the thread and its posts (agreements too); the viewer's
      // id and role cover the per-viewer flags. So an unchanged ETag means an identical answer.
      const etag = pageEtags.memo(`${request.params.id}|${state.version}|${view}|${cursor ?? ''}|${limit}|${user.id}|${user.role}`);
      reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
      // No payload at all: `send(null)` would announce a 4-byte body ("null") that a 304 never
      // carries, and clients that trust Content-Length wait for it.
      // The route's typed reply only takes the schema's shapes; these two answers are raw.
      const raw: FastifyReply = reply;
      if (request.headers['if-none-match'] === etag) return raw.status(304).send();
      // The same ETag means the same bytes: a reader polling an unchanged page gets them as stored,
      // compressed once for browsers (which all accept br or gzip).
      const encoding = preferredEncoding(request.headers['accept-encoding']);
      const bodyKey = encoding ? `${etag}|${encoding}` : etag;
      const sendBody = (body: Buffer) => {
        if (encoding) raw.header('content-encoding', encoding);
        return raw.type('application/json; charset=utf-8').send(body);
      };
      const stored = viewerBodies.get(bodyKey);
      if (stored) return sendBody(stored);

      const key = PageCache.key({ threadId: request.params.id, view, cursor, limit, moderator });
      let page = pageCache.current(key, state.version);
      if (!page) {
        const after = cursor === null ? null : await resumeAfter(request.params.id, view, cursor);
        const rows = await repository.postPage(request.params.id, view, after, limit + 1);
        const pageRows = rows.slice(0, limit);
        const last = pageRows[pageRows.length - 1];
        const files = await fastify.files.attachments.of('post', pageRows.map((row) => row.id));
        const filesOf = (postId: string) => (files.get(postId) ?? []).map(toAttachment);
        const hidden: CachedPage['hidden'] = new Map();
        for (const row of pageRows) if (row.state === 'hidden') hidden.set(row.id, { authorId: row.authorId, html: row.html, hiddenReason: row.hiddenReason, attachments: filesOf(row.id) });
        page = {
          version: state.version,
          items: pageRows.map((row) => toNeutralPost(row, moderator, filesOf(row.id))),
          nextCursor: rows.length > limit && last ? encode(view === 'tree' ? { tree: last.seq } : last.seq) : null,
          hidden,
        };
        pageCache.set(key, page);
      }
      const agreed = await repository.agreedPostIds(user.id, request.params.id);
      const heads = (page.heads ??= page.items.map(postHead));
      let json = '{"items":[';
      for (let i = 0; i < page.items.length; i += 1) {
        const post = page.items[i]!;
        const own = post.author.id === user.id;
        if (i > 0) json += ',';
        // A hidden post shown to its author carries text the cached head lacks: the rare slow path.
        json += own && post.html === null && page.hidden.has(post.id)
          ? JSON.stringify(forViewer(user, post, agreed, page.hidden))
          : withViewerFlags(heads[i]!, { agreedByMe: agreed.has(post.id), mayEdit: own && post.state !== 'withdrawn', mayModerate: moderator });
      }
      json += `],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
      // Already JSON: Fastify sends a buffer as it is, skipping the response serializer (the
      // cached parts were built from the same neutral posts).
      const plain = Buffer.from(json);
      const body = encoding ? compressBody(plain, encoding) : plain;
      viewerBodies.set(bodyKey, body);
      return sendBody(body);
    },
  );

  fastify.post(
    '/threads/:id/posts',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'Reply to the thread or to a post in it',
        params: IdParams,
        body: Type.Object({ body: Body, parentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ post: PostSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const thread = await loadThread(user, request.params.id);
      if (!may.mayReply(user, thread)) throw conflict('thread_locked', 'This thread is locked.');
      const parent = request.body.parentId ? await repository.findPost(request.body.parentId) : await repository.openingPost(thread.id);
      if (!parent || parent.threadId !== thread.id) throw badRequest('unknown_parent', 'The post answered is not in this thread.', [{ field: 'parentId', message: 'is not a post of this thread' }]);
      const rendered = await render(user.groupId, request.body.body);
      const now = new Date();
      const created = await fastify.unitOfWork.run((commit) => appendReplyWithin(commit, { user, thread, parent, source: request.body.body, rendered, now }));
      reply.status(201);
      // Nobody has agreed with a post this young: no need to look.
      return { post: { ...toNeutralPost(created, true), mayEdit: true, mayModerate: may.isModerator(user) } };
    },
  );

  fastify.get(
    '/posts/:id/source',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'A post\'s Markdown (author or moderator)', params: IdParams, response: { 200: Type.Object({ body: Type.String() }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { post } = await loadPost(user, request.params.id);
      if (!may.mayReadSource(user, post)) throw forbidden();
      return { body: post.source };
    },
  );

  fastify.patch(
    '/posts/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['debates'], summary: 'Edit my post (the earlier text is kept)', params: IdParams, body: Type.Object({ body: Body }, { additionalProperties: false }), response: { 200: Type.Object({ post: PostSchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const { post, thread } = await loadPost(user, request.params.id);
      if (!may.mayEditPost(user, post)) throw forbidden('Only the author may edit a post, and not once withdrawn.');
      if (request.body.body === post.source) return { post: await postForViewer(user, post) };
      const rendered = await render(user.groupId, request.body.body);
      // Someone mentioned only now is told, as if the post had named them from the start.
      const before = (await render(user.groupId, post.source)).mentions;
      const added = { handles: rendered.mentions.handles.filter((handle) => !before.handles.includes(handle)), countryCodes: rendered.mentions.countryCodes.filter((code) => !before.countryCodes.includes(code)) };
      const edited = await fastify.unitOfWork.run(async (commit) => {
        await repository.editPost(commit, post, user.id, request.body.body, rendered, new Date());
        const changed = await publishUpdatedPostWithin(commit, post.id);
        if (post.state === 'visible' && added.handles.length + added.countryCodes.length > 0) {
          await notifications.notifyWithin(
            commit,
            await computed(core.recipientsOf({ groupId: user.groupId, actor: user, threadId: thread.id, threadTitle: thread.title, categoryId: thread.categoryId, postId: post.id, parentAuthorId: null, mentions: added, text: rendered.text, newThread: false, edit: true })),
            { postId: post.id, edit: true },
          );
        }
        return changed;
      });
      return { post: await postForViewer(user, edited) };
    },
  );

  fastify.get(
    '/posts/:id/revisions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'Every version of a post, oldest first (the last is the current text)',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { post, thread } = await loadPost(user, request.params.id);
      if (post.state === 'withdrawn' || (post.state === 'hidden' && !may.maySeeHidden(user, post))) throw forbidden('This post\'s text is not shown.');
      const authorOf = async (id: string) => toAuthor((await repository.author(thread.groupId, id)) ?? { ...post.author, id });
      const earlier = [];
      for (const revision of await repository.revisions(post.id)) {
        earlier.push({ number: revision.number, html: revision.html, editedAt: revision.writtenAt.toISOString(), editor: await authorOf(revision.editorId) });
      }
      const current = { number: post.revisionCount + 1, html: post.html, editedAt: (post.editedAt ?? post.createdAt).toISOString(), editor: toAuthor(post.author) };
      return { items: [...earlier, current] };
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    fastify.route({
      method,
      url: '/posts/:id/agreement',
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: method === 'PUT' ? '+1: I agree with this post' : 'Take back my +1',
        params: IdParams,
        // A DELETE carries no body; a PUT may send {}.
        ...(method === 'PUT' ? { body: Type.Optional(EmptyBody) } : {}),
        response: { 200: Type.Object({ agreeCount: Type.Integer(), agreedByMe: Type.Boolean() }), ...errorResponses },
      },
      handler: async (request) => {
        const user = requireUser(request);
        const { post } = await loadPost(user, request.params.id);
        if (method === 'PUT' && !may.mayAgree(user, post)) {
          throw post.authorId === user.id ? forbidden('You cannot agree with your own post.') : conflict('post_not_visible', 'This post is not shown.');
        }
        const before = post.agreeCount;
        const agreeCount = await fastify.unitOfWork.run(async (commit) => {
          const count = await repository.setAgreement(commit, post, user.id, method === 'PUT', new Date());
          if (count !== before) await liveHub.publishWithin(commit, [{ topic: `thread:${post.threadId}`, type: 'agreement.changed', payload: { postId: post.id, agreeCount: count } }]);
          return count;
        });
        return { agreeCount, agreedByMe: method === 'PUT' };
      },
    });
  }

  fastify.get(
    '/posts/:id/agreements',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Who agreed with a post', params: IdParams, response: { 200: Type.Object({ items: Type.Array(AuthorSchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { post, thread } = await loadPost(user, request.params.id);
      return { items: (await repository.agreements(post.id, thread.groupId)).map(toAuthor) };
    },
  );
};
