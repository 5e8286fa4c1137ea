import type { FastifyInstance } from 'fastify';
import type { RoundsCore } from './core.js';
import { consultedParties, partyKey } from './domain/participants.js';
import { phase, type RoundState } from './domain/round.js';

/**
 * Reminders to the consulted delegations that have not submitted, 7 days and 1 day before the
 * round's deadline: a scheduler job per lead and deadline (its key unique), planned when the round
 * opens. The job's notifications (in-app, and by e-mail as each person's preferences say: the kind
 * is an ordinary notification kind) are stored in the same commit as the job's done mark, so a job
 * runs once, across restarts too. A delegation that has submitted by then is not reminded; a round
 * no longer open reminds nobody. A lead already past when the round opens is not planned.
 */

export const ROUND_REMINDER_JOB = 'round-reminders';
export const ROUND_REMINDER_KIND = 'round_reminder';
const DAY_MS = 24 * 3_600_000;
export const ROUND_REMINDER_LEADS = { week: 7 * DAY_MS, day: DAY_MS } as const;
type Lead = keyof typeof ROUND_REMINDER_LEADS;

const subjectOf = (roundId: string) => `round:${roundId}`;

/** Plans the round's reminders for its deadline (after it opened); planning again is harmless (unique keys). */
export async function planRoundReminders(fastify: FastifyInstance, round: RoundState): Promise<void> {
  const deadline = Date.parse(round.deadline);
  const now = fastify.scheduler.now().getTime();
  const jobs = (Object.keys(ROUND_REMINDER_LEADS) as Lead[])
    .map((lead) => ({ lead, at: deadline - ROUND_REMINDER_LEADS[lead] }))
    .filter(({ at }) => at > now)
    .map(({ lead, at }) => ({ key: `${ROUND_REMINDER_JOB}:${round.id}:${lead}:${deadline}`, kind: ROUND_REMINDER_JOB, subject: subjectOf(round.id), runAt: new Date(at), payload: { roundId: round.id, lead } }));
  if (jobs.length === 0) return;
  await fastify.unitOfWork.run((commit) => fastify.scheduler.planWithin(commit, jobs));
}

export function defineRoundReminders(fastify: FastifyInstance, core: RoundsCore): void {
  fastify.notifications.defineKind(ROUND_REMINDER_KIND, { subjects: ['round'] });
  fastify.noticeMail.describe(ROUND_REMINDER_KIND, {
    label: { en: 'Comment round reminders', es: 'Recordatorios de rondas de comentarios', pt: 'Lembretes de rodadas de comentários', fr: 'Rappels des cycles de commentaires' },
  });

  fastify.scheduler.define(ROUND_REMINDER_JOB, async (job, { commit, now }) => {
    const row = core.repository.roundNow(String(job.payload.roundId));
    if (!row) return 'skipped';
    const round = row.state;
    // The job of a deadline since moved, or of a round closed, cancelled or past its deadline.
    if (phase(round, now) !== 'open' || !job.key.endsWith(`:${Date.parse(round.deadline)}`)) return 'skipped';
    const submitted = core.repository.standingPartiesNow(round.id);
    const pending = consultedParties(round.consulted).filter((party) => !submitted.has(partyKey(party)));
    const recipients = pending.flatMap((party) => core.repository.partyPeopleNow(row.groupId, party));
    if (recipients.length === 0) return 'skipped';
    const document = fastify.documents.readable({ role: 'secretariat', groupId: row.groupId }, [round.documentId]).get(round.documentId);
    const title = (locale: string) => (document ? (locale === 'es' || locale === 'pt' ? document.title.es || document.title.en : document.title.en || document.title.es) : '');
    const lead = String(job.payload.lead);
    await fastify.notifications.notifyWithin(
      commit,
      () =>
        recipients.map((person) => ({
          userId: person.id,
          kind: ROUND_REMINDER_KIND,
          actorId: null,
          actorName: null,
          subject: { kind: 'round', id: round.id, title: title(person.locale) },
          details: { lead, deadline: round.deadline },
          excerpt: '',
        })),
      { job: job.key },
      now,
    );
    return 'done';
  });
}
