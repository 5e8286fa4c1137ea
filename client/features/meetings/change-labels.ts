import { msg } from '@lit/localize';

/*
 * Kept apart from meetings-format (which needs the time-zone library) because notification
 * texts, loaded with the shell, name changed fields too.
 */

/** A changed field's name in a change history entry or a notification. */
export function fieldLabel(field: string): string {
  switch (field) {
    case 'title':
      return msg('Title');
    case 'kind':
      return msg('Kind of meeting');
    case 'description':
      return msg('Description');
    case 'agenda':
      return msg('Agenda');
    case 'startsAt':
      return msg('Start');
    case 'endsAt':
      return msg('End');
    case 'timeZone':
      return msg('Time zone');
    case 'recurrence':
      return msg('Repetition');
    case 'onlineUrl':
      return msg('Online link');
    case 'accessNotes':
      return msg('Access notes');
    case 'invitees':
      return msg('Invitees');
    case 'threads':
      return msg('Linked debates');
    case 'documents':
      return msg('Linked documents');
    case 'pollSlots':
      return msg('Proposed dates');
    case 'pollDeadline':
      return msg('Poll deadline');
    case 'status':
      return msg('Status');
    default:
      return field;
  }
}
