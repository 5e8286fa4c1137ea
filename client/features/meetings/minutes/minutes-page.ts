import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { AppElement } from '../../../app/base-element.js';
import { drafts } from '../../../app/drafts.js';
import { compareText } from '../../../app/format.js';
import type { LiveTopicMessage } from '../../../app/live-connection.js';
import type { Person } from '../../../app/models.js';
import { LiveSubscriptionController } from '../../../controllers/live-subscription-controller.js';
import { Resource } from '../../../controllers/resource.js';
import type { CnDialog } from '../../../ui/dialog/dialog.js';
import { postBodyStyles } from '../../../ui/styles/post-body.styles.js';
import { baseStyles, pageStyles } from '../../../ui/styles/shared.styles.js';
import { peopleApi } from '../../people/public.js';
import { formatLongDay, viewerZone } from '../meeting-time.js';
import { meetingPath, meetingsApi } from '../meetings-api.js';
import type { MeetingDetail, Minutes } from '../models.js';
import { AutosaveController, MinutesAutosave } from './autosave.js';
import { describeMinutesError, incompleteItems, minutesStyles, renderConflict, renderExports, renderPublished, saveStateText } from './minutes-view.js';

/**
 * The minutes of one occurrence. Writers (admin, coordinator, secretariat) edit a draft per
 * agenda item (cn-minutes-editor), saved continuously, field by field, with its status shown; a
 * copy stays on this device until the server has it, so an expired session or a closed tab loses
 * nothing, and a save over someone else's newer text is shown side by side instead of
 * overwriting it (autosave.ts). Publishing tells the invitees; everyone who sees the meeting
 * reads the published minutes and their exports.
 */
export class CnMinutesPage extends AppElement {
  static override styles = [baseStyles, pageStyles, postBodyStyles, minutesStyles];

  static override properties = {
    meetingId: {},
    search: {},
    people: { state: true },
    incomplete: { state: true },
    publishing: { state: true },
    publishError: { state: true },
  };

  declare meetingId: string;
  declare search: string;
  declare private people: Person[];
  declare private incomplete: string[];
  declare private publishing: boolean;
  declare private publishError: string;

  private autosave = new MinutesAutosave({
    save: (body) => meetingsApi.saveMinutes(this.meetingId, body),
    store: drafts,
    storageKey: (occurrenceId) => `concilia.minutes.${this.meetingId}.${occurrenceId}`,
    changed: () => this.requestUpdate(),
    problem: (error) => this.services.toast(describeMinutesError(error), 'error'),
    someone: () => msg('Someone'),
  });

  private saving = new AutosaveController(this, this.autosave);

  private loaded = new Resource(this, {
    args: () => [this.meetingId, this.requestedOccurrence] as const,
    load: ([meetingId, occurrence], signal) => Promise.all([meetingsApi.get(meetingId, signal), meetingsApi.minutes(meetingId, occurrence, signal)]),
    loaded: ([meeting, minutes]) => {
      this.autosave.adopt(minutes, true);
      document.title = msg(str`Minutes: ${meeting.title}`);
      if (minutes.mayWrite) void this.loadPeople();
    },
  });

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.meetingId ? [`meeting:${this.meetingId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.people = [];
    this.incomplete = [];
    this.publishing = false;
    this.publishError = '';
  }

  private get requestedOccurrence(): string | null {
    return new URLSearchParams(this.search).get('occurrence');
  }

  private async loadPeople() {
    try {
      const directory = await peopleApi.directory();
      this.people = [
        ...directory.countries.flatMap((c) => [...(c.focalPoint ? [c.focalPoint] : []), ...c.alternates]),
        ...directory.organizations.flatMap((o) => o.people),
        ...directory.others,
      ].sort((a, b) => compareText(a.displayName, b.displayName));
    } catch {
      // Responsible people can still be chosen by country; the list comes with the next visit.
    }
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type === 'forbidden') {
      // No longer invited: show what the server now says (not found) instead of stale minutes.
      void this.loaded.run();
      return;
    }
    const refresh = () => void this.autosave.refresh((occurrenceId) => meetingsApi.minutes(this.meetingId, occurrenceId));
    if (message.type === 'resync') {
      refresh();
      return;
    }
    const minutes = this.autosave.minutes;
    if (message.type !== 'event' || !minutes) return;
    const payload = message.payload as { occurrenceId?: string; revision?: number };
    if (payload.occurrenceId !== minutes.occurrenceId) return;
    if (message.event === 'minutes.draft' && (payload.revision ?? 0) > (minutes.draft?.revision ?? 0)) refresh();
    if (message.event === 'minutes.published') refresh();
  }

  // ---- publishing -------------------------------------------------------------------------------

  private openPublish() {
    this.publishError = '';
    const dialog = this.renderRoot.querySelector<CnDialog>('#publish-dialog');
    if (dialog) dialog.open = true;
  }

  private async publish() {
    const minutes = this.autosave.minutes;
    if (this.publishing || !minutes) return;
    this.publishing = true;
    this.publishError = '';
    this.incomplete = [];
    try {
      if (!(await this.autosave.settle())) throw new Error('unsaved');
      const revision = this.autosave.minutes?.draft?.revision ?? 0;
      this.autosave.adopt(await meetingsApi.publishMinutes(this.meetingId, minutes.occurrenceId, revision), false);
      this.renderRoot.querySelector<CnDialog>('#publish-dialog')?.close();
      this.services.toast(msg('The minutes are published. The invitees are told.'), 'success');
    } catch (error) {
      const copy = this.autosave.copy;
      if (isApiError(error) && error.code === 'incomplete_action_items' && copy) this.incomplete = incompleteItems(error.details, copy.content);
      this.publishError = isApiError(error) ? describeMinutesError(error) : msg('Some changes are not saved yet. Wait for the draft to be saved, then publish.');
    } finally {
      this.publishing = false;
    }
  }

  // ---- rendering --------------------------------------------------------------------------------

  protected override render() {
    const back = html`<p class="small"><a href=${meetingPath(this.meetingId)}>${msg('← Back to the meeting')}</a></p>`;
    const heading = html`<h1 tabindex="-1">${msg('Minutes', { desc: 'Type of document: the record of a meeting' })}</h1>`;
    const meeting = this.loaded.value?.[0];
    const minutes = this.autosave.minutes;
    if (this.loaded.failed) return html`${back}${heading}${this.loaded.renderFailure({ message: describeMinutesError(this.loaded.error) })}`;
    if (!meeting || !minutes) return html`${back}${heading}${this.loaded.renderLoading(msg('Loading the minutes…'))}`;
    const zone = viewerZone(this.user);
    const copy = this.autosave.copy;
    const started = new Date(minutes.occurrence.startsAt).getTime() - 15 * 60_000 <= Date.now();
    return html`
      ${back}
      <div class="page-header">
        <h1 tabindex="-1">${msg(str`Minutes: ${meeting.title}`)}</h1>
        <cn-meeting-times compact .startsAt=${minutes.occurrence.startsAt} .endsAt=${minutes.occurrence.endsAt} .organizerZone=${meeting.timeZone}></cn-meeting-times>
        ${this.renderOccurrenceChoice(meeting, minutes.occurrenceId, zone)}
      </div>
      ${minutes.mayWrite && copy ? this.renderBar(minutes, zone) : nothing}
      ${this.autosave.restored ? html`<p class="alert alert-info" role="status">${msg('Changes you had not saved on this device were restored and are being saved.')}</p>` : nothing}
      ${this.autosave.conflict ? renderConflict(this.autosave.conflict, copy?.content, { keepMine: () => this.autosave.keepMine(), takeTheirs: () => this.autosave.takeTheirs() }) : nothing}
      ${renderExports(minutes)}
      ${minutes.mayWrite && copy
        ? html`<cn-minutes-editor .autosave=${this.autosave} .copy=${copy} .people=${this.people} .incomplete=${this.incomplete}></cn-minutes-editor>`
        : minutes.mayWrite && !started
          ? html`<p class="alert alert-info">${msg('The minutes can be written once the meeting starts (its room opens 15 minutes before).')}</p>`
          : nothing}
      ${minutes.published
        ? renderPublished(minutes, zone, this.services.countries)
        : !minutes.mayWrite
          ? html`<p class="empty">${msg('The minutes of this meeting are not published yet.')}</p>`
          : nothing}
      ${this.renderPublishDialog(minutes)}
    `;
  }

  private renderOccurrenceChoice(meeting: MeetingDetail, current: string, zone: string) {
    const held = meeting.occurrences.filter((o) => o.state !== 'cancelled' && new Date(o.startsAt).getTime() - 15 * 60_000 <= Date.now());
    if (!meeting.recurrence || held.length < 2) return nothing;
    return html`<p>
      <label for="occurrence">${msg('Occurrence')}</label>
      <select
        id="occurrence"
        @change=${(event: Event) => this.services.navigate(`${meetingPath(meeting.id)}/minutes?occurrence=${encodeURIComponent((event.target as HTMLSelectElement).value)}`)}
      >
        ${held.map((o) => html`<option value=${o.id} ?selected=${o.id === current}>${formatLongDay(o.startsAt, zone)}</option>`)}
      </select>
    </p>`;
  }

  private renderBar(minutes: Minutes, zone: string) {
    const { text, problem } = saveStateText(this.autosave.state, this.autosave.savedAt, zone);
    const published = minutes.published;
    return html`
      <div class="bar">
        <p class=${problem ? 'save-state problem' : 'save-state'} role="status" aria-live="polite">${text}</p>
        <div class="row">
          ${published
            ? html`<span class="small muted">
                ${minutes.draft?.hasUnpublishedChanges ? msg('The draft has changes not published yet.') : msg('Published as it is.')}
              </span>`
            : nothing}
          <cn-button variant="primary" size="small">
            <button type="button" @click=${this.openPublish}>${published ? msg('Publish the corrections') : msg('Publish the minutes')}</button>
          </cn-button>
        </div>
      </div>
    `;
  }

  private renderPublishDialog(minutes: Minutes) {
    return html`
      <cn-dialog id="publish-dialog" label=${minutes.published ? msg('Publish the corrections?') : msg('Publish the minutes?')}>
        <div class="stack">
          <p>
            ${minutes.published
              ? msg('Everyone who sees the meeting reads the corrected minutes.')
              : msg('Everyone who sees the meeting can read them, the invitees are told, and the action items join the list of open items.')}
          </p>
          ${this.publishError ? html`<p class="alert alert-error" role="alert">${this.publishError}</p>` : nothing}
        </div>
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.renderRoot.querySelector<CnDialog>('#publish-dialog')?.close()}>${msg('Not yet')}</button></cn-button>
          <cn-button variant="primary" ?loading=${this.publishing}><button type="button" @click=${this.publish}>${msg('Publish')}</button></cn-button>
        </div>
      </cn-dialog>
    `;
  }
}
