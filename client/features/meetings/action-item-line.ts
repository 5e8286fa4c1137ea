import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { countryName, formatDate } from '../../app/format.js';
import type { Country } from '../../app/models.js';
import type { ActionItem } from './models.js';

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
      ? html` · <span class="badge badge-muted">${msg('Done')}</span>`
      : nothing}`;
}
