import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/group-commit.js';
import { deadlineInstant, inZone } from './domain/lifecycle.js';
import { REMINDER_LEADS, planReminders, type ReminderKind } from './domain/reminders.js';
import { draftTopic, toConsultation } from './core.js';
import type { ConsultationRow, ConsultationsRepository } from './repository.js';
import { notifyWithin } from './subjects.js';

/**
 * Reminders 7 days and 1 day before the deadline to the delegations that have neither submitted nor
 * declined (domain/reminders.ts decides). Two scheduler jobs per deadline wake the check; which
 * reminders went out is stored per consultation, respondent and kind (consultation_reminders), so
 * a job that runs again after a restart, or a deadline moved and planned again, sends nothing twice.
 * The deadline itself needs no job: every write checks it (lifecycle.mayWrite).
 */

export const REMINDER_JOB = 'consultation-reminders';
export const REMINDER_MAIL = 'consultation.reminder';

const subjectOf = (id: string) => `consultation:${id}`;

/** Plans the checks for the consultation's current deadline, inside the write that opened it or moved it. */
export function planReminderJobs(fastify: FastifyInstance, commit: PendingCommit, row: Pick<ConsultationRow, 'id' | 'deadlineDate' | 'deadlineTime' | 'deadlineZone' | 'openedAt'>): void {
  const deadline = deadlineInstant({ date: row.deadlineDate, time: row.deadlineTime, zone: row.deadlineZone });
  const now = fastify.scheduler.now().getTime();
  const jobs = (Object.keys(REMINDER_LEADS) as ReminderKind[])
    .map((kind) => ({ kind, at: deadline - REMINDER_LEADS[kind] }))
    .filter(({ at }) => at < deadline && deadline > now && (row.openedAt === null || at >= row.openedAt))
    .map(({ kind, at }) => ({ key: `${REMINDER_JOB}:${row.id}:${kind}:${deadline}`, kind: REMINDER_JOB, subject: subjectOf(row.id), runAt: new Date(Math.max(at, now)), payload: { consultationId: row.id } }));
  const keep = jobs.map((job) => job.key);
  fastify.scheduler.dropPendingWithin(commit, subjectOf(row.id), [REMINDER_JOB], keep);
  fastify.scheduler.planWithin(commit, jobs);
}

const TEXT = {
  en: { subject: (title: string) => `Reminder: ${title}`, body: (date: string, time: string) => `Your delegation has not yet submitted its answer. The deadline is ${date} at ${time} (your time).`, open: 'Open the consultation' },
  es: { subject: (title: string) => `Recordatorio: ${title}`, body: (date: string, time: string) => `Su delegación aún no ha enviado su respuesta. El plazo vence el ${date} a las ${time} (su hora).`, open: 'Abrir la consulta' },
  pt: { subject: (title: string) => `Lembrete: ${title}`, body: (date: string, time: string) => `Sua delegação ainda não enviou a resposta. O prazo termina em ${date} às ${time} (seu horário).`, open: 'Abrir a consulta' },
  fr: { subject: (title: string) => `Rappel : ${title}`, body: (date: string, time: string) => `Votre délégation n’a pas encore envoyé sa réponse. La date limite est le ${date} à ${time} (votre heure).`, open: 'Ouvrir la consultation' },
} as const;

export function defineReminders(fastify: FastifyInstance, repository: ConsultationsRepository, publicUrl: string): void {
  fastify.mail.defineKind(REMINDER_MAIL, {
    label: { en: 'Consultation reminders', es: 'Recordatorios de consultas', pt: 'Lembretes de consultas', fr: 'Rappels de consultations' },
    defaultFor: () => 'immediately',
    digest: false,
  });

  fastify.scheduler.define(REMINDER_JOB, async (job, { commit, now }) => {
    const id = String(job.payload.consultationId);
    const row = repository.findNow(id);
    if (!row || row.status !== 'open') return 'skipped';
    const consultation = toConsultation(row);
    const states = repository.statesNow(id);
    const known = new Set(states.map((state) => state.respondent));
    // Targets nobody has touched have no row yet, and are the first to remind.
    for (const target of row.targets) if (!known.has(target)) states.push({ respondent: target, firstWriteAt: null, lastWriteAt: null, submissions: [], reopenedAt: null, declined: null, extension: null });
    const sent = repository.remindersSentNow(id) as Array<{ respondent: string; kind: ReminderKind }>;
    const plan = planReminders(id, consultation, states, sent, now.getTime());
    if (plan.send.length === 0) return 'skipped';
    const title = { es: row.titleEs || row.titleEn, en: row.titleEn || row.titleEs };
    for (const reminder of plan.send) {
      if (!repository.recordReminder(reminder.key, id, reminder.respondent, reminder.kind, now.getTime())) continue;
      const delegates = repository.delegatesNow(row.groupId, reminder.respondent);
      notifyWithin(fastify, commit, delegates, row, null, 'consultation_reminder', { kind: reminder.kind, deadline: new Date(reminder.deadline).toISOString() }, '', now);
      for (const person of delegates) {
        await fastify.mail.enqueueWithin(commit, {
          kind: REMINDER_MAIL,
          to: { userId: person.id },
          // Threaded with the consultation's other mail; a reply comes back (mail-replies.ts) as a note beside the draft.
          about: { kind: 'consultation', id },
          replyable: true,
          content: (recipient) => {
            const text = TEXT[recipient.locale] ?? TEXT.en;
            const local = inZone(reminder.deadline, recipient.timeZone);
            return {
              subject: text.subject(recipient.locale === 'es' || recipient.locale === 'pt' ? title.es : title.en),
              blocks: [{ text: text.body(local.date, local.time) }, { action: { label: text.open, url: `${publicUrl}${fastify.groups.pathNow(row.groupId)}/consultations/${id}` } }],
            };
          },
        });
      }
      fastify.liveHub.publishWithin(commit, [{ topic: draftTopic(id, reminder.respondent), type: 'consultation.reminder', payload: { consultationId: id, kind: reminder.kind } }]);
    }
    return 'done';
  });
}
