import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { countryName, formatNumber } from '../../app/format.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { choiceStyles } from './picker.styles.js';
import { drafts } from '../debates/debates-format.js';
import { meetingsApi } from './meetings-api.js';
import { attendanceLabel } from './meetings-format.js';
import { ATTENDANCE_ANSWERS, type Attendance, type AttendanceAnswer, type MeetingDetail } from './models.js';

const noteKey = (meetingId: string, occurrenceId: string) => `concilia.meeting-attendance.${meetingId}.${occurrenceId}`;

/**
 * Attendance answers for one occurrence: the person's own (going / maybe / not going, with a
 * note kept as a draft until saved), the counts, everyone's answers grouped by country and, for
 * those who run the meeting, the invited countries with nobody going.
 *
 * @event cn-attendance-changed - detail: the Attendance after the person's answer was saved.
 */
export class CnMeetingAttendance extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    choiceStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-4);
      }


      textarea {
        font: inherit;
        inline-size: 100%;
        padding: 0.5rem 0.7rem;
        border: 1px solid var(--cn-color-border-strong);
        border-radius: var(--cn-radius);
      }

      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2) var(--cn-space-5);
        list-style: none;
        margin: 0;
        padding: 0;
      }

      .counts strong {
        font-size: 1.25rem;
        font-variant-numeric: tabular-nums;
      }

      .countries {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: var(--cn-space-3);
        list-style: none;
        margin: 0;
        padding: 0;
      }

      .country {
        border: 1px solid var(--cn-color-border);
        border-radius: var(--cn-radius);
        padding: var(--cn-space-3);
        background: var(--cn-color-surface);
      }

      .country h4 {
        margin: 0 0 var(--cn-space-2);
        font-size: 0.95rem;
      }

      .country ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-1);
        font-size: 0.9rem;
      }

      .note {
        display: block;
        color: var(--cn-color-muted);
        font-size: 0.8125rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }

      .nobody {
        border-inline-start: 4px solid var(--cn-color-danger);
      }
    `,
  ];

  static override properties = {
    meeting: { attribute: false },
    attendance: { attribute: false },
    countriesPresent: { attribute: false },
    answer: { state: true },
    note: { state: true },
    saving: { state: true },
    error: { state: true },
  };

  declare meeting: MeetingDetail;
  declare attendance: Attendance;
  /**
   * Countries the room's attendance record holds for this occurrence (someone joined or was marked
   * present). They have someone attending whatever their answer said, so the list of countries
   * with nobody going agrees with the room.
   */
  declare countriesPresent: readonly string[];
  declare private answer: AttendanceAnswer | null;
  declare private note: string;
  declare private saving: boolean;
  declare private error: string;

  constructor() {
    super();
    this.answer = null;
    this.countriesPresent = [];
    this.note = '';
    this.saving = false;
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const previous = changed.get('attendance') as Attendance | undefined;
    if (changed.has('attendance') && this.attendance && previous?.occurrenceId !== this.attendance.occurrenceId) {
      this.answer = this.attendance.mine?.answer ?? null;
      this.note = drafts.read(noteKey(this.meeting.id, this.attendance.occurrenceId)) || this.attendance.mine?.note || '';
    }
  }

  protected override render() {
    if (!this.meeting || !this.attendance) return nothing;
    const attendance = this.attendance;
    const { counts } = attendance;
    return html`
      ${this.meeting.mayAnswer && this.meeting.status === 'scheduled' ? this.renderForm() : nothing}
      <ul class="counts" aria-label=${msg('Answers so far')}>
        <li><strong>${formatNumber(counts.going)}</strong> ${attendanceLabel('going')}</li>
        <li><strong>${formatNumber(counts.maybe)}</strong> ${attendanceLabel('maybe')}</li>
        <li><strong>${formatNumber(counts.notGoing)}</strong> ${attendanceLabel('not_going')}</li>
        <li><strong>${formatNumber(counts.unanswered)}</strong> ${msg('Not answered')}</li>
      </ul>
      ${this.meeting.mayManage ? this.renderNobodyGoing() : nothing}
      ${this.renderByCountry()}
    `;
  }

  private renderForm() {
    const saved = this.attendance.mine;
    const changed = !saved || saved.answer !== this.answer || saved.note !== this.note;
    return html`
      <form class="card stack" aria-labelledby="attendance-form-title" @submit=${this.save}>
        <h3 id="attendance-form-title">${msg('Will you attend?')}</h3>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        <fieldset>
          <legend class="visually-hidden">${msg('Your answer')}</legend>
          <div class="choices">
            ${ATTENDANCE_ANSWERS.map(
              (answer) => html`<label>
                <input type="radio" name="answer" value=${answer} .checked=${this.answer === answer} @change=${() => (this.answer = answer)} />
                ${attendanceLabel(answer)}
              </label>`,
            )}
          </div>
        </fieldset>
        <cn-field>
          <label slot="label">${msg('Note')} <span class="optional">${msg('(optional)')}</span></label>
          <textarea name="note" rows="2" maxlength="500" .value=${this.note} @input=${this.onNote}></textarea>
          <span slot="hint">${msg('For example: "I join for the first hour". The organizers see it.')}</span>
        </cn-field>
        <div class="form-actions">
          <cn-button variant="primary" ?loading=${this.saving}>
            <button type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>${msg('Save my answer')}</button>
          </cn-button>
          <span class="small muted" role="status">${saved && !changed ? msg(str`Saved: ${attendanceLabel(saved.answer)}.`) : this.answer && changed ? msg('Not saved yet.') : ''}</span>
        </div>
      </form>
    `;
  }

  private renderNobodyGoing() {
    const present = new Set(this.countriesPresent);
    const ids = this.attendance.countriesWithNobodyGoing.filter((id) => !present.has(id));
    const countries = this.services.countries;
    if (ids.length === 0) return html`<p class="alert alert-success">${msg('Every invited country has someone going.')}</p>`;
    return html`
      <div class="alert alert-info nobody" role="region" aria-labelledby="nobody-title">
        <h4 id="nobody-title">${msg(str`Invited countries with nobody going (${formatNumber(ids.length)})`)}</h4>
        <p>${ids.map((id) => countryName(countries.find((c) => c.id === id)) || id.toUpperCase()).join(', ')}</p>
      </div>
    `;
  }

  private renderByCountry() {
    const groups = this.attendance.byCountry.filter((group) => group.people.length > 0 || group.unanswered.length > 0);
    if (groups.length === 0) return html`<p class="muted">${msg('Nobody has answered yet.')}</p>`;
    const countries = this.services.countries;
    return html`
      <section aria-labelledby="by-country-title" class="stack">
        <h3 id="by-country-title">${msg('Answers by country')}</h3>
        <ul class="countries">
          ${groups.map((group) => {
            const name = group.countryId ? countryName(countries.find((c) => c.id === group.countryId)) || group.countryId.toUpperCase() : msg('Without a country');
            return html`<li class="country">
              <h4>${name}</h4>
              ${group.people.length > 0 ? html`<ul>
                ${group.people.map(
                  (entry) => html`<li>
                    ${entry.person.displayName}: <strong>${attendanceLabel(entry.answer)}</strong>
                    ${entry.note ? html`<span class="note">${entry.note}</span>` : nothing}
                  </li>`,
                )}
              </ul>` : nothing}
              ${group.unanswered.length > 0
                ? html`<p class="small muted">${msg(str`Not answered yet: ${group.unanswered.map((person) => person.displayName).join(', ')}`)}</p>`
                : nothing}
            </li>`;
          })}
        </ul>
      </section>
    `;
  }

  private onNote(event: InputEvent) {
    this.note = (event.target as HTMLTextAreaElement).value;
    drafts.write(noteKey(this.meeting.id, this.attendance.occurrenceId), this.note);
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (this.saving) return;
    if (!this.answer) {
      this.error = msg('Choose going, maybe or not going.');
      return;
    }
    this.saving = true;
    this.error = '';
    try {
      const attendance = await meetingsApi.answerAttendance(this.meeting.id, { answer: this.answer, note: this.note.trim(), occurrenceId: this.attendance.occurrenceId });
      drafts.clear(noteKey(this.meeting.id, attendance.occurrenceId));
      this.note = attendance.mine?.note ?? this.note.trim();
      this.services.toast(msg('Your answer was saved.'), 'success');
      this.dispatchEvent(new CustomEvent('cn-attendance-changed', { detail: attendance, bubbles: true, composed: true }));
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      this.error =
        code === 'meeting_cancelled' ? msg('This meeting is cancelled.') : code === 'not_scheduled' ? msg('The date of this meeting is not chosen yet.') : describeError(error);
    } finally {
      this.saving = false;
    }
  }
}
