import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { repeat } from 'lit/directives/repeat.js';
import { timeZoneOptions } from '../../../app/time-zones.js';
import { fieldError } from '../../../ui/field/field.js';
import { addDays, instantOf } from '../meeting-time.js';
import { monthlyDay } from '../meetings-format.js';
import type { InvitedCountry } from '../models.js';
import type { FormView } from './form-sections.js';
import { weekOfMonth } from './meeting-form-model.js';

/*
 * The form's "When": the meeting's time zone, then a date (maybe repeating) or an availability
 * poll of proposed times, each typed in the meeting's zone and previewed as the reader and the
 * invited capitals will see it.
 */

export function renderWhen(v: FormView) {
  const s = v.state;
  const pollAllowed = !v.editing || v.meeting?.status === 'polling';
  const fixedAllowed = !v.editing || v.meeting?.status !== 'polling';
  return html`
    <fieldset class="card">
      <legend>${msg('When')}</legend>
      <cn-field>
        <label slot="label">${msg('Time zone of the meeting')}</label>
        <select name="timeZone" @change=${v.onField}>${timeZoneOptions(s.timeZone)}</select>
        <span slot="hint">${msg('Dates and times below are in this zone; repetitions keep its local time across clock changes.')}</span>
        ${fieldError(v.errors.timeZone)}
      </cn-field>
      ${pollAllowed && fixedAllowed
        ? html`<fieldset>
            <legend class="visually-hidden">${msg('How the date is set')}</legend>
            <div class="choice-row">
              <label><input type="radio" name="schedule" value="fixed" .checked=${s.schedule === 'fixed'} @change=${() => v.update({ schedule: 'fixed' })} /> ${msg('I set the date')}</label>
              <label><input type="radio" name="schedule" value="poll" .checked=${s.schedule === 'poll'} @change=${() => v.update({ schedule: 'poll' })} /> ${msg('Invitees choose among proposed times (availability poll)')}</label>
            </div>
          </fieldset>`
        : nothing}
      ${s.schedule === 'fixed' ? renderFixed(v) : renderSlots(v)}
    </fieldset>
  `;
}

export function renderFixed(v: FormView) {
  const s = v.state;
  const inPerson = s.kind === 'in_person_meeting';
  const week = s.date ? weekOfMonth(s.date) : null;
  const startInstant = s.date ? instantOf(s.date, s.start, s.timeZone) : null;
  const startIso = startInstant && 'iso' in startInstant ? startInstant.iso : '';
  return html`
    <div class="three">
      <cn-field>
        <label slot="label">${msg('Date')}</label>
        <input type="date" name="date" required .value=${s.date} @input=${v.onField} />
        ${fieldError(v.errors.date)}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Starts at')}</label>
        <input type="time" name="start" required .value=${s.start} @input=${v.onField} />
        ${fieldError(v.errors.start)}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Ends at')}</label>
        <input type="time" name="end" required .value=${s.end} @input=${v.onField} />
        ${fieldError(v.errors.end)}
      </cn-field>
      ${inPerson
        ? html`<cn-field>
            <label slot="label">${msg('Last day')} <span class="optional">${msg('(if it lasts several days)')}</span></label>
            <input type="date" name="endDate" .value=${s.endDate} min=${s.date} @input=${v.onField} />
          </cn-field>`
        : nothing}
    </div>
    ${renderPreview(v, s.date, s.start, s.end, inPerson ? s.endDate : '')}
    <div class="three">
      <cn-field>
        <label slot="label">${msg('Repeat')}</label>
        <select name="repeat" @change=${v.onField}>
          <option value="none" ?selected=${s.repeat === 'none'}>${msg('Does not repeat')}</option>
          <option value="weekly" ?selected=${s.repeat === 'weekly'}>${msg('Weekly')}</option>
          <option value="monthly" ?selected=${s.repeat === 'monthly'}>${msg('Monthly, on a weekday')}</option>
        </select>
        ${fieldError(v.errors.repeat)}
      </cn-field>
      ${s.repeat !== 'none'
        ? html`<cn-field>
              <label slot="label">${s.repeat === 'weekly' ? msg('Every how many weeks') : msg('Every how many months')}</label>
              <input type="number" name="interval" min="1" max="12" inputmode="numeric" .value=${s.interval} @input=${v.onField} />
              ${fieldError(v.errors.interval)}
            </cn-field>
            <cn-field>
              <label slot="label">${msg('Number of occurrences')}</label>
              <input type="number" name="count" min="2" max="100" inputmode="numeric" .value=${s.count} @input=${v.onField} />
              ${fieldError(v.errors.count)}
            </cn-field>`
        : nothing}
      ${s.repeat === 'monthly'
        ? html`<cn-field>
            <label slot="label">${msg('Day of the month')}</label>
            <select name="monthlyWeek" @change=${v.onField}>
              <option value="" ?selected=${!s.monthlyWeek}>${msg('Choose…')}</option>
              ${week && week.week <= 4 && startIso
                ? html`<option value=${String(week.week)} ?selected=${s.monthlyWeek === String(week.week)}>${monthlyDay(week.week as 1 | 2 | 3 | 4, startIso, s.timeZone)}</option>`
                : nothing}
              ${week?.last && startIso ? html`<option value="-1" ?selected=${s.monthlyWeek === '-1'}>${monthlyDay(-1, startIso, s.timeZone)}</option>` : nothing}
            </select>
            <span slot="hint">${msg('Taken from the date above.')}</span>
            ${fieldError(v.errors.monthlyWeek)}
          </cn-field>`
        : nothing}
    </div>
  `;
}

export function renderSlots(v: FormView) {
  const s = v.state;
  return html`
    <p class="small muted">${msg('Propose two or more times. Invitees answer each with yes, if need be, or no; you then choose one, which schedules the meeting.')}</p>
    ${v.errors.slots ? html`<p class="problem" role="alert">${v.errors.slots}</p>` : nothing}
    <ol class="rows" aria-label=${msg('Proposed times')}>
      ${repeat(
        s.slots,
        (slot) => slot.key,
        (slot, index) => html`<li>
          <div class="row-head">
            <span>${msg(str`Option ${index + 1}`)}</span>
            <div class="row-tools">
              <cn-button size="small" variant="quiet">
                <button type="button" aria-label=${msg(str`Remove option ${index + 1}`)} ?disabled=${s.slots.length <= 2} @click=${() => v.rows.removeSlot(slot.key)}>${msg('Remove')}</button>
              </cn-button>
            </div>
          </div>
          <div class="three">
            <cn-field>
              <label slot="label">${msg(str`Date of option ${index + 1}`)}</label>
              <input type="date" name=${`slot-${slot.key}`} .value=${slot.date} @input=${(e: Event) => v.rows.changeSlot(slot.key, { date: (e.target as HTMLInputElement).value })} />
              ${fieldError(v.errors[`slot-${slot.key}`])}
            </cn-field>
            <cn-field>
              <label slot="label">${msg(str`Start of option ${index + 1}`)}</label>
              <input type="time" .value=${slot.start} @input=${(e: Event) => v.rows.changeSlot(slot.key, { start: (e.target as HTMLInputElement).value })} />
            </cn-field>
            <cn-field>
              <label slot="label">${msg(str`End of option ${index + 1}`)}</label>
              <input type="time" .value=${slot.end} @input=${(e: Event) => v.rows.changeSlot(slot.key, { end: (e.target as HTMLInputElement).value })} />
            </cn-field>
          </div>
          ${renderPreview(v, slot.date, slot.start, slot.end, '')}
        </li>`,
      )}
    </ol>
    <div>
      <cn-button size="small"><button type="button" ?disabled=${s.slots.length >= 30} @click=${v.rows.addSlot}>${msg('Propose another time')}</button></cn-button>
    </div>
    <div class="three">
      <cn-field>
        <label slot="label">${msg('Answer by (date)')} <span class="optional">${msg('(optional)')}</span></label>
        <input type="date" name="deadlineDate" .value=${s.deadlineDate} @input=${v.onField} />
        <span slot="hint">${msg('Those who have not answered are reminded before it.')}</span>
        ${fieldError(v.errors.deadline)}
      </cn-field>
      <cn-field>
        <label slot="label">${msg('Answer by (time)')}</label>
        <input type="time" name="deadlineTime" .value=${s.deadlineTime} @input=${v.onField} />
      </cn-field>
    </div>
  `;
}

/** The typed time as the reader and the invited capitals will see it. */
export function renderPreview(v: FormView, date: string, start: string, end: string, endDate: string) {
  if (!date || !start || !end) return nothing;
  const zone = v.state.timeZone;
  const from = instantOf(date, start, zone);
  if ('problem' in from) {
    return html`<p class="problem">
      ${from.problem === 'nonexistent' ? msg('This time does not exist in the chosen time zone: the clocks skip it that day. Choose another time.') : nothing}
    </p>`;
  }
  let to = instantOf(endDate || date, end, zone);
  if ('iso' in to && !endDate && to.iso <= from.iso) to = instantOf(addDays(date, 1), end, zone);
  if ('problem' in to) return nothing;
  return html`<div class="preview">
    <p class="preview-label">${msg('As the invitees will see it:')}</p>
    <cn-meeting-times .startsAt=${from.iso} .endsAt=${to.iso} .organizerZone=${zone} .countries=${previewCountries(v)}></cn-meeting-times>
  </div>`;
}

/** The chosen countries with their capitals, for the preview's row of local times. */
export function previewCountries(v: FormView): InvitedCountry[] {
  if (v.state.everyone) return [];
  const chosen = new Set(v.state.countryIds);
  return v.services.countries
    .filter((country) => chosen.has(country.id))
    .map((country) => ({
      id: country.id,
      iso2: country.iso2,
      nameEs: country.nameEs,
      nameEn: country.nameEn,
      capitalEs: country.capitalEs,
      capitalEn: country.capitalEn,
      timeZone: country.timeZone,
    }))
    .sort((a, b) => a.nameEs.localeCompare(b.nameEs, 'es'));
}
