import type { LiveHub } from '../../plugins/live/hub.js';
import * as may from './permissions.js';
import type { DebatesService } from './public.js';
import type { DebatesRepository } from './repository.js';
import { toThreadSummary } from './views.js';

/** `fastify.debates` over the debates' repository. */
export const debatesService = (repository: DebatesRepository, liveHub: Pick<LiveHub, 'publishWithin'>): DebatesService => ({
  threadTitles: (groupId, ids) => repository.threadTitles(groupId, ids),
  threadAccess: (person, threadId) => {
    const thread = repository.threadNow(threadId);
    if (!thread || thread.groupId !== person.groupId) return null;
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
  pinOutcomeWithin: (commit, threadId, outcome, concluded, now) => {
    repository.setOutcome(threadId, outcome && { html: outcome.html, excerpt: outcome.excerpt, at: outcome.at.toISOString(), source: outcome.source }, concluded, now);
    const thread = repository.threadForViewer(threadId, '');
    if (!thread) return;
    const summary = toThreadSummary({ ...thread, lastReadSeq: 0, watchLevel: 'normal' });
    liveHub.publishWithin(commit, [
      { topic: `group:${thread.groupId}`, type: 'thread.updated', payload: { thread: summary } },
      { topic: `thread:${threadId}`, type: 'thread.outcome', payload: { threadId, outcome: summary.outcome, concluded: summary.concluded } },
    ]);
  },
});
