import { html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { AppElement } from '../../../app/base-element.js';
import { LiveStatusController } from '../../../controllers/live-status-controller.js';
import { describeError } from '../../../app/errors.js';
import { affiliationLabel, compareText, formatNumber } from '../../../app/format.js';
import type { LivePresenceUser, LiveTopicMessage } from '../../../app/live-connection.js';
import { LiveSubscriptionController } from '../../../controllers/live-subscription-controller.js';
import { Resource } from '../../../controllers/resource.js';
import { TypingController } from '../../../controllers/typing-controller.js';
import { postBodyStyles } from '../../../ui/styles/post-body.styles.js';
import { baseStyles, pageStyles } from '../../../ui/styles/shared.styles.js';
import { formatClock, formatDayAndClock, viewerZone } from '../meeting-time.js';
import { meetingsApi } from '../meetings-api.js';
import { minutesLabel } from '../meetings-format.js';
import type { Attendee, ChatMessage, MeetingDetail, Occurrence, PersonRef, QuickPoll, Room, RoomAttendance } from '../models.js';
import type { CnRoomChat } from './room-chat.js';
import { describeRoomError, mergeMessages, mergePolls } from './room-model.js';
import { roomStyles } from './room.styles.js';
import { emit } from '../../../app/events.js';

/**
 * The live room of one occurrence, from 15 minutes before it starts until it ends: who is here
 * now (presence on the meeting's live topic), the agenda item being discussed (managers move it),
 * the chat (cn-room-chat), quick polls with live results (cn-room-polls), and the attendance
 * record (cn-room-attendance: joining the room records one; managers mark people who were only on
 * the call). After the room closes it stays readable: the transcript, the polls' results and who
 * attended. A lost connection is shown, and everything missed meanwhile arrives once it is back.
 */
export class CnMeetingRoom extends AppElement {
  static override styles = [baseStyles, pageStyles, postBodyStyles, roomStyles];

  static override properties = {
    meeting: { attribute: false },
    occurrence: { attribute: false },
    clock: { attribute: false },
    messages: { state: true },
    nextCursor: { state: true },
    presence: { state: true },
    attendance: { state: true },
    error: { state: true },
    announcement: { state: true },
    people: { state: true },
  };

  declare meeting: MeetingDetail;
  declare occurrence: Occurrence;
  /** The page's clock (ms), ticking: the room opens and closes with it. */
  declare clock: number;
  declare private messages: ChatMessage[];
  declare private nextCursor: string | null;
  declare private presence: LivePresenceUser[];
  declare private attendance: RoomAttendance | null;
  declare private error: string;
  declare private announcement: string;
  declare private people: PersonRef[] | null;

  private wasDisconnected = false;

  /** The room, its latest messages and its attendance record, loaded together; the room changes live. */
  private loaded = new Resource(this, {
    args: () => [this.meeting?.id ?? '', this.occurrence?.id ?? ''] as const,
    load: async ([meetingId, occurrenceId], signal) => {
      const [room, page, attendance] = await Promise.all([
        meetingsApi.room(meetingId, occurrenceId, signal),
        meetingsApi.messages(meetingId, occurrenceId, null, signal),
        meetingsApi.roomAttendance(meetingId, occurrenceId, signal),
      ]);
      return { room, page, attendance };
    },
    loaded: ({ room, page, attendance }) => {
      this.messages = mergeMessages(this.messages.filter((m) => m.occurrenceId === room.occurrenceId), page.items);
      this.nextCursor = page.nextCursor;
      this.attendance = attendance;
      if (room.open) void this.join();
      if (room.mayManage) void this.loadPeople();
      // Once the room (and its chat) is drawn: the newest messages in view.
      this.requestUpdate();
      void this.updateComplete.then(() => this.chat()?.scrollToEnd());
    },
  });

  private get room(): Room | null {
    return this.loaded.value?.room ?? null;
  }

  private set room(room: Room) {
    if (this.loaded.value) this.loaded.value = { ...this.loaded.value, room };
  }

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

  private connection = new LiveStatusController(this, {
    initial: 'open',
    onStatus: (status) => {
      if (status === 'reconnecting' || status === 'offline') this.wasDisconnected = true;
    },
  });

  private typing = new TypingController(this);

  constructor() {
    super();
    this.clock = Date.now();
    this.messages = [];
    this.nextCursor = null;
    this.presence = [];
    this.attendance = null;
    this.error = '';
    this.announcement = '';
    this.people = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const room = this.room;
    if (changed.has('clock') && room && !this.loaded.loading) {
      const opens = new Date(room.opensAt).getTime();
      const closes = new Date(room.closesAt).getTime();
      // The room's time came or went: ask the server (its clock decides).
      if ((room.open && this.clock >= closes) || (!room.open && this.clock >= opens && this.clock < closes)) void this.loaded.run();
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // The page's attendance panel takes who is present from here: one record for both.
    if (changed.has('attendance') && this.attendance) {
      const { occurrenceId, countriesPresent } = this.attendance;
      emit(this, 'cn-room-attendance', { occurrenceId, countriesPresent }, { bubbles: true, composed: true });
    }
  }

  private chat() {
    return this.renderRoot.querySelector<CnRoomChat>('cn-room-chat');
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
      case 'typing':
        if (message.user.id !== this.user?.id) this.typing.typed(message.user.id, message.user.displayName);
        return;
      case 'resync':
        void this.loaded.run();
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
        const atEnd = this.chat()?.atEnd() ?? true;
        this.messages = mergeMessages(this.messages, [message]);
        this.typing.done(message.author.id);
        if (atEnd || message.author.id === this.user?.id) void this.chat()?.scrollToEnd();
        return;
      }
      case 'room.attendance':
        if (occurrenceOf(payload) === room.occurrenceId) this.attended(room, payload);
        return;
      default:
        return;
    }
  }

  /** Someone joined or was marked (or unmarked): the count, and the record as the room shows it. */
  private attended(room: Room, payload: Record<string, unknown>) {
    const attendee = payload.attendee as Attendee;
    const present = payload.present as boolean;
    this.room = { ...room, attendeeCount: payload.attendeeCount as number };
    const attendance = this.attendance;
    if (!attendance) return;
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

  private async setAgenda(agendaItemId: string | null) {
    this.error = '';
    try {
      const room = await meetingsApi.setAgendaItem(this.meeting.id, agendaItemId);
      this.room = { ...room, polls: mergePolls(room.polls, this.room?.polls ?? []) };
    } catch (error) {
      this.error = describeRoomError(error);
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  protected override render() {
    const room = this.room;
    if (this.loaded.failed) {
      return html`<section class="card stack" aria-label=${msg('Live room')}>${this.loaded.renderFailure({ message: describeRoomError(this.loaded.error) })}</section>`;
    }
    if (!room) return html`<section class="card" aria-label=${msg('Live room')}>${this.loaded.renderLoading(msg('Opening the room…'), { inline: true })}</section>`;
    const zone = viewerZone(this.user);
    const lost = this.connection.status === 'reconnecting' || this.connection.status === 'offline';
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
        <div
          class="grid"
          @cn-room-error=${(event: CustomEvent<string>) => (this.error = event.detail)}
          @cn-room-polls=${(event: CustomEvent<QuickPoll[]>) => this.room && (this.room = { ...this.room, polls: event.detail })}
          @cn-room-attendance-marked=${(event: CustomEvent<RoomAttendance>) => (this.attendance = event.detail)}
        >
          <div class="column">
            ${this.renderAgenda(room)}
            <cn-room-chat
              .meetingId=${this.meeting.id}
              .room=${room}
              .messages=${this.messages}
              ?hasEarlier=${Boolean(this.nextCursor)}
              .typing=${this.typing.names}
              @cn-chat-message=${(event: CustomEvent<ChatMessage>) => (this.messages = mergeMessages(this.messages, [event.detail]))}
              @cn-chat-earlier=${this.loadEarlier}
              @cn-chat-typing=${() => this.connection.connection?.sendTyping(this.topic)}
            ></cn-room-chat>
          </div>
          <div class="column">
            ${room.open ? this.renderPresence() : nothing}
            <cn-room-polls .meetingId=${this.meeting.id} .room=${room}></cn-room-polls>
            <cn-room-attendance .meetingId=${this.meeting.id} .room=${room} .attendance=${this.attendance} .people=${this.people}></cn-room-attendance>
          </div>
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

  private renderPresence() {
    const { countries, organizations } = this.services;
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
}

declare global {
  interface HTMLElementEventMap {
    /** The countries present in the room now, for the meeting page's attendance. */
    'cn-room-attendance': CustomEvent<{ occurrenceId: string; countriesPresent: string[] }>;
  }
}
