import { css, html, nothing } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { actionItemLine, responsibleLabel } from './action-item-line.js';
import { meetingsApi } from './meetings-api.js';
import type { ActionItem } from './models.js';

/**
 * "Add open action items": a dialog listing the open action items of earlier meetings to take
 * into an agenda.
 *
 * @event cn-pick - detail `{ items: [{ id, title, presenter }] }`: the chosen items.
 */
export class CnActionItemsPicker extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-2);
        max-block-size: 24rem;
        overflow: auto;
      }

      label {
        display: flex;
        gap: var(--cn-space-2);
        align-items: baseline;
        cursor: pointer;
      }
    `,
  ];

  static override properties = { items: { state: true }, chosen: { state: true }, error: { state: true }, meetingId: {} };

  declare private items: ActionItem[] | null;
  declare private chosen: Set<string>;
  declare private error: string;
  /** The meeting whose agenda is edited ('' for a new one): items already taken into it are not offered. */
  declare meetingId: string;

  constructor() {
    super();
    this.items = null;
    this.chosen = new Set();
    this.error = '';
    this.meetingId = '';
  }

  private dialog() {
    return this.renderRoot.querySelector<CnDialog>('cn-dialog');
  }

  private async open() {
    this.chosen = new Set();
    this.error = '';
    const dialog = this.dialog();
    if (dialog) dialog.open = true;
    try {
      const page = await meetingsApi.actionItems({ status: 'open', limit: 100 });
      this.items = page.items;
    } catch (error) {
      this.error = describeError(error);
      this.items = [];
    }
  }

  protected override render() {
    const countries = this.services.countries;
    const items = (this.items ?? []).filter((item) => !item.pulledInto.some((p) => p.meetingId === this.meetingId));
    return html`
      <cn-button size="small"><button type="button" @click=${this.open}>${msg('Add open action items…')}</button></cn-button>
      <cn-dialog label=${msg('Open action items of earlier meetings')}>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        ${this.items === null
          ? html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the action items…')}</p>`
          : items.length === 0
            ? html`<p class="muted">${msg('No open action item.')}</p>`
            : html`<fieldset>
                <legend class="visually-hidden">${msg('Action items to add to the agenda')}</legend>
                <ul>
                  ${items.map(
                    (item) => html`<li>
                      <label>
                        <input type="checkbox" .checked=${this.chosen.has(item.id)} @change=${(e: Event) => this.toggle(item.id, (e.target as HTMLInputElement).checked)} />
                        <span>${actionItemLine(item, countries)} <span class="small muted">· ${item.source.meetingTitle}</span></span>
                      </label>
                    </li>`,
                  )}
                </ul>
              </fieldset>`}
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.dialog()?.close()}>${msg('Cancel')}</button></cn-button>
          <cn-button variant="primary">
            <button type="button" ?disabled=${this.chosen.size === 0} @click=${this.pick}>
              ${plural(this.chosen.size, { one: msg(str`Add ${formatNumber(this.chosen.size)} item to the agenda`, { id: 'add-agenda-items.one' }), other: msg(str`Add ${formatNumber(this.chosen.size)} items to the agenda`, { id: 'add-agenda-items.other' }) })}
            </button>
          </cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private toggle(id: string, checked: boolean) {
    const chosen = new Set(this.chosen);
    if (checked) chosen.add(id);
    else chosen.delete(id);
    this.chosen = chosen;
  }

  private pick() {
    const countries = this.services.countries;
    const items = (this.items ?? [])
      .filter((item) => this.chosen.has(item.id))
      .map((item) => ({ id: item.id, title: item.text.slice(0, 200), presenter: responsibleLabel(item, countries).slice(0, 200) }));
    this.dialog()?.close();
    this.dispatchEvent(new CustomEvent('cn-pick', { detail: { items } }));
  }
}
