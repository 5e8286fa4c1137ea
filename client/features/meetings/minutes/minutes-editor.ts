import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { PagePart } from '../../../app/base-element.js';
import { compareText, countryName } from '../../../app/format.js';
import type { Person } from '../../../app/models.js';
import type { ActionItemDraft, MinutesSection } from '../models.js';
import type { MinutesAutosave } from './autosave.js';
import { addSection, moveSection, newActionItem, removeSection, setIntroduction, setSectionField, type WorkingCopy } from './minutes-model.js';

/**
 * The minutes draft as its writers edit it: the introduction, then one section per agenda item
 * (title, summary, decisions, action items with a responsible country or person and a due date),
 * sections added, moved and removed. Every change goes to the autosave, which keeps it on this
 * device and sends it.
 */
export class CnMinutesEditor extends PagePart {
  static override properties = {
    autosave: { attribute: false },
    copy: { attribute: false },
    people: { attribute: false },
    incomplete: { attribute: false },
  };

  declare autosave: MinutesAutosave | null;
  /** The working copy shown (a new one after each change). */
  declare copy: WorkingCopy | null;
  /** Whom an action item may name as responsible. */
  declare people: Person[];
  /** Action items a refused publication named as incomplete. */
  declare incomplete: string[];

  constructor() {
    super();
    this.autosave = null;
    this.copy = null;
    this.people = [];
    this.incomplete = [];
  }

  /** Drawn here at once (focus may move into what it added), and handed to the autosave. */
  private change(copy: WorkingCopy) {
    this.copy = copy;
    this.autosave?.change(copy);
  }

  protected override render() {
    const copy = this.copy;
    if (!copy) return nothing;
    const content = copy.content;
    return html`
      <form class="stack-lg" @submit=${(event: Event) => event.preventDefault()} aria-label=${msg('Draft of the minutes')}>
        <cn-field>
          <label slot="label">${msg('Introduction')}</label>
          <textarea rows="4" maxlength="20000" .value=${content.introduction} @input=${(e: Event) => this.change(setIntroduction(copy, (e.target as HTMLTextAreaElement).value))}></textarea>
          <span slot="hint">${msg('Markdown. Who chaired, the quorum, anything said before the agenda.')}</span>
        </cn-field>
        ${repeat(
          content.sections,
          (section) => section.key,
          (section, index) => this.renderSection(copy, section, index, content.sections.length),
        )}
        <div>
          <cn-button><button type="button" @click=${this.addOtherSection}>${msg('Add a section (e.g. Other business)')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderSection(copy: WorkingCopy, section: MinutesSection, index: number, count: number) {
    const set = <F extends 'title' | 'summary' | 'decisions' | 'actionItems'>(field: F, value: MinutesSection[F]) => this.change(setSectionField(this.copy!, section.key, field, value));
    const id = `section-${section.key}`;
    return html`
      <fieldset class="section stack" aria-labelledby=${`${id}-legend`}>
        <legend id=${`${id}-legend`}>${msg(str`${index + 1}. ${section.title || msg('Untitled section')}`)}</legend>
        <div class="tools">
          <cn-button size="small" variant="quiet"
            ><button type="button" aria-label=${msg(str`Move section ${index + 1} up`)} ?disabled=${index === 0} @click=${() => this.change(moveSection(copy, section.key, -1))}>↑</button></cn-button
          >
          <cn-button size="small" variant="quiet"
            ><button type="button" aria-label=${msg(str`Move section ${index + 1} down`)} ?disabled=${index === count - 1} @click=${() => this.change(moveSection(copy, section.key, 1))}>↓</button></cn-button
          >
          <cn-button size="small" variant="quiet"
            ><button type="button" aria-label=${msg(str`Remove section ${index + 1}`)} @click=${() => this.removeSectionAsked(section)}>${msg('Remove')}</button></cn-button
          >
        </div>
        <cn-field>
          <label slot="label">${msg('Title')}</label>
          <input maxlength="200" .value=${section.title} @input=${(e: Event) => set('title', (e.target as HTMLInputElement).value)} />
        </cn-field>
        <cn-field>
          <label slot="label">${msg(str`Summary of ${section.title || msg('the section')}`)}</label>
          <textarea rows="4" maxlength="20000" .value=${section.summary} @input=${(e: Event) => set('summary', (e.target as HTMLTextAreaElement).value)}></textarea>
        </cn-field>
        <cn-field>
          <label slot="label">${msg(str`Decisions on ${section.title || msg('the section')}`)}</label>
          <textarea rows="3" maxlength="20000" .value=${section.decisions} @input=${(e: Event) => set('decisions', (e.target as HTMLTextAreaElement).value)}></textarea>
        </cn-field>
        <div class="stack">
          <h3>${msg('Action items')}</h3>
          ${section.actionItems.length === 0 ? html`<p class="small muted">${msg('None.')}</p>` : nothing}
          <ul class="items">
            ${repeat(
              section.actionItems,
              (item) => item.id,
              (item, i) => this.renderActionItem(section, item, i),
            )}
          </ul>
          <div>
            <cn-button size="small"
              ><button type="button" ?disabled=${section.actionItems.length >= 50} @click=${() => this.addItem(section)}>${msg('Add an action item')}</button></cn-button
            >
          </div>
        </div>
      </fieldset>
    `;
  }

  private renderActionItem(section: MinutesSection, item: ActionItemDraft, index: number) {
    const countries = [...this.services.countries].sort((a, b) => compareText(countryName(a), countryName(b)));
    const responsible = item.responsiblePersonId ? `person:${item.responsiblePersonId}` : item.responsibleCountryId ? `country:${item.responsibleCountryId}` : '';
    const update = (changes: Partial<ActionItemDraft>) =>
      this.change(setSectionField(this.copy!, section.key, 'actionItems', section.actionItems.map((entry) => (entry.id === item.id ? { ...entry, ...changes } : entry))));
    return html`
      <li class=${this.incomplete.includes(item.id) ? 'item incomplete' : 'item'}>
        <label>
          ${msg(str`Action ${index + 1}`)}
          <input maxlength="1000" data-item=${item.id} .value=${item.text} @input=${(e: Event) => update({ text: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          ${msg('Responsible')}
          <select
            @change=${(e: Event) => {
              const value = (e.target as HTMLSelectElement).value;
              update({
                responsibleCountryId: value.startsWith('country:') ? value.slice(8) : null,
                responsiblePersonId: value.startsWith('person:') ? value.slice(7) : null,
              });
            }}
          >
            <option value="" ?selected=${!responsible}>${msg('Choose…')}</option>
            <optgroup label=${msg('Countries')}>
              ${countries.map((country) => html`<option value=${`country:${country.id}`} ?selected=${responsible === `country:${country.id}`}>${countryName(country)}</option>`)}
            </optgroup>
            <optgroup label=${msg('People')}>
              ${this.people.map((person) => html`<option value=${`person:${person.id}`} ?selected=${responsible === `person:${person.id}`}>${person.displayName}</option>`)}
              ${item.responsiblePersonId && !this.people.some((p) => p.id === item.responsiblePersonId)
                ? html`<option value=${responsible} selected>${msg('(a person)')}</option>`
                : nothing}
            </optgroup>
          </select>
        </label>
        <label>
          ${msg('Due date')}
          <input type="date" .value=${item.dueDate ?? ''} @input=${(e: Event) => update({ dueDate: (e.target as HTMLInputElement).value || null })} />
        </label>
        <cn-button size="small" variant="quiet">
          <button
            type="button"
            aria-label=${msg(str`Remove action ${index + 1}`)}
            @click=${() => this.change(setSectionField(this.copy!, section.key, 'actionItems', section.actionItems.filter((entry) => entry.id !== item.id)))}
          >
            ${msg('Remove')}
          </button>
        </cn-button>
      </li>
    `;
  }

  private addItem(section: MinutesSection) {
    const item = newActionItem();
    this.change(setSectionField(this.copy!, section.key, 'actionItems', [...section.actionItems, item]));
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>(`input[data-item="${item.id}"]`)?.focus());
  }

  private addOtherSection() {
    if (!this.copy) return;
    const { copy, key } = addSection(this.copy, msg('Other business'));
    this.change(copy);
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#section-${CSS.escape(key)}-legend`)?.closest('fieldset')?.querySelector('input')?.focus());
  }

  private removeSectionAsked(section: MinutesSection) {
    if (!this.copy) return;
    const empty = !section.summary.trim() && !section.decisions.trim() && section.actionItems.length === 0;
    if (!empty && !window.confirm(msg(str`Remove the section "${section.title}" and its text?`))) return;
    this.change(removeSection(this.copy, section.key));
  }
}
