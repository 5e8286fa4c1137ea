import { accessChanged, type LiveHub } from '../../plugins/live/hub.js';
import type { DebatesCore } from './core.js';
import * as may from './permissions.js';
import type { DebatesService } from './public.js';
import type { DebatesRepository } from './repository.js';
import { toThreadSummary } from './views.js';

const threadPath = (threadId: string) => `/debates/t/${encodeURIComponent(threadId)}`;

/** `fastify.debates` over the debates' repository and the core the routes share. */
export const debatesService = (
  repository: DebatesRepository,
  liveHub: Pick<LiveHub, 'publishWithin'>,
  core: DebatesCore,
): DebatesService => ({
  threadTitles: (groupId, ids) => repository.threadTitles(groupId, ids),
  threadAccess: async (person, threadId) => {
    const thread = await repository.findThread(threadId);
    if (!thread || thread.groupId !== person.groupId) return null;
    // A subject's thread (a discrepancy case's) is its owner's audience's: another feature asking
    // with a role alone (proposals) gets it only for someone the owner lets read it.
    if (thread.subjectKind !== null) {
      const reader = person.id === undefined ? null : { id: person.id, groupId: person.groupId, role: person.role, countryId: person.countryId ?? null, organizationId: person.organizationId ?? null };
      if (!reader || !(await core.owners.mayRead(reader, thread))) return null;
    }
    return {
      id: thread.id,
      groupId: thread.groupId,
      title: thread.title,
      authorId: thread.authorId,
      locked: thread.locked,
      concluded: thread.concludedAt !== null,
      mayPost: may.mayReply(person, thread),
      isModerator: may.isModerator(person),
    };
  },
  mayPost: (role, thread) => may.mayReply({ role }, thread),
  isModerator: (role) => may.isModerator({ role }),
  postAuthorIdsNow: (threadId) => repository.postAuthorIdsNow(threadId),
  pinOutcomeWithin: async (commit, threadId, outcome, concluded, now) => {
    await repository.setOutcome(commit, threadId, outcome && { html: outcome.html, excerpt: outcome.excerpt, at: outcome.at.toISOString(), source: outcome.source }, concluded, now);
    const thread = await repository.threadForViewer(threadId, '');
    if (!thread) return;
    const summary = toThreadSummary({ ...thread, lastReadSeq: 0, watchLevel: 'normal' });
    await liveHub.publishWithin(commit, [
      ...core.groupEvents(thread, [{ topic: `group:${thread.groupId}`, type: 'thread.updated', payload: { thread: summary } }]),
      { topic: `thread:${threadId}`, type: 'thread.outcome', payload: { threadId, outcome: summary.outcome, concluded: summary.concluded } },
    ]);
  },

  defineThreadOwner: (kind, owner) => core.owners.define(kind, owner),

  subjectThread: async (subject) => {
    const thread = await repository.subjectThreadNow(subject);
    if (!thread) return null;
    const postCount = await repository.shownPostCount(thread.id);
    return { id: thread.id, title: thread.title, href: threadPath(thread.id), postCount, lastActivityAt: thread.lastActivityAt };
  },

  latestPosts: async (threadId, limit) =>
    (await repository.latestPosts(threadId, limit)).map((post) => ({
      id: post.id,
      seq: post.seq,
      author: { id: post.authorId, name: post.authorName },
      html: post.state === 'visible' ? post.html : null,
      hidden: post.state === 'hidden',
      createdAt: post.createdAt,
    })),

  postInSubjectThreadWithin: async (commit, input) => {
    const { subject, author, now } = input;
    const rendered = await core.render(input.groupId, input.source);
    const user = { id: author.id, displayName: author.displayName, countryId: author.countryId, groupId: input.groupId };
    const existing = await repository.subjectThreadNow(subject);
    if (existing) {
      const parent = (await repository.openingPost(existing.id))!;
      const post = await core.appendReplyWithin(commit, { user, thread: existing, parent, source: input.source, rendered, now, quiet: input.quiet });
      return { threadId: existing.id, postId: post.id, opened: false };
    }
    const categoryId = await repository.categoryForSubjectNow(input.groupId, input.categorySlug);
    if (!categoryId) throw new Error(`Group ${input.groupId} has no category to file a subject's thread under`);
    const started = await repository.insertThread(commit, { groupId: input.groupId, categoryId, author, title: input.title, tags: [], source: input.source, rendered, now, subject });
    // No event on the group's topic: the thread is not in the group's lists. Its opening post
    // reaches its followers and the mentioned among its readers (core.recipientsOf keeps to them),
    // as a new post: no category's watchers are told of a new discussion.
    if (!input.quiet) await core.notifyWithin(commit, { groupId: input.groupId, actor: user, threadId: started.threadId, threadTitle: input.title, categoryId, postId: started.postId, parentAuthorId: null, mentions: rendered.mentions, text: rendered.text, newThread: false });
    return { threadId: started.threadId, postId: started.postId, opened: true };
  },

  subjectAccessChangedNow: async (subject) => {
    const thread = await repository.subjectThreadNow(subject);
    return thread ? [accessChanged(`thread:${thread.id}`)] : [];
  },
});
