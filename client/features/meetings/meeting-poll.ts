import { css, html, nothing, type PropertyValues } from 'lit';
import { plural } from '../../app/plural.js';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { countryName, formatNumber } from '../../app/format.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { tableStyles } from '../../ui/styles/table.styles.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { choiceStyles } from './picker.styles.js';
import { drafts } from '../../app/drafts.js';
import { formatClock, formatDayAndClock, formatShortDay, viewerZone } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import { pollAnswerLabel } from './meetings-format.js';
import { POLL_ANSWERS, type MeetingDetail, type Poll, type PollAnswer, type SlotResult } from './models.js';
import { emit } from '../../app/events.js';

const draftKey = (meetingId: string) => `concilia.meeting-poll.${meetingId}`;

/**
 * A meeting's availability poll: the invitee's answer per proposed time (yes / if need be / no,
 * changeable until the poll closes; unsaved choices kept on this device), the results best
 * first with counts, countries covered and the working-hours flag, and for managers the choice
 * of the date, which closes the poll.
 *
 * @event cn-poll-changed - detail: the Poll after the person's answers were saved.
 * @event cn-meeting-changed - detail: the MeetingDetail after a manager chose the date.
 */
export class CnMeetingPoll extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    choiceStyles,
    tableStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-4);
      }

      .slots {
        display: grid;
        gap: var(--cn-space-3);
      }

      fieldset.slot {
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-3) var(--cn-space-4);
        gap: var(--cn-space-2);
      }

      fieldset.slot legend {
        font-size: 1rem;
        margin: 0;
        padding-inline: var(--cn-space-1);
      }


      .choices input {
        inline-size: 1.1rem;
        block-size: 1.1rem;
      }

      .flag {
        color: var(--cn-color-danger-strong);
        font-size: 0.875rem;
      }

      td.number {
        font-variant-numeric: tabular-nums;
        text-align: end;
      }

      tr.chosen {
        background: var(--cn-color-success-soft);
      }

      .answer-yes {
        color: var(--cn-color-success);
        font-weight: 600;
      }

      .answer-no {
        color: var(--cn-color-muted);
      }
    `,
  ];

  static override properties = {
    meeting: { attribute: false },
    poll: { attribute: false },
    choices: { state: true },
    saving: { state: true },
    error: { state: true },
    closing: { state: true },
    closeError: { state: true },
    unsaved: { state: true },
  };

  declare meeting: MeetingDetail;
  declare poll: Poll;
  declare private choices: Record<string, PollAnswer>;
  declare private saving: boolean;
  declare private error: string;
  declare private closing: SlotResult | null;
  declare private closeError: string;
  declare private unsaved: boolean;

  private closingBusy = false;

  constructor() {
    super();
    this.choices = {};
    this.saving = false;
    this.error = '';
    this.closing = null;
    this.closeError = '';
    this.unsaved = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('poll') && this.poll && !this.unsaved) {
      const stored = this.readDraft();
      this.choices = stored ?? { ...this.poll.myAnswers };
      this.unsaved = stored !== null;
    }
  }

  private readDraft(): Record<string, PollAnswer> | null {
    const raw = drafts.read(draftKey(this.poll.meetingId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Record<string, string>;
      const slots = new Set(this.poll.slots.map((slot) => slot.id));
      const entries = Object.entries(parsed).filter(([slot, answer]) => slots.has(slot) && (POLL_ANSWERS as readonly string[]).includes(answer));
      return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, PollAnswer>) : null;
    } catch {
      return null;
    }
  }

  private get open(): boolean {
    return !this.poll.closedAt && !(this.poll.deadline && new Date(this.poll.deadline).getTime() <= Date.now());
  }

  protected override render() {
    if (!this.meeting || !this.poll) return nothing;
    const zone = viewerZone(this.user);
    const poll = this.poll;
    return html`
      <p>
        ${poll.closedAt
          ? msg('The poll is closed.')
          : poll.deadline
            ? msg(str`Answer by ${formatDayAndClock(poll.deadline, zone)} (your time).`)
            : msg('The poll stays open until the organizer chooses the date.')}
        ${plural(poll.respondents, { one: msg(str`${formatNumber(poll.respondents)} of ${formatNumber(poll.invitedCount)} invited people has answered.`, { id: 'poll-respondents.one' }), other: msg(str`${formatNumber(poll.respondents)} of ${formatNumber(poll.invitedCount)} invited people have answered.`, { id: 'poll-respondents.other' }) })}
      </p>
      ${this.meeting.mayAnswer && this.open ? this.renderForm() : nothing}
      ${this.renderResults(zone)}
      ${this.renderAnswers(zone)}
      <cn-dialog id="close-dialog" label=${msg('Choose this date?')} @cn-close=${() => (this.closing = null)}>
        ${this.closing
          ? html`<div class="stack">
              <cn-meeting-times .startsAt=${this.closing.startsAt} .endsAt=${this.closing.endsAt} .organizerZone=${this.meeting.timeZone} .countries=${this.meeting.invitedCountries}></cn-meeting-times>
              <p>${msg('The poll closes, the meeting is scheduled at this time, enters everyone\u2019s calendar feed and the invitees are told.')}</p>
              ${this.closeError ? html`<p class="alert alert-error" role="alert">${this.closeError}</p>` : nothing}
            </div>`
          : nothing}
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.dialog()?.close()}>${msg('Cancel')}</button></cn-button>
          <cn-button variant="primary" ?loading=${this.closingBusy}>
            <button type="button" @click=${this.confirmClose}>${msg('Schedule the meeting at this time')}</button>
          </cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private renderForm() {
    const slots = [...this.poll.slots].sort((a, b) => a.position - b.position);
    return html`
      <form class="card stack" aria-labelledby="poll-form-title" @submit=${this.save}>
        <h3 id="poll-form-title">${msg('Your availability')}</h3>
        <p class="small muted">${msg('For each proposed time, say whether it suits you. You can change your answers until the poll closes.')}</p>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        <div class="slots">
          ${slots.map(
            (slot, index) => html`
              <fieldset class="slot">
                <legend>${msg(str`Option ${index + 1}`)}</legend>
                <cn-meeting-times .startsAt=${slot.startsAt} .endsAt=${slot.endsAt} .organizerZone=${this.meeting.timeZone} .countries=${this.meeting.invitedCountries}></cn-meeting-times>
                <div class="choices">
                  ${POLL_ANSWERS.map(
                    (answer) => html`<label>
                      <input
                        type="radio"
                        name=${`slot-${slot.id}`}
                        value=${answer}
                        .checked=${this.choices[slot.id] === answer}
                        @change=${() => this.choose(slot.id, answer)}
                      />
                      ${pollAnswerLabel(answer)}
                    </label>`,
                  )}
                </div>
              </fieldset>
            `,
          )}
        </div>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.saving}>
            <button type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>${msg('Save my availability')}</button>
          </cn-button>
          <span class="small muted" role="status">${this.unsaved ? msg('Not saved yet.') : Object.keys(this.poll.myAnswers).length > 0 ? msg('Your answers are saved.') : ''}</span>
        </div>
      </form>
    `;
  }

  private renderResults(zone: string) {
    const poll = this.poll;
    const countries = this.services.countries;
    const name = (id: string) => countryName(countries.find((c) => c.id === id)) || id.toUpperCase();
    const manage = this.meeting.mayManage && !poll.closedAt && this.meeting.status === 'polling';
    return html`
      <section class="stack" aria-labelledby="poll-results-title">
        <h3 id="poll-results-title">${msg('Results, best first')}</h3>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${msg('Proposed time')}</th>
                <th scope="col">${pollAnswerLabel('yes')}</th>
                <th scope="col">${pollAnswerLabel('if_need_be')}</th>
                <th scope="col">${pollAnswerLabel('no')}</th>
                <th scope="col">${msg('Countries covered')}</th>
                ${manage ? html`<th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${poll.slots.map((slot) => {
                const label = `${formatShortDay(slot.startsAt, zone)}, ${formatClock(slot.startsAt, zone)}–${formatClock(slot.endsAt, zone)}`;
                return html`<tr class=${slot.id === poll.chosenSlotId ? 'chosen' : ''}>
                  <th scope="row">
                    ${label}
                    ${slot.id === poll.chosenSlotId ? html`<span class="badge">${msg('Chosen')}</span>` : nothing}
                    ${slot.outsideLocalHours.length > 0
                      ? html`<span class="cell-sub flag">
                          ${msg('Outside 08:00–19:00 local time for:')}
                          ${slot.outsideLocalHours.map((o) => `${name(o.countryId)} (${o.localStart}–${o.localEnd})`).join(', ')}
                        </span>`
                      : nothing}
                  </th>
                  <td class="number" data-label=${pollAnswerLabel('yes')}>${formatNumber(slot.yes)}</td>
                  <td class="number" data-label=${pollAnswerLabel('if_need_be')}>${formatNumber(slot.ifNeedBe)}</td>
                  <td class="number" data-label=${pollAnswerLabel('no')}>${formatNumber(slot.no)}</td>
                  <td data-label=${msg('Countries covered')}>
                    ${formatNumber(slot.countriesCovered.length)}
                    ${slot.countriesCovered.length > 0 ? html`<span class="cell-sub">${slot.countriesCovered.map(name).join(', ')}</span>` : nothing}
                  </td>
                  ${manage
                    ? html`<td>
                        <cn-button size="small">
                          <button type="button" @click=${() => this.askClose(slot)}>${msg('Choose this time')}<span class="visually-hidden">: ${label}</span></button>
                        </cn-button>
                      </td>`
                    : nothing}
                </tr>`;
              })}
            </tbody>
          </table>
        </div>
      </section>
    `;
  }

  private renderAnswers(zone: string) {
    const poll = this.poll;
    if (poll.answers.length === 0) return html`<p class="muted">${msg('Nobody has answered yet.')}</p>`;
    const slots = [...poll.slots].sort((a, b) => a.position - b.position);
    return html`
      <details>
        <summary>${msg(str`Answers by person (${formatNumber(poll.answers.length)})`)}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${msg('Person')}</th>
                ${slots.map((slot) => html`<th scope="col">${formatShortDay(slot.startsAt, zone)} ${formatClock(slot.startsAt, zone)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${poll.answers.map(
                (entry) => html`<tr>
                  <th scope="row">${entry.person.displayName}</th>
                  ${slots.map((slot) => {
                    const answer = entry.answers[slot.id];
                    return html`<td data-label=${`${formatShortDay(slot.startsAt, zone)} ${formatClock(slot.startsAt, zone)}`} class=${answer === 'yes' ? 'answer-yes' : answer === 'no' ? 'answer-no' : ''}>${answer ? pollAnswerLabel(answer) : '—'}</td>`;
                  })}
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </details>
    `;
  }

  private choose(slotId: string, answer: PollAnswer) {
    this.choices = { ...this.choices, [slotId]: answer };
    this.unsaved = true;
    drafts.write(draftKey(this.poll.meetingId), JSON.stringify(this.choices));
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (this.saving) return;
    this.saving = true;
    this.error = '';
    try {
      const poll = await meetingsApi.answerPoll(this.meeting.id, this.choices);
      drafts.clear(draftKey(this.meeting.id));
      this.unsaved = false;
      this.services.toast(msg('Your availability was saved.'), 'success');
      emit(this, 'cn-poll-changed', poll, { bubbles: true, composed: true });
    } catch (error) {
      this.error = describePollError(error);
    } finally {
      this.saving = false;
    }
  }

  private dialog() {
    return this.renderRoot.querySelector<CnDialog>('#close-dialog');
  }

  private askClose(slot: SlotResult) {
    this.closing = slot;
    this.closeError = '';
    const dialog = this.dialog();
    if (dialog) dialog.open = true;
  }

  private confirmClose = async () => {
    const slot = this.closing;
    if (!slot || this.closingBusy) return;
    this.closingBusy = true;
    this.requestUpdate();
    try {
      const meeting = await meetingsApi.closePoll(this.meeting.id, slot.id);
      this.dialog()?.close();
      this.services.toast(msg('The meeting is scheduled. The invitees are told.'), 'success');
      emit(this, 'cn-meeting-changed', meeting, { bubbles: true, composed: true });
    } catch (error) {
      this.closeError = describePollError(error);
    } finally {
      this.closingBusy = false;
      this.requestUpdate();
    }
  };
}

export function describePollError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'poll_closed':
      return msg('The poll is closed: the date has been chosen.');
    case 'poll_deadline_passed':
      return msg('The deadline of the poll has passed: answers can no longer change.');
    case 'unknown_slot':
      return msg('One of the proposed times was changed meanwhile. Reload the page and answer again.');
    case 'not_polling':
      return msg('This meeting has no availability poll.');
    default:
      return describeError(error);
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The poll after an answer or a change here. */
    'cn-poll-changed': CustomEvent<Poll>;
    /** The meeting after a change here (the poll closed, an occurrence moved: also from cn-meeting-occurrences). */
    'cn-meeting-changed': CustomEvent<MeetingDetail>;
  }
}
