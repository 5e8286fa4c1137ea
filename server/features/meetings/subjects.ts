import type { FastifyInstance } from 'fastify';
import type { SubjectSummary } from '../../plugins/subjects/index.js';
import { MEETING_NOTIFICATION_KINDS, type MeetingsCore } from './core.js';

/**
 * What the meetings register of the shared registries: their subject kinds and notification kinds.
 * A 'meeting' is readable by whoever may see it (its invitees, or the group for an open one);
 * 'minutes' are a meeting's minutes (its id is the meeting's), read by the same people, whose page
 * shows the published text or, to its writers, the draft. Titles are the meeting's, as written.
 */
export function defineMeetingSubjects(fastify: FastifyInstance, core: MeetingsCore): void {
  const describe = (kind: 'meeting' | 'minutes') => async (user: Parameters<MeetingsCore['maySee']>[0], ids: readonly string[]) => {
    const found = new Map<string, SubjectSummary>();
    for (const id of ids) {
      const meeting = await core.repository.find(id);
      if (!meeting || !core.maySee(user, await core.state(meeting))) continue;
      const href = `/meetings/${encodeURIComponent(id)}${kind === 'minutes' ? '/minutes' : ''}`;
      found.set(id, { kind, id, title: meeting.title, href, groupId: meeting.groupId });
    }
    return found;
  };
  fastify.subjects.define({ kind: 'meeting', describe: describe('meeting') });
  fastify.subjects.define({ kind: 'minutes', describe: describe('minutes') });
  for (const kind of MEETING_NOTIFICATION_KINDS) fastify.notifications.defineKind(kind, { subjects: ['meeting'] });
  const labels: Partial<Record<(typeof MEETING_NOTIFICATION_KINDS)[number], [en: string, es: string, pt: string, fr: string]>> = {
    meeting_poll: ['Date polls for meetings', 'Encuestas de fecha de reuniones', 'Enquetes de data de reuniões', 'Sondages de date des réunions'],
    meeting_poll_reminder: ['Reminders to answer a date poll', 'Recordatorios para responder una encuesta de fecha', 'Lembretes para responder a uma enquete de data', 'Rappels pour répondre à un sondage de date'],
    meeting_poll_deadline: ['Date polls that closed', 'Encuestas de fecha cerradas', 'Enquetes de data encerradas', 'Sondages de date clos'],
    meeting_reminder: ['Reminders before a meeting', 'Recordatorios antes de una reunión', 'Lembretes antes de uma reunião', 'Rappels avant une réunion'],
    meeting_minutes: ['Published minutes', 'Actas publicadas', 'Atas publicadas', 'Comptes rendus publiés'],
  };
  for (const [kind, [en, es, pt, fr]] of Object.entries(labels)) fastify.noticeMail.describe(kind, { label: { en, es, pt, fr } });
}
