import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { PagePart } from '../../../app/base-element.js';
import { affiliationLabel, countryName, formatNumber } from '../../../app/format.js';
import { plural } from '../../../app/plural.js';
import { formatClock, viewerZone } from '../meeting-time.js';
import { exportHref, meetingsApi } from '../meetings-api.js';
import type { PersonRef, Room, RoomAttendance } from '../models.js';
import { describeRoomError } from './room-model.js';
import { emit } from '../../../app/events.js';

/**
 * The room's attendance record: who joined (and when) or was marked present by a manager, the
 * invited countries nobody attended for, the record by country as CSV, and for managers the
 * means to mark someone who was only on the call, or to remove a mark.
 *
 * @event cn-room-attendance-marked - detail RoomAttendance: the record after a mark.
 * @event cn-room-error - detail string: why a mark failed.
 */
export class CnRoomAttendance extends PagePart {
  static override properties = {
    meetingId: {},
    room: { attribute: false },
    attendance: { attribute: false },
    people: { attribute: false },
  };

  declare meetingId: string;
  declare room: Room | null;
  declare attendance: RoomAttendance | null;
  /** Whom a manager may mark present: the people the meeting invites. */
  declare people: PersonRef[] | null;

  constructor() {
    super();
    this.meetingId = '';
    this.room = null;
    this.attendance = null;
    this.people = null;
  }

  protected override render() {
    return this.room ? this.renderAttendance(this.room) : nothing;
  }

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
            <a href=${exportHref(this.meetingId, 'room/attendance.csv', { occurrenceId: room.occurrenceId })} download>${msg('Download the attendance by country (CSV)')}</a>
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
    emit(this, 'cn-room-error', '', { bubbles: true });
    try {
      const attendance = await meetingsApi.markAttendance(this.meetingId, userId, this.room.occurrenceId, present);
      emit(this, 'cn-room-attendance-marked', attendance, { bubbles: true });
    } catch (error) {
      emit(this, 'cn-room-error', describeRoomError(error), { bubbles: true });
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** Someone was marked present or absent by hand. */
    'cn-room-attendance-marked': CustomEvent<RoomAttendance>;
  }
}
