import { html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { AppElement } from '../../../app/base-element.js';
import { compareText, formatNumber } from '../../../app/format.js';
import { fieldsNeedAttention } from '../../../app/forms.js';
import type { Person } from '../../../app/models.js';
import { plural } from '../../../app/plural.js';
import { DraftController } from '../../../controllers/draft-controller.js';
import { Resource } from '../../../controllers/resource.js';
import type { CnMarkdownEditor } from '../../../ui/markdown-editor/markdown-editor.js';
import { baseStyles, pageStyles } from '../../../ui/styles/shared.styles.js';
import { peopleApi } from '../../people/public.js';
import { viewerZone } from '../meeting-time.js';
import { meetingPath, meetingsApi } from '../meetings-api.js';
import { organizableKinds } from '../meetings-format.js';
import type { MeetingDetail, MeetingKind } from '../models.js';
import { describeSaveError, ERROR_FIELDS, pollKey, withoutTimes } from './form-saving.js';
import { renderAbout, renderAgenda, renderInvitees, renderJoin, renderLinks, type FormView, type PickedItems } from './form-sections.js';
import { renderWhen } from './form-when.js';
import { meetingFormStyles } from './meeting-form.styles.js';
import { bodyFromForm, emptyForm, formFromMeeting, nextKey, parseDraft, type FormErrors, type MeetingFormState } from './meeting-form-model.js';

const draftKey = (meetingId: string) => (meetingId ? `concilia.meeting-form.edit.${meetingId}` : 'concilia.meeting-form.new');

/** What the form starts from: the meeting edited (with its poll, as loaded) or a new one. */
interface Loaded {
  meeting: MeetingDetail | null;
  base: MeetingFormState;
  /** The poll as loaded (times and deadline), to send it back only when it changed. */
  originalPoll: string;
}

/**
 * Creates or edits a meeting: what and of which kind, when (a date, maybe repeating, or an
 * availability poll of proposed times, all typed in the meeting's own zone with a preview in the
 * reader's zone and the invited capitals), the agenda, how to join, who is invited and what it
 * links to. Nothing typed is lost: the whole form is kept on this device until it is saved
 * (DraftController). The sections are views in form-sections.ts and form-when.ts; this element
 * holds the state, loads, and saves.
 */
export class CnMeetingFormPage extends AppElement {
  static override styles = [baseStyles, pageStyles, meetingFormStyles];

  static override properties = {
    meetingId: {},
    search: {},
    state: { state: true },
    errors: { state: true },
    message: { state: true },
    saving: { state: true },
    restored: { state: true },
  };

  /** Empty for a new meeting; the meeting's id on /meetings/:id/edit. */
  declare meetingId: string;
  declare search: string;
  declare private state: MeetingFormState;
  declare private errors: FormErrors;
  declare private message: string;
  declare private saving: boolean;
  declare private restored: boolean;

  /** The description editor takes the loaded text once it is rendered. */
  private descriptionPending = false;

  private readonly draft = new DraftController<MeetingFormState>(this, { key: () => draftKey(this.meetingId) });

  private readonly loaded = new Resource<Loaded, readonly [string, string]>(this, {
    // The role decides which kinds a new meeting may take.
    args: () => [this.meetingId, this.user?.role ?? ''] as const,
    load: async ([id], signal) => {
      if (!id) {
        const requested = new URLSearchParams(this.search).get('kind') as MeetingKind | null;
        const kinds = organizableKinds(this.user?.role);
        return { meeting: null, originalPoll: '', base: emptyForm(viewerZone(this.user), requested && kinds.includes(requested) ? requested : kinds[0]!) };
      }
      const meeting = await meetingsApi.get(id, signal);
      const poll = meeting.status === 'polling' ? await meetingsApi.poll(id, signal) : null;
      return {
        meeting,
        originalPoll: poll ? pollKey([...poll.slots].sort((a, b) => a.position - b.position), poll.deadline) : '',
        base: formFromMeeting(meeting, poll),
      };
    },
    loaded: ({ base }) => {
      const kept = parseDraft(this.draft.read(), base);
      this.state = kept ?? base;
      this.restored = kept !== null;
      this.errors = {};
      this.descriptionPending = true;
      if (!this.state.everyone) this.loadPeople();
    },
  });

  /** Whom a meeting may invite by name: asked for once the writer chooses to name people. */
  private readonly people = new Resource<Person[], readonly []>(this, {
    args: () => [] as const,
    autoRun: false,
    load: async (_args, signal) => {
      const directory = await peopleApi.directory(signal);
      return [
        ...directory.countries.flatMap((c) => [...(c.focalPoint ? [c.focalPoint] : []), ...c.alternates]),
        ...directory.organizations.flatMap((o) => o.people),
        ...directory.others,
      ].sort((a, b) => compareText(a.displayName, b.displayName));
    },
  });

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.state = emptyForm('UTC', 'virtual_meeting');
    this.errors = {};
    this.message = '';
    this.saving = false;
    this.restored = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.descriptionPending) return;
    const editor = this.renderRoot.querySelector<CnMarkdownEditor>('cn-markdown-editor');
    if (!editor) return;
    this.descriptionPending = false;
    editor.setInitial(this.state.description);
  }

  private get editing() {
    return Boolean(this.meetingId);
  }

  private get meeting(): MeetingDetail | null {
    return this.loaded.value?.meeting ?? null;
  }

  private loadPeople() {
    if (this.people.value === undefined && !this.people.loading) void this.people.run();
  }

  // ---- state -----------------------------------------------------------------------------

  private update_(changes: Partial<MeetingFormState>) {
    this.state = { ...this.state, ...changes };
    // A field changed is no longer in error (the invitees' problem goes with any invitee choice).
    for (const key of Object.keys(changes)) {
      const field = ['everyone', 'countryIds', 'organizationIds', 'personIds'].includes(key) ? 'invitees' : key;
      if (this.errors[field]) this.errors = { ...this.errors, [field]: '' };
    }
    this.draft.keep(this.state);
  }

  private discardDraft() {
    this.draft.clear();
    this.restored = false;
    void this.loaded.run();
  }

  /** A text, select or date control bound to one field of the state. */
  private onField = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    this.update_({ [target.name]: target.value } as Partial<MeetingFormState>);
  };

  private view(): FormView {
    return {
      state: this.state,
      errors: this.errors,
      editing: this.editing,
      meeting: this.meeting,
      meetingId: this.meetingId,
      user: this.user,
      services: this.services,
      people: this.people,
      update: (changes) => this.update_(changes),
      onField: this.onField,
      loadPeople: () => this.loadPeople(),
      pullActionItems: (event) => void this.pullActionItems(event),
      rows: this.rows,
    };
  }

  // ---- rendering -------------------------------------------------------------------------

  protected override render() {
    const back = this.editing
      ? html`<p class="small"><a href=${meetingPath(this.meetingId)}>${msg('← Back to the meeting')}</a></p>`
      : html`<p class="small"><a href="/meetings">${msg('← All meetings')}</a></p>`;
    const title = this.editing ? msg('Edit the meeting') : msg('New meeting');
    const heading = html`<h1 tabindex="-1">${title}</h1>`;
    const loaded = this.loaded.value;
    if (!loaded || this.loaded.failed) return html`${back}${heading}${this.loaded.render({ loading: msg('Loading…'), complete: () => nothing })}`;
    if (loaded.meeting && !loaded.meeting.mayManage) {
      return html`${back}${heading}
        <p class="alert alert-error" role="alert">${msg('Only the organizers of this meeting may change it.')}</p>`;
    }
    if (loaded.meeting?.status === 'cancelled') {
      return html`${back}${heading}
        <p class="alert alert-info">${msg('This meeting is cancelled and can no longer be changed.')}</p>`;
    }
    const view = this.view();
    return html`
      ${back}
      <div class="page-header">
        ${heading}
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
        ${renderAbout(view)} ${renderWhen(view)} ${renderAgenda(view)} ${renderJoin(view)} ${renderInvitees(view)} ${renderLinks(view)}
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

  // ---- rows -------------------------------------------------------------------------------
  /** The proposed times and agenda items: added, removed, moved and changed (focus follows the row). */
  private readonly rows: FormView['rows'] = {
    addSlot: () => {
      const last = this.state.slots.at(-1);
      this.update_({ slots: [...this.state.slots, { key: nextKey(), date: last?.date ?? '', start: last?.start ?? '10:00', end: last?.end ?? '11:30' }] });
      void this.updateComplete.then(() => {
        const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('ol.rows input[type="date"]');
        inputs[inputs.length - 1]?.focus();
      });
    },
    removeSlot: (key: number) => {
      if (this.state.slots.length <= 2) return;
      this.update_({ slots: this.state.slots.filter((slot) => slot.key !== key) });
    },
    changeSlot: (key: number, changes: Partial<{ date: string; start: string; end: string }>) => {
      if (this.errors[`slot-${key}`]) this.errors = { ...this.errors, [`slot-${key}`]: '' };
      this.update_({ slots: this.state.slots.map((slot) => (slot.key === key ? { ...slot, ...changes } : slot)) });
    },
    addItem: () => {
      this.update_({ agenda: [...this.state.agenda, { key: nextKey(), title: '', presenter: '', minutes: '' }] });
      void this.updateComplete.then(() => {
        const key = this.state.agenda.at(-1)?.key;
        this.renderRoot.querySelector<HTMLInputElement>(`input[name="agenda-${key}"]`)?.focus();
      });
    },
    removeItem: (key: number) => {
      this.update_({ agenda: this.state.agenda.filter((item) => item.key !== key) });
    },
    moveItem: (index: number, step: number) => {
      const agenda = [...this.state.agenda];
      const [item] = agenda.splice(index, 1);
      if (!item) return;
      agenda.splice(index + step, 0, item);
      this.update_({ agenda });
      void this.updateComplete.then(() => {
        const target = this.renderRoot.querySelector<HTMLInputElement>(`input[name="agenda-${item.key}"]`);
        target?.focus();
      });
    },
    changeItem: (key: number, changes: Partial<{ title: string; presenter: string; minutes: string }>) => {
      if (this.errors[`agenda-${key}`]) this.errors = { ...this.errors, [`agenda-${key}`]: '' };
      this.update_({ agenda: this.state.agenda.map((item) => (item.key === key ? { ...item, ...changes } : item)) });
    },
  };

  /**
   * Open action items of earlier meetings become agenda items. On an existing meeting the server
   * takes them in (so the items know where they were taken up); on a new one they are added here
   * and saved with the meeting.
   */
  private async pullActionItems(event: PickedItems) {
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
        if (this.meeting.status === 'polling' && result.poll && pollKey(result.poll.slots, result.poll.deadline ?? null) !== this.loaded.value?.originalPoll) {
          await meetingsApi.changePoll(this.meeting.id, { slots: result.poll.slots, deadline: result.poll.deadline ?? null });
        }
      } else {
        meeting = await meetingsApi.create(result.body);
      }
      this.draft.clear();
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
