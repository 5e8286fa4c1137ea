import { msg } from '@lit/localize';
import { pickContent } from '../../app/i18n.js';
import type { Bilingual, RespondentStatus, ReviewStatus } from './models.js';

export const text = (value: Bilingual | undefined | null) => (value ? pickContent(value.es, value.en) : '');

export function statusLabel(status: RespondentStatus): string {
  switch (status) {
    case 'not_started':
      return msg('Not started');
    case 'draft':
      return msg('Draft', { id: 'consultations.draft', desc: 'Status of a country’s answer to a consultation: being written' });
    case 'submitted':
      return msg('Submitted');
    case 'declined':
      return msg('Declined');
    case 'late':
      return msg('Late');
    case 'extended':
      return msg('Extended');
  }
}

export function consultationStatusLabel(status: 'draft' | 'open' | 'closed'): string {
  if (status === 'draft') return msg('Not opened yet');
  return status === 'open' ? msg('Open') : msg('Closed');
}

export function reviewLabel(status: ReviewStatus): string {
  switch (status) {
    case 'pending':
      return msg('Not reviewed');
    case 'accepted':
      return msg('Accepted', { id: 'consultations.accepted', desc: 'Review status of an answer to a consultation' });
    case 'query_open':
      return msg('Query open');
    case 'resolved':
      return msg('Query resolved');
  }
}

export const consultationHref = (id: string) => `/consultations/${encodeURIComponent(id)}`;

/** What the discrepancy register made of a validation round's row (the server's outcome codes). */
export function validationOutcomeLabel(outcome: string): string {
  switch (outcome) {
    case 'opened':
      return msg('a case was opened');
    case 'updated':
      return msg('the case was updated');
    case 'explained':
      return msg('the case took the explanation');
    case 'within_tolerance':
      return msg('within tolerance: no case');
    case 'not_comparable':
      return msg('not comparable: no case');
    case 'no_national_value':
      return msg('no national value to compare: no case');
    case 'concluded':
      return msg('the case is closed or published: unchanged');
    default:
      return outcome;
  }
}
