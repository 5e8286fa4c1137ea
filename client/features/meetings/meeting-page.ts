import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isAbort, isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { PRODUCT_NAME } from '../../app/product.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { BurstController } from '../../controllers/burst-controller.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { Resource } from '../../controllers/resource.js';
import { meetingPageStyles } from './meeting-page.styles.js';
import { renderAgenda, renderJoinNow, renderJoin, renderCalendar, renderInvitees, renderLinks } from './meeting-page-view.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { postBodyStyles } from '../../ui/styles/post-body.styles.js';
import { meetingsApi } from './meetings-api.js';
import { withOwnFields, withPollCounts } from './live-merge.js';
import { formatDayAndClock, viewerZone } from './meeting-time.js';
import { kindLabel, recurrenceText, statusLabel } from './meetings-format.js';
import type { Attendance, MeetingDetail, Minutes, Occurrence, Poll } from './models.js';

/** The room opens this long before the start (docs/meetings-api.md, "Live room"). */
export const ROOM_OPENS_BEFORE_MS = 15 * 60_000;

/**
 * One meeting: when it is (reader's zone, organizer's zone, the invited capitals), how to join,
 * the agenda, the availability poll while the date is open, attendance answers once scheduled,
 * the occurrences of a series, invitees, linked debates and documents, calendar links and the
 * change history. Everything follows the meeting's live topic; from 15 minutes before the start
 * until the end the page also holds the live room.
 */
export class CnMeetingPage extends AppElement {
  static override styles = [baseStyles, pageStyles, postBodyStyles, meetingPageStyles];

  static override properties = {
    meetingId: {},
    search: {},
    cancelError: { state: true },
    cancelling: { state: true },
    now: { state: true },
    announcement: { state: true },
    roomPresent: { state: true },
  };

  /** From the route /meetings/:id. */
  declare meetingId: string;
  /** The location's query: `occurrence` chooses one occurrence of a series. */
  declare search: string;
  declare private cancelError: string;
  declare private cancelling: boolean;
  declare private now: number;
  declare private announcement: string;
  /** The countries the room's attendance record holds for an occurrence, as the room shows them (live). */
  declare private roomPresent: { occurrenceId: string; countryIds: string[] } | null;

  /** The meeting and its poll; live events change them in place, and a missed one loads them again. */
  private loaded = new Resource(this, {
    args: () => [this.meetingId] as const,
    load: async ([id], signal) => {
      const meeting = await meetingsApi.get(id, signal);
      const poll = meeting.poll ? await meetingsApi.poll(meeting.id, signal) : null;
      return { meeting, poll };
    },
    loaded: ({ meeting }) => {
      document.title = [meeting.title, this.user?.groupName, PRODUCT_NAME].filter(Boolean).join(' · ');
      // The occurrence's attendance and minutes follow each load of the meeting.
      this.meetingLoads++;
      // Events that came while it loaded may describe changes it does not hold yet.
      if (this.reloadAfterLoad) {
        this.reloadAfterLoad = false;
        queueMicrotask(() => void this.loaded.run());
      }
    },
  });

  private get meeting(): MeetingDetail | null {
    return this.loaded.value?.meeting ?? null;
  }

  private set meeting(meeting: MeetingDetail) {
    if (this.loaded.value) this.loaded.value = { ...this.loaded.value, meeting };
  }

  private meetingLoads = 0;

  /**
   * Beside the meeting, what its shown occurrence holds: the attendance answers and, once its room
   * has opened, its minutes (for the minutes card). Loaded after each load of the meeting and for
   * the occurrence the address chooses; live events change it in place. A part that fails is left
   * out, the rest of the page being still right (attendance says why in a toast).
   */
  private occurrenceData = new Resource(this, {
    args: () => [this.meetingLoads, this.requestedOccurrence] as const,
    load: async (_args, signal) => {
      const [attendance, minutes] = await Promise.all([this.fetchAttendance(signal), this.fetchMinutes(signal)]);
      return { attendance, minutes };
    },
  });

  private get attendance(): Attendance | null {
    return this.occurrenceData.value?.attendance ?? null;
  }

  private set attendance(attendance: Attendance | null) {
    this.occurrenceData.value = { minutes: this.minutes, attendance };
  }

  private get minutes(): Minutes | null {
    return this.occurrenceData.value?.minutes ?? null;
  }

  private get poll(): Poll | null {
    return this.loaded.value?.poll ?? null;
  }

  private set poll(poll: Poll) {
    if (this.loaded.value) this.loaded.value = { ...this.loaded.value, poll };
  }

  private reloadAfterLoad = false;
  private clock: number | undefined;
  // What the events do not carry (the grouping by country, who answered what), fetched once per burst.
  private attendanceRefresh = new BurstController(this, () => void this.occurrenceData.run());
  private pollRefresh = new BurstController(this, () => this.refreshPoll());

  // Subscribed before loading (the controller connects first), so no change is missed meanwhile.
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.meetingId ? [`meeting:${this.meetingId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.roomPresent = null;
    this.cancelError = '';
    this.cancelling = false;
    this.now = Date.now();
    this.announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The room opens and closes with the clock: look again every 20 seconds.
    this.clock = window.setInterval(() => (this.now = Date.now()), 20_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.clock);
  }

  private get requestedOccurrence(): string | null {
    return new URLSearchParams(this.search).get('occurrence');
  }

  /** The occurrence the page is about: the one asked for in the address, else the next one. */
  private get occurrence(): Occurrence | null {
    const meeting = this.meeting;
    if (!meeting || meeting.occurrences.length === 0) return null;
    const requested = this.requestedOccurrence;
    return (
      (requested ? meeting.occurrences.find((o) => o.id === requested) : undefined) ??
      meeting.nextOccurrence ??
      meeting.occurrences.at(-1) ??
      null
    );
  }

  /** The minutes card needs to know whether there are minutes: asked once the occurrence's room has opened. */
  private async fetchMinutes(signal: AbortSignal): Promise<Minutes | null> {
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    if (!meeting || meeting.status !== 'scheduled' || !occurrence || occurrence.state === 'cancelled' || !this.started(occurrence)) return null;
    try {
      return await meetingsApi.minutes(meeting.id, occurrence.id, signal);
    } catch (error) {
      if (isAbort(error)) throw error;
      return null;
    }
  }

  private started(occurrence: Occurrence): boolean {
    return this.now >= new Date(occurrence.startsAt).getTime() - ROOM_OPENS_BEFORE_MS;
  }

  private async fetchAttendance(signal: AbortSignal): Promise<Attendance | null> {
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    if (!meeting || meeting.status !== 'scheduled' || !occurrence) return null;
    try {
      return await meetingsApi.attendance(meeting.id, occurrence.id, signal);
    } catch (error) {
      if (isAbort(error)) throw error;
      // The rest of the page is still right; say what failed where attendance would be.
      if (!isApiError(error) || error.status !== 409) this.services.toast(describeError(error), 'error');
      return null;
    }
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type === 'forbidden') {
      // The meeting is gone for this person (no longer invited): show what the server says.
      void this.loaded.run();
      return;
    }
    if (message.type === 'resync') {
      void this.loaded.run();
      return;
    }
    if (message.type !== 'event') return;
    if (this.loaded.loading || !this.meeting) {
      this.reloadAfterLoad = true;
      return;
    }
    const payload = message.payload as Record<string, unknown>;
    switch (message.event) {
      case 'meeting.updated': {
        const neutral = payload.meeting as MeetingDetail;
        const before = this.meeting;
        this.meeting = withOwnFields(neutral, before);
        if (before.status !== neutral.status || before.sequence !== neutral.sequence) this.announcement = msg('This meeting was just changed.');
        // A poll that closed, or a series that changed: answers belong to other occurrences now.
        if (before.status !== neutral.status || before.startsAt !== neutral.startsAt) void this.refreshAfterChange();
        return;
      }
      case 'poll.updated': {
        if (this.poll?.meetingId === message.payload.meetingId) this.poll = withPollCounts(this.poll, message.payload);
        // Who answered what, the countries covered, the ranking and changed slots are not in the event. A
        // closed poll changes no more: the close's meeting.updated has loaded it (refreshAfterChange).
        if (message.payload.closedAt === null) this.pollRefresh.poke();
        else this.pollRefresh.cancel();
        return;
      }
      case 'minutes.published':
        void this.occurrenceData.run();
        return;
      case 'attendance.updated': {
        const occurrenceId = payload.occurrenceId as string;
        if (this.attendance && this.attendance.occurrenceId === occurrenceId) {
          this.attendance = {
            ...this.attendance,
            counts: payload.counts as Attendance['counts'],
            countriesWithNobodyGoing: payload.countriesWithNobodyGoing as string[],
          };
          // The grouping by country is not in the event: fetch it, once for a burst of answers.
          this.attendanceRefresh.poke();
        }
        return;
      }
    }
  }

  /** The full poll (the events carry its counts only). */
  private refreshPoll() {
    const meetingId = this.meeting?.poll ? this.meeting.id : null;
    if (!meetingId) return;
    // The person's own answers stay as this page last saved them: a slower read may predate a save.
    meetingsApi.poll(meetingId).then(
      (poll) => {
        if (this.meeting?.id === meetingId) this.poll = { ...poll, myAnswers: this.poll?.myAnswers ?? poll.myAnswers };
      },
      () => undefined, // The poll stays as shown; the next event or a reload updates it.
    );
  }

  private async refreshAfterChange() {
    const meeting = this.meeting;
    if (!meeting) return;
    if (meeting.poll) {
      try {
        this.poll = await meetingsApi.poll(meeting.id);
      } catch {
        // The poll stays as it was shown; the next event or a reload updates it.
      }
    }
    await this.occurrenceData.run();
  }

  private onMeetingChanged(event: CustomEvent<MeetingDetail>) {
    this.meeting = event.detail;
    void this.refreshAfterChange();
  }

  protected override render() {
    const back = html`<p class="small"><a href="/meetings">${msg('← All meetings')}</a></p>`;
    if (this.loaded.failed) {
      const notFound = isApiError(this.loaded.error) && this.loaded.error.status === 404;
      return html`${back}
        <h1 tabindex="-1">${notFound ? msg('Meeting not found') : msg('The meeting could not be loaded')}</h1>
        ${this.loaded.renderFailure(notFound ? { message: msg('It may have been removed, or you are not invited to it.'), retry: false } : undefined)}`;
    }
    if (!this.meeting) {
      return html`${back}
        <h1 tabindex="-1" class="visually-hidden">${msg('Meeting')}</h1>
        ${this.loaded.renderLoading(msg('Loading the meeting…'))}`;
    }
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    return html`
      ${back}
      <div class="page-header">
        <div class="badges">
          <span class="badge badge-muted">${kindLabel(meeting.kind)}</span>
          <span class=${meeting.status === 'cancelled' ? 'badge badge-danger' : 'badge'}>${statusLabel(meeting.status)}</span>
          ${occurrence?.state === 'cancelled' && meeting.status !== 'cancelled' ? html`<span class="badge badge-danger">${msg('This occurrence is cancelled')}</span>` : nothing}
          ${occurrence?.state === 'moved' ? html`<span class="badge">${msg('Moved')}</span>` : nothing}
        </div>
        <h1 tabindex="-1">${meeting.title}</h1>
        <p class="muted">
          ${msg(str`Organized by ${meeting.organizer.displayName}`)}${meeting.recurrence
            ? html` · ${recurrenceText(meeting.recurrence, meeting.startsAt, meeting.timeZone)}`
            : nothing}
        </p>
        ${renderJoinNow(meeting, this.services)}
        <p class="visually-hidden" role="status">${this.announcement}</p>
      </div>
      ${meeting.status === 'cancelled'
        ? html`<div class="alert alert-error" role="status">
            <p><strong>${msg('This meeting is cancelled.')}</strong> ${meeting.cancelReason ? meeting.cancelReason : nothing}</p>
          </div>`
        : nothing}
      <div class="layout">
        <div class="main">
          ${this.renderWhen(meeting, occurrence)} ${this.renderRoom(meeting, occurrence)} ${this.renderMinutes(meeting, occurrence)} ${renderAgenda(meeting, this.services)}
          ${this.renderPoll(meeting)}
          ${this.renderAttendance(meeting)} ${this.renderOccurrences(meeting, occurrence)}
        </div>
        <aside aria-label=${msg('About this meeting')}>
          ${this.renderManage(meeting)} ${renderJoin(meeting, this.services)} ${renderCalendar(meeting, this.services)} ${renderInvitees(meeting, this.services)} ${renderLinks(meeting, this.services)}
          <section aria-label=${msg('Change history')}>
            <cn-meeting-history .meetingId=${meeting.id} .sequence=${meeting.sequence}></cn-meeting-history>
          </section>
        </aside>
      </div>
      ${this.renderCancelDialog()}
    `;
  }

  private renderWhen(meeting: MeetingDetail, occurrence: Occurrence | null) {
    return html`
      <section class="card" aria-labelledby="when-title">
        <h2 id="when-title">${msg('When')}</h2>
        ${occurrence
          ? html`<cn-meeting-times
              class="when"
              ?struck=${occurrence.state === 'cancelled'}
              .startsAt=${occurrence.startsAt}
              .endsAt=${occurrence.endsAt}
              .organizerZone=${meeting.timeZone}
              .countries=${meeting.invitedCountries}
            ></cn-meeting-times>`
          : html`<p>${msg('The date is not chosen yet: it will be the proposed time that suits most invitees.')}</p>`}
        <cn-time-zone-notice></cn-time-zone-notice>
      </section>
    `;
  }

  /**
   * The live room from 15 minutes before the start until the end of the occurrence shown; after
   * that, the room's record (transcript, polls, attendance). The server's clock decides: the room
   * says when its own answer differs.
   */
  private renderRoom(meeting: MeetingDetail, occurrence: Occurrence | null) {
    if (!occurrence || meeting.status !== 'scheduled' || occurrence.state === 'cancelled') return nothing;
    const start = new Date(occurrence.startsAt).getTime();
    if (this.now < start - ROOM_OPENS_BEFORE_MS) return nothing;
    return html`<cn-meeting-room
      .meeting=${meeting}
      .occurrence=${occurrence}
      .clock=${this.now}
      @cn-room-attendance=${(event: CustomEvent<{ occurrenceId: string; countriesPresent: string[] }>) =>
        (this.roomPresent = { occurrenceId: event.detail.occurrenceId, countryIds: event.detail.countriesPresent })}
    ></cn-meeting-room>`;
  }

  private renderMinutes(meeting: MeetingDetail, occurrence: Occurrence | null) {
    const minutes = this.minutes;
    if (!minutes || !occurrence || minutes.occurrenceId !== occurrence.id) return nothing;
    const href = `/meetings/${encodeURIComponent(meeting.id)}/minutes${occurrence.id !== 'single' ? `?occurrence=${encodeURIComponent(occurrence.id)}` : ''}`;
    const zone = viewerZone(this.user);
    if (!minutes.published && !minutes.mayWrite) return nothing;
    return html`
      <section class="card" aria-labelledby="minutes-title">
        <h2 id="minutes-title">${msg('Minutes', { desc: 'Type of document: the record of a meeting' })}</h2>
        ${minutes.published
          ? html`<p>${msg(str`Published on ${formatDayAndClock(minutes.published.publishedAt, zone)}.`)} <a href=${href}>${msg('Read the minutes')}</a></p>`
          : html`<p>${msg('Not published yet.')}</p>`}
        ${minutes.mayWrite
          ? html`<p><cn-button size="small"><a href=${href}>${minutes.draft && minutes.draft.revision > 0 ? msg('Continue the minutes') : msg('Write the minutes')}</a></cn-button></p>`
          : nothing}
      </section>
    `;
  }

  private renderPoll(meeting: MeetingDetail) {
    if (!meeting.poll || !this.poll) return nothing;
    return html`
      <section aria-labelledby="poll-title">
        <h2 id="poll-title">${msg('Availability poll')}</h2>
        <cn-meeting-poll
          .meeting=${meeting}
          .poll=${this.poll}
          @cn-poll-changed=${(event: CustomEvent<Poll>) => (this.poll = event.detail)}
          @cn-meeting-changed=${this.onMeetingChanged}
        ></cn-meeting-poll>
      </section>
    `;
  }

  private renderAttendance(meeting: MeetingDetail) {
    if (meeting.status !== 'scheduled' || !this.attendance) return nothing;
    return html`
      <section aria-labelledby="attendance-title">
        <h2 id="attendance-title">${msg('Attendance')}</h2>
        <cn-meeting-attendance
          .meeting=${meeting}
          .attendance=${this.attendance}
          .countriesPresent=${this.roomPresent?.occurrenceId === this.attendance.occurrenceId ? this.roomPresent.countryIds : []}
          @cn-attendance-changed=${(event: CustomEvent<Attendance>) => {
            this.attendance = event.detail;
            if (this.meeting) this.meeting = { ...this.meeting, myAttendance: event.detail.mine?.answer ?? null };
          }}
        ></cn-meeting-attendance>
      </section>
    `;
  }

  private renderOccurrences(meeting: MeetingDetail, occurrence: Occurrence | null) {
    if (!meeting.recurrence || meeting.occurrences.length < 2) return nothing;
    return html`
      <section aria-labelledby="occurrences-title">
        <h2 id="occurrences-title">${msg('All occurrences')}</h2>
        <cn-meeting-occurrences .meeting=${meeting} .selectedId=${occurrence?.id ?? ''} @cn-meeting-changed=${this.onMeetingChanged}></cn-meeting-occurrences>
      </section>
    `;
  }

  private renderManage(meeting: MeetingDetail) {
    if (!meeting.mayManage) return nothing;
    const open = meeting.status !== 'cancelled';
    return html`
      <section class="card" aria-labelledby="manage-title">
        <h2 id="manage-title">${msg('Organize')}</h2>
        <div class="row actions">
          ${open ? html`<cn-button><a href=${`/meetings/${encodeURIComponent(meeting.id)}/edit`}>${msg('Edit the meeting')}</a></cn-button>` : nothing}
          ${open ? html`<cn-button variant="danger"><button type="button" @click=${this.openCancel}>${msg('Cancel the meeting')}</button></cn-button>` : nothing}
        </div>
      </section>
    `;
  }

  private renderCancelDialog() {
    return html`
      <cn-dialog id="cancel-dialog" label=${msg('Cancel this meeting?')}>
        <form id="cancel-form" class="stack" @submit=${this.cancelMeeting}>
          <p>${msg('Every occurrence is cancelled, calendars show it as cancelled, and the invitees are told, with the reason if you give one.')}</p>
          ${this.cancelError ? html`<p class="alert alert-error" role="alert">${this.cancelError}</p>` : nothing}
          <cn-field>
            <label slot="label">${msg('Reason')} <span class="optional">${msg('(optional)')}</span></label>
            <textarea name="reason" rows="3" maxlength="1000"></textarea>
          </cn-field>
        </form>
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.cancelDialog()?.close()}>${msg('Keep the meeting')}</button></cn-button>
          <cn-button variant="danger" ?loading=${this.cancelling}><button type="submit" form="cancel-form">${msg('Cancel the meeting')}</button></cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private cancelDialog() {
    return this.renderRoot.querySelector<CnDialog>('#cancel-dialog');
  }

  private openCancel() {
    this.cancelError = '';
    const dialog = this.cancelDialog();
    if (dialog) dialog.open = true;
  }

  private async cancelMeeting(event: SubmitEvent) {
    event.preventDefault();
    if (!this.meeting || this.cancelling) return;
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    this.cancelling = true;
    try {
      this.meeting = await meetingsApi.cancel(this.meeting.id, reason);
      this.cancelDialog()?.close();
      this.services.toast(msg('The meeting is cancelled. The invitees are told.'), 'success');
    } catch (error) {
      this.cancelError = describeError(error);
    } finally {
      this.cancelling = false;
    }
  }
}
