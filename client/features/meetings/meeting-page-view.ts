import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { AppServices } from '../../app/contexts.js';
import { affiliationLabel, organizationAcronym } from '../../app/format.js';
import { pickContent } from '../../app/i18n.js';
import { sanitizedPostHtml } from '../../ui/trusted-html.js';
import { icsHref } from './meetings-api.js';
import { minutesLabel } from './meetings-format.js';
import type { MeetingDetail } from './models.js';

/* The meeting page's parts that only show the meeting: pure views of it (meeting-page.ts holds the state and the actions). */

export function renderAgenda(meeting: MeetingDetail, services: AppServices) {
  const total = meeting.agenda.reduce((sum, item) => sum + item.minutes, 0);
  if (!meeting.descriptionHtml && meeting.agenda.length === 0) return nothing;
  return html`
    <section aria-labelledby="agenda-title">
      <h2 id="agenda-title">${msg('Agenda')}</h2>
      ${meeting.descriptionHtml ? html`<div class="post-body">${sanitizedPostHtml(meeting.descriptionHtml, services.countries)}</div>` : nothing}
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

/**
 * The call's link under the title, where a phone shows it on the first screen (the aside with
 * the access notes comes after the whole page there).
 */
export function renderJoinNow(meeting: MeetingDetail, services: AppServices) {
  if (!meeting.onlineUrl || meeting.status === 'cancelled') return nothing;
  return html`<p class="join-now">
    <cn-button variant="primary"><a class="online" href=${meeting.onlineUrl} target="_blank" rel="noopener noreferrer">${msg('Join the call')}</a></cn-button>
    <span class="small muted">${new URL(meeting.onlineUrl).host}</span>
  </p>`;
}

export function renderJoin(meeting: MeetingDetail, services: AppServices) {
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

export function renderCalendar(meeting: MeetingDetail, services: AppServices) {
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

export function renderInvitees(meeting: MeetingDetail, services: AppServices) {
  const countries = services.countries;
  const organizations = services.organizations;
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

export function renderLinks(meeting: MeetingDetail, services: AppServices) {
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
