import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { compressBody, preferredEncoding } from '../../shared/compression.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { onlyRoles, requireUser } from '../../plugins/authorization.js';
import type { PendingCommit } from '../../plugins/group-commit.js';
import type { LiveEventInput } from '../../plugins/live/hub.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import type { RenderedMarkdown } from '../../plugins/markdown/index.js';
import { badRequest, conflict, errorResponses, forbidden, notFound, uploadErrorResponses } from '../../shared/errors.js';
import { fileDownloadResponses } from '../../shared/responses.js';
import { receiveUpload, sendStoredFile, uploadRoutes } from '../../plugins/files/index.js';
import { IdSchema, Ok } from '../../shared/schemas.js';
import { debatesHomeSections } from './home.js';
import { computeRecipients, excerptOf, type PostEvent } from './mentions.js';
import { BodyCache, PageCache, postHead, withViewerFlags, type CachedPage } from './page-cache.js';
import * as may from './permissions.js';
import { DebatesRepository, type PostRecord, type PostRow, type ThreadRow } from './repository.js';
import type { PostState } from './tables.js';
import { SearchRepository } from './search-repository.js';
import {
  AttachmentSchema,
  AuthorSchema,
  Body,
  CategorySchema,
  CreateCategorySchema,
  CreateThreadSchema,
  EmptyBody,
  PostPageQuery,
  PostSchema,
  PostHitSchema,
  PostSearchParams,
  ThreadDetailSchema,
  ThreadListQuery,
  ThreadSummarySchema,
  UpdateCategorySchema,
  UpdateThreadSchema,
  WatchLevelSchema,
} from './schemas.js';
import { toAttachment, toAuthor, toNeutralPost, toThreadDetail, toThreadSummary, type PostView } from './views.js';

const IdParams = Type.Object({ id: IdSchema });
const MODERATORS = onlyRoles('admin', 'coordinator');

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
  }
}

/** Threads, posts, categories, reading state, agreement and search: the forum itself. */
const debatesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = new DebatesRepository(fastify.db);
  const searchRepository = new SearchRepository(fastify.db);
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
  const { liveHub, notifications, markdown, reference, people } = fastify;

  // Groups set up before debates existed get their categories now; new groups on first use.
  await repository.ensureDefaultCategoriesForAllGroups();

  fastify.liveTopics.define('thread', async (user, id) => (await repository.threadVersionOf(id))?.groupId === user.groupId);
  fastify.liveTopics.define('group', async (user, id) => user.groupId === id);
  // Posts carry files (server/plugins/files): attachments of kind 'post', owned by the post's id.
  fastify.files.attachments.defineOwnerKind('post');
  for (const section of debatesHomeSections(repository, notifications.repository)) fastify.home.register(section);

  // ------------------------------------------------------------ helpers

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

  const render = (groupId: string, source: string): RenderedMarkdown => markdown.render(source, people.mentionResolver(groupId));

  const loadThread = async (user: SessionUser, id: string): Promise<ThreadRow> => {
    const thread = await repository.findThread(id);
    if (!thread || thread.groupId !== user.groupId) throw notFound('Thread');
    return thread;
  };

  const loadPost = async (user: SessionUser, id: string): Promise<{ post: PostRow; thread: ThreadRow }> => {
    const post = await repository.findPost(id);
    const thread = post && (await repository.findThread(post.threadId));
    if (!post || !thread || thread.groupId !== user.groupId) throw notFound('Post');
    return { post, thread };
  };

  const categoryView = (user: SessionUser, category: Awaited<ReturnType<DebatesRepository['listCategories']>>[number]) => ({
    id: category.id,
    slug: category.slug,
    nameEs: category.nameEs,
    nameEn: category.nameEn,
    descriptionEs: category.descriptionEs,
    descriptionEn: category.descriptionEn,
    position: category.position,
    startRoles: category.startRoles as SessionUser['role'][] | null,
    mayStart: may.mayStartIn(user, category),
    threadCount: category.threadCount,
    watchLevel: category.watchLevel,
  });

  const findCategoryView = async (user: SessionUser, id: string) => {
    const category = (await repository.listCategories(user.groupId, user.id)).find((row) => row.id === id);
    if (!category) throw notFound('Category');
    return categoryView(user, category);
  };

  const threadDetail = async (user: SessionUser, threadId: string) => {
    const thread = await repository.threadForViewer(threadId, user.id);
    if (!thread || thread.groupId !== user.groupId) throw notFound('Thread');
    const firstUnread = thread.lastReadSeq < thread.lastSeq ? await repository.firstPostAfter(threadId, thread.lastReadSeq) : null;
    return toThreadDetail(thread, firstUnread);
  };

  /** The viewer's own flags on a neutral post. */
  const forViewer = (user: SessionUser, post: PostView, agreed: Set<string>, hidden?: CachedPage['hidden']): PostView => {
    const own = post.author.id === user.id;
    let result: PostView = { ...post, agreedByMe: agreed.has(post.id), mayEdit: own && post.state !== 'withdrawn', mayModerate: may.isModerator(user) };
    const full = hidden?.get(post.id);
    if (own && full && post.html === null) result = { ...result, html: full.html, hiddenReason: full.hiddenReason, attachments: full.attachments };
    return result;
  };

  const attachmentsOf = (postId: string) => (fastify.files.attachments.of('post', [postId]).get(postId) ?? []).map(toAttachment);

  const postForViewer = async (user: SessionUser, post: PostRow): Promise<PostView> => {
    const neutral = toNeutralPost(post, may.maySeeHidden(user, post), attachmentsOf(post.id));
    return forViewer(user, neutral, await repository.agreedPostIds(user.id, post.threadId));
  };

  /**
   * Live events after commit. A hidden post goes out redacted to everyone; the full one only to
   * moderators and its author, through the event's audience.
   */
  const postEvents = (type: 'post.created' | 'post.updated', post: PostRow): LiveEventInput[] => {
    const topic = `thread:${post.threadId}`;
    // A post just created has no attachments yet.
    const files = type === 'post.created' ? [] : attachmentsOf(post.id);
    const events: LiveEventInput[] = [{ topic, type, payload: { post: toNeutralPost(post, false, files) } }];
    if (post.state === 'hidden') {
      events.push({ topic, type, payload: { post: toNeutralPost(post, true, files) }, audience: { roles: ['admin', 'coordinator'], userIds: [post.authorId] } });
    }
    return events;
  };

  /**
   * Tells the post's readers it changed, in the caller's group-commit piece (the event commits with
   * the change, or neither does); returns the post as it now is, read once for the events and the answer.
   */
  const publishUpdatedPostWithin = (commit: PendingCommit, postId: string): PostRow => {
    const post = repository.findPost(postId)!;
    liveHub.publishWithin(commit, postEvents('post.updated', post));
    return post;
  };

  /**
   * Withdraw, hide or show a post again: its readers hear of it live, and the notifications about
   * it lose their excerpt while its text is not everyone's to read (and get it back when shown).
   */
  const changePostState = async (user: SessionUser, post: PostRecord, state: PostState, moderation: { reason: string | null; by: string | null }) => {
    const updated = await fastify.groupCommit.run((commit) => {
      repository.setPostState(post, state, moderation);
      notifications.repository.setExcerptForPost(post.id, state === 'visible' ? excerptOf(post.text) : '');
      const changed = publishUpdatedPostWithin(commit, post.id);
      if (state !== 'visible') redactStoredEvents(changed);
      return changed;
    });
    return postForViewer(user, updated);
  };

  /**
   * A post just hidden or withdrawn is also taken out of the events stored for replay (the 72 h a
   * reconnecting page catches up on): the thread's events carry it as everyone now sees it, and the
   * notifications about it lose their excerpt. Otherwise a page that reconnects with an older
   * cursor would be sent the text again. A hidden post's events for moderators and its author stay.
   */
  const redactStoredEvents = (post: PostRow) => {
    const redacted = toNeutralPost(post, false);
    liveHub.rewriteStored({ topics: [`thread:${post.threadId}`], types: ['post.created', 'post.updated'], path: '$.post.id', value: post.id, everyoneOnly: post.state === 'hidden' }, (payload) => ({ ...(payload as object), post: redacted }));
    const recipients = notifications.repository.recipientsOfPost(post.id).map((userId) => `user:${userId}`);
    liveHub.rewriteStored({ topics: recipients, types: ['notification.created'], path: '$.notification.postId', value: post.id, everyoneOnly: false }, (payload) => {
      const event = payload as { notification: { excerpt: string } };
      return { ...event, notification: { ...event.notification, excerpt: '' } };
    });
  };

  const threadActivityEvent = (groupId: string, threadId: string, at: Date, counters: { replyCount: number; participatingCountries: string[] }): LiveEventInput => ({
    topic: `group:${groupId}`,
    type: 'thread.activity',
    payload: { threadId, lastActivityAt: at.toISOString(), ...counters },
  });

  const neutralSummary = (threadId: string) => {
    const thread = repository.threadForViewer(threadId, '')!;
    return toThreadSummary({ ...thread, lastReadSeq: 0, watchLevel: 'normal' });
  };

  /** Changes a thread and tells the group's lists, in one commit. */
  const updateThreadAndPublish = (thread: ThreadRow, changes: Parameters<DebatesRepository['updateThread']>[1]) =>
    fastify.groupCommit.run((commit) => {
      repository.updateThread(thread.id, changes);
      liveHub.publishWithin(commit, [{ topic: `group:${thread.groupId}`, type: 'thread.updated', payload: { thread: neutralSummary(thread.id) } }]);
    });

  const cleanTags = (tags: string[] | undefined) => [...new Set((tags ?? []).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];

  /**
   * Tells the people concerned, inside the post's own write: the post, its live events and its
   * notifications share one commit (shared in turn with concurrent posts, see GroupCommit), so
   * none is lost in between and a busy forum pays one commit per batch of posts, not four.
   * Failures are logged and undone; the post stands.
   */
  const notifyWithin = (commit: PendingCommit, input: PostEvent): void => {
    notifications.notifyWithin(commit, () => computeRecipients(repository, people, input, input.newThread ? undefined : notifications.repository.newPostNoticeHoldersOf(input.threadId)), { postId: input.postId });
  };

  // ------------------------------------------------------------ categories

  fastify.get(
    '/categories',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Categories of my group, in order', response: { 200: Type.Object({ items: Type.Array(CategorySchema) }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      return { items: (await repository.listCategories(user.groupId, user.id)).map((category) => categoryView(user, category)) };
    },
  );

  fastify.post(
    '/categories',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['debates'], summary: 'Create a category', body: CreateCategorySchema, response: { 201: Type.Object({ category: CategorySchema }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body;
      await repository.ensureDefaultCategories(user.groupId);
      if (await repository.slugTaken(user.groupId, body.slug)) throw conflict('slug_taken', 'Another category has this slug.');
      const id = await repository.createCategory(user.groupId, {
        slug: body.slug,
        nameEs: body.nameEs.trim(),
        nameEn: body.nameEn.trim(),
        descriptionEs: body.descriptionEs ?? '',
        descriptionEn: body.descriptionEn ?? '',
        position: body.position ?? 1000,
        startRoles: body.startRoles ?? null,
      });
      reply.status(201);
      return { category: await findCategoryView(user, id) };
    },
  );

  fastify.patch(
    '/categories/:id',
    {
      config: { access: onlyRoles('admin') },
      schema: { tags: ['debates'], summary: 'Change a category', params: IdParams, body: UpdateCategorySchema, response: { 200: Type.Object({ category: CategorySchema }), ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const category = await repository.findCategory(user.groupId, request.params.id);
      if (!category) throw notFound('Category');
      if (request.body.slug && (await repository.slugTaken(user.groupId, request.body.slug, category.id))) throw conflict('slug_taken', 'Another category has this slug.');
      await repository.updateCategory(category.id, request.body);
      return { category: await findCategoryView(user, category.id) };
    },
  );

  fastify.put(
    '/categories/:id/watch',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'How closely I follow a category',
        params: IdParams,
        body: Type.Object({ level: WatchLevelSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ category: CategorySchema }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const category = await repository.findCategory(user.groupId, request.params.id);
      if (!category) throw notFound('Category');
      await repository.setCategoryWatch(category.id, user.id, request.body.level);
      return { category: await findCategoryView(user, category.id) };
    },
  );

  // ------------------------------------------------------------ threads

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
      const indicatorCodes = reference.knownIndicatorCodes(body.indicatorCodes);
      const rendered = render(user.groupId, body.body);
      const now = new Date();
      const title = body.title.trim();
      const { threadId, postId } = await fastify.groupCommit.run((commit) => {
        const started = repository.insertThread({
          groupId: user.groupId,
          categoryId: category.id,
          author: { id: user.id, countryId: user.countryId },
          title,
          tags: cleanTags(body.tags),
          indicatorCodes,
          source: body.body,
          rendered,
          now,
        });
        liveHub.publishWithin(commit, [{ topic: `group:${user.groupId}`, type: 'thread.created', payload: { thread: neutralSummary(started.threadId) } }]);
        notifyWithin(commit, { groupId: user.groupId, actor: user, threadId: started.threadId, threadTitle: title, categoryId: category.id, postId: started.postId, parentAuthorId: null, mentions: rendered.mentions, text: rendered.text, newThread: true });
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
      await updateThreadAndPublish(thread, {
        ...(body.title !== undefined ? { title: body.title.trim() } : {}),
        ...(body.tags !== undefined ? { tags: cleanTags(body.tags) } : {}),
        ...(body.indicatorCodes !== undefined ? { indicatorCodes: reference.knownIndicatorCodes(body.indicatorCodes) } : {}),
      });
      return { thread: await threadDetail(user, thread.id) };
    },
  );

  const moderation = [
    ['pin', { pinned: true }, 'Pin a thread to the top of lists'],
    ['unpin', { pinned: false }, 'Unpin a thread'],
    ['lock', { locked: true }, 'Lock a thread: only moderators may reply'],
    ['unlock', { locked: false }, 'Unlock a thread'],
  ] as const;
  for (const [action, change, summary] of moderation) {
    fastify.post(
      `/threads/:id/${action}`,
      { config: { access: MODERATORS }, schema: { tags: ['debates'], summary, params: IdParams, body: Type.Optional(EmptyBody), response: { 200: Type.Object({ thread: ThreadDetailSchema }), ...errorResponses } } },
      async (request) => {
        const user = requireUser(request);
        const thread = await loadThread(user, request.params.id);
        await updateThreadAndPublish(thread, change);
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
      return { thread: await threadDetail(user, thread.id) };
    },
  );

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

  // ------------------------------------------------------------ posts

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
      if (!state || state.groupId !== user.groupId) throw notFound('Thread');
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
        const files = fastify.files.attachments.of('post', pageRows.map((row) => row.id));
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
      const rendered = render(user.groupId, request.body.body);
      const now = new Date();
      const created = await fastify.groupCommit.run((commit) => {
        const { postId, thread: counters } = repository.appendPost(commit, { threadId: thread.id, parent, author: { id: user.id, countryId: user.countryId }, source: request.body.body, rendered, now });
        const post = repository.findPost(postId)!;
        // Events for the post's readers and for the thread lists, sent once the post is committed.
        liveHub.publishWithin(commit, [...postEvents('post.created', post), threadActivityEvent(thread.groupId, thread.id, now, counters)]);
        notifyWithin(commit, {
          groupId: user.groupId,
          actor: user,
          threadId: thread.id,
          threadTitle: thread.title,
          categoryId: thread.categoryId,
          postId,
          parentAuthorId: parent.state === 'withdrawn' ? null : parent.authorId,
          mentions: rendered.mentions,
          text: rendered.text,
          newThread: false,
        });
        return post;
      });
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
      const rendered = render(user.groupId, request.body.body);
      // Someone mentioned only now is told, as if the post had named them from the start.
      const before = render(user.groupId, post.source).mentions;
      const added = { handles: rendered.mentions.handles.filter((handle) => !before.handles.includes(handle)), countryCodes: rendered.mentions.countryCodes.filter((code) => !before.countryCodes.includes(code)) };
      const edited = await fastify.groupCommit.run((commit) => {
        repository.editPost(post, user.id, request.body.body, rendered, new Date());
        const changed = publishUpdatedPostWithin(commit, post.id);
        if (post.state === 'visible' && added.handles.length + added.countryCodes.length > 0) {
          notifications.notifyWithin(
            commit,
            () => computeRecipients(repository, people, { groupId: user.groupId, actor: user, threadId: thread.id, threadTitle: thread.title, categoryId: thread.categoryId, postId: post.id, parentAuthorId: null, mentions: added, text: rendered.text, newThread: false, edit: true }),
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
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ number: Type.Integer(), html: Type.String(), editedAt: Type.String(), editor: AuthorSchema })) }), ...errorResponses },
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
      return { post: await changePostState(user, post, 'hidden', { reason: request.body.reason.trim(), by: user.id }) };
    },
  );

  fastify.post(
    '/posts/:id/unhide',
    { config: { access: MODERATORS }, schema: { tags: ['debates'], summary: 'Show a hidden post again', params: IdParams, body: Type.Optional(EmptyBody), response: { 200: Type.Object({ post: PostSchema }), ...errorResponses } } },
    async (request) => {
      const user = requireUser(request);
      const { post } = await loadPost(user, request.params.id);
      if (post.state !== 'hidden') throw conflict('post_not_hidden', 'This post is not hidden.');
      return { post: await changePostState(user, post, 'visible', { reason: null, by: null }) };
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
        const agreeCount = await fastify.groupCommit.run((commit) => {
          const count = repository.setAgreement(post, user.id, method === 'PUT', new Date());
          if (count !== before) liveHub.publishWithin(commit, [{ topic: `thread:${post.threadId}`, type: 'agreement.changed', payload: { postId: post.id, agreeCount: count } }]);
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

  // ------------------------------------------------------------ attachments

  /** At most this many files under one post: a post is not a folder (the library is). */
  const MAX_ATTACHMENTS_PER_POST = 10;
  const { attachments, store, maxUploadBytes } = fastify.files;

  const loadAttachment = async (user: SessionUser, id: string) => {
    const attachment = attachments.find(id);
    if (!attachment || attachment.removedAt !== null || attachment.ownerKind !== 'post') throw notFound('Attachment');
    const { post, thread } = await loadPost(user, attachment.ownerId).catch(() => {
      throw notFound('Attachment');
    });
    // Files follow their post's text: none for a withdrawn post, a hidden one's for moderators and its author.
    if (post.state === 'withdrawn' || (post.state === 'hidden' && !may.maySeeHidden(user, post))) throw notFound('Attachment');
    return { attachment, post, thread };
  };


  await uploadRoutes(fastify, maxUploadBytes, (uploads) => {
    uploads.post(
      '/posts/:id/attachments',
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['debates'],
          summary: 'Attach a file to my post (multipart, the part named "file")',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: Type.Object({ attachment: AttachmentSchema, post: PostSchema }), ...uploadErrorResponses },
        },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const { post, thread } = await loadPost(user, request.params.id);
        if (!may.mayEditPost(user, post)) throw forbidden('Only the author attaches files to a post, and not once it is withdrawn.');
        if (!may.mayReply(user, thread)) throw conflict('thread_locked', 'This thread is locked.');
        if (attachments.count('post', post.id) >= MAX_ATTACHMENTS_PER_POST) throw conflict('too_many_attachments', `A post holds at most ${MAX_ATTACHMENTS_PER_POST} files.`);
        const { file } = await receiveUpload(request, store, maxUploadBytes);
        const now = new Date();
        let attachment, updated;
        try {
          fastify.files.claim(file, now);
          await store.keep(file);
          ({ attachment, updated } = await fastify.groupCommit.run((commit) => {
            const added = attachments.add({ ownerKind: 'post', ownerId: post.id, file, uploadedBy: user.id, now });
            repository.touchThread(thread.id);
            return { attachment: added, updated: publishUpdatedPostWithin(commit, post.id) };
          }));
        } catch (error) {
          await store.discard(file);
          throw error;
        }
        reply.status(201);
        return { attachment: toAttachment(attachment), post: await postForViewer(user, updated) };
      },
    );
  });

  fastify.get(
    '/attachments/:id/download',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['debates'],
        summary: 'A post attachment\'s file; Range and If-None-Match supported',
        params: IdParams,
        querystring: Type.Object({ disposition: Type.Optional(Type.Enum(['attachment', 'inline'])) }, { additionalProperties: false }),
        response: fileDownloadResponses,
      },
    },
    async (request, reply) => {
      const { attachment } = await loadAttachment(requireUser(request), request.params.id);
      return sendStoredFile(request, reply, store, { ...attachment, lastModified: attachment.createdAt }, { disposition: request.query.disposition, publicCache: false });
    },
  );

  fastify.delete(
    '/attachments/:id',
    { config: { access: 'signed-in' }, schema: { tags: ['debates'], summary: 'Remove a file from a post (its author or a moderator)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      const user = requireUser(request);
      const { attachment, post, thread } = await loadAttachment(user, request.params.id);
      if (post.authorId !== user.id && !may.isModerator(user)) throw forbidden('Only the post\'s author or a moderator removes its files.');
      await fastify.groupCommit.run((commit) => {
        if (!attachments.remove(attachment.id, new Date())) return;
        repository.touchThread(thread.id);
        publishUpdatedPostWithin(commit, post.id);
      });
      reply.status(204);
      return null;
    },
  );

  // ------------------------------------------------------------ writing aids

  // ------------------------------------------------------------ search

  // The posts are the search answer's own items (server/features/search).
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
};

export default debatesRoutes;
