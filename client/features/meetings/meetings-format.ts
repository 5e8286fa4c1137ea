import { msg, str } from '@lit/localize';
import { plural } from '../../app/plural.js';
import { formatNumber, intlLocale } from '../../app/format.js';
import { formatLongDay } from './meeting-time.js';
export { fieldLabel } from './change-labels.js';
export { kindLabel } from './kind-label.js';
import type { AttendanceAnswer, ChangeAction, MeetingKind, MeetingStatus, MonthlyWeek, PollAnswer, Recurrence } from './models.js';


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
      return msg('Yes', { desc: 'An answer in a poll' });
    case 'if_need_be':
      return msg('If need be', { desc: 'Availability poll answer: possible, but not ideal' });
    case 'no':
      return msg('No', { desc: 'An answer in a poll' });
  }
}

/**
 * "on the second" before a weekday's name, as "every month on the second Tuesday" reads. Some
 * languages agree it with the weekday (Portuguese: "na segunda terça-feira", "no segundo
 * sábado"), so Saturday and Sunday have messages of their own.
 */
function onTheNth(week: MonthlyWeek, weekend: boolean): string {
  if (weekend) {
    switch (week) {
      case 1:
        return msg('on the first', { id: 'weekend-ordinal-1', desc: 'Before the name of Saturday or Sunday: "on the first Saturday" of a month' });
      case 2:
        return msg('on the second', { id: 'weekend-ordinal-2', desc: 'Before the name of Saturday or Sunday: "on the first Saturday" of a month' });
      case 3:
        return msg('on the third', { id: 'weekend-ordinal-3', desc: 'Before the name of Saturday or Sunday: "on the first Saturday" of a month' });
      case 4:
        return msg('on the fourth', { id: 'weekend-ordinal-4', desc: 'Before the name of Saturday or Sunday: "on the first Saturday" of a month' });
      case -1:
        return msg('on the last', { id: 'weekend-ordinal-last', desc: 'Before the name of Saturday or Sunday: "on the first Saturday" of a month' });
    }
  }
  switch (week) {
    case 1:
      return msg('on the first', { desc: 'Before the name of a weekday from Monday to Friday: "on the first Tuesday" of a month' });
    case 2:
      return msg('on the second', { desc: 'Before the name of a weekday from Monday to Friday: "on the first Tuesday" of a month' });
    case 3:
      return msg('on the third', { desc: 'Before the name of a weekday from Monday to Friday: "on the first Tuesday" of a month' });
    case 4:
      return msg('on the fourth', { desc: 'Before the name of a weekday from Monday to Friday: "on the first Tuesday" of a month' });
    case -1:
      return msg('on the last', { desc: 'Before the name of a weekday from Monday to Friday: "on the first Tuesday" of a month' });
  }
}

/** The weekday's name in the reader's language ("Tuesday"), from an instant in a zone. */
export function weekdayName(iso: string, zone: string): string {
  return new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: zone }).format(new Date(iso));
}

const isWeekend = (iso: string, zone: string) => ['Sat', 'Sun'].includes(new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: zone }).format(new Date(iso)));

/** A repetition's week of the month as answered (an integer; only these are ever stored), the first when unknown. */
const asMonthlyWeek = (week: number | null): MonthlyWeek => (week === 1 || week === 2 || week === 3 || week === 4 || week === -1 ? week : 1);

/** "on the second Tuesday" of a month: the day a monthly series falls on. */
export function monthlyDay(week: MonthlyWeek, iso: string, zone: string): string {
  return `${onTheNth(week, isWeekend(iso, zone))} ${weekdayName(iso, zone)}`;
}

/** "Every 2 weeks (Tuesday), 6 times" / "Every month on the last Friday, 10 times". */
export function recurrenceText(recurrence: Recurrence, firstStart: string | null, zone: string): string {
  const times = formatNumber(recurrence.count);
  if (recurrence.frequency === 'weekly' || !firstStart) {
    const weekday = firstStart ? weekdayName(firstStart, zone) : '';
    return recurrence.interval === 1 ? msg(str`Every week (${weekday}), ${times} times`) : msg(str`Every ${recurrence.interval} weeks (${weekday}), ${times} times`);
  }
  const day = monthlyDay(asMonthlyWeek(recurrence.monthlyWeek), firstStart, zone);
  return recurrence.interval === 1 ? msg(str`Every month ${day}, ${times} times`) : msg(str`Every ${recurrence.interval} months ${day}, ${times} times`);
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

export const minutesLabel = (minutes: number) => plural(minutes, { one: msg(str`${formatNumber(minutes)} minute`, { id: 'duration-minutes.one' }), other: msg(str`${formatNumber(minutes)} minutes`, { id: 'duration-minutes.other' }) });

/** Meetings may be run by these roles; the secretariat runs workshops only (the server has the last word). */
export const mayOrganize = (role: string | undefined) => role === 'admin' || role === 'coordinator' || role === 'secretariat';
export const organizableKinds = (role: string | undefined): MeetingKind[] =>
  role === 'secretariat' ? ['virtual_workshop'] : ['virtual_meeting', 'virtual_workshop', 'technical_debate_session', 'in_person_meeting'];
