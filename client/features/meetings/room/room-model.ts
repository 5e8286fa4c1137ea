import { msg } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { describeError } from '../../../app/errors.js';
import type { ChatMessage, QuickPoll } from '../models.js';

/** The words of a yes/no/abstain option; the manager's label otherwise. */
export function quickOptionLabel(option: { id: string; label: string | null }): string {
  if (option.label) return option.label;
  switch (option.id) {
    case 'yes':
      return msg('Yes', { desc: 'An answer in a poll' });
    case 'no':
      return msg('No', { desc: 'An answer in a poll' });
    case 'abstain':
      return msg('Abstain', { desc: 'Quick poll option' });
    default:
      return option.id;
  }
}

export function describeRoomError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'room_closed':
      return msg('The room is closed.');
    case 'country_already_answered':
      return msg('Someone of your delegation has already answered for your country.');
    case 'no_country':
      return msg('This poll is answered by countries; you do not represent one.');
    case 'poll_closed':
      return msg('This poll is closed.');
    case 'invalid_options':
      return msg('Give from 2 to 10 different options.');
    case 'unknown_option':
      return msg('That option is not in the poll any more. Reload the page.');
    case 'occurrence_not_started':
      return msg('Attendance can be recorded once the room opens.');
    case 'not_invited':
      return msg('This person may not see the meeting.');
    case 'meeting_cancelled':
      return msg('This meeting is cancelled.');
    default:
      return describeError(error);
  }
}

/** Messages by id, in time order: a page, live events and my own answer may carry the same one. */
export function mergeMessages(a: ChatMessage[], b: ChatMessage[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of [...a, ...b]) byId.set(message.id, message);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1));
}

/** The room's polls, newest first, preferring the first list's copy of each. */
export function mergePolls(first: QuickPoll[], second: QuickPoll[]): QuickPoll[] {
  const byId = new Map<string, QuickPoll>();
  for (const poll of [...second, ...first]) byId.set(poll.id, poll);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? 1 : -1));
}
