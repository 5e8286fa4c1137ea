import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import { canView } from './domain/statuses.js';
import { caseTitle, relationsOf, stateOf } from './core.js';
import type { DiscrepanciesRepository } from './repository.js';


/**
 * What the register registers of the shared registries: its subject kind (a case, described only
 * to who may see it: its participants until it is published, then the group) and its notification
 * kinds: a case moved to another status, and a comment in a case's discussion.
 */
export function defineDiscrepancySubjects(fastify: FastifyInstance, repository: DiscrepanciesRepository): void {
  fastify.subjects.define({
    kind: 'discrepancy_case',
    describe: async (user, ids, locale) => {
      const found = new Map<string, SubjectSummary>();
      for (const id of ids) {
        const row = await repository.findCase(user.groupId, id);
        if (!row || !canView(stateOf(row), relationsOf(user, row), true)) continue;
        found.set(id, { kind: 'discrepancy_case', id, title: caseTitle(row, locale), href: `/discrepancies/cases/${encodeURIComponent(id)}`, groupId: row.groupId });
      }
      return found;
    },
  });
  fastify.notifications.defineKind('discrepancy_status', { subjects: ['discrepancy_case'] });
  fastify.notifications.defineKind('discrepancy_comment', { subjects: ['discrepancy_case'], onceWhileUnread: true });
  fastify.noticeMail.describe('discrepancy_status', {
    label: { en: 'Status changes of discrepancy cases', es: 'Cambios de estado de los casos de discrepancia', pt: 'Mudanças de status dos casos de discrepância', fr: 'Changements de statut des cas d’écart' },
  });
  fastify.noticeMail.describe('discrepancy_comment', {
    label: { en: 'Comments on discrepancy cases', es: 'Comentarios en los casos de discrepancia', pt: 'Comentários nos casos de discrepância', fr: 'Commentaires sur les cas d’écart' },
  });
}
