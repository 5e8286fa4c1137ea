import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { attendanceLabel, kindLabel, recurrenceText } from './meetings-format.js';
import { meetingPath } from './meetings-api.js';
import { formatDayAndClock } from './meeting-time.js';
import type { MeetingListItem } from './models.js';

/** One meeting (or one occurrence of a series) in a list; `zone` is the reader's. */
export function meetingListItem(item: MeetingListItem, zone: string) {
  const occurrence = item.occurrence;
  const cancelled = item.status === 'cancelled' || occurrence?.state === 'cancelled';
  const href = meetingPath(item.id) + (occurrence && occurrence.id !== 'single' ? `?occurrence=${encodeURIComponent(occurrence.id)}` : '');
  const headingId = `meeting-${item.id}-${occurrence?.id ?? 'poll'}`.replace(/[^\w-]/g, '_');
  return html`
    <li>
      <article class="meeting card" aria-labelledby=${headingId}>
        <div class="badges">
          <span class="badge badge-muted">${kindLabel(item.kind)}</span>
          ${cancelled ? html`<span class="badge badge-danger">${msg('Cancelled', { desc: 'Meeting status' })}</span>` : nothing}
          ${occurrence?.state === 'moved' ? html`<span class="badge">${msg('Moved')}</span>` : nothing}
          ${item.status === 'polling' && item.poll && !item.poll.closed && !item.poll.answeredByMe
            ? html`<span class="badge">${msg('Your availability is asked')}</span>`
            : nothing}
          ${item.myAttendance ? html`<span class="badge badge-muted">${msg(str`You: ${attendanceLabel(item.myAttendance)}`)}</span>` : nothing}
          ${item.hasMinutes ? html`<span class="badge">${msg('Minutes published')}</span>` : nothing}
        </div>
        <h2 id=${headingId}><a href=${href}>${item.title}</a></h2>
        ${occurrence
          ? html`<cn-meeting-times compact ?struck=${cancelled} .startsAt=${occurrence.startsAt} .endsAt=${occurrence.endsAt} .organizerZone=${item.timeZone}></cn-meeting-times>`
          : html`<p class="muted">
              ${item.poll?.deadline
                ? msg(str`Date to be chosen: answer the availability poll by ${formatDayAndClock(item.poll.deadline, zone)}.`)
                : msg('Date to be chosen: answer the availability poll.')}
            </p>`}
        ${item.hasMinutes
          ? html`<p class="small">
              <a href=${`${meetingPath(item.id)}/minutes${occurrence && occurrence.id !== 'single' ? `?occurrence=${encodeURIComponent(occurrence.id)}` : ''}`}
                >${msg('Read the minutes')}</a
              >
            </p>`
          : nothing}
        <p class="small muted">
          ${msg(str`Organized by ${item.organizer.displayName}`)}${item.recurrence
            ? html` · ${recurrenceText(item.recurrence, item.startsAt, item.timeZone)}`
            : nothing}
        </p>
      </article>
    </li>
  `;
}

export const meetingListStyles = css`
  ol.meetings {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-3);
  }

  .meeting {
    display: grid;
    gap: var(--cn-space-2);
    padding: var(--cn-space-4);
  }

  .meeting h2 {
    font-size: 1.1rem;
    overflow-wrap: anywhere;
  }

  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
  }
`;
