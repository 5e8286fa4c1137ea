import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/group-commit.js';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import * as may from './permissions.js';
import type { ConsultationRow, ConsultationsRepository } from './repository.js';
import { ANSWER_KIND } from './validation-rounds.js';

/**
 * What consultations register of the shared registries: the 'consultation' subject (read by
 * whoever may read the consultation) and its notification kinds: a consultation opened to one's
 * delegation, a query sent to it, a delegation's reply to the organizer who asked, a reminder.
 */
export const CONSULTATION_NOTIFICATION_KINDS = ['consultation_opened', 'consultation_query', 'consultation_reply', 'consultation_reminder'] as const;
export type ConsultationNotificationKind = (typeof CONSULTATION_NOTIFICATION_KINDS)[number];

export function defineConsultationSubjects(fastify: FastifyInstance, repository: ConsultationsRepository): void {
  fastify.subjects.define({
    kind: 'consultation',
    describe: async (user, ids, locale) => {
      const found = new Map<string, SubjectSummary>();
      for (const id of ids) {
        const row = await repository.find(id);
        if (!row || !may.mayRead(user, row)) continue;
        const title = locale === 'es' ? row.titleEs || row.titleEn : row.titleEn || row.titleEs;
        found.set(id, { kind: 'consultation', id, title, href: `/consultations/${encodeURIComponent(id)}`, groupId: row.groupId });
      }
      return found;
    },
  });
  // A respondent's answer (`<consultation>.<respondent>`): what a validation round's cases link back
  // to. Read by the organizers and that respondent's own delegation, as its submissions are.
  fastify.subjects.define({
    kind: ANSWER_KIND,
    describe: async (user, ids, locale) => {
      const found = new Map<string, SubjectSummary>();
      for (const id of ids) {
        const separator = id.lastIndexOf('.');
        if (separator <= 0) continue;
        const respondent = id.slice(separator + 1);
        const row = await repository.find(id.slice(0, separator));
        if (!row || !may.mayRead(user, row) || !row.targets.includes(respondent)) continue;
        if (!may.mayManage(user, row) && may.respondentOf(user, row.targets) !== respondent) continue;
        const title = locale === 'es' ? row.titleEs || row.titleEn : row.titleEn || row.titleEs;
        found.set(id, { kind: ANSWER_KIND, id, title: `${title} · ${respondent.toUpperCase()}`, href: `/consultations/${encodeURIComponent(row.id)}`, groupId: row.groupId });
      }
      return found;
    },
  });
  for (const kind of CONSULTATION_NOTIFICATION_KINDS) fastify.notifications.defineKind(kind, { subjects: ['consultation'] });
  // Their mail, labelled in people's mail preferences. A reminder is mailed by the reminders job
  // itself (the deadline in the recipient's zone, kind 'consultation.reminder'): not a second time here.
  const labels: Record<Exclude<ConsultationNotificationKind, 'consultation_reminder'>, [en: string, es: string, pt: string, fr: string]> = {
    consultation_opened: ['Consultations opened to my country', 'Consultas abiertas a mi país', 'Consultas abertas ao meu país', 'Consultations ouvertes à mon pays'],
    consultation_query: ['Queries about my country’s answers', 'Consultas sobre las respuestas de mi país', 'Questionamentos sobre as respostas do meu país', 'Questions sur les réponses de mon pays'],
    consultation_reply: ['Replies to my queries on answers', 'Respuestas a mis consultas sobre respuestas', 'Respostas aos meus questionamentos sobre respostas', 'Réponses à mes questions sur les réponses'],
  };
  for (const [kind, [en, es, pt, fr]] of Object.entries(labels)) fastify.noticeMail.describe(kind, { label: { en, es, pt, fr } });
  fastify.noticeMail.describe('consultation_reminder', { mailedByFeature: true });
}

/** Tells these people, inside the caller's write; the actor is never told of their own act. */
export async function notifyWithin(
  fastify: FastifyInstance,
  commit: PendingCommit,
  people: ReadonlyArray<{ id: string }>,
  row: ConsultationRow,
  actor: { id: string; displayName: string } | null,
  kind: ConsultationNotificationKind,
  details: Record<string, string> = {},
  excerpt = '',
  now?: Date,
): Promise<void> {
  await fastify.notifications.notifyWithin(
    commit,
    () =>
      people
        .filter((person) => person.id !== actor?.id)
        .map((person) => ({
          userId: person.id,
          kind,
          actorId: actor?.id ?? null,
          actorName: actor?.displayName ?? null,
          subject: { kind: 'consultation', id: row.id, title: row.titleEs || row.titleEn },
          details,
          excerpt: excerpt.slice(0, 200),
        })),
    { consultationId: row.id, kind },
    now,
  );
}
