import { css, html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { baseStyles } from '../../ui/styles/shared.styles.js';
import { capitalTimes, sameZone, formatClock, formatLongDay, formatShortDay, localDate, viewerZone, zoneLabel } from './meeting-time.js';
import type { InvitedCountry } from './models.js';

/**
 * When a meeting (or one occurrence, or a poll slot) takes place: first in the reader's zone,
 * then in the organizer's zone when it is another one, then (given the invited countries) the
 * row of local times in their capitals. Each clock is a <time> with the exact instant.
 */
export class CnMeetingTimes extends AppElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: grid;
        gap: var(--cn-space-1);
      }

      p {
        margin: 0;
      }

      .local {
        font-weight: 600;
        color: var(--cn-color-heading);
      }

      :host([compact]) .local {
        font-weight: 500;
      }

      .zone,
      .organizer,
      .capitals {
        color: var(--cn-color-muted);
        font-size: 0.875rem;
      }

      .zone {
        font-weight: 400;
      }

      ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-1) 0;
        list-style: none;
        margin: 0;
        padding: 0;
      }

      li {
        white-space: nowrap;
      }

      li + li::before {
        content: '·';
        padding-inline: 0.45em;
        color: var(--cn-color-border-strong);
      }

      .capital-time {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
        color: var(--cn-color-text);
      }

      del {
        text-decoration-thickness: 2px;
      }
    `,
  ];

  static override properties = {
    startsAt: {},
    endsAt: {},
    organizerZone: {},
    countries: { attribute: false },
    compact: { type: Boolean, reflect: true },
    struck: { type: Boolean },
  };

  declare startsAt: string;
  declare endsAt: string;
  /** The meeting's own IANA zone. */
  declare organizerZone: string;
  /** Invited countries: their capitals' local times are listed when given. */
  declare countries: readonly InvitedCountry[];
  /** One line less padding, for lists. */
  declare compact: boolean;
  /** Shown struck through (a cancelled occurrence, a slot not chosen). */
  declare struck: boolean;

  constructor() {
    super();
    this.startsAt = '';
    this.endsAt = '';
    this.organizerZone = '';
    this.countries = [];
    this.compact = false;
    this.struck = false;
  }

  protected override render() {
    if (!this.startsAt || !this.endsAt) return nothing;
    const zone = viewerZone(this.user);
    const local = this.range(zone, true);
    const organizer = this.organizerZone && !sameZone(this.organizerZone, zone) ? this.range(this.organizerZone, false) : null;
    const capitals = capitalTimes(this.startsAt, this.countries, zone);
    return html`
      <p class="local">${this.struck ? html`<del>${local}</del>` : local} <span class="zone">· ${zoneLabel(zone, this.startsAt)}</span></p>
      ${organizer
        ? html`<p class="organizer">${msg(html`Organizer's time: ${organizer}`)} · ${zoneLabel(this.organizerZone, this.startsAt)}</p>`
        : nothing}
      ${capitals.length > 0
        ? html`<div class="capitals">
            <ul aria-label=${msg('Start in the capitals of the invited countries')}>
              ${capitals.map(
                (capital) => html`<li title=${capital.timeZone}>
                  <time class="capital-time" datetime=${this.startsAt}>${capital.time}</time> ${capital.capital}${capital.otherDay ? html` (${capital.otherDay})` : nothing}
                </li>`,
              )}
            </ul>
          </div>`
        : nothing}
    `;
  }

  /** "Tuesday, 12 May 2026, 10:00–11:30", the end's day added when it is another. */
  private range(zone: string, long: boolean) {
    const day = long ? formatLongDay(this.startsAt, zone) : formatShortDay(this.startsAt, zone);
    const sameDay = localDate(this.startsAt, zone) === localDate(this.endsAt, zone);
    const startClass = long ? 'start' : 'organizer-start';
    const endClass = long ? 'end' : 'organizer-end';
    return html`<time datetime=${this.startsAt}>${day}</time>, <time class=${startClass} datetime=${this.startsAt}>${formatClock(this.startsAt, zone)}</time>–${sameDay
        ? nothing
        : html`<time datetime=${this.endsAt}>${formatShortDay(this.endsAt, zone)}</time>, `}<time class=${endClass} datetime=${this.endsAt}>${formatClock(this.endsAt, zone)}</time>`;
  }
}
