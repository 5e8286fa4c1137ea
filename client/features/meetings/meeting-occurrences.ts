import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { addDays, formatLongDay, instantOf, wallClock, zoneLabel } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import type { MeetingDetail, Occurrence } from './models.js';
import { emit } from '../../app/events.js';

/**
 * The occurrences of a series, each with its time (and, for managers, move, cancel or restore
 * that one occurrence). The selected one is the one the page's attendance answers refer to.
 *
 * @event cn-meeting-changed - detail: the MeetingDetail after an occurrence changed.
 */
export class CnMeetingOccurrences extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      ol {
        display: grid;
        gap: var(--cn-space-2);
      }

      li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: var(--cn-space-2);
        padding: var(--cn-space-2) var(--cn-space-3);
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        background: var(--cn-color-surface);
      }

      li.selected {
        border-color: var(--cn-color-primary);
        box-shadow: inset 4px 0 0 var(--cn-color-primary);
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
        align-items: center;
      }

      .times {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--cn-space-3);
      }

      input {
        font: inherit;
        min-block-size: 2.5rem;
        padding: 0.3rem 0.5rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
        inline-size: 100%;
      }
    `,
  ];

  static override properties = {
    meeting: { attribute: false },
    selectedId: {},
    moving: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  declare meeting: MeetingDetail;
  declare selectedId: string;
  declare private moving: Occurrence | null;
  declare private busy: string;
  declare private error: string;

  constructor() {
    super();
    this.selectedId = '';
    this.moving = null;
    this.busy = '';
    this.error = '';
  }

  protected override render() {
    const meeting = this.meeting;
    if (!meeting) return nothing;
    const manage = meeting.mayManage && meeting.status === 'scheduled';
    const now = Date.now();
    return html`
      ${this.error && !this.moving ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
      <ol class="plain">
        ${meeting.occurrences.map((occurrence) => {
          const past = new Date(occurrence.endsAt).getTime() <= now;
          const cancelled = occurrence.state === 'cancelled';
          const day = formatLongDay(occurrence.startsAt, meeting.timeZone);
          return html`<li class=${occurrence.id === this.selectedId ? 'selected' : ''} aria-current=${occurrence.id === this.selectedId ? 'true' : nothing}>
            <div>
              <cn-meeting-times compact ?struck=${cancelled} .startsAt=${occurrence.startsAt} .endsAt=${occurrence.endsAt} .organizerZone=${meeting.timeZone}></cn-meeting-times>
              ${cancelled ? html`<span class="badge badge-danger">${msg('Cancelled', { desc: 'Meeting status' })}</span>` : nothing}
              ${occurrence.state === 'moved' ? html`<span class="badge">${msg('Moved')}</span>` : nothing}
            </div>
            <div class="actions">
              ${occurrence.id !== this.selectedId
                ? html`<a href=${`?occurrence=${encodeURIComponent(occurrence.id)}`} aria-label=${msg(str`Show the occurrence of ${day}`)}>${msg('Show')}</a>`
                : nothing}
              ${manage && !past && !cancelled
                ? html`<cn-button size="small"><button type="button" aria-label=${msg(str`Move the occurrence of ${day}`)} @click=${() => this.openMove(occurrence)}>${msg('Move')}</button></cn-button>
                    <cn-button size="small" variant="quiet" ?loading=${this.busy === occurrence.id}
                      ><button type="button" aria-label=${msg(str`Cancel the occurrence of ${day}`)} @click=${() => this.change(occurrence, { state: 'cancelled' })}>${msg('Cancel this one')}</button></cn-button
                    >`
                : nothing}
              ${manage && !past && (cancelled || occurrence.state === 'moved')
                ? html`<cn-button size="small" variant="quiet" ?loading=${this.busy === occurrence.id}
                    ><button type="button" aria-label=${msg(str`Restore the occurrence of ${day}`)} @click=${() => this.change(occurrence, { state: 'scheduled' })}>${msg('Restore')}</button></cn-button
                  >`
                : nothing}
            </div>
          </li>`;
        })}
      </ol>
      <cn-dialog id="move-dialog" label=${msg('Move this occurrence')} @cn-close=${() => (this.moving = null)}>
        ${this.moving ? this.renderMoveForm(this.moving) : nothing}
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.dialog()?.close()}>${msg('Cancel')}</button></cn-button>
          <cn-button variant="primary" ?loading=${this.busy !== ''}><button type="submit" form="move-form">${msg('Move it')}</button></cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private renderMoveForm(occurrence: Occurrence) {
    const zone = this.meeting.timeZone;
    const start = wallClock(occurrence.startsAt, zone);
    const end = wallClock(occurrence.endsAt, zone);
    return html`
      <form id="move-form" class="stack" @submit=${this.move}>
        <p>${msg(str`Times in the meeting's time zone, ${zoneLabel(zone, occurrence.startsAt)}. The other occurrences stay as they are.`)}</p>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        <div class="times">
          <cn-field><label slot="label">${msg('Date')}</label><input type="date" name="date" required .value=${start.date} /></cn-field>
          <span></span>
          <cn-field><label slot="label">${msg('Starts at')}</label><input type="time" name="start" required .value=${start.time} /></cn-field>
          <cn-field><label slot="label">${msg('Ends at')}</label><input type="time" name="end" required .value=${end.time} /></cn-field>
        </div>
      </form>
    `;
  }

  private dialog() {
    return this.renderRoot.querySelector<CnDialog>('#move-dialog');
  }

  private openMove(occurrence: Occurrence) {
    this.moving = occurrence;
    this.error = '';
    const dialog = this.dialog();
    if (dialog) dialog.open = true;
  }

  private async move(event: SubmitEvent) {
    event.preventDefault();
    const occurrence = this.moving;
    if (!occurrence || this.busy) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const zone = this.meeting.timeZone;
    const date = String(data.get('date') ?? '');
    const start = instantOf(date, String(data.get('start') ?? ''), zone);
    let end = instantOf(date, String(data.get('end') ?? ''), zone);
    if ('problem' in start || 'problem' in end) {
      this.error = msg('Enter a date and times that exist in the meeting\u2019s time zone.');
      return;
    }
    // An end before the start is on the next day (a session across midnight).
    if (end.iso <= start.iso) {
      const nextDay = instantOf(addDays(date, 1), String(data.get('end')), zone);
      if ('problem' in nextDay) {
        this.error = msg('Enter a date and times that exist in the meeting\u2019s time zone.');
        return;
      }
      end = nextDay;
    }
    await this.change(occurrence, { startsAt: start.iso, endsAt: end.iso });
  }

  private async change(occurrence: Occurrence, change: { startsAt: string; endsAt: string } | { state: 'cancelled' | 'scheduled' }) {
    if (this.busy) return;
    this.busy = occurrence.id;
    this.error = '';
    try {
      const meeting = await meetingsApi.changeOccurrence(this.meeting.id, occurrence.id, change);
      this.dialog()?.close();
      this.services.toast(
        'state' in change
          ? change.state === 'cancelled'
            ? msg('The occurrence is cancelled. The invitees are told.')
            : msg('The occurrence is restored. The invitees are told.')
          : msg('The occurrence is moved. The invitees are told.'),
        'success',
      );
      emit(this, 'cn-meeting-changed', meeting, { bubbles: true, composed: true });
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = '';
    }
  }
}
