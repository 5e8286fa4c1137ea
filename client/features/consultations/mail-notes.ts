import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { formatDateTime } from '../../app/format.js';
import type { MailNote } from './models.js';

/**
 * The delegation's replies by mail that answered no query (a reply to "a consultation is open" or
 * to a reminder): shown beside the draft so that nothing written from a mailbox is lost, and said
 * plainly not to be part of the answers. Pure: notes in, template out.
 */
export function renderMailNotes(notes: readonly MailNote[]) {
  if (notes.length === 0) return nothing;
  return html`<section class="stack" aria-labelledby="mail-notes-heading" data-mail-notes>
    <h3 id="mail-notes-heading">${msg('Replies by e-mail')}</h3>
    <p class="small">${msg('Notes your delegation sent by replying to this consultation’s e-mails. They are not part of the answers and are never submitted; only your delegation sees them.')}</p>
    ${notes.map(
      (note) => html`<article class="card stack" data-mail-note=${note.id}>
        <p class="small">${note.by.displayName} · <time datetime=${note.at}>${formatDateTime(note.at)}</time></p>
        <p>${note.text.split('\n').map((line, index) => html`${index > 0 ? html`<br />` : nothing}${line}`)}</p>
      </article>`,
    )}
  </section>`;
}
