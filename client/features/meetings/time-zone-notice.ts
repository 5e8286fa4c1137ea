import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { AppElement } from '../../app/base-element.js';
import { describeError } from '../../app/errors.js';
import { browserTimeZone } from '../../app/time-zones.js';
import { baseStyles, pageStyles } from '../../ui/styles/shared.styles.js';
import { peopleApi } from '../people/public.js';
import { drafts } from '../../app/drafts.js';
import { isKnownZone, sameZone, viewerZone, zoneLabel } from './meeting-time.js';

const KEPT_KEY = 'concilia.meetings.zone-kept';

/**
 * Which zone the times on the page are in, and, when this browser detects another one (travel,
 * a VPN, a new laptop), the offer to use it: the profile's zone wins until the person says so,
 * because a browser's guess can be wrong. Keeping the profile's zone is remembered per pair.
 */
export class CnTimeZoneNotice extends AppElement {
  static override styles = [
    baseStyles,
    pageStyles,
    css`
      :host {
        display: block;
        font-size: 0.875rem;
      }

      .alert {
        display: grid;
        gap: var(--cn-space-2);
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cn-space-2);
      }
    `,
  ];

  static override properties = { saving: { state: true }, error: { state: true }, kept: { state: true } };

  declare private saving: boolean;
  declare private error: string;
  declare private kept: string;

  constructor() {
    super();
    this.saving = false;
    this.error = '';
    this.kept = drafts.read(KEPT_KEY);
  }

  protected override render() {
    const user = this.user;
    if (!user) return nothing;
    const now = new Date().toISOString();
    const shown = viewerZone(user);
    const detected = browserTimeZone();
    const differs = isKnownZone(detected) && !sameZone(detected, shown) && this.kept !== `${shown}|${detected}`;
    if (!differs) {
      return html`<p class="muted">
        ${msg(str`Times are shown in your time zone, ${zoneLabel(shown, now)}.`)} <a href="/profile">${msg('Change it in your profile')}</a>
      </p>`;
    }
    return html`
      <div class="alert alert-info" role="region" aria-label=${msg('Time zone')}>
        <p>
          ${msg(str`Times are shown in the time zone of your profile, ${zoneLabel(shown, now)}. This device is set to ${zoneLabel(detected, now)}.`)}
        </p>
        ${this.error ? html`<p class="alert alert-error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <cn-button variant="primary" size="small" ?loading=${this.saving}>
            <button type="button" aria-disabled=${this.saving ? 'true' : 'false'} @click=${() => this.useDetected(detected)}>
              ${msg(str`Use ${zoneLabel(detected, now)}`)}
            </button>
          </cn-button>
          <cn-button variant="quiet" size="small">
            <button type="button" @click=${() => this.keep(shown, detected)}>${msg(str`Keep ${zoneLabel(shown, now)}`)}</button>
          </cn-button>
        </div>
      </div>
    `;
  }

  private async useDetected(zone: string) {
    if (this.saving) return;
    this.saving = true;
    this.error = '';
    try {
      const user = await peopleApi.updateMe({ timeZone: zone });
      await this.services.userChanged(user);
      this.services.toast(msg(str`Times are now shown in ${zoneLabel(zone, new Date().toISOString())}.`), 'success');
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.saving = false;
    }
  }

  private keep(shown: string, detected: string) {
    this.kept = `${shown}|${detected}`;
    drafts.write(KEPT_KEY, this.kept);
  }
}
