import { msg } from '@lit/localize';
import { contentLanguage } from '../../app/i18n.js';
import type { CommentType, DispositionKind, RoundComment, RoundSummary } from './rounds-api.js';

/** The words the rounds' pages show for the API's codes. */

export function statusLabel(status: RoundSummary['status']): string {
  switch (status) {
    case 'draft':
      return msg('Being prepared');
    case 'open':
      return msg('Open for comments');
    case 'closed':
      return msg('Comments closed');
    case 'dispositions':
      return msg('Dispositions published');
    case 'concluded':
      return msg('Concluded');
    case 'cancelled':
      return msg('Cancelled', { id: 'round-status-cancelled', desc: 'Status of a comment round' });
  }
}

export function typeLabel(type: CommentType): string {
  switch (type) {
    case 'general':
      return msg('General');
    case 'technical':
      return msg('Technical');
    case 'editorial':
      return msg('Editorial');
  }
}

export const DISPOSITION_KINDS: DispositionKind[] = ['accepted', 'partially_accepted', 'not_accepted', 'noted', 'deferred'];

export function dispositionLabel(kind: DispositionKind): string {
  switch (kind) {
    case 'accepted':
      return msg('Accepted', { id: 'round-disposition-accepted', desc: 'Disposition of a comment' });
    case 'partially_accepted':
      return msg('Partially accepted');
    case 'not_accepted':
      return msg('Not accepted');
    case 'noted':
      return msg('Noted');
    case 'deferred':
      return msg('Deferred');
  }
}

export function replyLabel(reply: RoundComment['effectiveReply']): string {
  switch (reply) {
    case 'none':
      return '';
    case 'pending':
      return msg('Awaiting the delegation’s reply');
    case 'satisfied':
      return msg('Satisfied');
    case 'objects':
      return msg('Objects');
    case 'accepted_by_silence':
      return msg('Accepted (no reply)');
  }
}

export function reanchorLabel(status: 'kept' | 'drifted' | 'orphaned'): string {
  switch (status) {
    case 'kept':
      return msg('Found in the next version');
    case 'drifted':
      return msg('Moved or reworded in the next version');
    case 'orphaned':
      return msg('No longer in the next version');
  }
}

/** "3.2 ¶1" as people read it; the whole document says so. */
export function anchorLabel(anchor: RoundComment['anchor']): string {
  if (anchor.kind === 'document') return msg('Whole document');
  return anchor.label === 'Title' ? msg('Title') : anchor.label;
}

/** A text kept in Spanish and English, in the reader's content language (the other when empty). */
export function localized(text: { es: string; en: string }): { text: string; lang: 'es' | 'en' } {
  const preferred = contentLanguage();
  const other = preferred === 'es' ? 'en' : 'es';
  return text[preferred].trim() ? { text: text[preferred], lang: preferred } : { text: text[other], lang: other };
}
