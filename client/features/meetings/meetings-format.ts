import { msg, str } from '@lit/localize';
import { formatNumber, intlLocale } from '../../app/format.js';
import { formatLongDay } from './meeting-time.js';
export { fieldLabel } from './change-labels.js';
import type { AttendanceAnswer, ChangeAction, MeetingKind, MeetingStatus, MonthlyWeek, PollAnswer, Recurrence } from './models.js';

export function kindLabel(kind: MeetingKind): string {
  switch (kind) {
    case 'virtual_meeting':
      return msg('Virtual meeting');
    case 'virtual_workshop':
      return msg('Virtual workshop');
    case 'technical_debate_session':
      return msg('Technical debate session');
    case 'in_person_meeting':
      return msg('In-person meeting');
  }
}

export function statusLabel(status: MeetingStatus): string {
  switch (status) {
    case 'polling':
      return msg('Choosing a date', { desc: 'Meeting status: an availability poll is open' });
    case 'scheduled':
      return msg('Scheduled', { desc: 'Meeting status' });
    case 'cancelled':
      return msg('Cancelled', { desc: 'Meeting status' });
  }
}

export function attendanceLabel(answer: AttendanceAnswer): string {
  switch (answer) {
    case 'going':
      return msg('Going');
    case 'maybe':
      return msg('Maybe');
    case 'not_going':
      return msg('Not going');
  }
}

export function pollAnswerLabel(answer: PollAnswer): string {
  switch (answer) {
    case 'yes':
      return msg('Yes', { desc: 'Availability poll answer' });
    case 'if_need_be':
      return msg('If need be', { desc: 'Availability poll answer: possible, but not ideal' });
    case 'no':
      return msg('No', { desc: 'Availability poll answer' });
  }
}

/** "2nd", "last": the n-th weekday of a month, as "every month on the 2nd Tuesday" reads. */
function weekOrdinal(week: MonthlyWeek): string {
  switch (week) {
    case 1:
      return msg('first');
    case 2:
      return msg('second');
    case 3:
      return msg('third');
    case 4:
      return msg('fourth');
    case -1:
      return msg('last');
  }
}

/** The weekday's name in the reader's language ("Tuesday"), from an instant in a zone. */
export function weekdayName(iso: string, zone: string): string {
  return new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: zone }).format(new Date(iso));
}

/** "Every 2 weeks on Tuesday, 6 times" / "Every month on the last Friday, 10 times". */
export function recurrenceText(recurrence: Recurrence, firstStart: string | null, zone: string): string {
  const weekday = firstStart ? weekdayName(firstStart, zone) : '';
  const times = formatNumber(recurrence.count);
  if (recurrence.frequency === 'weekly') {
    return recurrence.interval === 1
      ? msg(str`Every week on ${weekday}, ${times} times`)
      : msg(str`Every ${recurrence.interval} weeks on ${weekday}, ${times} times`);
  }
  const ordinal = weekOrdinal(recurrence.monthlyWeek ?? 1);
  return recurrence.interval === 1
    ? msg(str`Every month on the ${ordinal} ${weekday}, ${times} times`)
    : msg(str`Every ${recurrence.interval} months on the ${ordinal} ${weekday}, ${times} times`);
}

export function monthlyWeekLabel(week: MonthlyWeek, weekday: string): string {
  return msg(str`The ${weekOrdinal(week)} ${weekday} of the month`);
}

export function changeActionLabel(action: ChangeAction): string {
  switch (action) {
    case 'created':
      return msg('Created the meeting');
    case 'updated':
      return msg('Changed the meeting');
    case 'rescheduled':
      return msg('Rescheduled the meeting');
    case 'cancelled':
      return msg('Cancelled the meeting');
    case 'occurrence_moved':
      return msg('Moved one occurrence');
    case 'occurrence_cancelled':
      return msg('Cancelled one occurrence');
    case 'occurrence_restored':
      return msg('Restored one occurrence');
    case 'poll_opened':
      return msg('Opened the availability poll');
    case 'poll_closed':
      return msg('Closed the poll and set the date');
  }
}

/** "Tuesday, 12 May 2026" for an occurrence id (its original start), or '' for a single meeting. */
export function occurrenceLabel(occurrenceId: string | null, zone: string): string {
  if (!occurrenceId || occurrenceId === 'single') return '';
  const date = new Date(occurrenceId);
  return Number.isNaN(date.getTime()) ? occurrenceId : formatLongDay(occurrenceId, zone);
}

export const minutesLabel = (minutes: number) => (minutes === 1 ? msg('1 minute') : msg(str`${formatNumber(minutes)} minutes`));

/** Meetings may be run by these roles; the secretariat runs workshops only (the server has the last word). */
export const mayOrganize = (role: string | undefined) => role === 'admin' || role === 'coordinator' || role === 'secretariat';
export const organizableKinds = (role: string | undefined): MeetingKind[] =>
  role === 'secretariat' ? ['virtual_workshop'] : ['virtual_meeting', 'virtual_workshop', 'technical_debate_session', 'in_person_meeting'];
