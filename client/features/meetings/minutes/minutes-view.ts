import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { isApiError } from '../../../app/api.js';
import { describeError } from '../../../app/errors.js';
import type { Country } from '../../../app/models.js';
import { sanitizedPostHtml } from '../../../ui/trusted-html.js';
import { actionItemLine } from '../action-item-line.js';
import { formatDayAndClock } from '../meeting-time.js';
import { exportHref } from '../meetings-api.js';
import type { Minutes, MinutesContent } from '../models.js';
import type { Conflict, SaveState } from './autosave.js';
import { valueAt } from './minutes-model.js';

/** A field path as the writer reads it: "Introduction", "Item 2 · Decisions". */
function pathLabel(path: string, content: MinutesContent): string {
  if (path === 'introduction') return msg('Introduction');
  if (path === 'order') return msg('Order of the sections');
  const match = /^sections\.([^.]+)(?:\.(title|summary|decisions|actionItems))?$/.exec(path);
  const section = content.sections.find((s) => s.key === match?.[1]);
  const title = section?.title || match?.[1] || path;
  switch (match?.[2]) {
    case 'title':
      return msg(str`${title} · title`);
    case 'summary':
      return msg(str`${title} · summary`);
    case 'decisions':
      return msg(str`${title} · decisions`);
    case 'actionItems':
      return msg(str`${title} · action items`);
    default:
      return title;
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item && 'text' in item ? String((item as { text: string }).text) : String(item))).join('\n');
  if (value === null || value === undefined) return '—';
  return String(value);
}

/** What the save bar says, and whether it is a problem. */
export function saveStateText(state: SaveState, savedAt: string | null, zone: string): { text: string; problem: boolean } {
  const problem = state === 'offline' || state === 'signed-out' || state === 'error' || state === 'conflict';
  switch (state) {
    case 'saved':
      return { problem, text: savedAt ? msg(str`Draft saved at ${formatDayAndClock(savedAt, zone)}.`) : msg('Draft saved.') };
    case 'unsaved':
      return { problem, text: msg('Changes not saved yet…') };
    case 'saving':
      return { problem, text: msg('Saving…') };
    case 'offline':
      return { problem, text: msg('The server cannot be reached. Your text is kept on this device and saved as soon as the connection is back.') };
    case 'signed-out':
      return { problem, text: msg('Your session has ended. Sign in again in another tab: your text is kept here and saved once you are back.') };
    case 'conflict':
      return { problem, text: msg('Someone else changed the same part. Choose which text to keep.') };
    case 'error':
      return { problem, text: msg('The draft could not be saved. It is kept on this device; trying again…') };
  }
}

/** Both texts of each field changed by someone else meanwhile, and the writer's two choices. */
export function renderConflict(conflict: Conflict, mine: MinutesContent | undefined, choose: { keepMine: () => void; takeTheirs: () => void }) {
  return html`
    <section class="alert alert-error conflict stack" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">${msg(str`${conflict.by} changed the same part meanwhile`)}</h2>
      ${conflict.paths.map(
        (path) => html`<div class="stack">
          <h3>${pathLabel(path, conflict.theirs)}</h3>
          <div class="sides">
            <div>
              <p class="small">${msg('Their text')}</p>
              <pre>${describeValue(valueAt(conflict.theirs, path))}</pre>
            </div>
            <div>
              <p class="small">${msg('Your text')}</p>
              <pre>${mine ? describeValue(valueAt(mine, path)) : '—'}</pre>
            </div>
          </div>
        </div>`,
      )}
      <div class="row">
        <cn-button variant="primary" size="small"><button type="button" @click=${choose.keepMine}>${msg('Keep my text')}</button></cn-button>
        <cn-button size="small"><button type="button" @click=${choose.takeTheirs}>${msg('Take their text')}</button></cn-button>
      </div>
    </section>
  `;
}

/** The minutes as exports (printable and Markdown; the draft too for its writers) and the attendance by country. */
export function renderExports(minutes: Minutes) {
  const { meetingId, occurrenceId } = minutes;
  const writer = minutes.mayWrite && minutes.draft;
  if (!minutes.published && !writer) return nothing;
  return html`
    <section class="card exports stack" aria-labelledby="exports-title">
      <h2 id="exports-title">${msg('Exports')}</h2>
      <ul>
        ${minutes.published
          ? html`<li><a href=${exportHref(meetingId, 'minutes.html', { occurrenceId })} target="_blank" rel="noopener">${msg('Printable minutes (HTML)')}</a></li>
              <li><a href=${exportHref(meetingId, 'minutes.md', { occurrenceId })} download>${msg('Minutes in Markdown')}</a></li>`
          : nothing}
        ${writer
          ? html`<li><a href=${exportHref(meetingId, 'minutes.html', { occurrenceId, version: 'draft' })} target="_blank" rel="noopener">${msg('Printable draft (HTML)')}</a></li>
              <li><a href=${exportHref(meetingId, 'minutes.md', { occurrenceId, version: 'draft' })} download>${msg('Draft in Markdown')}</a></li>`
          : nothing}
        <li><a href=${exportHref(meetingId, 'room/attendance.csv', { occurrenceId })} download>${msg('Attendance by country (CSV)')}</a></li>
      </ul>
    </section>
  `;
}

/** The published minutes, as everyone who sees the meeting reads them. */
export function renderPublished(minutes: Minutes, zone: string, countries: readonly Country[]) {
  const published = minutes.published!;
  return html`
    <section class="card published stack" aria-labelledby="published-title">
      <h2 id="published-title">${msg('Published minutes')}</h2>
      <p class="small muted">
        ${msg(str`Published by ${published.publishedBy.displayName} on ${formatDayAndClock(published.publishedAt, zone)}.`)}
        ${published.firstPublishedAt !== published.publishedAt ? msg(str`First published on ${formatDayAndClock(published.firstPublishedAt, zone)}.`) : nothing}
      </p>
      ${published.introductionHtml ? html`<div class="post-body">${sanitizedPostHtml(published.introductionHtml, countries)}</div>` : nothing}
      ${published.sections.map(
        (section, index) => html`<section aria-labelledby=${`published-${section.key}`}>
          <h3 id=${`published-${section.key}`}>${index + 1}. ${section.title}</h3>
          ${section.summaryHtml ? html`<div class="post-body">${sanitizedPostHtml(section.summaryHtml, countries)}</div>` : nothing}
          ${section.decisionsHtml
            ? html`<p><strong>${msg('Decisions')}</strong></p>
                <div class="post-body">${sanitizedPostHtml(section.decisionsHtml, countries)}</div>`
            : nothing}
          ${section.actionItems.length > 0
            ? html`<p><strong>${msg('Action items')}</strong></p>
                <ul class="action-items">
                  ${section.actionItems.map((item) => html`<li>${actionItemLine(item, countries)}</li>`)}
                </ul>`
            : nothing}
        </section>`,
      )}
    </section>
  `;
}

/** The action items a refused publication names (`details: [{ field: 'sections.<key>.actionItems.<i>' }]`). */
export function incompleteItems(details: unknown, content: MinutesContent): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((entry) => {
    const match = /^sections\.([^.]+)\.actionItems\.(\d+)$/.exec(String((entry as { field?: unknown } | null)?.field ?? ''));
    const item = match ? content.sections.find((section) => section.key === match[1])?.actionItems[Number(match[2])] : undefined;
    return item ? [item.id] : [];
  });
}

export function describeMinutesError(error: unknown): string {
  if (!isApiError(error)) return describeError(error);
  switch (error.code) {
    case 'meeting_not_started':
      return msg('The minutes can be written once the meeting starts (its room opens 15 minutes before).');
    case 'occurrence_cancelled':
      return msg('This occurrence was cancelled: it has no minutes.');
    case 'incomplete_action_items':
      return msg('Every action item needs a text and a responsible country or person. The incomplete ones are marked.');
    case 'stale_revision':
      return msg('The draft changed meanwhile. Look at the latest version, then publish again.');
    case 'unknown_responsible':
      return msg('A responsible country or person is not of the group. Choose them again.');
    case 'invalid_due_date':
      return msg('A due date is not valid.');
    case 'not_scheduled':
      return msg('The date of this meeting is not chosen yet.');
    case 'no_draft':
      return msg('Nothing is written yet: write the minutes first.');
    default:
      return describeError(error);
  }
}

/** The minutes page's own styles: the sticky save bar, the draft's sections and action items, both sides of a conflict. */
export const minutesStyles = css`
  .bar {
    position: sticky;
    inset-block-start: 0;
    z-index: 5;
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: var(--cn-space-3);
    padding: var(--cn-space-2) var(--cn-space-3);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    margin-block-end: var(--cn-space-4);
  }

  .save-state {
    font-size: 0.875rem;
    font-weight: 600;
  }

  .save-state.problem {
    color: var(--cn-color-danger-strong);
  }

  textarea,
  input,
  select {
    font: inherit;
    inline-size: 100%;
    padding: 0.4rem 0.6rem;
    border: 1px solid var(--cn-color-border-strong);
    border-radius: var(--cn-radius);
    background: var(--cn-color-surface);
  }

  textarea {
    min-block-size: 5rem;
    resize: vertical;
  }

  cn-minutes-editor {
    display: block;
  }

  fieldset.section {
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    padding: var(--cn-space-4);
    background: var(--cn-color-surface);
  }

  fieldset.section > legend {
    font-size: 1.05rem;
    padding-inline: var(--cn-space-1);
  }

  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2);
    justify-content: flex-end;
  }

  .items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--cn-space-2);
  }

  .item {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(10rem, 2fr) minmax(9rem, 1fr) auto;
    gap: var(--cn-space-2);
    align-items: end;
    padding: var(--cn-space-2);
    border-radius: var(--cn-radius);
    background: var(--cn-color-bg);
  }

  .item.incomplete {
    outline: 2px solid var(--cn-color-danger);
  }

  .item label {
    display: grid;
    gap: 2px;
    font-size: 0.8125rem;
    font-weight: 600;
  }

  .exports ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: var(--cn-space-2) var(--cn-space-4);
  }

  .conflict pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font: inherit;
    margin: 0;
    padding: var(--cn-space-2);
    background: var(--cn-color-surface);
    border: 1px solid var(--cn-color-border);
    border-radius: var(--cn-radius);
    max-block-size: 14rem;
    overflow: auto;
  }

  .sides {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: var(--cn-space-3);
  }

  .published section {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-2);
  }

  .published h3 {
    font-size: 0.95rem;
    color: var(--cn-color-muted);
  }

  ul.action-items {
    margin: 0;
    padding-inline-start: var(--cn-space-5);
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--cn-space-1);
  }

  @media (max-width: 760px) {
    .item,
    .sides {
      grid-template-columns: 1fr;
    }
  }
`;
