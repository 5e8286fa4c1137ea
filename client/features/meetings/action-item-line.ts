import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { countryName, formatDate } from '../../app/format.js';
import type { Country } from '../../app/models.js';
import type { ActionItem } from './models.js';

/**
 * An action item's status, as an adjective ("Open", "Done"): its own messages, since the same
 * English words are verbs or button labels elsewhere ("Open" a file, "Done" closing a dialog)
 * and other languages write them differently ("Abierta" / "Abrir").
 */
export function actionItemStatusLabel(status: 'open' | 'done'): string {
  return status === 'open'
    ? msg('Open', { id: 'action-item-status.open', desc: 'Status of an action item: not done yet (an adjective, not the verb)' })
    : msg('Done', { id: 'action-item-status.done', desc: 'Status of an action item: carried out (an adjective, not a button)' });
}

/** Who answers for an action item: the person (and their country), or the country. */
export function responsibleLabel(item: Pick<ActionItem, 'responsibleCountryId' | 'responsiblePerson'>, countries: readonly Country[]): string {
  const country = (id: string | null) => (id ? countryName(countries.find((c) => c.id === id)) || id.toUpperCase() : '');
  if (item.responsiblePerson) {
    const where = country(item.responsiblePerson.countryId);
    return where ? `${item.responsiblePerson.displayName} (${where})` : item.responsiblePerson.displayName;
  }
  return country(item.responsibleCountryId);
}

/** "Send the revised series — Mexico · due 30 Jun 2026 · overdue". Due dates are calendar days, shown as such. */
export function actionItemLine(item: ActionItem, countries: readonly Country[]) {
  const responsible = responsibleLabel(item, countries);
  return html`${item.text}${responsible ? html` — <strong>${responsible}</strong>` : nothing}${item.dueDate
      ? html` · ${msg(str`due ${formatDate(`${item.dueDate}T12:00:00Z`, 'UTC')}`)}`
      : nothing}${item.overdue ? html` · <span class="badge badge-danger">${msg('Overdue')}</span>` : nothing}${item.status === 'done'
      ? html` · <span class="badge badge-muted">${actionItemStatusLabel('done')}</span>`
      : nothing}`;
}
