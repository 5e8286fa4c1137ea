import { css, html, nothing, type PropertyValues } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { ContextConsumer } from '@lit/context';
import { isApiError } from '../../app/api.js';
import { AppElement } from '../../app/base-element.js';
import { liveContext } from '../../app/contexts.js';
import { describeError } from '../../app/errors.js';
import { affiliationLabel, compareText, countryName, formatNumber } from '../../app/format.js';
import type { LiveConnection, LivePresenceUser, LiveStatus, LiveStatusEvent, LiveTopicMessage } from '../../app/live-connection.js';
import { LiveSubscriptionController } from '../../controllers/live-subscription-controller.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import type { CnMarkdownEditor } from '../debates/markdown-editor.js';
import { postBodyStyles } from '../debates/post-styles.js';
import { sanitizedPostHtml } from '../debates/trusted-html.js';
import { formatClock, formatDayAndClock, viewerZone } from './meeting-time.js';
import { exportHref, meetingsApi } from './meetings-api.js';
import { minutesLabel } from './meetings-format.js';
import type { Attendee, ChatMessage, MeetingDetail, Occurrence, PersonRef, QuickPoll, Room, RoomAttendance } from './models.js';

const TYPING_SHOWN_MS = 6_000;

/** The words of a yes/no/abstain option; the manager's label otherwise. */
export function quickOptionLabel(option: { id: string; label: string | null }): string {
  if (option.label) return option.label;
  switch (option.id) {
    case 'yes':
      return msg('Yes', { desc: 'An answer in a poll' });
    case 'no':
      return msg('No', { desc: 'An answer in a poll' });
    case 'abstain':
      return msg('Abstain', { desc: 'Quick poll option' });
    default:
      return option.id;
  }
}

function describeRoomError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'room_closed':
      return msg('The room is closed.');
    case 'country_already_answered':
      return msg('Someone of your delegation has already answered for your country.');
    case 'no_country':
      return msg('This poll is answered by countries; you do not represent one.');
    case 'poll_closed':
      return msg('This poll is closed.');
    case 'invalid_options':
      return msg('Give from 2 to 10 different options.');
    case 'unknown_option':
      return msg('That option is not in the poll any more. Reload the page.');
    case 'occurrence_not_started':
      return msg('Attendance can be recorded once the room opens.');
    case 'not_invited':
      return msg('This person may not see the meeting.');
    case 'meeting_cancelled':
      return msg('This meeting is cancelled.');
    default:
      return describeError(error);
  }
}

/**
 * The live room of one occurrence, from 15 minutes before it starts until it ends: who is here
 * now (presence on the meeting's live topic), the agenda item being discussed (managers move it),
 * the chat, quick polls with live results, and the attendance record (joining the room records
 * one; managers mark people who were only on the call). After the room closes it stays readable:
 * the transcript, the polls' results and who attended. A lost connection is shown, and everything
 * missed meanwhile arrives once it is back.
 */
export class CnMeetingRoom extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    postBodyStyles,
    css`
      :host {
        display: block;
      }

      .room {
        display: grid;
        gap: var(--cn-space-4);
        border-color: var(--cn-color-primary);
        border-width: 2px;
      }

      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: var(--cn-space-2);
      }

      .live {
        display: inline-flex;
        align-items: center;
        gap: var(--cn-space-2);
        font-size: 0.875rem;
        font-weight: 600;
      }

      .dot {
        inline-size: 0.6rem;
        block-size: 0.6rem;
        border-radius: 50%;
        background: var(--cn-color-success);
      }

      .live.lost .dot {
        background: var(--cn-color-danger);
      }

      .live.lost {
        color: var(--cn-color-danger-strong);
      }

      .grid {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
        gap: var(--cn-space-4);
        align-items: start;
      }

      .column {
        display: grid;
        gap: var(--cn-space-4);
      }

      .panel {
        display: grid;
        gap: var(--cn-space-2);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-3);
        background: var(--cn-color-surface);
      }

      .panel h3 {
        font-size: 1rem;
      }

      ol.agenda {
        margin: 0;
        padding-inline-start: var(--cn-space-5);
        display: grid;
        gap: var(--cn-space-1);
      }

      ol.agenda li[aria-current='step'] {
        font-weight: 700;
        color: var(--cn-color-primary-strong);
      }

      .now {
        background: var(--cn-color-primary-soft);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-2) var(--cn-space-3);
      }

      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }

      ul.people {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-1);
        font-size: 0.9375rem;
      }

      .sub {
        color: var(--cn-color-muted);
        font-size: 0.8125rem;
      }

      /* The log is the scroller around the list: role="log" on the <ol> itself would take its list semantics away. */
      .chat-log {
        max-block-size: 28rem;
        overflow-y: auto;
        padding-inline-end: var(--cn-space-2);
      }

      ol.chat {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--cn-space-3);
      }

      ol.chat li {
        display: grid;
        gap: 2px;
      }

      .who {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      .who strong {
        color: var(--cn-color-text);
      }

      .typing {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
        min-block-size: 1.2em;
      }

      .poll {
        display: grid;
        gap: var(--cn-space-2);
        border-block-start: 1px solid var(--cn-color-border);
        padding-block-start: var(--cn-space-2);
      }

      .poll:first-of-type {
        border-block-start: 0;
        padding-block-start: 0;
      }

      .bar {
        display: grid;
        grid-template-columns: minmax(6rem, 1fr) 2fr auto;
        gap: var(--cn-space-2);
        align-items: center;
        font-size: 0.875rem;
      }

      /* A <progress>, not a width set in a style attribute: the CSP (style-src 'self') refuses inline styles. */
      progress.track {
        appearance: none;
        display: block;
        inline-size: 100%;
        block-size: 0.6rem;
        border: 0;
        border-radius: 999px;
        background: var(--cn-color-neutral-soft);
        overflow: hidden;
      }

      progress.track::-webkit-progress-bar {
        background: var(--cn-color-neutral-soft);
      }

      progress.track::-webkit-progress-value {
        background: var(--cn-color-primary);
      }

      progress.track::-moz-progress-bar {
        background: var(--cn-color-primary);
      }

      button[aria-pressed='true'] {
        font-weight: 700;
      }

      input,
      select,
      textarea {
        font: inherit;
        inline-size: 100%;
        padding: 0.35rem 0.55rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
      }

      details summary {
        cursor: pointer;
        font-weight: 600;
      }

      @media (max-width: 900px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  static override properties = {
    meeting: { attribute: false },
    occurrence: { attribute: false },
    clock: { attribute: false },
    room: { state: true },
    phase: { state: true },
    loadError: { state: true },
    messages: { state: true },
    nextCursor: { state: true },
    presence: { state: true },
    attendance: { state: true },
    liveStatus: { state: true },
    error: { state: true },
    chatError: { state: true },
    sending: { state: true },
    typing: { state: true },
    announcement: { state: true },
    people: { state: true },
  };

  declare meeting: MeetingDetail;
  declare occurrence: Occurrence;
  /** The page's clock (ms), ticking: the room opens and closes with it. */
  declare clock: number;
  declare private room: Room | null;
  declare private phase: 'loading' | 'ready' | 'failed';
  declare private loadError: unknown;
  declare private messages: ChatMessage[];
  declare private nextCursor: string | null;
  declare private presence: LivePresenceUser[];
  declare private attendance: RoomAttendance | null;
  declare private liveStatus: LiveStatus;
  declare private error: string;
  declare private chatError: string;
  declare private sending: boolean;
  declare private typing: Map<string, { name: string; until: number }>;
  declare private announcement: string;
  /** Whom a manager may mark present: the people the meeting invites. */
  declare private people: PersonRef[] | null;

  private loadedFor = '';
  private wasDisconnected = false;
  private typingTimer: number | undefined;
  private connection: LiveConnection | null = null;

  private get topic() {
    return this.meeting ? `meeting:${this.meeting.id}` : '';
  }

  // Events of the room (and the rest of the meeting, which the page handles).
  private live = new LiveSubscriptionController(this, {
    topics: () => (this.topic ? [this.topic] : []),
    onMessage: (message) => this.onLive(message),
  });

  // "I am here": only while the room is open.
  private here = new LiveSubscriptionController(this, {
    topics: () => (this.topic && this.room?.open ? [this.topic] : []),
    presence: true,
    onMessage: () => undefined,
  });

  private liveConsumer = new ContextConsumer(this, {
    context: liveContext,
    subscribe: true,
    callback: (connection) => this.follow(connection ?? null),
  });

  constructor() {
    super();
    this.clock = Date.now();
    this.room = null;
    this.phase = 'loading';
    this.loadError = null;
    this.messages = [];
    this.nextCursor = null;
    this.presence = [];
    this.attendance = null;
    this.liveStatus = 'open';
    this.error = '';
    this.chatError = '';
    this.sending = false;
    this.typing = new Map();
    this.announcement = '';
    this.people = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(null);
    window.clearTimeout(this.typingTimer);
  }

  private follow(connection: LiveConnection | null) {
    this.connection?.removeEventListener('live-status', this.onStatus);
    this.connection = connection;
    connection?.addEventListener('live-status', this.onStatus);
    if (connection) this.liveStatus = connection.status;
  }

  private onStatus = (event: LiveStatusEvent) => {
    if (event.status === 'reconnecting' || event.status === 'offline') this.wasDisconnected = true;
    this.liveStatus = event.status;
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = this.meeting && this.occurrence ? `${this.meeting.id}/${this.occurrence.id}` : '';
    if (key && key !== this.loadedFor) {
      this.loadedFor = key;
      void this.load();
    } else if (changed.has('clock') && this.room && this.phase === 'ready') {
      const opens = new Date(this.room.opensAt).getTime();
      const closes = new Date(this.room.closesAt).getTime();
      // The room's time came or went: ask the server (its clock decides).
      if ((this.room.open && this.clock >= closes) || (!this.room.open && this.clock >= opens && this.clock < closes)) void this.load();
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // The page's attendance panel takes who is present from here: one record for both.
    if (changed.has('attendance') && this.attendance) {
      const { occurrenceId, countriesPresent } = this.attendance;
      this.dispatchEvent(new CustomEvent('cn-room-attendance', { detail: { occurrenceId, countriesPresent }, bubbles: true, composed: true }));
    }
  }

  private async load() {
    const meeting = this.meeting;
    const occurrence = this.occurrence;
    this.phase = this.room ? this.phase : 'loading';
    try {
      const [room, page, attendance] = await Promise.all([
        meetingsApi.room(meeting.id, occurrence.id),
        meetingsApi.messages(meeting.id, occurrence.id, null),
        meetingsApi.roomAttendance(meeting.id, occurrence.id),
      ]);
      if (this.meeting?.id !== meeting.id || this.occurrence?.id !== occurrence.id) return;
      this.room = room;
      this.messages = mergeMessages(this.messages.filter((m) => m.occurrenceId === occurrence.id), page.items);
      this.nextCursor = page.nextCursor;
      this.attendance = attendance;
      this.phase = 'ready';
      if (room.open) await this.join();
      if (room.mayManage) void this.loadPeople();
      await this.updateComplete;
      this.scrollChatToEnd();
    } catch (error) {
      this.loadError = error;
      this.phase = 'failed';
    }
  }

  /** Records my attendance of the open room; again after a reconnect (the server keeps the first join). */
  private async join() {
    try {
      const { room } = await meetingsApi.joinRoom(this.meeting.id);
      this.room = { ...room, polls: mergePolls(room.polls, this.room?.polls ?? []) };
    } catch (error) {
      this.error = describeRoomError(error);
      if (isApiError(error) && error.code === 'room_closed' && this.room) this.room = { ...this.room, open: false };
    }
  }

  private async loadPeople() {
    if (this.people !== null) return;
    this.people = [];
    try {
      this.people = await meetingsApi.invitees(this.meeting.id);
    } catch {
      // Marking by hand waits for a reload; the rest of the room works.
    }
  }

  private onLive(message: LiveTopicMessage) {
    if (message.topic !== this.topic) return;
    switch (message.type) {
      case 'presence':
        this.presence = message.users;
        return;
      case 'typing': {
        if (message.user.id === this.user?.id) return;
        const typing = new Map(this.typing);
        typing.set(message.user.id, { name: message.user.displayName, until: Date.now() + TYPING_SHOWN_MS });
        this.typing = typing;
        window.clearTimeout(this.typingTimer);
        this.typingTimer = window.setTimeout(() => this.expireTyping(), TYPING_SHOWN_MS + 100);
        return;
      }
      case 'resync':
        void this.load();
        return;
      case 'subscribed':
        // Back after a lost connection: what was missed has just been replayed; say so, and join again.
        if (this.wasDisconnected) {
          this.wasDisconnected = false;
          this.announcement = msg('The connection is back. You are up to date.');
          if (this.room?.open) void this.join();
        }
        return;
      case 'event':
        this.onEvent(message.event, message.payload as Record<string, unknown>);
        return;
      default:
        return;
    }
  }

  private onEvent(event: string, payload: Record<string, unknown>) {
    const room = this.room;
    if (!room) return;
    const occurrenceOf = (value: unknown) => (value as { occurrenceId?: string } | null)?.occurrenceId;
    switch (event) {
      case 'room.agenda': {
        if (occurrenceOf(payload) !== room.occurrenceId) return;
        const currentAgendaItemId = (payload.currentAgendaItemId as string | null) ?? null;
        this.room = {
          ...room,
          currentAgendaItemId,
          agendaChangedAt: (payload.agendaChangedAt as string | null) ?? null,
          agendaChangedBy: (payload.agendaChangedBy as Room['agendaChangedBy']) ?? null,
        };
        const item = this.meeting.agenda.find((a) => a.id === currentAgendaItemId);
        this.announcement = item ? msg(str`Now discussing: ${item.title}`) : msg('No agenda item is being discussed.');
        return;
      }
      case 'room.poll': {
        const poll = payload.poll as QuickPoll;
        if (poll.occurrenceId !== room.occurrenceId) return;
        const mine = room.polls.find((p) => p.id === poll.id);
        let merged = mine ? { ...poll, myAnswer: mine.myAnswer, answeredBy: mine.answeredBy } : poll;
        // In a poll per country my answer is my delegation's: when it changed, someone else of my country gave it.
        // The neutral event says what, not who: the room, asked for this viewer, says who.
        const countryId = this.user?.countryId ?? null;
        const countryAnswer = poll.scope === 'country' && countryId ? (poll.countries.find((c) => c.countryId === countryId)?.optionId ?? null) : merged.myAnswer;
        if (countryAnswer !== merged.myAnswer) {
          merged = { ...merged, myAnswer: countryAnswer, answeredBy: null };
          void this.refreshMyAnswers();
        }
        this.room = { ...room, polls: mine ? room.polls.map((p) => (p.id === poll.id ? merged : p)) : [merged, ...room.polls] };
        if (!mine) this.announcement = msg(str`New poll: ${poll.question}`);
        return;
      }
      case 'room.message': {
        const message = payload.message as ChatMessage;
        if (message.occurrenceId !== room.occurrenceId) return;
        const atEnd = this.chatAtEnd();
        this.messages = mergeMessages(this.messages, [message]);
        const typing = new Map(this.typing);
        if (typing.delete(message.author.id)) this.typing = typing;
        if (atEnd || message.author.id === this.user?.id) void this.updateComplete.then(() => this.scrollChatToEnd());
        return;
      }
      case 'room.attendance': {
        if (occurrenceOf(payload) !== room.occurrenceId) return;
        const attendee = payload.attendee as Attendee;
        const present = payload.present as boolean;
        this.room = { ...room, attendeeCount: payload.attendeeCount as number };
        const attendance = this.attendance;
        if (attendance) {
          const others = attendance.attendees.filter((a) => a.person.id !== attendee.person.id);
          const countriesPresent = (payload.countriesPresent as string[]) ?? attendance.countriesPresent;
          const invited = new Set([...attendance.countriesPresent, ...attendance.countriesAbsent]);
          this.attendance = {
            ...attendance,
            attendees: present ? [...others, attendee] : others,
            countriesPresent,
            countriesAbsent: [...invited].filter((id) => !countriesPresent.includes(id)),
            count: payload.attendeeCount as number,
          };
        }
        return;
      }
      default:
        return;
    }
  }

  private expireTyping() {
    const now = Date.now();
    const typing = new Map([...this.typing].filter(([, entry]) => entry.until > now));
    if (typing.size !== this.typing.size) this.typing = typing;
    if (typing.size > 0) this.typingTimer = window.setTimeout(() => this.expireTyping(), 1000);
  }

  // ---- rendering ----------------------------------------------------------------------------

  protected override render() {
    if (this.phase === 'loading') {
      return html`<section class="card" aria-label=${msg('Live room')}>
        <p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Opening the room…')}</p>
      </section>`;
    }
    if (this.phase === 'failed' || !this.room) {
      return html`<section class="card stack" aria-label=${msg('Live room')}>
        <p class="alert alert-error" role="alert">${describeRoomError(this.loadError)}</p>
        <div><cn-button size="small"><button type="button" @click=${() => this.load()}>${msg('Try again')}</button></cn-button></div>
      </section>`;
    }
    const room = this.room;
    const zone = viewerZone(this.user);
    const lost = this.liveStatus === 'reconnecting' || this.liveStatus === 'offline';
    return html`
      <section class="card room" aria-labelledby="room-title">
        <div class="head">
          <div>
            <h2 id="room-title">${room.open ? msg('Live room') : msg('Room record')}</h2>
            <p class="small muted">
              ${room.open
                ? msg(str`Open until ${formatClock(room.closesAt, zone)} (your time).`)
                : new Date(room.opensAt).getTime() > Date.now()
                  ? msg(str`Opens at ${formatDayAndClock(room.opensAt, zone)} (your time).`)
                  : msg('The room is closed: what was said and decided stays here.')}
            </p>
          </div>
          ${room.open
            ? html`<p class=${lost ? 'live lost' : 'live'} role="status">
                <span class="dot" aria-hidden="true"></span>${lost ? msg('Connection lost. Reconnecting… Nothing is missed.') : msg('Live')}
              </p>`
            : nothing}
        </div>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        <div class="grid">
          <div class="column">${this.renderAgenda(room)} ${this.renderChat(room)}</div>
          <div class="column">${room.open ? this.renderPresence() : nothing} ${this.renderPolls(room)} ${this.renderAttendance(room)}</div>
        </div>
      </section>
    `;
  }

  private renderAgenda(room: Room) {
    const agenda = this.meeting.agenda;
    if (agenda.length === 0) return nothing;
    const index = agenda.findIndex((item) => item.id === room.currentAgendaItemId);
    const current = index >= 0 ? agenda[index]! : null;
    const manage = room.mayManage && room.open;
    return html`
      <div class="panel" aria-labelledby="room-agenda-title">
        <h3 id="room-agenda-title">${msg('Agenda')}</h3>
        <p class="now" role="status">
          ${current ? html`${msg('Now:')} <strong class="current-item">${current.title}</strong>` : msg('The discussion has not reached the agenda yet.')}
        </p>
        <ol class="agenda">
          ${agenda.map(
            (item, i) => html`<li aria-current=${i === index ? 'step' : nothing}>
              ${item.title}${item.minutes ? html` <span class="sub">· ${minutesLabel(item.minutes)}</span>` : nothing}
            </li>`,
          )}
        </ol>
        ${manage
          ? html`<div class="buttons">
              <cn-button size="small"
                ><button type="button" ?disabled=${index < 0} @click=${() => this.setAgenda(index <= 0 ? null : agenda[index - 1]!.id)}>${msg('Previous item')}</button></cn-button
              >
              <cn-button size="small" variant="primary"
                ><button type="button" ?disabled=${index >= agenda.length - 1} @click=${() => this.setAgenda(agenda[index + 1]!.id)}>
                  ${index < 0 ? msg('Start the first item') : msg('Next item')}
                </button></cn-button
              >
            </div>`
          : nothing}
      </div>
    `;
  }

  private async setAgenda(agendaItemId: string | null) {
    this.error = '';
    try {
      const room = await meetingsApi.setAgendaItem(this.meeting.id, agendaItemId);
      this.room = { ...room, polls: mergePolls(room.polls, this.room?.polls ?? []) };
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }

  private renderPresence() {
    const countries = this.services.countries;
    const organizations = this.services.organizations;
    const people = [...this.presence].sort((a, b) => compareText(a.displayName, b.displayName));
    return html`
      <div class="panel" aria-labelledby="presence-title">
        <h3 id="presence-title">${msg(str`Here now (${formatNumber(people.length)})`)}</h3>
        ${people.length === 0
          ? html`<p class="sub">${msg('Connecting…')}</p>`
          : html`<ul class="people presence" aria-labelledby="presence-title">
              ${people.map((person) => {
                const where = affiliationLabel({ countryId: person.countryId, organizationId: null }, countries, organizations);
                return html`<li>${person.displayName}${where ? html` <span class="sub">· ${where}</span>` : nothing}</li>`;
              })}
            </ul>`}
      </div>
    `;
  }

  // ---- chat -----------------------------------------------------------------------------------

  private renderChat(room: Room) {
    const zone = viewerZone(this.user);
    const typing = [...this.typing.values()].filter((t) => t.until > Date.now()).map((t) => t.name);
    return html`
      <div class="panel" aria-labelledby="chat-title">
        <h3 id="chat-title">${room.open ? msg('Chat') : msg('Chat transcript')}</h3>
        ${this.nextCursor
          ? html`<div><cn-button size="small" variant="quiet"><button type="button" @click=${this.loadEarlier}>${msg('Show earlier messages')}</button></cn-button></div>`
          : nothing}
        ${this.messages.length === 0 ? html`<p class="sub">${room.open ? msg('No message yet. Say hello!') : msg('Nothing was written in the chat.')}</p>` : nothing}
        <div class="chat-log" role="log" aria-labelledby="chat-title" aria-live="polite" tabindex="0">
        <ol class="chat">
          ${repeat(
            this.messages,
            (message) => message.id,
            (message) => html`<li>
              <span class="who"><strong>${message.author.displayName}</strong> · <time datetime=${message.createdAt}>${formatClock(message.createdAt, zone)}</time></span>
              <div class="post-body">${sanitizedPostHtml(message.html, this.services.countries)}</div>
            </li>`,
          )}
        </ol>
        </div>
        ${room.open
          ? html`<form class="stack" @submit=${this.send} @cn-editor-submit=${(event: Event) => (event.currentTarget as HTMLFormElement).requestSubmit()}>
              <p class="typing" aria-live="polite">
                ${typing.length === 1 ? msg(str`${typing[0]} is writing…`) : typing.length > 1 ? msg(str`${typing.join(', ')} are writing…`) : ''}
              </p>
              <cn-markdown-editor
                .label=${msg('Your message')}
                .draftKey=${`concilia.meeting-chat.${this.meeting.id}.${room.occurrenceId}`}
                .error=${this.chatError}
                @cn-editor-typing=${() => this.connection?.sendTyping(this.topic)}
              ></cn-markdown-editor>
              <div>
                <cn-button variant="primary" ?loading=${this.sending}>
                  <button type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>${msg('Send')}</button>
                </cn-button>
              </div>
            </form>`
          : nothing}
      </div>
    `;
  }

  private chatList() {
    return this.renderRoot.querySelector<HTMLElement>('.chat-log');
  }

  private chatAtEnd(): boolean {
    const list = this.chatList();
    return !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  private scrollChatToEnd() {
    const list = this.chatList();
    if (list) list.scrollTop = list.scrollHeight;
  }

  private async loadEarlier() {
    if (!this.nextCursor || !this.room) return;
    try {
      const page = await meetingsApi.messages(this.meeting.id, this.room.occurrenceId, this.nextCursor);
      this.messages = mergeMessages(page.items, this.messages);
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.services.toast(describeError(error), 'error');
    }
  }

  private async send(event: SubmitEvent) {
    event.preventDefault();
    const editor = this.renderRoot.querySelector<CnMarkdownEditor>('cn-markdown-editor');
    if (!editor || this.sending) return;
    const body = editor.value;
    if (!body.trim()) {
      this.chatError = msg('Write a message first.');
      editor.focus();
      return;
    }
    this.sending = true;
    this.chatError = '';
    try {
      const message = await meetingsApi.sendMessage(this.meeting.id, body);
      editor.clear();
      this.messages = mergeMessages(this.messages, [message]);
      await this.updateComplete;
      this.scrollChatToEnd();
      editor.focus();
    } catch (error) {
      // The text stays in the box (and in its draft) to send again.
      this.chatError = describeRoomError(error);
    } finally {
      this.sending = false;
    }
  }

  // ---- quick polls ----------------------------------------------------------------------------

  private renderPolls(room: Room) {
    const manage = room.mayManage && room.open;
    if (room.polls.length === 0 && !manage) return nothing;
    return html`
      <div class="panel" aria-labelledby="quick-polls-title">
        <h3 id="quick-polls-title">${msg('Quick polls')}</h3>
        ${room.polls.length === 0 ? html`<p class="sub">${msg('No poll yet.')}</p>` : nothing}
        ${repeat(
          room.polls,
          (poll) => poll.id,
          (poll) => this.renderPoll(poll, room),
        )}
        ${manage ? this.renderNewPoll() : nothing}
      </div>
    `;
  }

  private renderPoll(poll: QuickPoll, room: Room) {
    const countries = this.services.countries;
    const name = (id: string) => countryName(countries.find((c) => c.id === id)) || id.toUpperCase();
    const mayAnswer = poll.open && room.open && !(poll.scope === 'country' && !this.user?.countryId);
    const blockedByCountry = poll.scope === 'country' && poll.answeredBy && poll.answeredBy.id !== this.user?.id;
    const headingId = `quick-poll-${poll.id}`;
    return html`
      <div class="poll" role="group" aria-labelledby=${headingId}>
        <p id=${headingId}><strong>${poll.question}</strong></p>
        <p class="sub">
          ${poll.scope === 'country' ? msg('One answer per country.') : msg('One answer per person.')}
          ${poll.open ? msg('Open.') : msg('Closed.')}
          ${poll.scope === 'country' ? plural(poll.total, { one: msg(str`${formatNumber(poll.total)} country answered.`, { id: 'countries-answered.one' }), other: msg(str`${formatNumber(poll.total)} countries answered.`, { id: 'countries-answered.other' }) }) : plural(poll.total, { one: msg(str`${formatNumber(poll.total)} person answered.`, { id: 'people-answered.one' }), other: msg(str`${formatNumber(poll.total)} people answered.`, { id: 'people-answered.other' }) })}
        </p>
        ${mayAnswer
          ? html`<div class="buttons" role="group" aria-label=${msg(str`Your answer to: ${poll.question}`)}>
              ${poll.options.map(
                (option) => html`<cn-button size="small" variant=${poll.myAnswer === option.id ? 'primary' : 'secondary'}>
                  <button type="button" aria-pressed=${poll.myAnswer === option.id ? 'true' : 'false'} ?disabled=${Boolean(blockedByCountry)} @click=${() => this.answer(poll, option.id)}>
                    ${quickOptionLabel(option)}
                  </button>
                </cn-button>`,
              )}
            </div>`
          : nothing}
        ${poll.scope === 'country' && poll.answeredBy
          ? html`<p class="sub">${msg(str`Your country's answer was given by ${poll.answeredBy.displayName}.`)}</p>`
          : nothing}
        <div class="results" aria-label=${msg('Results')}>
          ${poll.options.map((option) => {
            const share = poll.total > 0 ? Math.round((option.count / poll.total) * 100) : 0;
            return html`<div class="bar">
              <span>${quickOptionLabel(option)}</span>
              <progress class="track" max="100" .value=${share} aria-hidden="true"></progress>
              <span>${formatNumber(option.count)} (${formatNumber(share)} %)</span>
            </div>`;
          })}
        </div>
        ${poll.scope === 'country' && poll.countries.length > 0
          ? html`<details>
              <summary>${msg('Answers by country')}</summary>
              <ul class="people">
                ${poll.countries.map((entry) => {
                  const option = poll.options.find((o) => o.id === entry.optionId);
                  return html`<li>${name(entry.countryId)}: ${option ? quickOptionLabel(option) : entry.optionId}</li>`;
                })}
              </ul>
            </details>`
          : nothing}
        ${room.mayManage && poll.open && room.open
          ? html`<div><cn-button size="small" variant="quiet"><button type="button" @click=${() => this.closePoll(poll)}>${msg('Close the poll')}</button></cn-button></div>`
          : nothing}
      </div>
    `;
  }

  private renderNewPoll() {
    return html`
      <details>
        <summary>${msg('Open a quick poll')}</summary>
        <form class="stack" @submit=${this.openPoll}>
          <cn-field>
            <label slot="label">${msg('Question')}</label>
            <input name="question" required maxlength="300" autocomplete="off" />
          </cn-field>
          <cn-field>
            <label slot="label">${msg('Answers')}</label>
            <select name="kind">
              <option value="yes_no_abstain">${msg('Yes / No / Abstain')}</option>
              <option value="options">${msg('Options I write')}</option>
            </select>
          </cn-field>
          <cn-field>
            <label slot="label">${msg('Options, one per line (for "Options I write")')}</label>
            <textarea name="options" rows="3"></textarea>
          </cn-field>
          <cn-field>
            <label slot="label">${msg('Who answers')}</label>
            <select name="scope">
              <option value="person">${msg('Each person')}</option>
              <option value="country">${msg('Each country (one vote per delegation)')}</option>
            </select>
          </cn-field>
          <div><cn-button variant="primary" size="small"><button type="submit">${msg('Open the poll')}</button></cn-button></div>
        </form>
      </details>
    `;
  }

  private async openPoll(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const question = String(data.get('question') ?? '').trim();
    const kind = data.get('kind') === 'options' ? 'options' : 'yes_no_abstain';
    const scope = data.get('scope') === 'country' ? 'country' : 'person';
    const options = String(data.get('options') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    this.error = '';
    if (!question) {
      this.error = msg('Write the question.');
      return;
    }
    try {
      const poll = await meetingsApi.openQuickPoll(this.meeting.id, { question, kind, scope, ...(kind === 'options' ? { options } : {}) });
      if (this.room) this.room = { ...this.room, polls: mergePolls([poll], this.room.polls) };
      form.reset();
      (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }

  /** My (my country's) answers and who gave them, from the room as the server shows it to me; the counts stay the live ones. */
  private async refreshMyAnswers() {
    const room = this.room;
    if (!room) return;
    try {
      const mine = await meetingsApi.room(this.meeting.id, room.occurrenceId);
      if (!this.room || this.room.occurrenceId !== mine.occurrenceId) return;
      const byId = new Map(mine.polls.map((poll) => [poll.id, poll]));
      this.room = {
        ...this.room,
        polls: this.room.polls.map((poll) => {
          const fresh = byId.get(poll.id);
          return fresh ? { ...poll, myAnswer: fresh.myAnswer, answeredBy: fresh.answeredBy } : poll;
        }),
      };
    } catch {
      // Who answered for my country shows with the next event or a reload; the results are right meanwhile.
    }
  }

  private async answer(poll: QuickPoll, optionId: string) {
    this.error = '';
    try {
      const updated = await meetingsApi.answerQuickPoll(this.meeting.id, poll.id, optionId);
      if (this.room) this.room = { ...this.room, polls: this.room.polls.map((p) => (p.id === updated.id ? updated : p)) };
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }

  private async closePoll(poll: QuickPoll) {
    this.error = '';
    try {
      const updated = await meetingsApi.closeQuickPoll(this.meeting.id, poll.id);
      if (this.room) this.room = { ...this.room, polls: this.room.polls.map((p) => (p.id === updated.id ? { ...updated, myAnswer: p.myAnswer, answeredBy: p.answeredBy } : p)) };
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }

  // ---- attendance records -----------------------------------------------------------------------

  private renderAttendance(room: Room) {
    const attendance = this.attendance;
    if (!attendance) return nothing;
    const countries = this.services.countries;
    const organizations = this.services.organizations;
    const name = (id: string) => countryName(countries.find((c) => c.id === id)) || id.toUpperCase();
    const recorded = new Set(attendance.attendees.map((a) => a.person.id));
    const candidates = (this.people ?? []).filter((person) => !recorded.has(person.id));
    const zone = viewerZone(this.user);
    const mayMark = room.mayManage && new Date(room.opensAt).getTime() <= Date.now() && room.occurrence.state !== 'cancelled';
    return html`
      <div class="panel" aria-labelledby="attendance-record-title">
        <details ?open=${room.mayManage}>
          <summary id="attendance-record-title">
            ${msg(str`Attendance recorded: ${plural(attendance.count, { one: msg(str`${formatNumber(attendance.count)} person`, { id: 'people-count.one' }), other: msg(str`${formatNumber(attendance.count)} people`, { id: 'people-count.other' }) })}, ${plural(attendance.countriesPresent.length, { one: msg(str`${formatNumber(attendance.countriesPresent.length)} country`, { id: 'countries-count.one' }), other: msg(str`${formatNumber(attendance.countriesPresent.length)} countries`, { id: 'countries-count.other' }) })}`)}
          </summary>
          <ul class="people">
            ${attendance.attendees.map(
              (attendee) => html`<li>
                ${attendee.person.displayName}
                <span class="sub"
                  >· ${affiliationLabel(attendee.person, countries, organizations)}
                  ${attendee.joinedAt
                    ? msg(str`joined at ${formatClock(attendee.joinedAt, zone)}`)
                    : attendee.markedBy
                      ? msg(str`marked by ${attendee.markedBy.displayName}`)
                      : nothing}</span
                >
                ${mayMark
                  ? html`<cn-button size="small" variant="quiet"
                      ><button type="button" aria-label=${msg(str`Remove ${attendee.person.displayName} from the attendance`)} @click=${() => this.mark(attendee.person.id, false)}>
                        ${msg('Remove')}
                      </button></cn-button
                    >`
                  : nothing}
              </li>`,
            )}
          </ul>
          ${attendance.countriesAbsent.length > 0
            ? html`<p class="sub">${msg(str`Invited countries with nobody recorded: ${attendance.countriesAbsent.map(name).join(', ')}`)}</p>`
            : nothing}
          ${mayMark && candidates.length > 0
            ? html`<form class="buttons" @submit=${this.markFromForm}>
                <label class="visually-hidden" for="mark-person">${msg('Person to mark present')}</label>
                <select id="mark-person" name="person">
                  ${candidates.map((person) => html`<option value=${person.id}>${person.displayName}${person.countryId ? ` · ${name(person.countryId)}` : ''}</option>`)}
                </select>
                <cn-button size="small"><button type="submit">${msg('Mark present (only on the call)')}</button></cn-button>
              </form>`
            : nothing}
          <p class="small">
            <a href=${exportHref(this.meeting.id, 'room/attendance.csv', { occurrenceId: room.occurrenceId })} download>${msg('Download the attendance by country (CSV)')}</a>
          </p>
        </details>
      </div>
    `;
  }

  private markFromForm(event: SubmitEvent) {
    event.preventDefault();
    const person = String(new FormData(event.currentTarget as HTMLFormElement).get('person') ?? '');
    if (person) void this.mark(person, true);
  }

  private async mark(userId: string, present: boolean) {
    if (!this.room) return;
    this.error = '';
    try {
      this.attendance = await meetingsApi.markAttendance(this.meeting.id, userId, this.room.occurrenceId, present);
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }
}

/** Messages by id, in time order: a page, live events and my own answer may carry the same one. */
function mergeMessages(a: ChatMessage[], b: ChatMessage[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of [...a, ...b]) byId.set(message.id, message);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : 1));
}

/** The room's polls, newest first, preferring the first list's copy of each. */
function mergePolls(first: QuickPoll[], second: QuickPoll[]): QuickPoll[] {
  const byId = new Map<string, QuickPoll>();
  for (const poll of [...second, ...first]) byId.set(poll.id, poll);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? 1 : -1));
}
