import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { affiliationLabel, organizationAcronym } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import { PRODUCT_NAME } from '../../app/product.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import type { LiveTopicMessage } from '../../app/live-connection.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { postBodyStyles } from '../debates/post-styles.js';
import { sanitizedPostHtml } from '../debates/trusted-html.js';
import { icsHref, meetingsApi } from './meetings-api.js';
import { formatDayAndClock, viewerZone } from './meeting-time.js';
import { kindLabel, minutesLabel, recurrenceText, statusLabel } from './meetings-format.js';
import type { Attendance, MeetingDetail, Minutes, Occurrence, Poll } from './models.js';

/** The room opens this long before the start (docs/meetings-api.md, "Live room"). */
export const ROOM_OPENS_BEFORE_MS = 15 * 60_000;

/** A live event's meeting is rendered for a neutral viewer: keep this viewer's own fields. */
function withOwnFields(neutral: MeetingDetail, mine: MeetingDetail): MeetingDetail {
  return {
    ...neutral,
    myAttendance: mine.myAttendance,
    poll: neutral.poll && mine.poll ? { ...neutral.poll, answeredByMe: mine.poll.answeredByMe } : neutral.poll,
    description: mine.description,
    mayManage: mine.mayManage,
    mayAnswer: mine.mayAnswer,
  };
}

/**
 * One meeting: when it is (reader's zone, organizer's zone, the invited capitals), how to join,
 * the agenda, the availability poll while the date is open, attendance answers once scheduled,
 * the occurrences of a series, invitees, linked debates and documents, calendar links and the
 * change history. Everything follows the meeting's live topic; from 15 minutes before the start
 * until the end the page also holds the live room.
 */
export class CnMeetingPage extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    postBodyStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr);
        gap: var(--cn-space-5);
        align-items: start;
      }

      .main,
      aside,
      section {
        grid-template-columns: minmax(0, 1fr);
      }

      .main,
      aside {
        display: grid;
        gap: var(--cn-space-5);
      }

      section {
        display: grid;
        gap: var(--cn-space-3);
      }

      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }

      h1 {
        overflow-wrap: anywhere;
      }

      .row.actions {
        gap: var(--cn-space-2);
      }

      ol.agenda {
        margin: 0;
        padding-inline-start: var(--cn-space-5);
        display: grid;
        gap: var(--cn-space-2);
      }

      ol.agenda .sub {
        display: block;
        color: var(--cn-color-muted);
        font-size: 0.875rem;
      }

      .join-now {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cn-space-2) var(--cn-space-3);
      }

      .notes {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }

      ul.links {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-2);
      }

      ul.chips {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1) var(--cn-space-2);
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 0.9rem;
      }

      ul.chips li {
        background: var(--cn-color-neutral-soft);
        border-radius: 999px;
        padding: 0.1rem 0.6rem;
      }

      textarea {
        font: inherit;
        inline-size: 100%;
        padding: 0.5rem 0.7rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
      }

      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  static override properties = {
    meetingId: {},
    search: {},
    meeting: { state: true },
    poll: { state: true },
    attendance: { state: true },
    phase: { state: true },
    loadError: { state: true },
    cancelError: { state: true },
    cancelling: { state: true },
    now: { state: true },
    announcement: { state: true },
    minutes: { state: true },
    roomPresent: { state: true },
  };

  /** From the route /meetings/:id. */
  declare meetingId: string;
  /** The location's query: `occurrence` chooses one occurrence of a series. */
  declare search: string;
  declare private meeting: MeetingDetail | null;
  declare private poll: Poll | null;
  declare private attendance: Attendance | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private cancelError: string;
  declare private cancelling: boolean;
  declare private now: number;
  declare private announcement: string;
  /** The shown occurrence's minutes (once its room has opened), for the minutes card. */
  declare private minutes: Minutes | null;
  /** The countries the room's attendance record holds for an occurrence, as the room shows them (live). */
  declare private roomPresent: { occurrenceId: string; countryIds: string[] } | null;

  private loadToken = 0;
  private loading = false;
  private reloadAfterLoad = false;
  private clock: number | undefined;
  private attendanceTimer: number | undefined;

  // Subscribed before loading (the controller connects first), so no change is missed meanwhile.
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.meetingId ? [`meeting:${this.meetingId}`] : []),
    onMessage: (message) => this.onLive(message),
  });

  constructor() {
    super();
    this.meetingId = '';
    this.search = '';
    this.meeting = null;
    this.poll = null;
    this.attendance = null;
    this.roomPresent = null;
    this.phase = 'loading';
    this.loadError = null;
    this.cancelError = '';
    this.cancelling = false;
    this.now = Date.now();
    this.announcement = '';
    this.minutes = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The room opens and closes with the clock: look again every 20 seconds.
    this.clock = window.setInterval(() => (this.now = Date.now()), 20_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.clock);
    window.clearTimeout(this.attendanceTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('meetingId') && this.meetingId) void this.load();
    else if (changed.has('search') && this.meeting) void this.loadAttendance();
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

  private async load() {
    const token = ++this.loadToken;
    this.loading = true;
    if (!this.meeting || this.meeting.id !== this.meetingId) {
      this.phase = 'loading';
      this.meeting = null;
      this.poll = null;
      this.attendance = null;
    }
    try {
      const meeting = await meetingsApi.get(this.meetingId);
      const poll = meeting.poll ? await meetingsApi.poll(meeting.id) : null;
      if (token !== this.loadToken) return;
      this.meeting = meeting;
      this.poll = poll;
      this.phase = 'ready';
      document.title = [meeting.title, this.user?.groupName, PRODUCT_NAME].filter(Boolean).join(' · ');
      await this.loadAttendance();
    } catch (error) {
      if (token !== this.loadToken) return;
      this.loadError = error;
      this.phase = 'failed';
    } finally {
      if (token === this.loadToken) {
        this.loading = false;
        if (this.reloadAfterLoad) {
          this.reloadAfterLoad = false;
          void this.load();
        }
      }
    }
  }

  /** The minutes card needs to know whether there are minutes: asked once the occurrence's room has opened. */
  private async loadMinutes() {
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    if (!meeting || meeting.status !== 'scheduled' || !occurrence || occurrence.state === 'cancelled' || !this.started(occurrence)) {
      this.minutes = null;
      return;
    }
    try {
      const minutes = await meetingsApi.minutes(meeting.id, occurrence.id);
      if (this.meeting?.id === meeting.id) this.minutes = minutes;
    } catch {
      this.minutes = null;
    }
  }

  private started(occurrence: Occurrence): boolean {
    return this.now >= new Date(occurrence.startsAt).getTime() - ROOM_OPENS_BEFORE_MS;
  }

  private async loadAttendance() {
    void this.loadMinutes();
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    if (!meeting || meeting.status !== 'scheduled' || !occurrence) {
      this.attendance = null;
      return;
    }
    try {
      const attendance = await meetingsApi.attendance(meeting.id, occurrence.id);
      if (this.meeting?.id === meeting.id) this.attendance = attendance;
    } catch (error) {
      // The rest of the page is still right; say what failed where attendance would be.
      if (!isApiError(error) || error.status !== 409) this.services.toast(describeError(error), 'error');
      this.attendance = null;
    }
  }

  private onLive(message: LiveTopicMessage) {
    if (message.type === 'forbidden') {
      // The meeting is gone for this person (no longer invited): show what the server says.
      void this.load();
      return;
    }
    if (message.type === 'resync') {
      void this.load();
      return;
    }
    if (message.type !== 'event') return;
    if (this.loading || !this.meeting) {
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
        const poll = payload.poll as Poll;
        this.poll = { ...poll, myAnswers: this.poll?.myAnswers ?? {} };
        return;
      }
      case 'minutes.published':
        void this.loadMinutes();
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
          window.clearTimeout(this.attendanceTimer);
          this.attendanceTimer = window.setTimeout(() => void this.loadAttendance(), 800);
        }
        return;
      }
    }
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
    await this.loadAttendance();
  }

  private onMeetingChanged(event: CustomEvent<MeetingDetail>) {
    this.meeting = event.detail;
    void this.refreshAfterChange();
  }

  protected override render() {
    const back = html`<p class="small"><a href="/meetings">${msg('← All meetings')}</a></p>`;
    if (this.phase === 'loading' && !this.meeting) {
      return html`${back}
        <h1 tabindex="-1" class="visually-hidden">${msg('Meeting')}</h1>
        <div class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the meeting…')}</div>`;
    }
    if (this.phase === 'failed' || !this.meeting) {
      const notFound = isApiError(this.loadError) && this.loadError.status === 404;
      return html`${back}
        <div class="stack" role="alert">
          <h1 tabindex="-1">${notFound ? msg('Meeting not found') : msg('The meeting could not be loaded')}</h1>
          <p>${notFound ? msg('It may have been removed, or you are not invited to it.') : describeError(this.loadError)}</p>
          ${notFound ? nothing : html`<div><cn-button><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>`}
        </div>`;
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
        ${this.renderJoinNow(meeting)}
        <p class="visually-hidden" role="status">${this.announcement}</p>
      </div>
      ${meeting.status === 'cancelled'
        ? html`<div class="alert alert-error" role="status">
            <p><strong>${msg('This meeting is cancelled.')}</strong> ${meeting.cancelReason ? meeting.cancelReason : nothing}</p>
          </div>`
        : nothing}
      <div class="layout">
        <div class="main">
          ${this.renderWhen(meeting, occurrence)} ${this.renderRoom(meeting, occurrence)} ${this.renderMinutes(meeting, occurrence)} ${this.renderAgenda(meeting)}
          ${this.renderPoll(meeting)}
          ${this.renderAttendance(meeting)} ${this.renderOccurrences(meeting, occurrence)}
        </div>
        <aside aria-label=${msg('About this meeting')}>
          ${this.renderManage(meeting)} ${this.renderJoin(meeting)} ${this.renderCalendar(meeting)} ${this.renderInvitees(meeting)} ${this.renderLinks(meeting)}
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

  private renderAgenda(meeting: MeetingDetail) {
    const total = meeting.agenda.reduce((sum, item) => sum + item.minutes, 0);
    if (!meeting.descriptionHtml && meeting.agenda.length === 0) return nothing;
    return html`
      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">${msg('Agenda')}</h2>
        ${meeting.descriptionHtml ? html`<div class="post-body">${sanitizedPostHtml(meeting.descriptionHtml, this.services.countries)}</div>` : nothing}
        ${meeting.agenda.length > 0
          ? html`<ol class="agenda">
                ${meeting.agenda.map(
                  (item) => html`<li>
                    <strong>${item.title}</strong>
                    <span class="sub">${[item.presenter, item.minutes ? minutesLabel(item.minutes) : ''].filter(Boolean).join(' · ')}</span>
                  </li>`,
                )}
              </ol>
              ${total > 0 ? html`<p class="small muted">${msg(str`Planned time: ${minutesLabel(total)}`)}</p>` : nothing}`
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
            this.meeting = this.meeting ? { ...this.meeting, myAttendance: event.detail.mine?.answer ?? null } : this.meeting;
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

  /**
   * The call's link under the title, where a phone shows it on the first screen (the aside with
   * the access notes comes after the whole page there).
   */
  private renderJoinNow(meeting: MeetingDetail) {
    if (!meeting.onlineUrl || meeting.status === 'cancelled') return nothing;
    return html`<p class="join-now">
      <cn-button variant="primary"><a class="online" href=${meeting.onlineUrl} target="_blank" rel="noopener noreferrer">${msg('Join the call')}</a></cn-button>
      <span class="small muted">${new URL(meeting.onlineUrl).host}</span>
    </p>`;
  }

  private renderJoin(meeting: MeetingDetail) {
    if (!meeting.accessNotes) return nothing;
    return html`
      <section class="card join" aria-labelledby="join-title">
        <h2 id="join-title">${meeting.kind === 'in_person_meeting' ? msg('Where and how to join') : msg('How to join')}</h2>
        ${meeting.accessNotes
          ? html`<div>
              <h3 class="visually-hidden">${msg('Access notes')}</h3>
              <p class="notes">${meeting.accessNotes}</p>
            </div>`
          : nothing}
      </section>
    `;
  }

  private renderCalendar(meeting: MeetingDetail) {
    if (meeting.status === 'polling') return nothing;
    const links = meeting.calendarLinks;
    return html`
      <section class="card" aria-labelledby="calendar-title">
        <h2 id="calendar-title">${msg('Add to your calendar')}</h2>
        <ul class="links">
          <li><a href=${icsHref(meeting.id)} download=${`meeting-${meeting.id}.ics`}>${msg('Download the .ics file')}</a></li>
          ${links
            ? html`<li><a href=${links.google} target="_blank" rel="noopener noreferrer">${msg('Add to Google Calendar')}</a></li>
                <li><a href=${links.outlook} target="_blank" rel="noopener noreferrer">${msg('Add to Outlook (work or school account)')}</a></li>
                <li><a href=${links.outlookLive} target="_blank" rel="noopener noreferrer">${msg('Add to Outlook.com (personal account)')}</a></li>`
            : nothing}
        </ul>
        <p class="small muted">${msg('To have every meeting in your calendar, subscribe to your personal feed:')} <a href="/profile#calendar">${msg('calendar settings')}</a></p>
      </section>
    `;
  }

  private renderInvitees(meeting: MeetingDetail) {
    const countries = this.services.countries;
    const organizations = this.services.organizations;
    return html`
      <section class="card" aria-labelledby="invitees-title">
        <h2 id="invitees-title">${msg('Invitees')}</h2>
        ${meeting.invitees.everyone ? html`<p>${msg('Everyone in the group.')}</p>` : nothing}
        ${meeting.invitedCountries.length > 0
          ? html`<h3>${msg('Countries')}</h3>
              <ul class="chips">
                ${meeting.invitedCountries.map((country) => html`<li>${pickContent(country.nameEs, country.nameEn)}</li>`)}
              </ul>`
          : nothing}
        ${meeting.invitedOrganizations.length > 0
          ? html`<h3>${msg('Organizations')}</h3>
              <ul class="chips">
                ${meeting.invitedOrganizations.map((o) => html`<li title=${pickContent(o.nameEs, o.nameEn)}>${organizationAcronym(o)}</li>`)}
              </ul>`
          : nothing}
        ${meeting.people.length > 0
          ? html`<h3>${msg('People')}</h3>
              <ul class="chips">
                ${meeting.people.map((person) => {
                  const affiliation = affiliationLabel(person, countries, organizations);
                  return html`<li><a href=${`/people/${encodeURIComponent(person.id)}`}>${person.displayName}</a>${affiliation ? ` · ${affiliation}` : ''}</li>`;
                })}
              </ul>`
          : nothing}
      </section>
    `;
  }

  private renderLinks(meeting: MeetingDetail) {
    if (meeting.threads.length === 0 && meeting.documents.length === 0) return nothing;
    return html`
      <section class="card" aria-labelledby="links-title">
        <h2 id="links-title">${msg('Related debates and documents')}</h2>
        <ul class="links">
          ${meeting.threads.map((thread) => html`<li>${msg('Debate:')} <a href=${`/debates/t/${encodeURIComponent(thread.id)}`}>${thread.title}</a></li>`)}
          ${meeting.documents.map(
            (document) => html`<li>${msg('Document:')} <a href=${`/documents/${encodeURIComponent(document.id)}`}>${pickContent(document.title.es, document.title.en)}</a></li>`,
          )}
        </ul>
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
