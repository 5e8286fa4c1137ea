import type { FastifyInstance } from 'fastify';
import type { PendingCommit } from '../../plugins/group-commit.js';
import { defineTexts, formatDateTime, type InboundCalendarReply, type ReplyOutcome } from '../../plugins/mail/index.js';
import { invitationCalendar, loadedIcal, organizerAddress, type CalendarEntry } from './calendar.js';
import type { MeetingNotice, MeetingsCore } from './core.js';
import { findOccurrence } from './occurrences.js';
import * as may from './permissions.js';
import type { MeetingRow } from './repository.js';
import type { AttendanceAnswer } from './tables.js';
import { nextOccurrence, pageUrlOf } from './views.js';

/**
 * Meeting invitations by mail: what the in-app notices of an invitation, a change or a
 * cancellation say, with a calendar part (iTIP REQUEST or CANCEL, the same UID and SEQUENCE as
 * the .ics files) so that mail programs offer their accept buttons; and the answers those
 * buttons send back (METHOD:REPLY) set the person's attendance.
 */
export const MEETING_MAIL_KIND = 'meeting_invitation';

/** The in-app notice kinds that go out as a calendar invitation, and the iTIP method of each. */
const CALENDAR_NOTICES: Partial<Record<MeetingNotice['kind'], 'REQUEST' | 'CANCEL'>> = {
  meeting_invited: 'REQUEST',
  meeting_scheduled: 'REQUEST',
  meeting_changed: 'REQUEST',
  meeting_cancelled: 'CANCEL',
};

/** The notice kinds mailed here (the generic notification mail leaves them alone). */
export const MAILED_MEETING_NOTICES = Object.keys(CALENDAR_NOTICES);

const texts = defineTexts({
  en: {
    label: 'Meeting invitations, changes and cancellations',
    subject: { invited: (t: string) => `Invitation: ${t}`, changed: (t: string) => `Updated: ${t}`, cancelled: (t: string) => `Cancelled: ${t}` },
    invited: (who: string, title: string) => `${who} invites you to “${title}”.`,
    scheduled: (title: string) => `The date of “${title}” is set.`,
    changed: (who: string, title: string) => `${who} changed “${title}”.`,
    cancelled: (who: string, title: string) => `${who} cancelled “${title}”.`,
    occurrenceCancelled: (who: string, title: string) => `${who} cancelled one session of “${title}”.`,
    when: (date: string) => `When: ${date}`,
    reason: (text: string) => `Reason: ${text}`,
    answer: 'Answer with your calendar’s buttons, or on the meeting page.',
    open: 'Open the meeting',
    someone: 'The organizer',
  },
  es: {
    label: 'Invitaciones, cambios y cancelaciones de reuniones',
    subject: { invited: (t: string) => `Invitación: ${t}`, changed: (t: string) => `Actualizada: ${t}`, cancelled: (t: string) => `Cancelada: ${t}` },
    invited: (who: string, title: string) => `${who} le invita a «${title}».`,
    scheduled: (title: string) => `Ya hay fecha para «${title}».`,
    changed: (who: string, title: string) => `${who} cambió «${title}».`,
    cancelled: (who: string, title: string) => `${who} canceló «${title}».`,
    occurrenceCancelled: (who: string, title: string) => `${who} canceló una sesión de «${title}».`,
    when: (date: string) => `Cuándo: ${date}`,
    reason: (text: string) => `Motivo: ${text}`,
    answer: 'Responda con los botones de su calendario o en la página de la reunión.',
    open: 'Abrir la reunión',
    someone: 'La organización',
  },
  pt: {
    label: 'Convites, alterações e cancelamentos de reuniões',
    subject: { invited: (t: string) => `Convite: ${t}`, changed: (t: string) => `Atualizada: ${t}`, cancelled: (t: string) => `Cancelada: ${t}` },
    invited: (who: string, title: string) => `${who} convida você para “${title}”.`,
    scheduled: (title: string) => `A data de “${title}” foi definida.`,
    changed: (who: string, title: string) => `${who} alterou “${title}”.`,
    cancelled: (who: string, title: string) => `${who} cancelou “${title}”.`,
    occurrenceCancelled: (who: string, title: string) => `${who} cancelou uma sessão de “${title}”.`,
    when: (date: string) => `Quando: ${date}`,
    reason: (text: string) => `Motivo: ${text}`,
    answer: 'Responda com os botões do seu calendário ou na página da reunião.',
    open: 'Abrir a reunião',
    someone: 'A organização',
  },
  fr: {
    label: 'Invitations, modifications et annulations de réunions',
    subject: { invited: (t: string) => `Invitation : ${t}`, changed: (t: string) => `Modifiée : ${t}`, cancelled: (t: string) => `Annulée : ${t}` },
    invited: (who: string, title: string) => `${who} vous invite à « ${title} ».`,
    scheduled: (title: string) => `La date de « ${title} » est fixée.`,
    changed: (who: string, title: string) => `${who} a modifié « ${title} ».`,
    cancelled: (who: string, title: string) => `${who} a annulé « ${title} ».`,
    occurrenceCancelled: (who: string, title: string) => `${who} a annulé une séance de « ${title} ».`,
    when: (date: string) => `Quand : ${date}`,
    reason: (text: string) => `Motif : ${text}`,
    answer: 'Répondez avec les boutons de votre agenda, ou sur la page de la réunion.',
    open: 'Ouvrir la réunion',
    someone: 'L’organisation',
  },
});

const PARTSTAT: Record<string, AttendanceAnswer> = { ACCEPTED: 'going', TENTATIVE: 'maybe', DECLINED: 'not_going' };

export interface MeetingMail {
  /** Queues the invitation, change or cancellation mails of a notice, in the caller's write. */
  mailWithin(commit: PendingCommit, people: Array<{ id: string }>, meeting: MeetingRow, actor: { id: string; displayName: string } | null, notice: MeetingNotice): Promise<void>;
}

export function defineMeetingMail(fastify: FastifyInstance, core: MeetingsCore, publicUrl: string): MeetingMail {
  const { mail, liveHub, unitOfWork } = fastify;
  const { repository } = core;
  mail.defineKind(MEETING_MAIL_KIND, {
    label: { en: texts('en').label, es: texts('es').label, pt: texts('pt').label, fr: texts('fr').label },
    defaultFor: () => 'immediately',
    // The calendar part must arrive on its own, not summed up in a digest.
    digest: false,
  });
  // These notices go out here, with their calendar part; not again as plain notification mail.
  for (const kind of MAILED_MEETING_NOTICES) fastify.noticeMail.describe(kind, { mailedByFeature: true });
  const pageUrl = (meeting: { id: string; groupId: string }) => pageUrlOf(core.views, meeting);

  mail.onCalendarReply('meeting', async (reply) => answerByCalendar(reply));

  async function answerByCalendar(reply: InboundCalendarReply): Promise<ReplyOutcome> {
    if (reply.about.kind !== 'meeting') return { accepted: false, reason: 'not_accepted' };
    const meeting = repository.findNow(reply.about.id);
    if (!meeting || meeting.status === 'cancelled') return { accepted: false, reason: 'gone' };
    const current = core.state(meeting);
    const person = repository.participantsNow(meeting.groupId).find((participant) => participant.id === reply.person.userId);
    if (!person || !may.mayAnswer({ ...person, groupId: meeting.groupId }, meeting, current.invitees)) return { accepted: false, reason: 'not_allowed' };
    // A calendar program answers for its own user: the one attendee line, or the one with the person's address.
    const line = reply.attendees.length === 1 ? reply.attendees[0] : reply.attendees.find((attendee) => attendee.address.toLowerCase() === reply.person.address.toLowerCase());
    const answer = line ? PARTSTAT[line.partstat.toUpperCase()] : undefined;
    if (!answer) return { accepted: false, reason: 'not_accepted' };
    const now = core.now().getTime();
    // One occurrence (RECURRENCE-ID), or the whole meeting: every session still to come.
    const occurrences = reply.recurrenceId
      ? [findOccurrence(current.occurrences, reply.recurrenceId)].filter((occurrence) => occurrence !== undefined)
      : current.occurrences.filter((occurrence) => occurrence.endsAt > now);
    const open = occurrences.filter((occurrence) => occurrence.state !== 'cancelled');
    if (open.length === 0) {
      const next = nextOccurrence(current.occurrences, now);
      if (!next) return { accepted: false, reason: 'gone' };
      open.push(next);
    }
    const note = reply.comment?.trim().slice(0, 500) ?? '';
    const viewer = { ...person, groupId: meeting.groupId };
    await unitOfWork.run((commit) => {
      for (const occurrence of open) {
        repository.setAttendanceNow(meeting.id, occurrence.id, person.id, answer, note, now);
        const view = core.attendance(current, viewer, occurrence.id);
        liveHub.publishWithin(commit, [{ topic: `meeting:${meeting.id}`, type: 'attendance.updated', payload: { occurrenceId: occurrence.id, counts: view.counts, countriesWithNobodyGoing: view.countriesWithNobodyGoing } }]);
      }
    });
    return { accepted: true };
  }

  return {
    async mailWithin(commit, people, meeting, actor, notice) {
      const method = CALENDAR_NOTICES[notice.kind];
      const ICAL = loadedIcal();
      if (!method || meeting.startsAt === null || meeting.endsAt === null) return;
      if (!ICAL) {
        fastify.log.error({ meetingId: meeting.id }, 'ical.js was not loaded before a meeting write; no invitation mail');
        return;
      }
      const current = core.state(meeting);
      const entry: CalendarEntry = { meeting, agenda: repository.agendaNow(meeting.id), occurrences: current.occurrences, pageUrl: pageUrl(meeting) };
      const cancelledOccurrence = notice.kind === 'meeting_cancelled' && notice.details?.occurrenceId ? current.occurrences.find((occurrence) => occurrence.id === notice.details!.occurrenceId) : undefined;
      const about = { kind: 'meeting', id: meeting.id };
      for (const person of people) {
        if (person.id === actor?.id) continue;
        if ((await mail.deliveryOf(person.id, MEETING_MAIL_KIND)) === 'never') continue;
        const replyAddress = method === 'REQUEST' ? await mail.replyAddressWithin(commit, person.id, about) : null;
        await mail.enqueueWithin(commit, {
          kind: MEETING_MAIL_KIND,
          to: { userId: person.id },
          about,
          content: (recipient) => {
            const t = texts(recipient.locale);
            const who = actor?.displayName ?? t.someone;
            const startsAt = cancelledOccurrence?.startsAt ?? notice.details?.startsAt ?? meeting.startsAt!;
            const date = formatDateTime(recipient.locale, new Date(startsAt), recipient.timeZone);
            const lead =
              notice.kind === 'meeting_invited' ? t.invited(who, meeting.title)
              : notice.kind === 'meeting_scheduled' ? t.scheduled(meeting.title)
              : notice.kind === 'meeting_changed' ? t.changed(who, meeting.title)
              : cancelledOccurrence ? t.occurrenceCancelled(who, meeting.title)
              : t.cancelled(who, meeting.title);
            const subject = method === 'CANCEL' ? t.subject.cancelled(meeting.title) : notice.kind === 'meeting_changed' ? t.subject.changed(meeting.title) : t.subject.invited(meeting.title);
            return {
              subject,
              blocks: [
                { text: lead },
                { text: t.when(date) },
                ...(method === 'CANCEL' && notice.excerpt ? [{ text: t.reason(notice.excerpt) }] : []),
                ...(method === 'REQUEST' ? [{ text: t.answer }] : []),
                { action: { label: t.open, url: pageUrl(meeting) } },
              ],
            };
          },
          calendar: (recipient) => ({
            method,
            ics: invitationCalendar(ICAL, entry, publicUrl, {
              method,
              // Answers go to the person's reply address (back to this handler); with replies by mail off, nowhere.
              organizer: replyAddress ? `mailto:${replyAddress}` : organizerAddress(publicUrl),
              attendee: { address: recipient.address, name: recipient.name },
              ...(cancelledOccurrence ? { cancelledOccurrence } : {}),
            }),
          }),
        });
      }
    },
  };
}
