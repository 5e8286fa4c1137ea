import { msg, str } from '@lit/localize';
import { formatDate, formatDateTime } from '../../app/format.js';
import { actorName, registerNotificationKind, type AppNotification } from '../notifications/public.js';
import { fieldLabel } from './change-labels.js';

/*
 * How the meetings' notification kinds read and where they lead (docs/meetings-api.md,
 * "Notifications"): each is about a meeting, its details say when and what changed. Loaded with
 * the signed-in shell, so it stays clear of the time-zone library (meetings-format).
 */

/** The meetings' `details` (server: MeetingNoticeDetails). */
interface MeetingNoticeDetails {
  startsAt?: string;
  previousStartsAt?: string;
  occurrenceId?: string;
  changed?: string[];
  reminder?: '24h' | '1h';
  deadline?: string;
}

function meetingText(n: AppNotification, timeZone?: string): string {
  const who = actorName(n);
  const meeting = n.subject.title || msg('a meeting');
  const details = n.details as MeetingNoticeDetails;
  const when = details.startsAt ? formatDateTime(details.startsAt, timeZone) : '';
  const occurrence = details.occurrenceId && details.occurrenceId !== 'single' ? formatDate(details.occurrenceId, timeZone) : '';
  switch (n.kind) {
    case 'meeting_invited':
      return when ? msg(str`${who} invited you to "${meeting}", on ${when}.`) : msg(str`${who} invited you to "${meeting}".`);
    case 'meeting_poll':
      return msg(str`${who} asks when you can attend "${meeting}": answer the availability poll.`);
    case 'meeting_poll_reminder':
      return details.deadline
        ? msg(str`The availability poll of "${meeting}" closes on ${formatDateTime(details.deadline, timeZone)}: say when you can attend.`)
        : msg(str`The availability poll of "${meeting}" closes soon: say when you can attend.`);
    case 'meeting_poll_deadline':
      return msg(str`The deadline of the availability poll of "${meeting}" has passed: choose the date.`);
    case 'meeting_scheduled':
      return when ? msg(str`"${meeting}" is scheduled for ${when}.`) : msg(str`The date of "${meeting}" is chosen.`);
    case 'meeting_changed': {
      if (details.previousStartsAt && when) {
        const before = formatDateTime(details.previousStartsAt, timeZone);
        return occurrence
          ? msg(str`${who} moved the ${before} occurrence of "${meeting}" to ${when}.`)
          : msg(str`${who} moved "${meeting}" from ${before} to ${when}.`);
      }
      const fields = (details.changed ?? []).map(fieldLabel).join(', ');
      return fields ? msg(str`${who} changed "${meeting}": ${fields}.`) : msg(str`${who} changed "${meeting}".`);
    }
    case 'meeting_cancelled':
      return occurrence ? msg(str`${who} cancelled the ${occurrence} occurrence of "${meeting}".`) : msg(str`${who} cancelled "${meeting}".`);
    case 'meeting_reminder':
      if (details.reminder === '1h') return when ? msg(str`"${meeting}" starts in 1 hour (${when}).`) : msg(str`"${meeting}" starts in 1 hour.`);
      return when ? msg(str`"${meeting}" starts in 24 hours (${when}).`) : msg(str`"${meeting}" starts in 24 hours.`);
    case 'meeting_minutes':
      return msg(str`${who} published the minutes of "${meeting}".`);
    default:
      return msg(str`News about "${meeting}".`);
  }
}

function meetingHref(n: AppNotification): string | null {
  if (n.subject.kind !== 'meeting') return null;
  const base = `/meetings/${encodeURIComponent(n.subject.id)}`;
  if (n.kind === 'meeting_minutes') return `${base}/minutes`;
  const occurrence = (n.details as MeetingNoticeDetails).occurrenceId;
  return occurrence && occurrence !== 'single' ? `${base}?occurrence=${encodeURIComponent(occurrence)}` : base;
}

for (const kind of ['meeting_invited', 'meeting_poll', 'meeting_poll_reminder', 'meeting_poll_deadline', 'meeting_scheduled', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_minutes']) {
  registerNotificationKind(kind, { text: meetingText, href: meetingHref });
}
