import { msg } from '@lit/localize';

/** A meeting's kind as people say it; '' for a kind this client does not know yet (home lists any). */
export function kindLabel(kind: string): string {
  switch (kind) {
    case 'virtual_meeting':
      return msg('Virtual meeting');
    case 'virtual_workshop':
      return msg('Virtual workshop');
    case 'technical_debate_session':
      return msg('Technical debate session');
    case 'in_person_meeting':
      return msg('In-person meeting');
    default:
      return '';
  }
}
