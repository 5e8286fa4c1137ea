import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { compareText, countryName } from '../../app/format.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import type { Person } from '../../app/models.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { drafts } from '../debates/debates-format.js';
import { postBodyStyles } from '../debates/post-styles.js';
import { sanitizedPostHtml } from '../debates/trusted-html.js';
import { peopleApi } from '../people/people-api.js';
import { actionItemLine } from './action-item-line.js';
import { formatDayAndClock, formatLongDay, viewerZone } from './meeting-time.js';
import { exportHref, meetingPath, meetingsApi } from './meetings-api.js';
import {
  addSection,
  copyOf,
  dropPaths,
  isDirty,
  moveSection,
  newActionItem,
  pendingSave,
  rebase,
  removeSection,
  setIntroduction,
  setSectionField,
  valueAt,
  type WorkingCopy,
} from './minutes-model.js';
import type { ActionItemDraft, MeetingDetail, Minutes, MinutesContent, MinutesSection } from './models.js';

const AUTOSAVE_MS = 1_000;
const RETRY_MS = 5_000;

type SaveState = 'saved' | 'unsaved' | 'saving' | 'offline' | 'signed-out' | 'conflict' | 'error';

interface Conflict {
  revision: number;
  paths: string[];
  theirs: MinutesContent;
  by: string;
}

const storageKey = (meetingId: string, occurrenceId: string) => `concilia.minutes.${meetingId}.${occurrenceId}`;

/** A field path as the writer reads it: "Introduction", "Item 2 · Decisions". */
function pathLabel(path: string, content: MinutesContent): string {
  if (path === 'introduction') return msg('Introduction');
  if (path === 'order') return msg('Order of the sections');
  const match = /^sections\.([^.]+)(?:\.(title|summary|decisions|actionItems))?$/.exec(path);
  const section = content.sections.find((s) => s.key === match?.[1]);
  const title = section?.title || match?.[1] || path;
  switch (match?.[2]) {
    case 'title':
      return msg(str`${title} · title`);
    case 'summary':
      return msg(str`${title} · summary`);
    case 'decisions':
      return msg(str`${title} · decisions`);
    case 'actionItems':
      return msg(str`${title} · action items`);
    default:
      return title;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item && 'text' in item ? String((item as { text: string }).text) : String(item))).join('\n');
  if (value === null || value === undefined) return '—';
  return String(value);
}

/**
 * The minutes of one occurrence. Writers (admin, coordinator, secretariat) edit a draft per
 * agenda item (summary, decisions, action items with a responsible country or person and a due
 * date), saved continuously, field by field, with its status shown; a copy stays on this device
 * until the server has it, so an expired session or a closed tab loses nothing, and a save over
 * someone else's newer text is shown side by side instead of overwriting it. Publishing tells the
 * invitees; everyone who sees the meeting reads the published minutes and their exports.
 */
export class CnMinutesPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    postBodyStyles,
    css`
      .bar {
        position: sticky;
        inset-block-start: 0;
        z-index: 5;
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: var(--cn-space-3);
        padding: var(--cn-space-2) var(--cn-space-3);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        margin-block-end: var(--cn-space-4);
      }

      .save-state {
        font-size: 0.875rem;
        font-weight: 600;
      }

      .save-state.problem {
        color: var(--cn-color-danger-strong);
      }

      textarea,
      input,
      select {
        font: inherit;
        inline-size: 100%;
        padding: 0.4rem 0.6rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }

      textarea {
        min-block-size: 5rem;
        resize: vertical;
      }

      fieldset.section {
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-4);
        background: var(--cn-color-surface);
      }

      fieldset.section > legend {
        font-size: 1.05rem;
        padding-inline: var(--cn-space-1);
      }

      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
        justify-content: flex-end;
      }

      .items {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-2);
      }

      .item {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(10rem, 2fr) minmax(9rem, 1fr) auto;
        gap: var(--cn-space-2);
        align-items: end;
        padding: var(--cn-space-2);
        border-radius: var(--cn-radius);
        background: var(--cn-color-bg);
      }

      .item.incomplete {
        outline: 2px solid var(--cn-color-danger);
      }

      .item label {
        display: grid;
        gap: 2px;
        font-size: 0.8125rem;
        font-weight: 600;
      }

      .exports ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2) var(--cn-space-4);
      }

      .conflict pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font: inherit;
        margin: 0;
        padding: var(--cn-space-2);
        background: var(--cn-color-surface);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        max-block-size: 14rem;
        overflow: auto;
      }

      .sides {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--cn-space-3);
      }

      .published section {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--cn-space-2);
      }

      .published h3 {
        font-size: 0.95rem;
        color: var(--cn-color-muted);
      }

      ul.action-items {
        margin: 0;
        padding-inline-start: var(--cn-space-5);
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--cn-space-1);
      }

      @media (max-width: 760px) {
        .item,
        .sides {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  static override properties = {
    meetingId: {},
    search: {},
    meeting: { state: true },
    minutes: { state: true },
    copy: { state: true },
    phase: { state: true },
    loadError: { state: true },
    saveState: { state: true },
    savedAt: { state: true },
    conflict: { state: true },
    restored: { state: true },
    people: { state: true },
    incomplete: { state: true },
    publishing: { state: true },
    publishError: { state: true },
  };

  declare meetingId: string;
  declare search: string;
  declare private meeting: MeetingDetail | null;
  declare private minutes: Minutes | null;
  declare private copy: WorkingCopy | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private saveState: SaveState;
  declare private savedAt: string | null;
  declare private conflict: Conflict | null;
  declare private restored: boolean;
  declare private people: Person[];
  declare private incomplete: string[];
  declare private publishing: boolean;
  declare private publishError: string;

  private saveTimer: number | undefined;
  private saving: Promise<void> | null = null;
  private loadToken = 0;

  private live = new LiveSubscriptionController(this, {
    topics: () => (this.meetingId ? [`meeting:${this.meetingId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.meeting = null;
    this.minutes = null;
    this.copy = null;
    this.phase = 'loading';
    this.loadError = null;
    this.saveState = 'saved';
    this.savedAt = null;
    this.conflict = null;
    this.restored = false;
    this.people = [];
    this.incomplete = [];
    this.publishing = false;
    this.publishError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.retryNow);
    window.addEventListener('focus', this.retryNow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.retryNow);
    window.removeEventListener('focus', this.retryNow);
    window.clearTimeout(this.saveTimer);
    // Unsaved text stays on this device (written on every change) and is sent the next time.
    if (this.copy && isDirty(this.copy) && this.saveState !== 'conflict') void this.save();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('meetingId') || changed.has('search')) && this.meetingId) void this.load();
  }

  private get requestedOccurrence(): string | null {
    return new URLSearchParams(this.search).get('occurrence');
  }

  // ---- loading ----------------------------------------------------------------------------------

  private async load() {
    const token = ++this.loadToken;
    this.phase = 'loading';
    try {
      const [meeting, minutes] = await Promise.all([meetingsApi.get(this.meetingId), meetingsApi.minutes(this.meetingId, this.requestedOccurrence)]);
      if (token !== this.loadToken) return;
      this.meeting = meeting;
      this.adopt(minutes, true);
      this.phase = 'ready';
      document.title = msg(str`Minutes: ${meeting.title}`);
      if (minutes.mayWrite) void this.loadPeople();
    } catch (error) {
      if (token !== this.loadToken) return;
      this.loadError = error;
      this.phase = 'failed';
    }
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

  /** Takes the server's minutes; on first load, brings back unsaved text kept on this device. */
  private adopt(minutes: Minutes, first: boolean) {
    this.minutes = minutes;
    const draft = minutes.draft;
    if (!minutes.mayWrite || !draft) {
      this.copy = null;
      return;
    }
    if (first) {
      const stored = this.readStored(minutes.occurrenceId);
      if (stored && isDirty(stored)) {
        // Keep the revision the text was based on, so the server can tell a conflicting change.
        const merged = rebase(stored, draft.revision, draft.content);
        this.copy = { ...merged, baseRevision: stored.baseRevision };
        this.restored = true;
        this.schedule(0);
        return;
      }
      this.copy = copyOf(draft.revision, draft.content);
      this.savedAt = draft.updatedAt;
      return;
    }
    this.copy = this.copy ? rebase(this.copy, draft.revision, draft.content) : copyOf(draft.revision, draft.content);
  }

  private readStored(occurrenceId: string): WorkingCopy | null {
    const raw = drafts.read(storageKey(this.meetingId, occurrenceId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as WorkingCopy;
      return parsed && typeof parsed.baseRevision === 'number' && parsed.content && parsed.dirty ? parsed : null;
    } catch {
      return null;
    }
  }

  private store() {
    if (!this.copy || !this.minutes) return;
    const key = storageKey(this.meetingId, this.minutes.occurrenceId);
    if (isDirty(this.copy)) drafts.write(key, JSON.stringify(this.copy));
    else drafts.clear(key);
  }

  // ---- editing and saving -----------------------------------------------------------------------

  private change(copy: WorkingCopy) {
    this.copy = copy;
    this.store();
    if (this.saveState !== 'conflict') {
      this.saveState = this.saveState === 'offline' || this.saveState === 'signed-out' ? this.saveState : 'unsaved';
      this.schedule(AUTOSAVE_MS);
    }
  }

  private schedule(delay: number) {
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.save(), delay);
  }

  private retryNow = () => {
    if (this.copy && isDirty(this.copy) && (this.saveState === 'offline' || this.saveState === 'signed-out' || this.saveState === 'error')) this.schedule(0);
  };

  /** Sends what changed; one save at a time, the next one with whatever changed meanwhile. */
  private async save(): Promise<void> {
    if (this.saving) {
      await this.saving;
      if (this.copy && isDirty(this.copy)) return this.save();
      return;
    }
    const copy = this.copy;
    const minutes = this.minutes;
    if (!copy || !minutes) return;
    const pending = pendingSave(copy, minutes.occurrenceId);
    if (!pending) {
      this.saveState = 'saved';
      return;
    }
    this.saveState = 'saving';
    const run = (async () => {
      try {
        const saved = await meetingsApi.saveMinutes(this.meetingId, pending.save);
        this.minutes = saved;
        if (saved.draft && this.copy) {
          this.copy = rebase(this.copy, saved.draft.revision, saved.draft.content, pending.sent);
          this.savedAt = saved.draft.updatedAt;
        }
        this.store();
        this.saveState = this.copy && isDirty(this.copy) ? 'unsaved' : 'saved';
        if (this.saveState === 'unsaved') this.schedule(AUTOSAVE_MS);
      } catch (error) {
        this.onSaveError(error);
      }
    })();
    this.saving = run;
    try {
      await run;
    } finally {
      this.saving = null;
    }
  }

  private onSaveError(error: unknown) {
    if (!isApiError(error)) {
      this.saveState = 'error';
      return;
    }
    if (error.code === 'network_error') {
      this.saveState = 'offline';
      this.schedule(RETRY_MS);
      return;
    }
    if (error.status === 401) {
      this.saveState = 'signed-out';
      this.schedule(RETRY_MS * 2);
      return;
    }
    if (error.code === 'stale_revision') {
      const details = error.details as { revision?: number; conflicts?: string[]; minutes?: Minutes } | null;
      const theirs = details?.minutes?.draft;
      if (details && typeof details.revision === 'number' && theirs) {
        this.conflict = { revision: details.revision, paths: details.conflicts ?? [], theirs: theirs.content, by: theirs.updatedBy?.displayName ?? msg('Someone') };
        this.saveState = 'conflict';
        return;
      }
    }
    this.saveState = 'error';
    this.services.toast(describeMinutesError(error), 'error');
  }

  /** Keep my text: save it over theirs, now based on their revision. */
  private keepMine() {
    const conflict = this.conflict;
    if (!conflict || !this.copy) return;
    const merged = rebase(this.copy, conflict.revision, conflict.theirs);
    this.copy = merged;
    this.conflict = null;
    this.saveState = 'unsaved';
    this.store();
    this.schedule(0);
  }

  /** Take their text for the conflicting fields; my other changes are saved. */
  private takeTheirs() {
    const conflict = this.conflict;
    if (!conflict || !this.copy) return;
    this.copy = rebase(dropPaths(this.copy, conflict.paths), conflict.revision, conflict.theirs);
    this.conflict = null;
    this.store();
    this.saveState = isDirty(this.copy) ? 'unsaved' : 'saved';
    if (isDirty(this.copy)) this.schedule(0);
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type === 'forbidden') {
      // No longer invited: show what the server now says (not found) instead of stale minutes.
      void this.load();
      return;
    }
    if (message.type === 'resync') {
      void this.refresh();
      return;
    }
    if (message.type !== 'event' || !this.minutes) return;
    const payload = message.payload as { occurrenceId?: string; revision?: number };
    if (payload.occurrenceId !== this.minutes.occurrenceId) return;
    if (message.event === 'minutes.draft' && (payload.revision ?? 0) > (this.minutes.draft?.revision ?? 0)) void this.refresh();
    if (message.event === 'minutes.published') void this.refresh();
  }

  /** Another writer (or tab) saved or published: take their fields, keep my unsaved ones. */
  private async refresh() {
    if (!this.minutes || this.saving) return;
    try {
      const minutes = await meetingsApi.minutes(this.meetingId, this.minutes.occurrenceId);
      const base = this.copy?.baseRevision;
      const dirty = this.copy ? isDirty(this.copy) : false;
      this.adopt(minutes, false);
      // Unsaved text stays based on what its writer saw, so a conflicting change is still caught.
      if (dirty && this.copy && base !== undefined) this.copy = { ...this.copy, baseRevision: base };
    } catch {
      // The next save or event brings it.
    }
  }

  // ---- publishing -------------------------------------------------------------------------------

  private openPublish() {
    this.publishError = '';
    const dialog = this.renderRoot.querySelector<CnDialog>('#publish-dialog');
    if (dialog) dialog.open = true;
  }

  private async publish() {
    if (this.publishing || !this.minutes) return;
    this.publishing = true;
    this.publishError = '';
    this.incomplete = [];
    try {
      window.clearTimeout(this.saveTimer);
      await this.save();
      if (this.copy && isDirty(this.copy)) throw new Error('unsaved');
      const revision = this.minutes.draft?.revision ?? 0;
      const minutes = await meetingsApi.publishMinutes(this.meetingId, this.minutes.occurrenceId, revision);
      this.adopt(minutes, false);
      this.renderRoot.querySelector<CnDialog>('#publish-dialog')?.close();
      this.services.toast(msg('The minutes are published. The invitees are told.'), 'success');
    } catch (error) {
      if (isApiError(error) && error.code === 'incomplete_action_items' && this.copy) this.incomplete = incompleteItems(error.details, this.copy.content);
      this.publishError = isApiError(error) ? describeMinutesError(error) : msg('Some changes are not saved yet. Wait for the draft to be saved, then publish.');
    } finally {
      this.publishing = false;
    }
  }

  // ---- rendering --------------------------------------------------------------------------------

  protected override render() {
    const back = html`<p class="small"><a href=${meetingPath(this.meetingId)}>${msg('← Back to the meeting')}</a></p>`;
    if (this.phase === 'loading' && !this.minutes) {
      return html`${back}
        <h1 tabindex="-1">${msg('Minutes', { desc: 'Type of document: the record of a meeting' })}</h1>
        <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the minutes…')}</div>`;
    }
    if (this.phase === 'failed' || !this.minutes || !this.meeting) {
      return html`${back}
        <h1 tabindex="-1">${msg('Minutes', { desc: 'Type of document: the record of a meeting' })}</h1>
        <div class="alert alert-error stack" role="alert">
          <p>${describeMinutesError(this.loadError)}</p>
          <div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
        </div>`;
    }
    const minutes = this.minutes;
    const meeting = this.meeting;
    const zone = viewerZone(this.user);
    const started = new Date(minutes.occurrence.startsAt).getTime() - 15 * 60_000 <= Date.now();
    return html`
      ${back}
      <div class="page-header">
        <h1 tabindex="-1">${msg(str`Minutes: ${meeting.title}`)}</h1>
        <cn-meeting-times compact .startsAt=${minutes.occurrence.startsAt} .endsAt=${minutes.occurrence.endsAt} .organizerZone=${meeting.timeZone}></cn-meeting-times>
        ${this.renderOccurrenceChoice(meeting, minutes.occurrenceId, zone)}
      </div>
      ${minutes.mayWrite && this.copy ? this.renderBar(minutes, zone) : nothing}
      ${this.restored ? html`<p class="alert alert-info" role="status">${msg('Changes you had not saved on this device were restored and are being saved.')}</p>` : nothing}
      ${this.conflict ? this.renderConflict(this.conflict) : nothing}
      ${this.renderExports(minutes)}
      ${minutes.mayWrite && this.copy
        ? this.renderEditor(this.copy.content)
        : minutes.mayWrite && !started
          ? html`<p class="alert alert-info">${msg('The minutes can be written once the meeting starts (its room opens 15 minutes before).')}</p>`
          : nothing}
      ${minutes.published
        ? this.renderPublished(minutes, zone)
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
    const state = this.saveState;
    const problem = state === 'offline' || state === 'signed-out' || state === 'error' || state === 'conflict';
    let text: string;
    switch (state) {
      case 'saved':
        text = this.savedAt ? msg(str`Draft saved at ${formatDayAndClock(this.savedAt, zone)}.`) : msg('Draft saved.');
        break;
      case 'unsaved':
        text = msg('Changes not saved yet…');
        break;
      case 'saving':
        text = msg('Saving…');
        break;
      case 'offline':
        text = msg('The server cannot be reached. Your text is kept on this device and saved as soon as the connection is back.');
        break;
      case 'signed-out':
        text = msg('Your session has ended. Sign in again in another tab: your text is kept here and saved once you are back.');
        break;
      case 'conflict':
        text = msg('Someone else changed the same part. Choose which text to keep.');
        break;
      case 'error':
        text = msg('The draft could not be saved. It is kept on this device; trying again…');
        break;
    }
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

  private renderConflict(conflict: Conflict) {
    const mine = this.copy?.content;
    return html`
      <section class="alert alert-error conflict stack" role="alert" aria-labelledby="conflict-title">
        <h2 id="conflict-title">${msg(str`${conflict.by} changed the same part meanwhile`)}</h2>
        ${conflict.paths.map(
          (path) => html`<div class="stack">
            <h3>${pathLabel(path, conflict.theirs)}</h3>
            <div class="sides">
              <div>
                <p class="small">${msg('Their text')}</p>
                <pre>${describeValue(valueAt(conflict.theirs, path))}</pre>
              </div>
              <div>
                <p class="small">${msg('Your text')}</p>
                <pre>${mine ? describeValue(valueAt(mine, path)) : '—'}</pre>
              </div>
            </div>
          </div>`,
        )}
        <div class="row">
          <cn-button variant="primary" size="small"><button type="button" @click=${this.keepMine}>${msg('Keep my text')}</button></cn-button>
          <cn-button size="small"><button type="button" @click=${this.takeTheirs}>${msg('Take their text')}</button></cn-button>
        </div>
      </section>
    `;
  }

  private renderExports(minutes: Minutes) {
    const occurrenceId = minutes.occurrenceId;
    const writer = minutes.mayWrite && minutes.draft;
    if (!minutes.published && !writer) return nothing;
    return html`
      <section class="card exports stack" aria-labelledby="exports-title">
        <h2 id="exports-title">${msg('Exports')}</h2>
        <ul>
          ${minutes.published
            ? html`<li><a href=${exportHref(this.meetingId, 'minutes.html', { occurrenceId })} target="_blank" rel="noopener">${msg('Printable minutes (HTML)')}</a></li>
                <li><a href=${exportHref(this.meetingId, 'minutes.md', { occurrenceId })} download>${msg('Minutes in Markdown')}</a></li>`
            : nothing}
          ${writer
            ? html`<li><a href=${exportHref(this.meetingId, 'minutes.html', { occurrenceId, version: 'draft' })} target="_blank" rel="noopener">${msg('Printable draft (HTML)')}</a></li>
                <li><a href=${exportHref(this.meetingId, 'minutes.md', { occurrenceId, version: 'draft' })} download>${msg('Draft in Markdown')}</a></li>`
            : nothing}
          <li><a href=${exportHref(this.meetingId, 'room/attendance.csv', { occurrenceId })} download>${msg('Attendance by country (CSV)')}</a></li>
        </ul>
      </section>
    `;
  }

  private renderEditor(content: MinutesContent) {
    return html`
      <form class="stack-lg" @submit=${(event: Event) => event.preventDefault()} aria-label=${msg('Draft of the minutes')}>
        <cn-field>
          <label slot="label">${msg('Introduction')}</label>
          <textarea rows="4" maxlength="20000" .value=${content.introduction} @input=${(e: Event) => this.copy && this.change(setIntroduction(this.copy, (e.target as HTMLTextAreaElement).value))}></textarea>
          <span slot="hint">${msg('Markdown. Who chaired, the quorum, anything said before the agenda.')}</span>
        </cn-field>
        ${repeat(
          content.sections,
          (section) => section.key,
          (section, index) => this.renderSection(section, index, content.sections.length),
        )}
        <div>
          <cn-button><button type="button" @click=${this.addOtherSection}>${msg('Add a section (e.g. Other business)')}</button></cn-button>
        </div>
      </form>
    `;
  }

  private renderSection(section: MinutesSection, index: number, count: number) {
    const copy = this.copy!;
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
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`input[data-item="${item.id}"]`)?.focus());
  }

  private addOtherSection() {
    if (!this.copy) return;
    const { copy, key } = addSection(this.copy, msg('Other business'));
    this.change(copy);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#section-${CSS.escape(key)}-legend`)?.closest('fieldset')?.querySelector('input')?.focus());
  }

  private removeSectionAsked(section: MinutesSection) {
    if (!this.copy) return;
    const empty = !section.summary.trim() && !section.decisions.trim() && section.actionItems.length === 0;
    if (!empty && !window.confirm(msg(str`Remove the section "${section.title}" and its text?`))) return;
    this.change(removeSection(this.copy, section.key));
  }

  private renderPublished(minutes: Minutes, zone: string) {
    const published = minutes.published!;
    return html`
      <section class="card published stack" aria-labelledby="published-title">
        <h2 id="published-title">${msg('Published minutes')}</h2>
        <p class="small muted">
          ${msg(str`Published by ${published.publishedBy.displayName} on ${formatDayAndClock(published.publishedAt, zone)}.`)}
          ${published.firstPublishedAt !== published.publishedAt ? msg(str`First published on ${formatDayAndClock(published.firstPublishedAt, zone)}.`) : nothing}
        </p>
        ${published.introductionHtml ? html`<div class="post-body">${sanitizedPostHtml(published.introductionHtml, this.services.countries)}</div>` : nothing}
        ${published.sections.map(
          (section, index) => html`<section aria-labelledby=${`published-${section.key}`}>
            <h3 id=${`published-${section.key}`}>${index + 1}. ${section.title}</h3>
            ${section.summaryHtml ? html`<div class="post-body">${sanitizedPostHtml(section.summaryHtml, this.services.countries)}</div>` : nothing}
            ${section.decisionsHtml
              ? html`<p><strong>${msg('Decisions')}</strong></p>
                  <div class="post-body">${sanitizedPostHtml(section.decisionsHtml, this.services.countries)}</div>`
              : nothing}
            ${section.actionItems.length > 0
              ? html`<p><strong>${msg('Action items')}</strong></p>
                  <ul class="action-items">
                    ${section.actionItems.map((item) => html`<li>${actionItemLine(item, this.services.countries)}</li>`)}
                  </ul>`
              : nothing}
          </section>`,
        )}
      </section>
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

/** The action items a refused publication names (`details: [{ field: 'sections.<key>.actionItems.<i>' }]`). */
function incompleteItems(details: unknown, content: MinutesContent): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((entry) => {
    const match = /^sections\.([^.]+)\.actionItems\.(\d+)$/.exec(String((entry as { field?: unknown } | null)?.field ?? ''));
    const item = match ? content.sections.find((section) => section.key === match[1])?.actionItems[Number(match[2])] : undefined;
    return item ? [item.id] : [];
  });
}

export function describeMinutesError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'meeting_not_started':
      return msg('The minutes can be written once the meeting starts (its room opens 15 minutes before).');
    case 'occurrence_cancelled':
      return msg('This occurrence was cancelled: it has no minutes.');
    case 'incomplete_action_items':
      return msg('Every action item needs a text and a responsible country or person. The incomplete ones are marked.');
    case 'stale_revision':
      return msg('The draft changed meanwhile. Look at the latest version, then publish again.');
    case 'unknown_responsible':
      return msg('A responsible country or person is not of the group. Choose them again.');
    case 'invalid_due_date':
      return msg('A due date is not valid.');
    case 'not_scheduled':
      return msg('The date of this meeting is not chosen yet.');
    case 'no_draft':
      return msg('Nothing is written yet: write the minutes first.');
    default:
      return describeError(error);
  }
}
