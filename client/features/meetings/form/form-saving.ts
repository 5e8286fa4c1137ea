import { msg } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { describeError } from '../../../app/errors.js';

/** Which control shows a server refusal that concerns one field. */
export const ERROR_FIELDS: Record<string, string> = {
  invalid_times: 'start',
  schedule_or_poll: 'start',
  invalid_link: 'onlineUrl',
  invalid_time_zone: 'timeZone',
  unknown_invitee: 'invitees',
  no_invitees: 'invitees',
  unknown_thread: 'threads',
  unknown_document: 'documents',
  recurrence_mismatch: 'repeat',
};

export function describeSaveError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'invalid_times':
      return msg('The end must come after the start, at most 24 hours later (7 days for an in-person meeting).');
    case 'schedule_or_poll':
      return msg('Give the meeting a date, or propose times in an availability poll.');
    case 'invalid_link':
      return msg('Enter the full https:// address of the call (Jitsi, Zoom, Teams…).');
    case 'invalid_time_zone':
      return msg('Choose a time zone from the list.');
    case 'unknown_invitee':
      return msg('One of the invitees is no longer in the group. Choose the invitees again.');
    case 'no_invitees':
      return msg('Choose who is invited: everyone, or at least one country, organization or person.');
    case 'unknown_thread':
      return msg('One of the linked debates no longer exists. Remove it and try again.');
    case 'unknown_document':
      return msg('One of the linked documents is not available any more. Remove it and try again.');
    case 'recurrence_mismatch':
      return msg('The first date does not fit the repetition: for "every month on the n-th weekday", the first date must be that weekday.');
    case 'meeting_cancelled':
      return msg('This meeting is cancelled and can no longer be changed.');
    case 'agenda_full':
      return msg('The agenda holds at most 50 items.');
    case 'forbidden':
      return msg('You may not organize this kind of meeting. The secretariat organizes virtual workshops.');
    default:
      return describeError(error);
  }
}

/** A poll's times and deadline as one comparable value (instants compared as times, not as spelled). */
export function pollKey(slots: ReadonlyArray<{ startsAt: string; endsAt: string }>, deadline: string | null): string {
  const time = (iso: string) => new Date(iso).getTime();
  return JSON.stringify({ slots: slots.map((slot) => [time(slot.startsAt), time(slot.endsAt)]), deadline: deadline ? time(deadline) : null });
}

/** The fields of a meeting still polling: its time comes from the poll, changed through its own route. */
export function withoutTimes<T extends { startsAt?: string; endsAt?: string; recurrence?: unknown }>(body: T): Omit<T, 'startsAt' | 'endsAt' | 'recurrence'> {
  const { startsAt, endsAt, recurrence, ...rest } = body;
  void startsAt;
  void endsAt;
  void recurrence;
  return rest;
}
