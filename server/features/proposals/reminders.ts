import type { FastifyInstance } from 'fastify';
import type { ProposalsCore } from './core.js';
import { closingInstant } from './domain/proposal.js';
import { REMINDER_JOB, reminderRecipients } from './domain/results.js';
import { toState } from './repository.js';

/**
 * The reminder a day before the close, once, only to those who have not taken a position
 * (domain/results.ts decides who). The job is planned with the proposal and moved with its close
 * (core.planReminderWithin); a job planned for a closing time that has since moved does nothing.
 * Each person reminded is recorded under the domain's key in the job's own commit, with the
 * notification and the job's done mark: a rerun after a restart reminds nobody twice.
 */
export function defineProposalReminders(fastify: FastifyInstance, core: ProposalsCore): void {
  fastify.scheduler.define(REMINDER_JOB, async (job, { commit, now }) => {
    const row = core.repository.findNow(String(job.payload.proposalId));
    if (!row) return 'skipped';
    const state = toState(row);
    if (new Date(closingInstant(state)).getTime() !== Number(job.payload.closesAt)) return 'skipped';
    const thread = fastify.debates.threadAccess({ groupId: row.groupId, role: 'admin' }, row.threadId);
    if (!thread) return 'skipped';
    const people = core.repository.membersNow(row.groupId).map((member) => core.participant(member, thread));
    const due = reminderRecipients(state, core.repository.positionsNow([row.id]), people, core.repository.remindersSentNow(row.id), now).filter((entry) =>
      core.repository.recordReminderNow(entry.key, row.id, entry.personId, now),
    );
    if (due.length === 0) return 'skipped';
    await fastify.notifications.notifyWithin(
      commit,
      () =>
        due.map((entry) => ({
          userId: entry.personId,
          kind: 'proposal_reminder',
          actorId: null,
          actorName: null,
          subject: { kind: 'thread', id: thread.id, title: thread.title },
          details: { proposalId: row.id, closesAt: closingInstant(state) },
          excerpt: row.statement.slice(0, 200),
        })),
      { proposalId: row.id, kind: 'proposal_reminder' },
      now,
    );
    return 'done';
  });
}
