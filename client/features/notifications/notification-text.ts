import { msg, str } from '@lit/localize';
import { formatDate, formatDateTime } from '../../app/format.js';
import type { AppNotification } from '../../app/notifications.js';
import { fieldLabel } from '../meetings/public.js';

/** One line saying what happened, in the interface language; meeting times in `timeZone` (the reader's). */
export function notificationText(notification: AppNotification, timeZone?: string): string {
  const who = notification.actor?.displayName ?? msg('Someone');
  const title = notification.threadTitle ?? msg('a debate');
  switch (notification.kind) {
    case 'reply':
      return msg(str`${who} replied to you in "${title}".`);
    case 'mention':
      return msg(str`${who} mentioned you in "${title}".`);
    case 'country_mention':
      return msg(str`${who} mentioned your country in "${title}".`);
    case 'new_thread':
      return msg(str`${who} started "${title}".`);
    case 'new_post':
      return msg(str`${who} posted in "${title}".`);
    case 'document': {
      const document = notification.documentTitle ?? msg('a document');
      return msg(str`${who} published "${document}" in the library.`);
    }
    default:
      return meetingText(notification, who, timeZone);
  }
}

function meetingText(notification: AppNotification, who: string, timeZone?: string): string {
  const meeting = notification.meetingTitle ?? msg('a meeting');
  const details = notification.meetingDetails ?? {};
  const when = details.startsAt ? formatDateTime(details.startsAt, timeZone) : '';
  const occurrence = details.occurrenceId && details.occurrenceId !== 'single' ? formatDate(details.occurrenceId, timeZone) : '';
  switch (notification.kind) {
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

export function notificationHref(notification: AppNotification): string | null {
  if (notification.kind === 'document') return notification.documentId ? `/documents/${encodeURIComponent(notification.documentId)}` : null;
  if (notification.kind.startsWith('meeting_')) {
    if (!notification.meetingId) return null;
    const base = `/meetings/${encodeURIComponent(notification.meetingId)}`;
    if (notification.kind === 'meeting_minutes') return `${base}/minutes`;
    const occurrence = notification.meetingDetails?.occurrenceId;
    return occurrence && occurrence !== 'single' ? `${base}?occurrence=${encodeURIComponent(occurrence)}` : base;
  }
  if (!notification.threadId) return null;
  const base = `/debates/t/${encodeURIComponent(notification.threadId)}`;
  return notification.postId ? `${base}#post-${encodeURIComponent(notification.postId)}` : base;
}
