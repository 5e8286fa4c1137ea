import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import type { CnDialog } from '../../ui/dialog/dialog.js';
import { Resource } from '../../controllers/resource.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { formatDayAndClock, viewerZone } from './meeting-time.js';
import { meetingsApi } from './meetings-api.js';
import type { FeedState, NewFeed } from './models.js';

/**
 * The profile's meeting settings: the personal calendar feed (a secret address that Google
 * Calendar, Outlook or Thunderbird subscribe to; shown once when created, then only rotated or
 * revoked) and the switch for the 24 h and 1 h reminders.
 */
export class CnCalendarSettings extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      :host {
        display: block;
      }

      .stack > h3 {
        font-size: 1rem;
      }

      ol.how {
        margin: 0;
        padding-inline-start: var(--cn-space-5);
        font-size: 0.875rem;
        display: grid;
        gap: var(--cn-space-1);
      }

      label.switch {
        display: flex;
        gap: var(--cn-space-2);
        align-items: flex-start;
        cursor: pointer;
      }

      label.switch input {
        inline-size: 1.1rem;
        block-size: 1.1rem;
        margin-block-start: 0.2rem;
      }
    `,
  ];

  static override properties = {
    feed: { state: true },
    created: { state: true },
    reminders: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  declare private feed: FeedState | null;
  /** The new address, shown only right after it was made. */
  declare private created: NewFeed | null;
  declare private reminders: boolean;
  declare private busy: '' | 'create' | 'revoke' | 'reminders';
  declare private error: string;

  private settings = new Resource(this, {
    args: () => [],
    load: (_args, signal) => Promise.all([meetingsApi.feed(signal), meetingsApi.preferences(signal)]),
    loaded: ([feed, preferences]) => {
      this.feed = feed;
      this.reminders = preferences.reminders;
    },
  });

  constructor() {
    super();
    this.feed = null;
    this.created = null;
    this.reminders = true;
    this.busy = '';
    this.error = '';
  }

  protected override render() {
    return html`
      <section id="calendar" class="card stack" aria-labelledby="calendar-settings-title">
        <h2 id="calendar-settings-title">${msg('Meetings in your calendar')}</h2>
        ${this.settings.render({ loading: msg('Loading…'), inline: true, complete: () => this.renderReady() })}
      </section>
      <cn-dialog id="revoke-dialog" label=${msg('Stop the calendar feed?')}>
        <p>${msg('The address stops working: calendars subscribed to it no longer receive your meetings. You can make a new one at any time.')}</p>
        <div slot="footer">
          <cn-button variant="quiet"><button type="button" @click=${() => this.dialog()?.close()}>${msg('Keep it')}</button></cn-button>
          <cn-button variant="danger" ?loading=${this.busy === 'revoke'}><button type="button" @click=${this.revoke}>${msg('Stop the feed')}</button></cn-button>
        </div>
      </cn-dialog>
    `;
  }

  private renderReady() {
    const zone = viewerZone(this.user);
    return html`
      ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
      <div class="stack">
        <h3>${msg('Personal calendar feed')}</h3>
        <p class="small">
          ${msg('A private address with all your meetings. Subscribe to it once and your calendar keeps up with new, moved and cancelled meetings. Anyone with the address can read it: do not share it.')}
        </p>
        ${this.created
          ? html`
              <cn-copy-field .label=${msg('Your calendar feed address')} .value=${this.created.url}></cn-copy-field>
              <p class="small muted">${msg('Copy it now: for your security it is not shown again. If you lose it, make a new one.')}</p>
              <p class="small"><a href=${this.created.webcalUrl}>${msg('Open it in your calendar application (webcal)')}</a></p>
              <ol class="how">
                <li>${msg('Google Calendar: Other calendars, +, From URL, then paste the address.')}</li>
                <li>${msg('Outlook: Add calendar, Subscribe from web, then paste the address.')}</li>
                <li>${msg('Thunderbird: New calendar, On the network, then paste the address.')}</li>
              </ol>
            `
          : this.feed
            ? html`<p class="small">
                ${msg(str`Your feed exists since ${formatDayAndClock(this.feed.createdAt, zone)}.`)}
                ${this.feed.lastUsedAt ? msg(str`A calendar last read it on ${formatDayAndClock(this.feed.lastUsedAt, zone)}.`) : msg('No calendar has read it yet.')}
              </p>`
            : html`<p class="small muted">${msg('You have no calendar feed.')}</p>`}
        <div class="row">
          <cn-button variant=${this.feed || this.created ? 'secondary' : 'primary'} size="small" ?loading=${this.busy === 'create'}>
            <button type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.create}>
              ${this.feed || this.created ? msg('Make a new address (the old one stops working)') : msg('Create my calendar feed')}
            </button>
          </cn-button>
          ${this.feed || this.created
            ? html`<cn-button variant="quiet" size="small"><button type="button" @click=${this.askRevoke}>${msg('Stop the feed')}</button></cn-button>`
            : nothing}
        </div>
      </div>
      <div class="stack">
        <h3>${msg('Reminders')}</h3>
        <label class="switch">
          <input type="checkbox" .checked=${this.reminders} ?disabled=${this.busy === 'reminders'} @change=${this.toggleReminders} />
          <span>${msg('Remind me 24 hours and 1 hour before my meetings (in the notifications)')}</span>
        </label>
      </div>
    `;
  }

  private dialog() {
    return this.renderRoot.querySelector<CnDialog>('#revoke-dialog');
  }

  private async create() {
    if (this.busy) return;
    this.busy = 'create';
    this.error = '';
    try {
      this.created = await meetingsApi.createFeed();
      this.feed = { createdAt: this.created.createdAt, lastUsedAt: null };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('cn-copy-field')?.focus();
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = '';
    }
  }

  private askRevoke() {
    const dialog = this.dialog();
    if (dialog) dialog.open = true;
  }

  private revoke = async () => {
    if (this.busy) return;
    this.busy = 'revoke';
    this.error = '';
    try {
      await meetingsApi.revokeFeed();
      this.feed = null;
      this.created = null;
      this.dialog()?.close();
      this.services.toast(msg('Your calendar feed was stopped.'), 'success');
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = '';
    }
  };

  private async toggleReminders(event: Event) {
    const input = event.target as HTMLInputElement;
    const wanted = input.checked;
    this.busy = 'reminders';
    this.error = '';
    try {
      const preferences = await meetingsApi.setPreferences({ reminders: wanted });
      this.reminders = preferences.reminders;
      this.services.toast(preferences.reminders ? msg('Meeting reminders are on.') : msg('Meeting reminders are off.'), 'success');
    } catch (error) {
      input.checked = !wanted;
      this.error = describeError(error);
    } finally {
      this.busy = '';
    }
  }
}
