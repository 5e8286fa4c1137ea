import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import type { AppServices } from '../../../app/contexts.js';
import { compareText, countryName, organizationAcronym, organizationName } from '../../../app/format.js';
import type { Person, User } from '../../../app/models.js';
import type { Resource } from '../../../controllers/resource.js';
import { fieldError } from '../../../ui/field/field.js';
import type { CnMarkdownEditor } from '../../../ui/markdown-editor/markdown-editor.js';
import type { LinkedItem } from '../../../ui/link-picker/link-picker.js';
import { findThreads } from '../../debates/public.js';
import { findDocuments } from '../../documents/public.js';
import type { ChecklistOption } from '../checklist.js';
import { kindLabel, organizableKinds } from '../meetings-format.js';
import type { MeetingDetail } from '../models.js';
import type { FormErrors, MeetingFormState } from './meeting-form-model.js';

/** Picked on the action items picker: open items of earlier meetings, to become agenda items. */
export type PickedItems = CustomEvent<{ items: Array<{ id: string; title: string; presenter: string }> }>;

/**
 * What the form's sections show and do: the form's state and its errors, and the page's actions
 * on it. The sections are pure views of it (rendered into the page, whose ids and labels they share).
 */
export interface FormView {
  state: MeetingFormState;
  errors: FormErrors;
  editing: boolean;
  meeting: MeetingDetail | null;
  meetingId: string;
  user: User | null;
  services: AppServices;
  /** Whom a meeting may invite by name, loaded once the writer chooses to name them. */
  people: Resource<Person[], readonly []>;
  update(changes: Partial<MeetingFormState>): void;
  /** A text, select or date control bound to the state field its name says. */
  onField(event: Event): void;
  loadPeople(): void;
  pullActionItems(event: PickedItems): void;
  rows: {
    addSlot(): void;
    removeSlot(key: number): void;
    changeSlot(key: number, changes: Partial<{ date: string; start: string; end: string }>): void;
    addItem(): void;
    removeItem(key: number): void;
    moveItem(index: number, step: number): void;
    changeItem(key: number, changes: Partial<{ title: string; presenter: string; minutes: string }>): void;
  };
}

/** What the meeting is: title, kind and description. */
export function renderAbout(v: FormView) {
  const s = v.state;
  const kinds = organizableKinds(v.user?.role);
  return html`
    <fieldset class="card">
      <legend>${msg('The meeting')}</legend>
      <cn-field>
        <label slot="label">${msg('Title')}</label>
        <input name="title" required maxlength="200" autocomplete="off" .value=${s.title} @input=${v.onField} />
        ${fieldError(v.errors.title)}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Kind of meeting')}</label>
        <select name="kind" @change=${v.onField}>
          ${(kinds.includes(s.kind) ? kinds : [s.kind, ...kinds]).map((kind) => html`<option value=${kind} ?selected=${kind === s.kind}>${kindLabel(kind)}</option>`)}
        </select>
        ${v.user?.role === 'secretariat' ? html`<span slot="hint">${msg('The secretariat organizes virtual workshops.')}</span>` : nothing}
      </cn-field>
      <cn-markdown-editor
        .label=${msg('Description (optional)')}
        .draftKey=${''}
        @input=${(event: Event) => v.update({ description: (event.target as CnMarkdownEditor).value })}
      ></cn-markdown-editor>
    </fieldset>
  `;
}

/** The agenda: items with presenter and duration, moved and removed, and open action items of earlier meetings taken in. */
export function renderAgenda(v: FormView) {
  const s = v.state;
  return html`
    <fieldset class="card">
      <legend>${msg('Agenda')}</legend>
      ${s.agenda.length === 0 ? html`<p class="muted">${msg('No item yet.')}</p>` : nothing}
      <ol class="rows" aria-label=${msg('Agenda items')}>
        ${repeat(
          s.agenda,
          (item) => item.key,
          (item, index) => html`<li>
            <div class="row-head">
              <span>${msg(str`Item ${index + 1}`)}</span>
              <div class="row-tools">
                <cn-button size="small" variant="quiet"
                  ><button type="button" aria-label=${msg(str`Move item ${index + 1} up`)} ?disabled=${index === 0} @click=${() => v.rows.moveItem(index, -1)}>↑</button></cn-button
                >
                <cn-button size="small" variant="quiet"
                  ><button type="button" aria-label=${msg(str`Move item ${index + 1} down`)} ?disabled=${index === s.agenda.length - 1} @click=${() => v.rows.moveItem(index, 1)}>↓</button></cn-button
                >
                <cn-button size="small" variant="quiet"
                  ><button type="button" aria-label=${msg(str`Remove item ${index + 1}`)} @click=${() => v.rows.removeItem(item.key)}>${msg('Remove')}</button></cn-button
                >
              </div>
            </div>
            <div class="agenda-fields">
              <cn-field>
                <label slot="label">${msg(str`Title of item ${index + 1}`)}</label>
                <input name=${`agenda-${item.key}`} maxlength="200" .value=${item.title} @input=${(e: Event) => v.rows.changeItem(item.key, { title: (e.target as HTMLInputElement).value })} />
                ${fieldError(v.errors[`agenda-${item.key}`])}
              </cn-field>
              <cn-field>
                <label slot="label">${msg('Presenter')} <span class="optional">${msg('(optional)')}</span></label>
                <input maxlength="200" .value=${item.presenter} @input=${(e: Event) => v.rows.changeItem(item.key, { presenter: (e.target as HTMLInputElement).value })} />
              </cn-field>
              <cn-field>
                <label slot="label">${msg('Duration (minutes)')}</label>
                <input type="number" min="0" max="600" inputmode="numeric" .value=${item.minutes} @input=${(e: Event) => v.rows.changeItem(item.key, { minutes: (e.target as HTMLInputElement).value })} />
              </cn-field>
            </div>
          </li>`,
        )}
      </ol>
      <div class="row">
        <cn-button size="small"><button type="button" ?disabled=${s.agenda.length >= 50} @click=${v.rows.addItem}>${msg('Add an agenda item')}</button></cn-button>
        <cn-action-items-picker .meetingId=${v.meetingId} @cn-pick=${v.pullActionItems}></cn-action-items-picker>
      </div>
    </fieldset>
  `;
}

/** How to join: the call's address and the access notes (where, for an in-person meeting). */
export function renderJoin(v: FormView) {
  const s = v.state;
  return html`
    <fieldset class="card">
      <legend>${s.kind === 'in_person_meeting' ? msg('Where and how to join') : msg('How to join')}</legend>
      <cn-field>
        <label slot="label">${msg('Online link')} <span class="optional">${msg('(optional)')}</span></label>
        <input type="url" name="onlineUrl" inputmode="url" autocomplete="off" placeholder="https://" maxlength="2000" .value=${s.onlineUrl} @input=${v.onField} />
        <span slot="hint">${msg('The https:// address of the call: Jitsi, Zoom, Teams…')}</span>
        ${fieldError(v.errors.onlineUrl)}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Access notes')} <span class="optional">${msg('(optional)')}</span></label>
        <textarea name="accessNotes" rows="3" maxlength="2000" .value=${s.accessNotes} @input=${v.onField}></textarea>
        <span slot="hint">${s.kind === 'in_person_meeting' ? msg('The address and how to get in.') : msg('Passcode, dial-in numbers, interpretation channels.')}</span>
      </cn-field>
    </fieldset>
  `;
}

/** Who is invited: everyone, or chosen countries, organizations and people. */
export function renderInvitees(v: FormView) {
  const s = v.state;
  const countries: ChecklistOption[] = [...v.services.countries]
    .sort((a, b) => compareText(countryName(a), countryName(b)))
    .map((country) => ({ value: country.id, label: countryName(country) }));
  const organizations: ChecklistOption[] = [...v.services.organizations]
    .sort((a, b) => compareText(organizationAcronym(a), organizationAcronym(b)))
    .map((o) => ({ value: o.id, label: organizationAcronym(o), detail: organizationName(o) }));
  const people = (list: Person[]): ChecklistOption[] =>
    list.map((person) => ({
      value: person.id,
      label: person.displayName,
      detail: person.countryId
        ? countryName(v.services.countries.find((c) => c.id === person.countryId))
        : organizationAcronym(v.services.organizations.find((o) => o.id === person.organizationId)),
    }));
  return html`
    <fieldset class="card">
      <legend>${msg('Invitees')}</legend>
      ${v.errors.invitees ? html`<p class="problem" role="alert">${v.errors.invitees}</p>` : nothing}
      <div class="choice-row">
        <label><input type="radio" name="everyone" .checked=${s.everyone} @change=${() => v.update({ everyone: true })} /> ${msg('Everyone in the group')}</label>
        <label
          ><input
            type="radio"
            name="everyone"
            .checked=${!s.everyone}
            @change=${() => {
              v.update({ everyone: false });
              v.loadPeople();
            }}
          />
          ${msg('Chosen countries, organizations and people')}</label
        >
      </div>
      ${s.everyone
        ? nothing
        : html`
            <cn-checklist .label=${msg('Countries')} .options=${countries} .values=${s.countryIds} @cn-checklist-change=${(e: CustomEvent<{ values: string[] }>) => v.update({ countryIds: e.detail.values })}></cn-checklist>
            <cn-checklist
              .label=${msg('Organizations')}
              .options=${organizations}
              .values=${s.organizationIds}
              @cn-checklist-change=${(e: CustomEvent<{ values: string[] }>) => v.update({ organizationIds: e.detail.values })}
            ></cn-checklist>
            ${v.people.render({
              loading: msg('Loading the people…'),
              inline: true,
              complete: (list) => html`<cn-checklist
                .label=${msg('People')}
                .options=${people(list)}
                .values=${s.personIds}
                @cn-checklist-change=${(e: CustomEvent<{ values: string[] }>) => v.update({ personIds: e.detail.values })}
              ></cn-checklist>`,
            })}
            <p class="small muted">${msg('Everyone in a chosen country or organization is invited, also those who join it later.')}</p>
          `}
    </fieldset>
  `;
}

/** The debates and library documents the meeting links to. */
export function renderLinks(v: FormView) {
  const s = v.state;
  return html`
    <fieldset class="card">
      <legend>${msg('Related debates and documents')}</legend>
      <cn-link-picker .label=${msg('Debates')} .searchLabel=${msg('Find a debate')} .placeholder=${msg('Find a debate by its words')} .find=${findThreads} .items=${s.threads} @cn-links-change=${(e: CustomEvent<{ items: LinkedItem[] }>) => v.update({ threads: e.detail.items })}></cn-link-picker>
      ${v.errors.threads ? html`<p class="problem">${v.errors.threads}</p>` : nothing}
      <cn-link-picker .label=${msg('Documents')} .searchLabel=${msg('Find a document')} .placeholder=${msg('Find a document by its title or words')} .find=${findDocuments} .items=${s.documents} @cn-links-change=${(e: CustomEvent<{ items: LinkedItem[] }>) => v.update({ documents: e.detail.items })}></cn-link-picker>
      ${v.errors.documents ? html`<p class="problem">${v.errors.documents}</p>` : nothing}
    </fieldset>
  `;
}
