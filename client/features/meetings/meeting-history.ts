import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { formatDayAndClock, viewerZone } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import { changeActionLabel, fieldLabel, kindLabel, occurrenceLabel, statusLabel } from './meetings-format.js';
import { MEETING_KINDS, type Change, type MeetingKind, type MeetingStatus } from './models.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** A value of a change as people read it: instants in their zone, lists joined, kinds named. */
function describeValue(field: string, value: unknown, zone: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return formatDayAndClock(value, zone);
    if (field === 'kind' && (MEETING_KINDS as readonly string[]).includes(value)) return kindLabel(value as MeetingKind);
    if (field === 'status' && ['polling', 'scheduled', 'cancelled'].includes(value)) return statusLabel(value as MeetingStatus);
    return value.length > 160 ? `${value.slice(0, 160)}…` : value;
  }
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((item) => describeValue(field, item, zone)).join(', ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.startsAt === 'string' && typeof record.endsAt === 'string') return `${describeValue(field, record.startsAt, zone)} – ${describeValue(field, record.endsAt, zone)}`;
    if (typeof record.title === 'string') return record.title;
    return JSON.stringify(value);
  }
  return String(value);
}

/** A meeting's change history, newest first, loaded when opened (and again when the meeting changes). */
export class CnMeetingHistory extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      ol {
        list-style: none;
        margin: var(--cn-space-3) 0 0;
        padding: 0;
        display: grid;
        gap: var(--cn-space-3);
      }

      li {
        border-inline-start: 3px solid var(--cn-color-border);
        padding-inline-start: var(--cn-space-3);
      }

      .when {
        font-size: 0.8125rem;
        color: var(--cn-color-muted);
      }

      ul.fields {
        margin: var(--cn-space-1) 0 0;
        padding-inline-start: var(--cn-space-5);
        font-size: 0.875rem;
      }

      summary {
        cursor: pointer;
        font-weight: 600;
      }
    `,
  ];

  static override properties = {
    meetingId: {},
    sequence: { type: Number },
    items: { state: true },
    error: { state: true },
    open: { state: true },
  };

  declare meetingId: string;
  /** The meeting's sequence: a new one means a change to list. */
  declare sequence: number;
  declare private items: Change[] | null;
  declare private error: string;
  declare private open: boolean;

  constructor() {
    super();
    this.meetingId = '';
    this.sequence = 0;
    this.items = null;
    this.error = '';
    this.open = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('sequence') || changed.has('meetingId')) && this.open) void this.load();
  }

  private async load() {
    this.error = '';
    try {
      this.items = await meetingsApi.history(this.meetingId);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private toggle(event: Event) {
    this.open = (event.target as HTMLDetailsElement).open;
    if (this.open && this.items === null) void this.load();
  }

  protected override render() {
    const zone = viewerZone(this.user);
    return html`
      <details @toggle=${this.toggle}>
        <summary>${msg('Change history')}</summary>
        ${this.error
          ? html`<p class="alert alert-error" role="alert">${this.error}</p>`
          : this.items === null
            ? html`<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>${msg('Loading the history…')}</p>`
            : this.items.length === 0
              ? html`<p class="muted">${msg('No change yet.')}</p>`
              : html`<ol>
                  ${this.items.map(
                    (change) => html`<li>
                      <p>
                        <strong>${change.actor?.displayName ?? msg('The system')}</strong> · ${changeActionLabel(change.action)}${change.occurrenceId
                          ? html` (${msg(str`occurrence of ${occurrenceLabel(change.occurrenceId, zone)}`)})`
                          : nothing}
                      </p>
                      <p class="when"><time datetime=${change.at}>${formatDayAndClock(change.at, zone)}</time></p>
                      ${change.changes.length > 0
                        ? html`<ul class="fields">
                            ${change.changes.map(
                              (item) =>
                                html`<li>${fieldLabel(item.field)}: ${describeValue(item.field, item.from, zone)} → ${describeValue(item.field, item.to, zone)}</li>`,
                            )}
                          </ul>`
                        : nothing}
                    </li>`,
                  )}
                </ol>`}
      </details>
    `;
  }
}
