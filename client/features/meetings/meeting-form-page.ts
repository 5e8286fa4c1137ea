import { css, html, nothing, type PropertyValues } from 'lit';
import { formatNumber } from '../../app/format.js';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { fieldsNeedAttention } from '../../app/forms.js';
import { compareText, countryName, organizationAcronym, organizationName } from '../../app/format.js';
import type { Person } from '../../app/models.js';
import { timeZoneOptions } from '../../app/time-zones.js';
import { fieldError } from '../../ui/field/field.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { drafts } from '../debates/debates-format.js';
import type { CnMarkdownEditor } from '../debates/markdown-editor.js';
import { peopleApi } from '../people/people-api.js';
import type { ChecklistOption } from './checklist.js';
import type { LinkedItem } from '../../ui/link-picker/link-picker.js';
import { findThreads } from '../debates/debates-api.js';
import { findDocuments } from '../documents/documents-api.js';
import { bodyFromForm, emptyForm, formFromMeeting, nextKey, parseDraft, weekOfMonth, type FormErrors, type MeetingFormState } from './meeting-form-model.js';
import { addDays, instantOf, viewerZone } from './meeting-time.js';
import { meetingPath, meetingsApi } from './meetings-api.js';
import { kindLabel, monthlyDay, organizableKinds } from './meetings-format.js';
import type { InvitedCountry, MeetingDetail, MeetingKind } from './models.js';

const draftKey = (meetingId: string) => (meetingId ? `concilia.meeting-form.edit.${meetingId}` : 'concilia.meeting-form.new');

/** Which control shows a server refusal that concerns one field. */
const ERROR_FIELDS: Record<string, string> = {
  invalid_times: 'start',
  schedule_or_poll: 'start',
  invalid_link: 'onlineUrl',
  invalid_time_zone: 'timeZone',
  unknown_invitee: 'invitees',
  no_invitees: 'invitees',
  unknown_thread: 'threads',
  unknown_document: 'documents',
  recurrence_mismatch: 'repeat',
};

function describeSaveError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'invalid_times':
      return msg('The end must come after the start, at most 24 hours later (7 days for an in-person meeting).');
    case 'schedule_or_poll':
      return msg('Give the meeting a date, or propose times in an availability poll.');
    case 'invalid_link':
      return msg('Enter the full https:// address of the call (Jitsi, Zoom, Teams…).');
    case 'invalid_time_zone':
      return msg('Choose a time zone from the list.');
    case 'unknown_invitee':
      return msg('One of the invitees is no longer in the group. Choose the invitees again.');
    case 'no_invitees':
      return msg('Choose who is invited: everyone, or at least one country, organization or person.');
    case 'unknown_thread':
      return msg('One of the linked debates no longer exists. Remove it and try again.');
    case 'unknown_document':
      return msg('One of the linked documents is not available any more. Remove it and try again.');
    case 'recurrence_mismatch':
      return msg('The first date does not fit the repetition: for "every month on the n-th weekday", the first date must be that weekday.');
    case 'meeting_cancelled':
      return msg('This meeting is cancelled and can no longer be changed.');
    case 'agenda_full':
      return msg('The agenda holds at most 50 items.');
    case 'forbidden':
      return msg('You may not organize this kind of meeting. The secretariat organizes virtual workshops.');
    default:
      return describeError(error);
  }
}

/**
 * Creates or edits a meeting: what and of which kind, when (a date, maybe repeating, or an
 * availability poll of proposed times, all typed in the meeting's own zone with a preview in the
 * reader's zone and the invited capitals), the agenda, how to join, who is invited and what it
 * links to. Nothing typed is lost: the whole form is kept on this device until it is saved.
 */
export class CnMeetingFormPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      form.meeting {
        max-inline-size: 54rem;
      }

      fieldset.card {
        padding: var(--cn-space-5);
      }

      fieldset.card > legend {
        float: left;
        inline-size: 100%;
        font-size: 1.15rem;
      }

      fieldset.card > legend + * {
        clear: both;
      }

      input,
      select,
      textarea {
        font: inherit;
      }

      .three {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: var(--cn-space-3);
        align-items: start;
      }

      .choice-row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2) var(--cn-space-5);
      }

      .choice-row label {
        display: inline-flex;
        gap: var(--cn-space-2);
        align-items: center;
        min-block-size: 2.25rem;
        cursor: pointer;
      }

      .rows {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-3);
      }

      .rows > li {
        display: grid;
        gap: var(--cn-space-2);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-3);
        background: var(--cn-color-bg);
      }

      .row-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: var(--cn-space-2);
        font-weight: 600;
      }

      .row-tools {
        display: flex;
        gap: var(--cn-space-1);
      }

      .agenda-fields {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr) minmax(6rem, 1fr);
        gap: var(--cn-space-3);
      }

      .preview {
        border-inline-start: 3px solid var(--cn-color-primary);
        padding-inline-start: var(--cn-space-3);
      }

      .preview-label {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        margin-block-end: var(--cn-space-1);
      }

      .problem {
        color: var(--cn-color-danger-strong);
        font-size: 0.875rem;
        font-weight: 600;
      }

      .draft {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-3);
        align-items: center;
      }

      .sticky-actions {
        position: sticky;
        inset-block-end: 0;
        background: var(--cn-color-bg);
        padding-block: var(--cn-space-3);
        border-block-start: 1px solid var(--cn-color-border);
      }

      @media (max-width: 640px) {
        .three,
        .agenda-fields {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  static override properties = {
    meetingId: {},
    search: {},
    state: { state: true },
    meeting: { state: true },
    phase: { state: true },
    loadError: { state: true },
    errors: { state: true },
    message: { state: true },
    saving: { state: true },
    restored: { state: true },
    people: { state: true },
  };

  /** Empty for a new meeting; the meeting's id on /meetings/:id/edit. */
  declare meetingId: string;
  declare search: string;
  declare private state: MeetingFormState;
  declare private meeting: MeetingDetail | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private errors: FormErrors;
  declare private message: string;
  declare private saving: boolean;
  declare private restored: boolean;
  declare private people: Person[] | null;

  private draftTimer: number | undefined;
  private loadedFor: string | null = null;
  /** The poll as loaded (times and deadline), to send it back only when it changed. */
  private originalPoll = '';
  private peopleRequested = false;

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.state = emptyForm('UTC', 'virtual_meeting');
    this.meeting = null;
    this.phase = 'loading';
    this.loadError = null;
    this.errors = {};
    this.message = '';
    this.saving = false;
    this.restored = false;
    this.people = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.draftTimer !== undefined) this.writeDraft();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('meetingId') || this.loadedFor === null) && this.loadedFor !== this.meetingId && this.user) void this.load();
  }

  private get editing() {
    return Boolean(this.meetingId);
  }

  private async load() {
    const id = this.meetingId;
    this.loadedFor = id;
    this.phase = 'loading';
    try {
      let base: MeetingFormState;
      if (id) {
        const meeting = await meetingsApi.get(id);
        const poll = meeting.status === 'polling' ? await meetingsApi.poll(id) : null;
        if (this.meetingId !== id) return;
        this.meeting = meeting;
        this.originalPoll = poll ? pollKey([...poll.slots].sort((a, b) => a.position - b.position), poll.deadline) : '';
        base = formFromMeeting(meeting, poll);
      } else {
        const requested = new URLSearchParams(this.search).get('kind') as MeetingKind | null;
        const kinds = organizableKinds(this.user?.role);
        base = emptyForm(viewerZone(this.user), requested && kinds.includes(requested) ? requested : kinds[0]!);
      }
      const draft = parseDraft(drafts.read(draftKey(id)), base);
      this.state = draft ?? base;
      this.restored = draft !== null;
      this.phase = 'ready';
      if (!this.state.everyone) void this.loadPeople();
      await this.updateComplete;
      this.renderRoot.querySelector<CnMarkdownEditor>('cn-markdown-editor')?.setInitial(this.state.description);
    } catch (error) {
      this.loadError = error;
      this.phase = 'failed';
    }
  }

  private async loadPeople() {
    if (this.peopleRequested) return;
    this.peopleRequested = true;
    try {
      const directory = await peopleApi.directory();
      const people = [
        ...directory.countries.flatMap((c) => [...(c.focalPoint ? [c.focalPoint] : []), ...c.alternates]),
        ...directory.organizations.flatMap((o) => o.people),
        ...directory.others,
      ];
      this.people = people.sort((a, b) => compareText(a.displayName, b.displayName));
    } catch (error) {
      this.peopleRequested = false;
      this.people = [];
      this.services.toast(describeError(error), 'error');
    }
  }

  // ---- state -----------------------------------------------------------------------------

  private update_(changes: Partial<MeetingFormState>) {
    this.state = { ...this.state, ...changes };
    // A field changed is no longer in error (the invitees' problem goes with any invitee choice).
    for (const key of Object.keys(changes)) {
      const field = ['everyone', 'countryIds', 'organizationIds', 'personIds'].includes(key) ? 'invitees' : key;
      if (this.errors[field]) this.errors = { ...this.errors, [field]: '' };
    }
    window.clearTimeout(this.draftTimer);
    this.draftTimer = window.setTimeout(() => this.writeDraft(), 400);
  }

  private writeDraft() {
    window.clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    if (this.phase === 'ready') drafts.write(draftKey(this.meetingId), JSON.stringify(this.state));
  }

  private discardDraft() {
    drafts.clear(draftKey(this.meetingId));
    this.restored = false;
    this.loadedFor = null;
    void this.load();
  }

  /** A text, select or date control bound to one field of the state. */
  private onField(event: Event) {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    this.update_({ [target.name]: target.value } as Partial<MeetingFormState>);
  }

  // ---- rendering -------------------------------------------------------------------------

  protected override render() {
    const back = this.editing
      ? html`<p class="small"><a href=${meetingPath(this.meetingId)}>${msg('← Back to the meeting')}</a></p>`
      : html`<p class="small"><a href="/meetings">${msg('← All meetings')}</a></p>`;
    const title = this.editing ? msg('Edit the meeting') : msg('New meeting');
    if (this.phase === 'loading') {
      return html`${back}
        <h1 tabindex="-1">${title}</h1>
        <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading…')}</div>`;
    }
    if (this.phase === 'failed') {
      return html`${back}
        <h1 tabindex="-1">${title}</h1>
        <div class="alert alert-error stack" role="alert">
          <p>${describeError(this.loadError)}</p>
          <div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
        </div>`;
    }
    if (this.meeting && !this.meeting.mayManage) {
      return html`${back}
        <h1 tabindex="-1">${title}</h1>
        <p class="alert alert-error" role="alert">${msg('Only the organizers of this meeting may change it.')}</p>`;
    }
    if (this.meeting?.status === 'cancelled') {
      return html`${back}
        <h1 tabindex="-1">${title}</h1>
        <p class="alert alert-info">${msg('This meeting is cancelled and can no longer be changed.')}</p>`;
    }
    return html`
      ${back}
      <div class="page-header">
        <h1 tabindex="-1">${title}</h1>
        <p class="lead">
          ${this.editing
            ? msg('Invitees are told what changed; calendars update on their next refresh.')
            : msg('Give the meeting a date, or let the invitees choose among proposed times.')}
        </p>
      </div>
      ${this.restored
        ? html`<div class="alert alert-info draft" role="status">
            <span>${msg('Your unsaved changes on this device were restored.')}</span>
            <cn-button size="small" variant="quiet"><button type="button" @click=${this.discardDraft}>${msg('Discard them')}</button></cn-button>
          </div>`
        : nothing}
      <form
        class="meeting stack-lg"
        novalidate
        aria-label=${title}
        @submit=${this.submit}
        @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}
      >
        ${this.message ? html`<div class="alert alert-error" role="alert">${this.message}</div>` : nothing}
        ${this.renderAbout()} ${this.renderWhen()} ${this.renderAgenda()} ${this.renderJoin()} ${this.renderInvitees()} ${this.renderLinks()}
        <div class="form-actions sticky-actions">
          <cn-button variant="primary" ?loading=${this.saving}>
            <button type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
              ${this.saving ? msg('Saving…') : this.editing ? msg('Save the changes') : this.state.schedule === 'poll' ? msg('Create and open the poll') : msg('Create the meeting')}
            </button>
          </cn-button>
          <span class="small muted">${msg('Kept on this device until saved.')}</span>
        </div>
      </form>
    `;
  }

  private renderAbout() {
    const s = this.state;
    const kinds = organizableKinds(this.user?.role);
    return html`
      <fieldset class="card">
        <legend>${msg('The meeting')}</legend>
        <cn-field>
          <label slot="label">${msg('Title')}</label>
          <input name="title" required maxlength="200" autocomplete="off" .value=${s.title} @input=${this.onField} />
          ${fieldError(this.errors.title)}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Kind of meeting')}</label>
          <select name="kind" @change=${this.onField}>
            ${(kinds.includes(s.kind) ? kinds : [s.kind, ...kinds]).map((kind) => html`<option value=${kind} ?selected=${kind === s.kind}>${kindLabel(kind)}</option>`)}
          </select>
          ${this.user?.role === 'secretariat' ? html`<span slot="hint">${msg('The secretariat organizes virtual workshops.')}</span>` : nothing}
        </cn-field>
        <cn-markdown-editor
          .label=${msg('Description (optional)')}
          .draftKey=${''}
          @input=${(event: Event) => this.update_({ description: (event.target as CnMarkdownEditor).value })}
        ></cn-markdown-editor>
      </fieldset>
    `;
  }

  private renderWhen() {
    const s = this.state;
    const pollAllowed = !this.editing || this.meeting?.status === 'polling';
    const fixedAllowed = !this.editing || this.meeting?.status !== 'polling';
    return html`
      <fieldset class="card">
        <legend>${msg('When')}</legend>
        <cn-field>
          <label slot="label">${msg('Time zone of the meeting')}</label>
          <select name="timeZone" @change=${this.onField}>${timeZoneOptions(s.timeZone)}</select>
          <span slot="hint">${msg('Dates and times below are in this zone; repetitions keep its local time across clock changes.')}</span>
          ${fieldError(this.errors.timeZone)}
        </cn-field>
        ${pollAllowed && fixedAllowed
          ? html`<fieldset>
              <legend class="visually-hidden">${msg('How the date is set')}</legend>
              <div class="choice-row">
                <label><input type="radio" name="schedule" value="fixed" .checked=${s.schedule === 'fixed'} @change=${() => this.update_({ schedule: 'fixed' })} /> ${msg('I set the date')}</label>
                <label><input type="radio" name="schedule" value="poll" .checked=${s.schedule === 'poll'} @change=${() => this.update_({ schedule: 'poll' })} /> ${msg('Invitees choose among proposed times (availability poll)')}</label>
              </div>
            </fieldset>`
          : nothing}
        ${s.schedule === 'fixed' ? this.renderFixed() : this.renderSlots()}
      </fieldset>
    `;
  }

  private renderFixed() {
    const s = this.state;
    const inPerson = s.kind === 'in_person_meeting';
    const week = s.date ? weekOfMonth(s.date) : null;
    const startInstant = s.date ? instantOf(s.date, s.start, s.timeZone) : null;
    const startIso = startInstant && 'iso' in startInstant ? startInstant.iso : '';
    return html`
      <div class="three">
        <cn-field>
          <label slot="label">${msg('Date')}</label>
          <input type="date" name="date" required .value=${s.date} @input=${this.onField} />
          ${fieldError(this.errors.date)}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Starts at')}</label>
          <input type="time" name="start" required .value=${s.start} @input=${this.onField} />
          ${fieldError(this.errors.start)}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Ends at')}</label>
          <input type="time" name="end" required .value=${s.end} @input=${this.onField} />
          ${fieldError(this.errors.end)}
        </cn-field>
        ${inPerson
          ? html`<cn-field>
              <label slot="label">${msg('Last day')} <span class="optional">${msg('(if it lasts several days)')}</span></label>
              <input type="date" name="endDate" .value=${s.endDate} min=${s.date} @input=${this.onField} />
            </cn-field>`
          : nothing}
      </div>
      ${this.renderPreview(s.date, s.start, s.end, inPerson ? s.endDate : '')}
      <div class="three">
        <cn-field>
          <label slot="label">${msg('Repeat')}</label>
          <select name="repeat" @change=${this.onField}>
            <option value="none" ?selected=${s.repeat === 'none'}>${msg('Does not repeat')}</option>
            <option value="weekly" ?selected=${s.repeat === 'weekly'}>${msg('Weekly')}</option>
            <option value="monthly" ?selected=${s.repeat === 'monthly'}>${msg('Monthly, on a weekday')}</option>
          </select>
          ${fieldError(this.errors.repeat)}
        </cn-field>
        ${s.repeat !== 'none'
          ? html`<cn-field>
                <label slot="label">${s.repeat === 'weekly' ? msg('Every how many weeks') : msg('Every how many months')}</label>
                <input type="number" name="interval" min="1" max="12" inputmode="numeric" .value=${s.interval} @input=${this.onField} />
                ${fieldError(this.errors.interval)}
              </cn-field>
              <cn-field>
                <label slot="label">${msg('Number of occurrences')}</label>
                <input type="number" name="count" min="2" max="100" inputmode="numeric" .value=${s.count} @input=${this.onField} />
                ${fieldError(this.errors.count)}
              </cn-field>`
          : nothing}
        ${s.repeat === 'monthly'
          ? html`<cn-field>
              <label slot="label">${msg('Day of the month')}</label>
              <select name="monthlyWeek" @change=${this.onField}>
                <option value="" ?selected=${!s.monthlyWeek}>${msg('Choose…')}</option>
                ${week && week.week <= 4 && startIso
                  ? html`<option value=${String(week.week)} ?selected=${s.monthlyWeek === String(week.week)}>${monthlyDay(week.week as 1 | 2 | 3 | 4, startIso, s.timeZone)}</option>`
                  : nothing}
                ${week?.last && startIso ? html`<option value="-1" ?selected=${s.monthlyWeek === '-1'}>${monthlyDay(-1, startIso, s.timeZone)}</option>` : nothing}
              </select>
              <span slot="hint">${msg('Taken from the date above.')}</span>
              ${fieldError(this.errors.monthlyWeek)}
            </cn-field>`
          : nothing}
      </div>
    `;
  }

  private renderSlots() {
    const s = this.state;
    return html`
      <p class="small muted">${msg('Propose two or more times. Invitees answer each with yes, if need be, or no; you then choose one, which schedules the meeting.')}</p>
      ${this.errors.slots ? html`<p class="problem" role="alert">${this.errors.slots}</p>` : nothing}
      <ol class="rows" aria-label=${msg('Proposed times')}>
        ${repeat(
          s.slots,
          (slot) => slot.key,
          (slot, index) => html`<li>
            <div class="row-head">
              <span>${msg(str`Option ${index + 1}`)}</span>
              <div class="row-tools">
                <cn-button size="small" variant="quiet">
                  <button type="button" aria-label=${msg(str`Remove option ${index + 1}`)} ?disabled=${s.slots.length <= 2} @click=${() => this.removeSlot(slot.key)}>${msg('Remove')}</button>
                </cn-button>
              </div>
            </div>
            <div class="three">
              <cn-field>
                <label slot="label">${msg(str`Date of option ${index + 1}`)}</label>
                <input type="date" name=${`slot-${slot.key}`} .value=${slot.date} @input=${(e: Event) => this.changeSlot(slot.key, { date: (e.target as HTMLInputElement).value })} />
                ${fieldError(this.errors[`slot-${slot.key}`])}
              </cn-field>
              <cn-field>
                <label slot="label">${msg(str`Start of option ${index + 1}`)}</label>
                <input type="time" .value=${slot.start} @input=${(e: Event) => this.changeSlot(slot.key, { start: (e.target as HTMLInputElement).value })} />
              </cn-field>
              <cn-field>
                <label slot="label">${msg(str`End of option ${index + 1}`)}</label>
                <input type="time" .value=${slot.end} @input=${(e: Event) => this.changeSlot(slot.key, { end: (e.target as HTMLInputElement).value })} />
              </cn-field>
            </div>
            ${this.renderPreview(slot.date, slot.start, slot.end, '')}
          </li>`,
        )}
      </ol>
      <div>
        <cn-button size="small"><button type="button" ?disabled=${s.slots.length >= 30} @click=${this.addSlot}>${msg('Propose another time')}</button></cn-button>
      </div>
      <div class="three">
        <cn-field>
          <label slot="label">${msg('Answer by (date)')} <span class="optional">${msg('(optional)')}</span></label>
          <input type="date" name="deadlineDate" .value=${s.deadlineDate} @input=${this.onField} />
          <span slot="hint">${msg('Those who have not answered are reminded before it.')}</span>
          ${fieldError(this.errors.deadline)}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Answer by (time)')}</label>
          <input type="time" name="deadlineTime" .value=${s.deadlineTime} @input=${this.onField} />
        </cn-field>
      </div>
    `;
  }

  /** The typed time as the reader and the invited capitals will see it. */
  private renderPreview(date: string, start: string, end: string, endDate: string) {
    if (!date || !start || !end) return nothing;
    const zone = this.state.timeZone;
    const from = instantOf(date, start, zone);
    if ('problem' in from) {
      return html`<p class="problem">
        ${from.problem === 'nonexistent' ? msg('This time does not exist in the chosen time zone: the clocks skip it that day. Choose another time.') : nothing}
      </p>`;
    }
    let to = instantOf(endDate || date, end, zone);
    if ('iso' in to && !endDate && to.iso <= from.iso) to = instantOf(addDays(date, 1), end, zone);
    if ('problem' in to) return nothing;
    return html`<div class="preview">
      <p class="preview-label">${msg('As the invitees will see it:')}</p>
      <cn-meeting-times .startsAt=${from.iso} .endsAt=${to.iso} .organizerZone=${zone} .countries=${this.previewCountries()}></cn-meeting-times>
    </div>`;
  }

  /** The chosen countries with their capitals, for the preview's row of local times. */
  private previewCountries(): InvitedCountry[] {
    if (this.state.everyone) return [];
    const chosen = new Set(this.state.countryIds);
    return this.services.countries
      .filter((country) => chosen.has(country.id))
      .map((country) => ({
        id: country.id,
        iso2: country.iso2,
        nameEs: country.nameEs,
        nameEn: country.nameEn,
        capitalEs: country.capitalEs,
        capitalEn: country.capitalEn,
        timeZone: country.timeZone,
      }))
      .sort((a, b) => a.nameEs.localeCompare(b.nameEs, 'es'));
  }

  private renderAgenda() {
    const s = this.state;
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
                    ><button type="button" aria-label=${msg(str`Move item ${index + 1} up`)} ?disabled=${index === 0} @click=${() => this.moveItem(index, -1)}>↑</button></cn-button
                  >
                  <cn-button size="small" variant="quiet"
                    ><button type="button" aria-label=${msg(str`Move item ${index + 1} down`)} ?disabled=${index === s.agenda.length - 1} @click=${() => this.moveItem(index, 1)}>↓</button></cn-button
                  >
                  <cn-button size="small" variant="quiet"
                    ><button type="button" aria-label=${msg(str`Remove item ${index + 1}`)} @click=${() => this.removeItem(item.key)}>${msg('Remove')}</button></cn-button
                  >
                </div>
              </div>
              <div class="agenda-fields">
                <cn-field>
                  <label slot="label">${msg(str`Title of item ${index + 1}`)}</label>
                  <input name=${`agenda-${item.key}`} maxlength="200" .value=${item.title} @input=${(e: Event) => this.changeItem(item.key, { title: (e.target as HTMLInputElement).value })} />
                  ${fieldError(this.errors[`agenda-${item.key}`])}
                </cn-field>
                <cn-field>
                  <label slot="label">${msg('Presenter')} <span class="optional">${msg('(optional)')}</span></label>
                  <input maxlength="200" .value=${item.presenter} @input=${(e: Event) => this.changeItem(item.key, { presenter: (e.target as HTMLInputElement).value })} />
                </cn-field>
                <cn-field>
                  <label slot="label">${msg('Duration (minutes)')}</label>
                  <input type="number" min="0" max="600" inputmode="numeric" .value=${item.minutes} @input=${(e: Event) => this.changeItem(item.key, { minutes: (e.target as HTMLInputElement).value })} />
                </cn-field>
              </div>
            </li>`,
          )}
        </ol>
        <div class="row">
          <cn-button size="small"><button type="button" ?disabled=${s.agenda.length >= 50} @click=${this.addItem}>${msg('Add an agenda item')}</button></cn-button>
          <cn-action-items-picker .meetingId=${this.meetingId} @cn-pick=${this.pullActionItems}></cn-action-items-picker>
        </div>
      </fieldset>
    `;
  }

  private renderJoin() {
    const s = this.state;
    return html`
      <fieldset class="card">
        <legend>${s.kind === 'in_person_meeting' ? msg('Where and how to join') : msg('How to join')}</legend>
        <cn-field>
          <label slot="label">${msg('Online link')} <span class="optional">${msg('(optional)')}</span></label>
          <input type="url" name="onlineUrl" inputmode="url" autocomplete="off" placeholder="https://" maxlength="2000" .value=${s.onlineUrl} @input=${this.onField} />
          <span slot="hint">${msg('The https:// address of the call: Jitsi, Zoom, Teams…')}</span>
          ${fieldError(this.errors.onlineUrl)}
        </cn-field>
        <cn-field>
          <label slot="label">${msg('Access notes')} <span class="optional">${msg('(optional)')}</span></label>
          <textarea name="accessNotes" rows="3" maxlength="2000" .value=${s.accessNotes} @input=${this.onField}></textarea>
          <span slot="hint">${s.kind === 'in_person_meeting' ? msg('The address and how to get in.') : msg('Passcode, dial-in numbers, interpretation channels.')}</span>
        </cn-field>
      </fieldset>
    `;
  }

  private renderInvitees() {
    const s = this.state;
    const countries: ChecklistOption[] = [...this.services.countries]
      .sort((a, b) => compareText(countryName(a), countryName(b)))
      .map((country) => ({ value: country.id, label: countryName(country) }));
    const organizations: ChecklistOption[] = [...this.services.organizations]
      .sort((a, b) => compareText(organizationAcronym(a), organizationAcronym(b)))
      .map((o) => ({ value: o.id, label: organizationAcronym(o), detail: organizationName(o) }));
    const people: ChecklistOption[] = (this.people ?? []).map((person) => ({
      value: person.id,
      label: person.displayName,
      detail: person.countryId
        ? countryName(this.services.countries.find((c) => c.id === person.countryId))
        : organizationAcronym(this.services.organizations.find((o) => o.id === person.organizationId)),
    }));
    return html`
      <fieldset class="card">
        <legend>${msg('Invitees')}</legend>
        ${this.errors.invitees ? html`<p class="problem" role="alert">${this.errors.invitees}</p>` : nothing}
        <div class="choice-row">
          <label><input type="radio" name="everyone" .checked=${s.everyone} @change=${() => this.update_({ everyone: true })} /> ${msg('Everyone in the group')}</label>
          <label
            ><input
              type="radio"
              name="everyone"
              .checked=${!s.everyone}
              @change=${() => {
                this.update_({ everyone: false });
                void this.loadPeople();
              }}
            />
            ${msg('Chosen countries, organizations and people')}</label
          >
        </div>
        ${s.everyone
          ? nothing
          : html`
              <cn-checklist .label=${msg('Countries')} .options=${countries} .values=${s.countryIds} @cn-change=${(e: CustomEvent<{ values: string[] }>) => this.update_({ countryIds: e.detail.values })}></cn-checklist>
              <cn-checklist
                .label=${msg('Organizations')}
                .options=${organizations}
                .values=${s.organizationIds}
                @cn-change=${(e: CustomEvent<{ values: string[] }>) => this.update_({ organizationIds: e.detail.values })}
              ></cn-checklist>
              ${this.people === null
                ? html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the people…')}</p>`
                : html`<cn-checklist
                    .label=${msg('People')}
                    .options=${people}
                    .values=${s.personIds}
                    @cn-change=${(e: CustomEvent<{ values: string[] }>) => this.update_({ personIds: e.detail.values })}
                  ></cn-checklist>`}
              <p class="small muted">${msg('Everyone in a chosen country or organization is invited, also those who join it later.')}</p>
            `}
      </fieldset>
    `;
  }

  private renderLinks() {
    const s = this.state;
    return html`
      <fieldset class="card">
        <legend>${msg('Related debates and documents')}</legend>
        <cn-link-picker .label=${msg('Debates')} .searchLabel=${msg('Find a debate')} .placeholder=${msg('Find a debate by its words')} .find=${findThreads} .items=${s.threads} @cn-change=${(e: CustomEvent<{ items: LinkedItem[] }>) => this.update_({ threads: e.detail.items })}></cn-link-picker>
        ${this.errors.threads ? html`<p class="problem">${this.errors.threads}</p>` : nothing}
        <cn-link-picker .label=${msg('Documents')} .searchLabel=${msg('Find a document')} .placeholder=${msg('Find a document by its title or words')} .find=${findDocuments} .items=${s.documents} @cn-change=${(e: CustomEvent<{ items: LinkedItem[] }>) => this.update_({ documents: e.detail.items })}></cn-link-picker>
        ${this.errors.documents ? html`<p class="problem">${this.errors.documents}</p>` : nothing}
      </fieldset>
    `;
  }

  // ---- rows -------------------------------------------------------------------------------

  private addSlot() {
    const last = this.state.slots.at(-1);
    this.update_({ slots: [...this.state.slots, { key: nextKey(), date: last?.date ?? '', start: last?.start ?? '10:00', end: last?.end ?? '11:30' }] });
    void this.updateComplete.then(() => {
      const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('ol.rows input[type="date"]');
      inputs[inputs.length - 1]?.focus();
    });
  }

  private removeSlot(key: number) {
    if (this.state.slots.length <= 2) return;
    this.update_({ slots: this.state.slots.filter((slot) => slot.key !== key) });
  }

  private changeSlot(key: number, changes: Partial<{ date: string; start: string; end: string }>) {
    if (this.errors[`slot-${key}`]) this.errors = { ...this.errors, [`slot-${key}`]: '' };
    this.update_({ slots: this.state.slots.map((slot) => (slot.key === key ? { ...slot, ...changes } : slot)) });
  }

  private addItem() {
    this.update_({ agenda: [...this.state.agenda, { key: nextKey(), title: '', presenter: '', minutes: '' }] });
    void this.updateComplete.then(() => {
      const key = this.state.agenda.at(-1)?.key;
      this.renderRoot.querySelector<HTMLInputElement>(`input[name="agenda-${key}"]`)?.focus();
    });
  }

  private removeItem(key: number) {
    this.update_({ agenda: this.state.agenda.filter((item) => item.key !== key) });
  }

  private moveItem(index: number, step: number) {
    const agenda = [...this.state.agenda];
    const [item] = agenda.splice(index, 1);
    if (!item) return;
    agenda.splice(index + step, 0, item);
    this.update_({ agenda });
    void this.updateComplete.then(() => {
      const target = this.renderRoot.querySelector<HTMLInputElement>(`input[name="agenda-${item.key}"]`);
      target?.focus();
    });
  }

  private changeItem(key: number, changes: Partial<{ title: string; presenter: string; minutes: string }>) {
    if (this.errors[`agenda-${key}`]) this.errors = { ...this.errors, [`agenda-${key}`]: '' };
    this.update_({ agenda: this.state.agenda.map((item) => (item.key === key ? { ...item, ...changes } : item)) });
  }

  /**
   * Open action items of earlier meetings become agenda items. On an existing meeting the server
   * takes them in (so the items know where they were taken up); on a new one they are added here
   * and saved with the meeting.
   */
  private async pullActionItems(event: CustomEvent<{ items: Array<{ id: string; title: string; presenter: string }> }>) {
    const picked = event.detail.items;
    if (picked.length === 0) return;
    let added: MeetingFormState['agenda'];
    if (this.meeting) {
      try {
        const result = await meetingsApi.pullActionItems(this.meeting.id, picked.map((item) => item.id));
        const ids = new Set(result.added.map((entry) => entry.agendaItemId));
        const known = new Set(this.state.agenda.map((item) => item.id));
        added = result.agenda
          .filter((item) => ids.has(item.id) && !known.has(item.id))
          .map((item) => ({ key: nextKey(), id: item.id, title: item.title, presenter: item.presenter, minutes: item.minutes ? String(item.minutes) : '' }));
      } catch (error) {
        this.message = describeSaveError(error);
        return;
      }
    } else {
      added = picked.map((item) => ({ key: nextKey(), title: item.title, presenter: item.presenter, minutes: '10' }));
    }
    if (added.length === 0) {
      this.services.toast(msg('These action items are already on the agenda.'), 'info');
      return;
    }
    this.update_({ agenda: [...this.state.agenda, ...added].slice(0, 50) });
    this.services.toast(plural(added.length, { one: msg(str`${formatNumber(added.length)} action item added to the agenda.`, { id: 'action-items-added.one' }), other: msg(str`${formatNumber(added.length)} action items added to the agenda.`, { id: 'action-items-added.other' }) }), 'success');
  }

  // ---- saving -----------------------------------------------------------------------------

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.saving) return;
    this.message = '';
    const result = bodyFromForm(this.state, { editing: this.editing });
    if ('errors' in result) {
      this.errors = result.errors;
      const count = Object.values(result.errors).filter(Boolean).length;
      this.message = fieldsNeedAttention(count);
      await this.focusFirstProblem();
      return;
    }
    this.errors = {};
    this.saving = true;
    try {
      let meeting: MeetingDetail;
      if (this.meeting) {
        const { poll, ...body } = result.body;
        void poll;
        const fields = this.meeting.status === 'polling' ? withoutTimes(body) : body;
        meeting = await meetingsApi.update(this.meeting.id, fields);
        // The poll's own route, only when its times or deadline changed (each change is told to the invitees).
        if (this.meeting.status === 'polling' && result.poll && pollKey(result.poll.slots, result.poll.deadline ?? null) !== this.originalPoll) {
          await meetingsApi.changePoll(this.meeting.id, { slots: result.poll.slots, deadline: result.poll.deadline ?? null });
        }
      } else {
        meeting = await meetingsApi.create(result.body);
      }
      window.clearTimeout(this.draftTimer);
      this.draftTimer = undefined;
      drafts.clear(draftKey(this.meetingId));
      this.services.toast(this.editing ? msg('The meeting was saved. The invitees are told what changed.') : msg('The meeting was created. The invitees are told.'), 'success');
      this.services.navigate(meetingPath(meeting.id));
    } catch (error) {
      const field = isApiError(error) ? ERROR_FIELDS[error.code] : undefined;
      this.message = describeSaveError(error);
      if (field) this.errors = { ...this.errors, [field]: this.message };
      await this.focusFirstProblem();
    } finally {
      this.saving = false;
    }
  }

  private async focusFirstProblem() {
    await this.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
    const root = this.renderRoot;
    const invalid = root.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root.querySelector<HTMLElement>('.problem') ?? root.querySelector<HTMLElement>('[role="alert"]');
    if (invalid instanceof HTMLInputElement || invalid instanceof HTMLSelectElement || invalid instanceof HTMLTextAreaElement) invalid.focus();
    else {
      invalid?.setAttribute('tabindex', '-1');
      invalid?.focus();
    }
    invalid?.scrollIntoView({ block: 'center' });
  }
}

/** A poll's times and deadline as one comparable value (instants compared as times, not as spelled). */
function pollKey(slots: ReadonlyArray<{ startsAt: string; endsAt: string }>, deadline: string | null): string {
  const time = (iso: string) => new Date(iso).getTime();
  return JSON.stringify({ slots: slots.map((slot) => [time(slot.startsAt), time(slot.endsAt)]), deadline: deadline ? time(deadline) : null });
}

/** The fields of a meeting still polling: its time comes from the poll, changed through its own route. */
function withoutTimes<T extends { startsAt?: string; endsAt?: string; recurrence?: unknown }>(body: T): Omit<T, 'startsAt' | 'endsAt' | 'recurrence'> {
  const { startsAt, endsAt, recurrence, ...rest } = body;
  void startsAt;
  void endsAt;
  void recurrence;
  return rest;
}
