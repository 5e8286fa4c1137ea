import type { FastifyInstance } from 'fastify';
import type { DebatesCore } from './core.js';
import * as may from './permissions.js';

/** The longest post a reply by mail may make (as the API's Body). */
const MAX_BODY = 50_000;

/**
 * Replies by mail to a thread's notification become a post in the thread as their author (the
 * mail plugin has checked the sender and removed the quoted text and signature): an answer to the
 * opening post, published, notified and sent live as one written in the forum.
 */
export function takeRepliesByMail(fastify: FastifyInstance, core: DebatesCore): void {
  const { repository, render, postEvents, threadActivityEvent, notifyWithin } = core;
  fastify.mail.onReply('thread', async (reply) => {
    const user = fastify.noticeMail.repository.reader(reply.person.userId);
    if (!user) return { accepted: false, reason: 'not_allowed' };
    const thread = await repository.findThread(reply.about.id);
    if (!thread || thread.groupId !== user.groupId) return { accepted: false, reason: 'gone' };
    if (!may.mayReply(user, thread)) return { accepted: false, reason: 'locked' };
    if (reply.text.length > MAX_BODY) return { accepted: false, reason: 'too_large' };
    const parent = await repository.openingPost(thread.id);
    if (!parent) return { accepted: false, reason: 'gone' };
    const rendered = render(user.groupId, reply.text);
    const now = new Date();
    await fastify.unitOfWork.run((commit) => {
      const { postId, thread: counters } = repository.appendPost(commit, { threadId: thread.id, parent, author: { id: user.id, countryId: user.countryId }, source: reply.text, rendered, now });
      const post = repository.findPost(postId)!;
      fastify.liveHub.publishWithin(commit, [...postEvents('post.created', post), threadActivityEvent(thread.groupId, thread.id, now, counters)]);
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
    });
    return { accepted: true };
  });
}
