import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/unit-of-work.js';
import type { ProposalsRepository } from './repository.js';

/**
 * The proposals' notification kinds, about the thread the proposal was put to (the debates' subject
 * kind 'thread'): the outcome written, and the reminder a day before the close.
 */
export const PROPOSAL_NOTIFICATION_KINDS = ['proposal_outcome', 'proposal_reminder'] as const;

/** How each kind is named in mail (its label in the preferences and the subject lines), per language. */
const MAIL_LABELS: Record<(typeof PROPOSAL_NOTIFICATION_KINDS)[number], { en: string; es: string; pt: string; fr: string }> = {
  proposal_outcome: { en: 'Outcomes of proposals', es: 'Resultados de propuestas', pt: 'Resultados de propostas', fr: 'Issues des propositions' },
  proposal_reminder: { en: 'Proposal reminders', es: 'Recordatorios de propuestas', pt: 'Lembretes de propostas', fr: 'Rappels des propositions' },
};

export function defineProposalNotifications(fastify: FastifyInstance): void {
  for (const kind of PROPOSAL_NOTIFICATION_KINDS) {
    fastify.notifications.defineKind(kind, { subjects: ['thread'] });
    fastify.noticeMail.describe(kind, { label: MAIL_LABELS[kind] });
  }
}

/**
 * Tells the thread's participants (who wrote in it, who took a position) that the outcome is written,
 * inside the outcome's write; never the one who wrote it.
 */
export async function notifyOutcomeWithin(
  fastify: FastifyInstance,
  commit: PendingCommit,
  repository: ProposalsRepository,
  input: { proposalId: string; threadId: string; threadTitle: string; actor: { id: string; displayName: string }; excerpt: string; now: Date },
): Promise<void> {
  await fastify.notifications.notifyWithin(
    commit,
    () => {
      const people = new Set([...fastify.debates.postAuthorIdsNow(input.threadId), ...repository.positionsNow([input.proposalId]).map((position) => position.by)]);
      people.delete(input.actor.id);
      return [...people].map((userId) => ({
        userId,
        kind: 'proposal_outcome',
        actorId: input.actor.id,
        actorName: input.actor.displayName,
        subject: { kind: 'thread', id: input.threadId, title: input.threadTitle },
        details: { proposalId: input.proposalId },
        excerpt: input.excerpt.trim().slice(0, 200),
      }));
    },
    { proposalId: input.proposalId, kind: 'proposal_outcome' },
    input.now,
  );
}
