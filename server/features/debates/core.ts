import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { onlyRoles } from '../../plugins/authorization.js';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { LiveEventInput } from '../../plugins/live/hub.js';
import type { RenderedMarkdown } from '../../plugins/markdown/index.js';
import type { SessionUser } from '../../plugins/sessions/index.js';
import { contentLocaleOf, refKey } from '../../plugins/subjects/index.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { IdSchema } from '../../shared/schemas.js';
import { computeRecipients, excerptOf, type PostEvent } from './mentions.js';
import type { CachedPage } from './page-cache.js';
import * as may from './permissions.js';
import { isOwned, type OwnedThread, type ThreadOwners } from './owners.js';
import type { DebatesRepository, PostRecord, PostRow, ThreadRow } from './repository.js';
import type { PostState } from './tables.js';
import { toAttachment, toNeutralPost, toThreadDetail, toThreadSummary, type PostView } from './views.js';

/**
 * What the debates' route files (routes/*.ts) share: loading what a person may see, the views for
 * one viewer, rendering, and the writes that tell readers live and notify people. Built once per
 * app; every helper is a plain closure over the repository (no per-request work beyond the call).
 */

export const IdParams = Type.Object({ id: IdSchema });
/** At most this many files under one post: a post is not a folder (the library is). */
export const MAX_ATTACHMENTS_PER_POST = 10;
export const MODERATORS = onlyRoles('admin', 'coordinator');

export const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export function decode<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this list gave.');
  }
}

export function debatesCore(fastify: FastifyInstance, repository: DebatesRepository, owners: ThreadOwners) {
  const { liveHub, notifications, markdown, people } = fastify;

  const render = async (groupId: string, source: string): Promise<RenderedMarkdown> => markdown.render(source, await people.mentionResolver(groupId, source));

  const loadThread = async (user: SessionUser, id: string): Promise<ThreadRow> => {
    const thread = await repository.findThread(id);
    if (!thread || !(await owners.mayRead(user, thread))) throw notFound('Thread');
    return thread;
  };

  const loadPost = async (user: SessionUser, id: string): Promise<{ post: PostRow; thread: ThreadRow }> => {
    const post = await repository.findPost(id);
    const thread = post && (await repository.findThread(post.threadId));
    if (!post || !thread || !(await owners.mayRead(user, thread))) throw notFound('Post');
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
    if (!thread || !(await owners.mayRead(user, thread))) throw notFound('Thread');
    const firstUnread = thread.lastReadSeq < thread.lastSeq ? await repository.firstPostAfter(threadId, thread.lastReadSeq) : null;
    const detail = toThreadDetail(thread, firstUnread);
    if (thread.subjectKind === null || thread.subjectId === null) return detail;
    // The way back to what this thread discusses (a discrepancy case's page), titled for the reader.
    const ref = { kind: thread.subjectKind, id: thread.subjectId };
    const described = fastify.subjects.has(ref.kind) ? (await fastify.subjects.describe(user, [ref], contentLocaleOf(user.locale))).get(refKey(ref)) : undefined;
    return described ? { ...detail, subject: { kind: described.kind, id: described.id, title: described.title, href: described.href } } : detail;
  };

  /** The viewer's own flags on a neutral post. */
  const forViewer = (user: SessionUser, post: PostView, agreed: Set<string>, hidden?: CachedPage['hidden']): PostView => {
    const own = post.author.id === user.id;
    let result: PostView = { ...post, agreedByMe: agreed.has(post.id), mayEdit: own && post.state !== 'withdrawn', mayModerate: may.isModerator(user) };
    const full = hidden?.get(post.id);
    if (own && full && post.html === null) result = { ...result, html: full.html, hiddenReason: full.hiddenReason, attachments: full.attachments };
    return result;
  };

  const attachmentsOf = async (postId: string) => ((await fastify.files.attachments.of('post', [postId])).get(postId) ?? []).map(toAttachment);

  const postForViewer = async (user: SessionUser, post: PostRow): Promise<PostView> => {
    const neutral = toNeutralPost(post, may.maySeeHidden(user, post), await attachmentsOf(post.id));
    return forViewer(user, neutral, await repository.agreedPostIds(user.id, post.threadId));
  };

  /**
   * Live events after commit. A hidden post goes out redacted to everyone; the full one only to
   * moderators and its author, through the event's audience.
   */
  const postEvents = async (type: 'post.created' | 'post.updated', post: PostRow, withFiles = type === 'post.updated'): Promise<LiveEventInput[]> => {
    const topic = `thread:${post.threadId}`;
    // A post just created has no attachments yet (but one from a reply by mail, which came with them).
    const files = withFiles ? await attachmentsOf(post.id) : [];
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
  const publishUpdatedPostWithin = async (commit: PendingCommit, postId: string): Promise<PostRow> => {
    const post = (await repository.findPost(postId))!;
    await liveHub.publishWithin(commit, await postEvents('post.updated', post));
    return post;
  };

  /**
   * Withdraw, hide or show a post again: its readers hear of it live, and the notifications about
   * it lose their excerpt while its text is not everyone's to read (and get it back when shown).
   */
  const changePostState = async (user: SessionUser, post: PostRecord, state: PostState, moderation: { reason: string | null; by: string | null }) => {
    const updated = await fastify.unitOfWork.run(async (commit) => {
      await repository.setPostState(commit, post, state, moderation);
      await notifications.repository.setExcerptByDetail('postId', post.id, state === 'visible' ? excerptOf(post.text) : '');
      const changed = await publishUpdatedPostWithin(commit, post.id);
      if (state !== 'visible') await redactStoredEvents(changed);
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
  const redactStoredEvents = async (post: PostRow) => {
    const redacted = toNeutralPost(post, false);
    await liveHub.rewriteStored({ topics: [`thread:${post.threadId}`], types: ['post.created', 'post.updated'], path: '$.post.id', value: post.id, everyoneOnly: post.state === 'hidden' }, (payload) => ({ ...(payload as object), post: redacted }));
    const recipients = (await notifications.repository.recipientsByDetail('postId', post.id)).map((userId) => `user:${userId}`);
    await liveHub.rewriteStored({ topics: recipients, types: ['notification.created'], path: '$.notification.details.postId', value: post.id, everyoneOnly: false }, (payload) => {
      const event = payload as { notification: { excerpt: string } };
      return { ...event, notification: { ...event.notification, excerpt: '' } };
    });
  };

  const threadActivityEvent = (groupId: string, threadId: string, at: Date, counters: { replyCount: number; participatingCountries: string[] }): LiveEventInput => ({
    topic: `group:${groupId}`,
    type: 'thread.activity',
    payload: { threadId, lastActivityAt: at.toISOString(), ...counters },
  });

  /**
   * The group's list events about a thread, or none for a subject's thread (a discrepancy case's):
   * the group topic reaches the whole group, and such a thread is not in its lists.
   */
  const groupEvents = (thread: OwnedThread, events: LiveEventInput[]): LiveEventInput[] => (isOwned(thread) ? [] : events);

  const neutralSummary = async (threadId: string) => {
    const thread = (await repository.threadForViewer(threadId, ''))!;
    return toThreadSummary({ ...thread, lastReadSeq: 0, watchLevel: 'normal' });
  };

  /** Changes a thread (and its indicators, when given: tags of the catalogue) and tells the group's lists, in one commit. */
  const updateThreadAndPublish = (thread: ThreadRow, changes: Parameters<DebatesRepository['updateThread']>[2], indicatorCodes?: readonly string[], by: string | null = null) =>
    fastify.unitOfWork.run(async (commit) => {
      if (indicatorCodes !== undefined) await fastify.indicators.setTagsWithin({ kind: 'thread', id: thread.id, groupId: thread.groupId }, indicatorCodes, by, new Date());
      await repository.updateThread(commit, thread.id, changes);
      await liveHub.publishWithin(commit, groupEvents(thread, [{ topic: `group:${thread.groupId}`, type: 'thread.updated', payload: { thread: await neutralSummary(thread.id) } }]));
    });

  const cleanTags = (tags: string[] | undefined) => [...new Set((tags ?? []).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];

  /**
   * Tells the people concerned, inside the post's own write: the post, its live events and its
   * notifications share one commit (shared in turn with concurrent posts, see UnitOfWork), so
   * none is lost in between and a busy forum pays one commit per batch of posts, not four.
   * Failures are logged and undone; the post stands.
   */
  const notifyWithin = async (commit: PendingCommit, input: PostEvent): Promise<void> => {
    await notifications.notifyWithin(commit, await computed(recipientsOf(input)), { postId: input.postId });
  };

  /** Who is told of a post: computeRecipients, kept to the thread's readers when it is a subject's thread. */
  const recipientsOf = async (input: PostEvent) => {
    const thread = await repository.findThread(input.threadId);
    const readers = thread && owners.readersOf(thread);
    const holders = input.newThread || input.edit ? undefined : await notifications.repository.unreadHoldersOf('new_post', { kind: 'thread', id: input.threadId });
    return computeRecipients(repository, people, input, holders, readers, thread ? await owners.followersOf(thread) : []);
  };

  /**
   * A reply in a thread, inside the caller's piece: the post, the files that came with it (checked
   * and kept in the store by the caller, attached by subject reference), the events for its readers
   * and the thread lists, and the notifications. The one step of the posts route and of replies by mail.
   */
  const appendReplyWithin = async (
    commit: PendingCommit,
    input: { user: Pick<SessionUser, 'id' | 'displayName' | 'countryId' | 'groupId'>; thread: ThreadRow; parent: { id: string; path: string; depth: number; authorId: string; state: PostState }; source: string; rendered: RenderedMarkdown; now: Date; files?: ReadonlyArray<{ sha256: string; fileName: string; mime: string; size: number }>; quiet?: boolean },
  ): Promise<PostRow> => {
    const { user, thread, parent, rendered, now } = input;
    const files = input.files ?? [];
    const { postId, thread: counters } = await repository.appendPost(commit, { threadId: thread.id, parent, author: { id: user.id, countryId: user.countryId }, source: input.source, rendered, now });
    // Attachments list in id order, and ids made in one millisecond do not keep their order: a
    // millisecond apart each, they show in the order they came (the mail's).
    for (const [index, file] of files.entries()) await fastify.files.attachments.add({ subject: { kind: 'post', id: postId }, file, uploadedBy: user.id, now: new Date(now.getTime() + index) });
    const post = (await repository.findPost(postId))!;
    // Events for the post's readers and for the thread lists, sent once the post is committed.
    await liveHub.publishWithin(commit, [...(await postEvents('post.created', post, files.length > 0)), ...groupEvents(thread, [threadActivityEvent(thread.groupId, thread.id, now, counters)])]);
    if (!input.quiet) await notifyWithin(commit, {
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
  };

  return {
    repository,
    owners,
    groupEvents,
    recipientsOf,
    appendReplyWithin,
    render,
    loadThread,
    loadPost,
    categoryView,
    findCategoryView,
    threadDetail,
    forViewer,
    attachmentsOf,
    postForViewer,
    postEvents,
    publishUpdatedPostWithin,
    changePostState,
    threadActivityEvent,
    neutralSummary,
    updateThreadAndPublish,
    cleanTags,
    notifyWithin,
  };
}

export type DebatesCore = ReturnType<typeof debatesCore>;

/**
 * What notifyWithin (plugins/notifications) computes, worked out before it is called: its
 * `compute` is synchronous, and the recipients are read from the database. A failure is thrown
 * from `compute` as before, so the plugin logs it and the post stands.
 */
export async function computed<T>(work: Promise<T>): Promise<() => T> {
  return work.then(
    (value) => () => value,
    (error: unknown) => () => {
      throw error;
    },
  );
}
