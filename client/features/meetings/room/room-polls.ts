import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { PagePart } from '../../../app/base-element.js';
import { countryName, formatNumber } from '../../../app/format.js';
import { plural } from '../../../app/plural.js';
import { meetingsApi } from '../meetings-api.js';
import type { QuickPoll, Room } from '../models.js';
import { describeRoomError, mergePolls, quickOptionLabel } from './room-model.js';
import { emit } from '../../../app/events.js';

/**
 * The room's quick polls: each with its answer buttons (once per person, or once per country's
 * delegation) and its live results, and for the room's managers a form to open one and a button
 * to close it.
 *
 * @event cn-room-polls - detail QuickPoll[]: the polls after the reader's action.
 * @event cn-room-error - detail string: why an action failed.
 */
export class CnRoomPolls extends PagePart {
  static override properties = {
    meetingId: {},
    room: { attribute: false },
  };

  declare meetingId: string;
  declare room: Room | null;

  constructor() {
    super();
    this.meetingId = '';
    this.room = null;
  }

  private changed(polls: QuickPoll[]) {
    emit(this, 'cn-room-polls', polls, { bubbles: true });
  }

  private failed(error: unknown) {
    emit(this, 'cn-room-error', error === null ? '' : describeRoomError(error), { bubbles: true });
  }

  protected override render() {
    return this.room ? this.renderPolls(this.room) : nothing;
  }

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
    this.failed(null);
    if (!question) {
      emit(this, 'cn-room-error', msg('Write the question.'), { bubbles: true });
      return;
    }
    try {
      const poll = await meetingsApi.openQuickPoll(this.meetingId, { question, kind, scope, ...(kind === 'options' ? { options } : {}) });
      if (this.room) this.changed(mergePolls([poll], this.room.polls));
      form.reset();
      (form.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
    } catch (error) {
      this.failed(error);
    }
  }

  private async answer(poll: QuickPoll, optionId: string) {
    this.failed(null);
    try {
      const updated = await meetingsApi.answerQuickPoll(this.meetingId, poll.id, optionId);
      if (this.room) this.changed(this.room.polls.map((p) => (p.id === updated.id ? updated : p)));
    } catch (error) {
      this.failed(error);
    }
  }

  private async closePoll(poll: QuickPoll) {
    this.failed(null);
    try {
      const updated = await meetingsApi.closeQuickPoll(this.meetingId, poll.id);
      if (this.room) this.changed(this.room.polls.map((p) => (p.id === updated.id ? { ...updated, myAnswer: p.myAnswer, answeredBy: p.answeredBy } : p)));
    } catch (error) {
      this.failed(error);
    }
  }
}

declare global {
  interface HTMLElementEventMap {
    /** The quick polls as they are now (one changed). */
    'cn-room-polls': CustomEvent<QuickPoll[]>;
    /** What went wrong in a part of the room ('' once it is over); also from cn-room-attendance. */
    'cn-room-error': CustomEvent<string>;
  }
}
