import { css, html, nothing, type PropertyValues } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { Resource } from '../../controllers/resource.js';
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
    open: { state: true },
  };

  declare meetingId: string;
  /** The meeting's sequence: a new one means a change to list. */
  declare sequence: number;
  declare private open: boolean;

  /** Asked for when the history is first opened, and again after each change while it is open. */
  private history = new Resource(this, {
    args: () => [this.meetingId] as const,
    load: ([id], signal) => meetingsApi.history(id, signal),
    autoRun: false,
    isEmpty: (items) => items.length === 0,
  });

  constructor() {
    super();
    this.meetingId = '';
    this.sequence = 0;
    this.open = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('sequence') || changed.has('meetingId')) && this.open) void this.history.run();
  }

  private toggle(event: Event) {
    this.open = (event.target as HTMLDetailsElement).open;
    if (this.open && this.history.value === undefined && !this.history.loading) void this.history.run();
  }

  protected override render() {
    const zone = viewerZone(this.user);
    return html`
      <details @toggle=${this.toggle}>
        <summary>${msg('Change history')}</summary>
        ${this.history.render({
          loading: msg('Loading the history…'),
          inline: true,
          empty: () => msg('No change yet.'),
          complete: (items) => this.renderChanges(items, zone),
        })}
      </details>
    `;
  }

  private renderChanges(items: Change[], zone: string) {
    return html`<ol>
      ${items.map(
        (change) => html`<li>
          <p>
            <strong>${change.actor?.displayName ?? msg('The system')}</strong> · ${changeActionLabel(change.action)}${change.occurrenceId
              ? html` (${msg(str`occurrence of ${occurrenceLabel(change.occurrenceId, zone)}`)})`
              : nothing}
          </p>
          <p class="when"><time datetime=${change.at}>${formatDayAndClock(change.at, zone)}</time></p>
          ${change.changes.length > 0
            ? html`<ul class="fields">
                ${change.changes.map((item) => html`<li>${fieldLabel(item.field)}: ${describeValue(item.field, item.from, zone)} → ${describeValue(item.field, item.to, zone)}</li>`)}
              </ul>`
            : nothing}
        </li>`,
      )}
    </ol>`;
  }
}
